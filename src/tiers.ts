/**
 * V8's optimising compiler (TurboFan) in the short batch runs of `list` and `stats`.
 *
 * V8 compiles a hot function with TurboFan on a background thread. In a run of a few hundred
 * milliseconds most of those compiles cost more than they save: on a 10,000-question bank they
 * are mostly Node's own `fs.statSync` and `Stats` (hot from 10,000 calls), about 70 ms of CPU
 * for a few ms less on the main thread. On two idle cores that CPU is nearly free, but with one
 * core busy elsewhere (this VM has such minutes) it lands on the run: `list` measured 2.96× a
 * bare `node -e 0` on one core, 2.5× without TurboFan (`stats` 3.6× → 3.1×), while on two idle
 * cores both take the same time. So these commands stop short of TurboFan (Sparkplug, and
 * Maglev where a newer Node has it on), and `stats` turns TurboFan back on for its pass over
 * every attempt, which does pay for it (100,000 iterations).
 *
 * `v8.setFlagsFromString` is how Node lets a program set V8 flags; `--max-opt` is read each
 * time V8 decides to tier a function up, so it takes effect at once. Only the CLI calls
 * `baselineTiers` (tests and library use keep V8's defaults).
 */
import { setFlagsFromString } from 'node:v8';

/** Every tier below TurboFan (Ignition, Sparkplug, Maglev), from here on. */
export function baselineTiers(): void {
  setFlagsFromString('--max-opt=2');
}

/** V8's default: every tier. */
export function allTiers(): void {
  setFlagsFromString('--max-opt=999');
}

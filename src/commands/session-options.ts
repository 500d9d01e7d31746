/** Flags shared by `drill` and `warmup`, and the run of a session with its summary. */
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { runSession, SessionPlan } from '../runner.js';
import type { ScoresStore } from '../store/index.js';
import { seededRandom } from '../session/engine.js';
import type { Bank, Difficulty, Question, ScoresFile, TopicInfo } from '../types.js';
import type { DrillUI } from '../ui/index.js';

export interface SessionFlags {
  count?: number;
  due?: boolean;
  weak?: boolean;
  new?: boolean;
  difficulty?: Difficulty;
  tag?: string[];
  /** false with `--no-pager`. */
  pager?: boolean;
  /** `--id`: only these questions (a follow-up id stands for its question). */
  id?: string[];
  timed?: number | true;
  type?: boolean;
  order: 'smart' | 'random' | 'file';
  seed?: number;
}

/** What every session command derives from its flags, once: the count and the one seed. */
export interface SessionOptions {
  /** Questions to ask (`--count`, else the command's default). */
  count: number;
  /** `--seed`, else a random one: it drives the selection and the order of choices alike. */
  seed: number;
  /** The seeded generator for the selection. */
  random: () => number;
  timed: SessionPlan['timed'];
  type: boolean;
  pager: boolean;
}

/** The one route from a session command's flags to its options (drill, warmup, today, interview). */
export function sessionOptions(flags: Partial<SessionFlags>, defaults: { count: number }): SessionOptions {
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
  return {
    count: flags.count ?? defaults.count,
    seed,
    random: seededRandom(seed),
    timed: flags.timed === undefined ? undefined : flags.timed === true ? 'question' : flags.timed,
    type: flags.type === true,
    pager: flags.pager !== false,
  };
}

/** The plan of a session from its options and what was selected. */
export function sessionPlan(mode: SessionPlan['mode'], topics: readonly TopicInfo[], questions: Question[], options: SessionOptions): SessionPlan {
  const { count: limit, timed, type, seed, pager } = options;
  return { mode, topics: topics.map((t) => t.name), questions, limit, timed, type, seed, pager };
}

export async function createUI(ctx: Context): Promise<DrillUI> {
  const { createTerminalUI } = await import('../ui/index.js');
  return createTerminalUI({ color: ctx.opts.color });
}

/**
 * Runs the session and prints the summary. After Ctrl-C the caller prints what else it shows,
 * then calls endSession(), which throws: only cli.ts turns errors into exit codes.
 */
export async function runAndSummarize(
  ctx: Context,
  ui: DrillUI,
  bank: Bank,
  store: ScoresStore,
  scores: ScoresFile,
  plan: SessionPlan,
): Promise<Awaited<ReturnType<typeof runSession>>> {
  // Loaded here, not at the top: `reset` shares this module and never runs a session.
  const { runSession, summarize } = await import('../runner.js');
  const outcome = await runSession(ctx, ui, store, scores, plan);
  ctx.out(summarize(ctx, bank, outcome));
  return outcome;
}

/** A session cut by Ctrl-C ends the command with exit 130 (InterruptedError), after its output. */
export function endSession(outcome: { interrupted: boolean }): void {
  if (outcome.interrupted) throw new InterruptedError();
}

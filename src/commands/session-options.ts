/** Flags shared by `drill` and `warmup`, and the run of a session with its summary. */
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { runSession, SessionPlan } from '../runner.js';
import type { ScoresStore } from '../store/index.js';
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

function timedOption(flags: SessionFlags): SessionPlan['timed'] {
  if (flags.timed === undefined) return undefined;
  return flags.timed === true ? 'question' : flags.timed;
}

/** The plan of a session from the command's flags and what was selected. */
export function sessionPlan(
  mode: SessionPlan['mode'],
  topics: readonly TopicInfo[],
  questions: Question[],
  limit: number,
  flags: SessionFlags,
): SessionPlan {
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
  return { mode, topics: topics.map((t) => t.name), questions, limit, timed: timedOption(flags), type: flags.type === true, seed, pager: flags.pager !== false };
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
  const outcome = await runSession(ctx, ui, bank, store, scores, plan);
  ctx.out(summarize(ctx, bank, outcome));
  return outcome;
}

/** A session cut by Ctrl-C ends the command with exit 130 (InterruptedError), after its output. */
export function endSession(outcome: { interrupted: boolean }): void {
  if (outcome.interrupted) throw new InterruptedError();
}

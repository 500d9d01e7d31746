/**
 * A drill or warmup session from a plan: the queue policy (session/policies/queue.ts) run by the
 * one session loop (session/loop.ts). Kept as the entry the commands and the flow tests use.
 */
import type { Context } from './context.js';
import { runLoop, type SessionOutcome } from './session/loop.js';
import { QueuePolicy, type QueuePlan } from './session/policies/queue.js';
import type { ScoresStore } from './store/index.js';
import type { ScoresFile } from './types.js';
import type { DrillUI } from './ui/index.js';

export type { AnswerResult, SessionOutcome } from './session/loop.js';
export { formatDuration, summarize } from './session/summary.js';

export interface SessionPlan extends QueuePlan {
  /** `--type`: type the answer before the reveal. */
  type: boolean;
  /** Seed of the choice order (`--seed`); a fixed default keeps tests reproducible. */
  seed?: number;
  /** Page long answers (off with --no-pager). */
  pager?: boolean;
}

export function runSession(ctx: Context, ui: DrillUI, store: ScoresStore, initial: ScoresFile, plan: SessionPlan): Promise<SessionOutcome> {
  return runLoop(ctx, ui, store, initial, new QueuePolicy(plan), { type: plan.type, seed: plan.seed ?? 0, pager: plan.pager === true });
}

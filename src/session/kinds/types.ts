/** What every question kind's asker gets and returns (open.ts, choice.ts). */
import type { Context } from '../../context.js';
import type { Question } from '../../types.js';
import type { Clock, DrillUI } from '../../ui/index.js';
import type { Grade } from '../engine.js';

export interface AskContext {
  ctx: Context;
  ui: DrillUI;
  /** Markdown → terminal text at the session's width. */
  md(text: string): Promise<string>;
  /** Runs a prompt unless the session was interrupted between prompts. */
  prompt<T>(show: () => Promise<T>): Promise<T>;
  /** `--type`: type the answer before the reveal. */
  type: boolean;
  /** A random source for this question (seeded: the same seed shows the same order). */
  random: () => number;
  /** Shows a long text through the pager; false when it did not (short, or no pager). */
  page: (text: string) => boolean;
}

export type Asked =
  | { status: 'answered'; grade: Grade; overtime: boolean; typed?: string }
  | { status: 'skip' }
  | { status: 'quit' };

export type AskKind = (io: AskContext, question: Question, clock: Clock | undefined, startedAt: number) => Promise<Asked>;

/** True when a clock ran out between `startedAt` and now. */
export const pastClock = (clock: Clock | undefined, startedAt: number): boolean =>
  clock !== undefined && Date.now() - startedAt > clock.limitSec * 1000;

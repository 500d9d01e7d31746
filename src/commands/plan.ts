/**
 * `django-drill plan --date <day> [--daily MIN] [topics...]`: a study plan toward the interview
 * day; `--show`, `--clear`, `--json`. The schedule is worked out again from the history at every
 * run (plan/schedule.ts), so a missed day re-spreads what is left.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { parsePlanDate } from '../plan/dates.js';
import { PlanStore, PLAN_VERSION, type Plan } from '../plan/store.js';
import { planJson, planText, planView, type PlanView } from '../plan/view.js';
import { terminalSafeJson } from '../render/sanitize.js';
import type { Bank, ScoresFile } from '../types.js';
import { loadBankWithWarnings } from './common.js';
import { interviewTopics } from './interview.js';

export interface PlanFlags {
  date?: string;
  daily?: number;
  show?: boolean;
  clear?: boolean;
  yes?: boolean;
}

export const DAILY = { min: 5, max: 240, default: 20 } as const;

export function planStore(ctx: Context): PlanStore {
  return new PlanStore(ctx.opts.home, ctx.warn, ctx.now);
}

/** The plan and its view, or undefined without a plan. */
export async function currentPlan(ctx: Context, bank: Bank, scores: ScoresFile): Promise<PlanView | undefined> {
  const plan = await planStore(ctx).read();
  return plan ? planView(plan, bank, scores, ctx.now()) : undefined;
}

export const NO_PLAN_HINT = 'Make one with: django-drill plan --date YYYY-MM-DD [--daily 20] (or --date "in 2w")';

async function clearPlan(ctx: Context, flags: PlanFlags): Promise<void> {
  const store = planStore(ctx);
  if (!(await store.read())) {
    ctx.out('No study plan to clear.');
    return;
  }
  if (!flags.yes) {
    if (!ctx.stdinIsTTY || !ctx.stdoutIsTTY) throw new UsageError('plan --clear needs a confirmation.', 'Add --yes to clear it without asking.');
    const { createTerminalUI } = await import('../ui/index.js');
    const ok = await createTerminalUI({ color: ctx.opts.color }).confirm('Clear the study plan? (your scores stay)', false);
    if (!ok) {
      ctx.out('Kept the plan.');
      return;
    }
  }
  await store.clear();
  ctx.out('Study plan cleared. Your scores are untouched.');
}

export async function planCommand(ctx: Context, topicNames: string[], flags: PlanFlags): Promise<void> {
  if (flags.clear) return clearPlan(ctx, flags);
  const { bank } = await loadBankWithWarnings(ctx);
  const scores = await ctx.readScores();
  const store = planStore(ctx);
  let plan: Plan | undefined;
  if (flags.date !== undefined) {
    const daily = flags.daily ?? DAILY.default;
    if (!Number.isInteger(daily) || daily < DAILY.min || daily > DAILY.max) {
      throw new UsageError(`--daily must be a whole number of minutes from ${DAILY.min} to ${DAILY.max} (got ${daily}).`, 'For example: --daily 20');
    }
    const topics = interviewTopics(bank, topicNames).map((t) => t.name);
    plan = { version: PLAN_VERSION, date: parsePlanDate(flags.date, ctx.now()), dailyMinutes: daily, topics, createdAt: ctx.now().toISOString() };
    await store.write(plan);
  } else {
    if (flags.daily !== undefined || topicNames.length > 0) throw new UsageError('--daily and topics go with --date.', 'For example: django-drill plan --date 2026-12-14 --daily 30 orm views');
    plan = await store.read();
    if (!plan) throw new UsageError('No study plan yet.', NO_PLAN_HINT);
  }
  const view = planView(plan, bank, scores, ctx.now());
  if (ctx.opts.json) {
    ctx.out(terminalSafeJson(planJson(view)));
    return;
  }
  if (flags.date !== undefined) ctx.out(`Saved the plan to ${store.path}.\n`);
  ctx.out(planText(view, ctx.columns));
}

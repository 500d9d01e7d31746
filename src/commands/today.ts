/** `django-drill today`: today's share of the study plan as a drill session, then the new forecast. */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { targetTime, todayOrder } from '../plan/schedule.js';
import { countdown, forecastTable, missedNote, planView } from '../plan/view.js';
import { loadBankWithWarnings, requireTerminal } from './common.js';
import { currentPlan, NO_PLAN_HINT } from './plan.js';
import { createUI, endSession, runAndSummarize, sessionOptions, sessionPlan, type SessionFlags } from './session-options.js';

export async function todayCommand(ctx: Context, flags: Pick<SessionFlags, 'type' | 'seed' | 'pager'>): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx);
  const store = await ctx.store();
  const scores = await store.read();
  const view = await currentPlan(ctx, bank, scores);
  if (!view) throw new UsageError('No study plan yet: today runs the day\'s share of a plan.', NO_PLAN_HINT);
  requireTerminal(ctx, 'today');
  const note = missedNote(view);
  if (note) ctx.out(chalk.yellow(note));
  const day = view.schedule.days[0];
  const questions = day ? todayOrder(day.questions, view.state, ctx.now(), targetTime(view.plan.date, ctx.now())) : [];
  if (questions.length === 0) {
    ctx.out(`Nothing planned for today: the plan's questions are as ready as today's work can make them. ${countdown(view)}`);
    ctx.out(`\n${chalk.bold('Forecast on the interview day')}\n${forecastTable(view, ctx.columns)}`);
    return;
  }
  const minutes = Math.round((day?.seconds ?? 0) / 60);
  ctx.out(chalk.bold(`Today's share: ${questions.length} question${questions.length === 1 ? '' : 's'}, about ${minutes} min (due first, then weak, then new).`));
  const ui = await createUI(ctx);
  const topics = bank.topics.filter((t) => view.plan.topics.includes(t.name));
  const outcome = await runAndSummarize(ctx, ui, bank, store, scores, sessionPlan('today', topics, questions, sessionOptions(flags, { count: questions.length })));
  const after = planView(view.plan, bank, outcome.after, ctx.now());
  ctx.out(`\n${chalk.bold('Forecast on the interview day')}\n${forecastTable(after, ctx.columns)}`);
  ctx.out(`\n${chalk.bold(countdown(after))}`);
  endSession(outcome);
}

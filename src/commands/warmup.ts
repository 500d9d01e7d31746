/** `django-drill warmup`: a short mixed round before an interview, then readiness per topic. */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { questionsOf, resolveTopics } from '../questions/bank.js';
import { bar, percent, readinessLabel, table, wrapText } from '../render/format.js';
import { filterQuestions, selectQuestions, selectWarmup } from '../session/engine.js';
import { questionProgress, topicProgress, type QuestionProgress, type TopicProgress } from '../session/progress.js';
import type { Bank, ScoresFile, TopicInfo } from '../types.js';
import { targetTime, todayOrder } from '../plan/schedule.js';
import { countdown, forecastTable, planView } from '../plan/view.js';
import { checkTags, loadBankWithWarnings, requireTerminal } from './common.js';
import { currentPlan } from './plan.js';
import { createUI, endSession, runAndSummarize, sessionOptions, sessionPlan, type SessionFlags } from './session-options.js';

export async function warmupCommand(ctx: Context, flags: SessionFlags & { topic?: string[] }): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx);
  const topics = resolveTopics(bank, flags.topic ?? []);
  requireTerminal(ctx, 'warmup');
  const store = await ctx.store();
  const scores = await store.read();
  const progress = questionProgress(bank, scores, ctx.now());
  const options = sessionOptions(flags, { count: 5 });
  const { count } = options;
  const pool = questionsOf(bank, topics);
  checkTags(pool, flags.tag);
  const filters = { due: flags.due, new: flags.new, difficulty: flags.difficulty, tags: flags.tag };
  const plan = await currentPlan(ctx, bank, scores);
  // On the interview day, the warmup is the day's share of the plan.
  const share = plan && plan.schedule.daysLeft === 0 && flags.count === undefined ? (plan.schedule.days[0]?.questions ?? []) : undefined;
  const selected =
    share && share.length > 0
      ? todayOrder(share, plan?.state ?? new Map(), ctx.now(), targetTime(plan?.plan.date ?? '', ctx.now()))
      : flags.order === 'smart' && !flags.weak
        ? selectWarmup(filterQuestions(pool, progress, filters), progress, count, ctx.now())
        : selectQuestions(pool, progress, { ...filters, count, weak: flags.weak, order: flags.order }, options.random);
  if (selected.length === 0) {
    ctx.out('Nothing to warm up with these filters.');
    return;
  }
  const ui = await createUI(ctx);
  const what = share && share.length > 0 ? "today's share of your plan (interview day)" : 'due and weakest first';
  ctx.out(chalk.bold(`Warmup: ${selected.length} question${selected.length === 1 ? '' : 's'}, ${what}.`));
  const outcome = await runAndSummarize(ctx, ui, bank, store, scores, sessionPlan('warmup', topics, selected, options));
  ctx.out(readinessReport(ctx, bank, outcome.after, topics));
  if (plan) {
    const after = planView(plan.plan, bank, outcome.after, ctx.now());
    ctx.out(`\n${chalk.bold(countdown(after))} Forecast on the day:\n${forecastTable(after, ctx.columns)}`);
  }
  endSession(outcome);
}

/** The readiness table and one line on what to review last. */
export function readinessReport(ctx: Context, bank: Bank, scores: ScoresFile, topics: readonly TopicInfo[]): string {
  const progress = questionProgress(bank, scores, ctx.now());
  const names = new Set(topics.map((t) => t.name));
  const rows: TopicProgress[] = topicProgress(bank, progress).filter((t) => names.has(t.topic.name));
  const lines = ['', chalk.bold('Readiness')];
  lines.push(
    table(
      rows.map((t) => [t.topic.name, bar(t.mastery, 12), percent(t.mastery), String(t.due), readinessLabel(t.readiness)]),
      { head: ['topic', 'mastery', '', 'due', 'readiness'], align: ['left', 'left', 'right', 'right', 'left'], width: Math.min(ctx.columns, 80) },
    ),
  );
  // Wrapped at word boundaries: the terminal would cut an id in two.
  const advice = closingAdvice(rows, progress);
  if (advice) {
    const [first = '', ...rest] = wrapText(advice, Math.max(30, Math.min(ctx.columns, 100)));
    lines.push(first.replace(/^Review last:/, chalk.bold('Review last:')), ...rest);
  }
  return lines.join('\n');
}

/**
 * The truly weakest topic (lowest mastery; unseen topics are at 0 and count), and the question
 * with the worst latest answer that was actually missed (score below 100 %), if any.
 */
export function closingAdvice(rows: readonly TopicProgress[], progress: Map<string, QuestionProgress>): string {
  const weakest = [...rows].sort((a, b) => a.mastery - b.mastery || a.seen - b.seen || b.due - a.due)[0];
  if (!weakest) return '';
  const names = new Set(rows.map((t) => t.topic.name));
  const missed = [...progress.values()]
    .filter((p) => names.has(p.question.topic) && p.attempts > 0 && (p.lastScore ?? 1) < 1)
    .sort((a, b) => (a.lastScore ?? 0) - (b.lastScore ?? 0) || a.mastery - b.mastery || (b.lastMs ?? 0) - (a.lastMs ?? 0))[0];
  const topic = `${weakest.topic.name} is your weakest topic (${percent(weakest.mastery)}${weakest.seen === 0 ? ', not practised yet' : ''}): django-drill drill ${weakest.topic.name}`;
  const reread = missed
    ? `; reread "${missed.question.title}", last answered at ${percent(missed.lastScore ?? 0)} (django-drill show ${missed.question.id})`
    : '';
  return `Review last: ${topic}${reread}.`;
}

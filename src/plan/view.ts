/** The plan as the commands show it: schedule and forecast from the bank and history, and their text. */
import chalk from 'chalk';
import { bar, percent, readinessLabel, table } from '../render/format.js';
import { lastAttempts } from '../session/history.js';
import type { Bank, Question, ScoresFile } from '../types.js';
import { addDays, daysBetween, localDay } from './dates.js';
import { buildSchedule, paceOf, type PlanState, type Schedule } from './schedule.js';
import type { Plan } from './store.js';

export interface PlanView {
  plan: Plan;
  schedule: Schedule;
  state: Map<string, PlanState>;
  /** Days since the plan was made (today excluded) without a single answer. */
  missed: number;
  questions: Question[];
}

/** How many of the latest answers set the user's pace. */
const PACE_SAMPLE = 30;

export function planView(plan: Plan, bank: Bank, scores: ScoresFile, now: Date): PlanView {
  const topics = new Set(plan.topics);
  const questions = bank.questions.filter((q) => topics.has(q.topic));
  const last = lastAttempts(scores.attempts);
  const state = new Map<string, PlanState>();
  for (const q of questions) {
    const card = Object.hasOwn(scores.cards, q.id) ? scores.cards[q.id] : undefined;
    state.set(q.id, { ...(card ? { card } : {}), lastScore: last[q.id]?.score ?? Number.NaN });
  }
  const timeOf = new Map(bank.questions.map((q) => [q.id, q.time ?? 120]));
  const samples = scores.attempts
    .slice(-PACE_SAMPLE)
    .map((a) => ({ durationMs: a.durationMs, timeSec: timeOf.get(a.questionId) ?? 0 }));
  const schedule = buildSchedule({ questions, state, now, date: plan.date, dailyMinutes: plan.dailyMinutes, pace: paceOf(samples) });
  const active = new Set(scores.attempts.map((a) => localDay(new Date(a.at))));
  const today = localDay(now);
  const from = localDay(new Date(plan.createdAt));
  let missed = 0;
  for (let d = from; daysBetween(d, today) > 0; d = addDays(d, 1)) if (!active.has(d)) missed += 1;
  return { plan, schedule, state, missed, questions };
}

export function countdown(view: PlanView): string {
  const n = view.schedule.daysLeft;
  if (n === 0) return `Interview today (${view.plan.date}).`;
  return `${n} day${n === 1 ? '' : 's'} left until the interview on ${view.plan.date}.`;
}

/** The forecast per topic: if the plan is followed, if nothing more is done. */
export function forecastTable(view: PlanView, columns: number): string {
  return table(
    view.schedule.forecast.map((f) => [f.topic, bar(f.followed, 10), percent(f.followed), percent(f.nothing), readinessLabel(f.readiness)]),
    { head: ['topic', 'on the day', '', 'if idle', 'readiness'], align: ['left', 'left', 'right', 'right', 'left'], width: Math.min(columns, 80) },
  );
}

const minutes = (sec: number) => Math.max(0, Math.round(sec / 60));

/** Counts per topic and expected minutes of each day. */
export function daysTable(view: PlanView, columns: number): string {
  const rows = view.schedule.days.map((d) => {
    const perTopic = new Map<string, number>();
    for (const q of d.questions) perTopic.set(q.topic, (perTopic.get(q.topic) ?? 0) + 1);
    const what = [...perTopic].sort((a, b) => a[0].localeCompare(b[0])).map(([t, n]) => `${t} ${n}`).join(', ') || chalk.dim('rest');
    const label = d.index === 0 ? `${d.day} (today)` : d.day === view.plan.date ? `${d.day} (interview)` : d.day;
    return [label, String(d.questions.length), `${minutes(d.seconds)} min`, what];
  });
  return table(rows, { head: ['day', 'questions', 'time', 'topics'], align: ['left', 'right', 'right', 'left'], width: Math.min(columns, 100) });
}

export function missedNote(view: PlanView): string | undefined {
  if (view.missed === 0) return undefined;
  const left = view.schedule.daysLeft + 1;
  return `You missed ${view.missed} day${view.missed === 1 ? '' : 's'} of the plan: the remaining work is spread over the ${left} day${left === 1 ? '' : 's'} left (today included).`;
}

/** The plan as printed by `plan` and `plan --show`. */
export function planText(view: PlanView, columns: number): string {
  const { plan } = view;
  const lines = [
    chalk.bold(countdown(view)),
    chalk.dim(`${plan.dailyMinutes} min a day · topics: ${plan.topics.join(', ')}`),
  ];
  const note = missedNote(view);
  if (note) lines.push(chalk.yellow(note));
  lines.push('', chalk.bold('Forecast on the interview day'), forecastTable(view, columns));
  lines.push('', chalk.bold('Each day'), daysTable(view, columns));
  lines.push('', chalk.dim("Today's share: django-drill today"));
  return lines.join('\n');
}

/** The plan as `plan --json` prints it. */
export function planJson(view: PlanView): unknown {
  return {
    version: 1,
    plan: view.plan,
    daysLeft: view.schedule.daysLeft,
    missedDays: view.missed,
    forecast: view.schedule.forecast.map((f) => ({ topic: f.topic, followed: round(f.followed), idle: round(f.nothing), readiness: f.readiness })),
    days: view.schedule.days.map((d) => ({ day: d.day, minutes: minutes(d.seconds), questions: d.questions.map((q) => q.id) })),
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The study plan toward an interview day (README "Interview date"): which questions to answer
 * on which day, and the readiness forecast on the day. Pure: cards, scores, clock in; days out.
 *
 * The algorithm, greedy and small:
 * 1. The forecast of a question is its mastery on the interview day: FSRS retrievability at noon
 *    of that day × the credit of its latest answer (the same formula as mastery, srs/curve.ts,
 *    with the interview day as the horizon).
 * 2. Each day, from today to the interview day, every question not yet planned that day gets
 *    a gain: its forecast after one more review that day minus its forecast now. A planned
 *    review is assumed to score 80 % the first time, then 10 points above the latest score (at
 *    least 80 %), up to 100 %: practice helps.
 * 3. The day takes the questions with the best gain per minute (its expected minutes: the
 *    question's `time`, scaled by the user's own pace when enough answers are recorded) until
 *    the daily minutes are used; their simulated cards carry over to the next days.
 * Limits: it plans for the forecast, not for long-term memory; it assumes the planned answers go
 * well (a failed one is re-planned the next day, since the schedule is recomputed from the
 * history every time); and a day never goes over its minutes, so a short daily budget may leave
 * topics unready.
 */
import { answerCredit, readiness, retrievabilityAt, roundedStability, type Readiness } from '../srs/curve.js';
import { review, ratingFor } from '../srs/index.js';
import type { Question, StoredCard } from '../types.js';
import { addDays, dayStart, daysBetween, localDay } from './dates.js';

export const DEFAULT_SECONDS = 120;
/** Score a first planned review is assumed to reach; each later one adds STEP. */
export const ASSUMED_SCORE = 0.8;
export const ASSUMED_STEP = 0.1;
/** Answers needed before the user's own pace replaces the questions' `time`. */
export const PACE_MIN_ANSWERS = 10;

export interface PlanState {
  card?: StoredCard;
  /** Score of the latest answer, NaN when never answered. */
  lastScore: number;
}

export interface ScheduleInput {
  /** The questions of the plan's topics. */
  questions: readonly Question[];
  state: ReadonlyMap<string, PlanState>;
  now: Date;
  /** The interview day, `YYYY-MM-DD` (local). */
  date: string;
  dailyMinutes: number;
  /** Seconds a question takes ÷ its `time` (1 when unknown): see paceOf. */
  pace: number;
}

export interface PlanDay {
  day: string;
  /** 0 = today. */
  index: number;
  questions: Question[];
  seconds: number;
}

export interface TopicForecast {
  topic: string;
  /** Mean mastery on the interview day if the plan is followed, 0..1. */
  followed: number;
  /** ... if nothing more is done. */
  nothing: number;
  readiness: Readiness;
}

export interface Schedule {
  daysLeft: number;
  days: PlanDay[];
  forecast: TopicForecast[];
}

const HOUR = 3_600_000;

/** Noon of the interview day, or now when that has passed. */
export function targetTime(date: string, now: Date): number {
  return Math.max(dayStart(date).getTime() + 12 * HOUR, now.getTime());
}

/** Mastery of one question on the interview day (at `target`). */
export function masteryOn(state: PlanState | undefined, target: number): number {
  const card = state?.card;
  if (!card) return 0;
  const credit = answerCredit(state.lastScore);
  if (credit === 0) return 0;
  const last = card.last_review === undefined ? Number.NaN : Date.parse(card.last_review);
  return retrievabilityAt(card.state, roundedStability(card.stability), last, target) * credit;
}

/** The user's pace: median of (seconds taken ÷ the question's `time`) over recent answers. */
export function paceOf(samples: readonly { durationMs: number; timeSec: number }[]): number {
  const ratios = samples.filter((s) => s.durationMs > 0 && s.timeSec > 0).map((s) => s.durationMs / 1000 / s.timeSec);
  if (ratios.length < PACE_MIN_ANSWERS) return 1;
  ratios.sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 === 1 ? (ratios[mid] as number) : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
  return Math.min(3, Math.max(0.25, median));
}

const costOf = (q: Question, pace: number) => Math.max(15, Math.round((q.time ?? DEFAULT_SECONDS) * pace));

/** The state after one planned review at `at`. */
function afterReview(state: PlanState | undefined, at: Date): PlanState {
  const seen = state !== undefined && Number.isFinite(state.lastScore);
  const expected = seen ? Math.min(1, Math.round((Math.max(state.lastScore, ASSUMED_SCORE) + ASSUMED_STEP) * 100) / 100) : ASSUMED_SCORE;
  return { card: review(state?.card, ratingFor(expected), at), lastScore: expected };
}

function topicMeans(questions: readonly Question[], value: (q: Question) => number): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const q of questions) {
    const t = sums.get(q.topic) ?? { sum: 0, n: 0 };
    t.sum += value(q);
    t.n += 1;
    sums.set(q.topic, t);
  }
  return new Map([...sums].map(([topic, t]) => [topic, t.n === 0 ? 0 : t.sum / t.n]));
}

export function buildSchedule(input: ScheduleInput): Schedule {
  const { questions, now } = input;
  const today = localDay(now);
  const daysLeft = Math.max(0, daysBetween(today, input.date));
  const target = targetTime(input.date, now);
  const sim = new Map<string, PlanState | undefined>(questions.map((q) => [q.id, input.state.get(q.id)]));
  const days: PlanDay[] = [];
  const capacity = Math.max(0, input.dailyMinutes * 60);
  for (let index = 0; index <= daysLeft; index++) {
    // A day's reviews happen at this time of day, and before the interview itself.
    const at = new Date(Math.min(now.getTime() + index * 24 * HOUR, target - HOUR));
    const when = at.getTime() < now.getTime() ? now : at;
    const ranked = questions
      .map((q) => {
        const before = sim.get(q.id);
        const after = afterReview(before, when);
        const gain = masteryOn(after, target) - masteryOn(before, target);
        const cost = costOf(q, input.pace);
        return { q, after, gain, cost };
      })
      .filter((x) => x.gain > 1e-6)
      .sort((a, b) => b.gain / b.cost - a.gain / a.cost);
    const picked: Question[] = [];
    let used = 0;
    for (const x of ranked) {
      if (used + x.cost > capacity) continue;
      used += x.cost;
      picked.push(x.q);
      sim.set(x.q.id, x.after);
    }
    days.push({ day: addDays(today, index), index, questions: picked, seconds: used });
  }
  const followed = topicMeans(questions, (q) => masteryOn(sim.get(q.id), target));
  const nothing = topicMeans(questions, (q) => masteryOn(input.state.get(q.id), target));
  const forecast = [...followed].map(([topic, f]) => ({ topic, followed: f, nothing: nothing.get(topic) ?? 0, readiness: readiness(f, 0) }));
  return { daysLeft, days, forecast };
}

/**
 * Today's questions in the order `today` asks them: due reviews first (most overdue first), then
 * the weakest seen ones, then new ones.
 */
export function todayOrder(questions: readonly Question[], state: ReadonlyMap<string, PlanState>, now: Date, target: number): Question[] {
  const rank = (q: Question) => {
    const s = state.get(q.id);
    if (!s?.card) return 2;
    return Date.parse(s.card.due) <= now.getTime() ? 0 : 1;
  };
  return questions
    .map((q, i) => ({ q, i, r: rank(q), m: masteryOn(state.get(q.id), target), due: state.get(q.id)?.card?.due ?? '' }))
    .sort((a, b) => a.r - b.r || (a.r === 0 ? a.due.localeCompare(b.due) : 0) || (a.r === 1 ? a.m - b.m : 0) || a.i - b.i)
    .map((x) => x.q);
}

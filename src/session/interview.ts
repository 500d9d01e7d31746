/**
 * The mock interview's decisions, as pure functions (README "Mock interview"): which questions
 * at which level, which follow-up comes after an answer, and the overall signal of the
 * scorecard. The clock and the random source are passed in.
 */
import { answeredFollowUps, followUpSeconds } from '../questions/follow-ups.js';
import { DIFFICULTIES, type Difficulty, type Question } from '../types.js';
import { shuffle } from './engine.js';
import type { QuestionProgress } from './progress.js';

export const LEVELS = DIFFICULTIES;
export type Level = Difficulty;

/**
 * Share of each difficulty at each level. A senior interview also has mid questions; a junior
 * one never has senior ones.
 */
export const LEVEL_MIX: Record<Level, Partial<Record<Difficulty, number>>> = {
  junior: { junior: 0.7, mid: 0.3 },
  mid: { junior: 0.2, mid: 0.6, senior: 0.2 },
  senior: { mid: 0.4, senior: 0.6 },
};

/** The topics a Django role is hired for: the interview's default, where the bank has them. */
export const INTERVIEW_TOPICS = ['orm', 'models', 'requests', 'views', 'transactions', 'security', 'testing', 'caching'] as const;

export const MINUTES = { min: 10, max: 90, default: 30 } as const;

const DEFAULT_SECONDS = 120;

/** Seconds a question is expected to take: its `time`, plus one follow-up when it has them. */
export function slotSeconds(question: Question): number {
  const own = question.time ?? DEFAULT_SECONDS;
  return own + (answeredFollowUps(question).length > 0 ? followUpSeconds(question) : 0);
}

/**
 * The interview's questions. Topics take turns, the weakest first (mean mastery, unseen
 * questions at 0); each turn takes that topic's weakest question (unseen ones count as 0; ties
 * broken by `random`) of the difficulty the level's mix is most short of. Questions are added
 * until their expected time fills `minutes`, then put in order of difficulty, as an interviewer
 * warms up before the hard questions.
 */
export function pickInterview(
  questions: readonly Question[],
  progress: ReadonlyMap<string, QuestionProgress>,
  level: Level,
  minutes: number,
  random: () => number,
): Question[] {
  const mix = LEVEL_MIX[level];
  const allowed = new Set(Object.keys(mix) as Difficulty[]);
  const masteryOf = (q: Question) => progress.get(q.id)?.mastery ?? 0;
  const byTopic = new Map<string, Question[]>();
  const topicSum = new Map<string, { sum: number; n: number }>();
  for (const q of shuffle(questions, random)) {
    const t = topicSum.get(q.topic) ?? { sum: 0, n: 0 };
    t.sum += masteryOf(q);
    t.n += 1;
    topicSum.set(q.topic, t);
    if (!allowed.has(q.difficulty)) continue;
    const list = byTopic.get(q.topic) ?? [];
    list.push(q);
    byTopic.set(q.topic, list);
  }
  // Stable sorts after the shuffle: ties stay in the seeded random order.
  for (const list of byTopic.values()) list.sort((a, b) => masteryOf(a) - masteryOf(b));
  const meanOf = (topic: string) => {
    const t = topicSum.get(topic);
    return t && t.n > 0 ? t.sum / t.n : 0;
  };
  const topics = [...byTopic.keys()].sort((a, b) => meanOf(a) - meanOf(b));

  const picked: Question[] = [];
  const counts = new Map<Difficulty, number>();
  const wanted = (): Difficulty =>
    [...allowed].sort((a, b) => deficit(b) - deficit(a) || DIFFICULTIES.indexOf(a) - DIFFICULTIES.indexOf(b))[0] as Difficulty;
  const deficit = (d: Difficulty) => (mix[d] ?? 0) * (picked.length + 1) - (counts.get(d) ?? 0);
  const budget = minutes * 60;
  let used = 0;
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const topic of topics) {
      const list = byTopic.get(topic) ?? [];
      if (list.length === 0) continue;
      const want = wanted();
      const at = Math.max(0, list.findIndex((q) => q.difficulty === want));
      const q = list[at] as Question;
      const cost = slotSeconds(q);
      if (picked.length > 0 && used + cost > budget) return byDifficulty(picked);
      list.splice(at, 1);
      picked.push(q);
      counts.set(q.difficulty, (counts.get(q.difficulty) ?? 0) + 1);
      used += cost;
      progressed = true;
    }
  }
  return byDifficulty(picked);
}

const byDifficulty = (questions: Question[]): Question[] =>
  questions
    .map((q, i) => ({ q, i }))
    .sort((a, b) => DIFFICULTIES.indexOf(a.q.difficulty) - DIFFICULTIES.indexOf(b.q.difficulty) || a.i - b.i)
    .map((x) => x.q);

/** The chaining rule's thresholds: the same as the rating rule's hard/good boundaries. */
export const MOVE_ON_BELOW = 0.34;
export const DEEPER_AT = 0.67;
/** Most follow-ups asked after one question. */
export const MAX_FOLLOW_UPS = 2;

/**
 * The first follow-up after a main answer (follow-ups are written from clarifying to deepest):
 * below 34 % the interviewer moves on (undefined); below 67 % the first, clarifying one; from
 * 67 % the second, deeper one (the first when there is only one).
 */
export function firstFollowUp(score: number, available: number): number | undefined {
  if (available === 0 || score < MOVE_ON_BELOW) return undefined;
  if (score < DEEPER_AT) return 0;
  return Math.min(1, available - 1);
}

/** After follow-up `index` (the `asked`-th of its question) scored `score`: the next one, only when that went well. */
export function nextFollowUp(index: number, score: number, asked: number, available: number): number | undefined {
  if (asked >= MAX_FOLLOW_UPS || score < DEEPER_AT || index + 1 >= available) return undefined;
  return index + 1;
}

export const SIGNALS = ['strong', 'lean yes', 'lean no', 'not yet'] as const;
/** The evidence a yes needs: main answers, and answers in all (main and follow-ups). */
export const MIN_MAIN_FOR_YES = 2;
export const MIN_ANSWERS_FOR_YES = 4;
export type Signal = (typeof SIGNALS)[number];

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** The numbers behind the signal. */
export function compositeScore(main: readonly number[], followUps: readonly number[]): number {
  const s = mean(main);
  return 0.7 * s + 0.3 * (followUps.length > 0 ? mean(followUps) : s);
}

/**
 * The overall signal. composite = 0.7 × mean main-question score + 0.3 × mean follow-up score
 * (the main mean again when no follow-up was asked). strong: composite ≥ 0.8 and no main answer
 * failed (below 34 %); lean yes: ≥ 0.6; lean no: ≥ 0.4; else not yet. With fewer than 2 main
 * answers, or fewer than 4 answers in all (follow-ups count: they are what a short senior
 * interview is made of), there is too little evidence for a yes: the signal is at most lean no.
 */
export function signalOf(main: readonly number[], followUps: readonly number[]): Signal {
  if (main.length === 0) return 'not yet';
  const c = compositeScore(main, followUps);
  const failed = main.some((s) => s < MOVE_ON_BELOW);
  const signal: Signal = c >= 0.8 && !failed ? 'strong' : c >= 0.6 ? 'lean yes' : c >= 0.4 ? 'lean no' : 'not yet';
  const enough = main.length >= MIN_MAIN_FOR_YES && main.length + followUps.length >= MIN_ANSWERS_FOR_YES;
  if (!enough && SIGNALS.indexOf(signal) < SIGNALS.indexOf('lean no')) return 'lean no';
  return signal;
}

/**
 * The drill engine: which questions, in which order, how an answer is graded, when a question is
 * asked again. Plain functions over plain data; the clock and the random source are passed in.
 */
import { FAILED_BELOW } from '../srs/curve.js';
import { ratingFor } from '../srs/index.js';
import { DIFFICULTIES, type Difficulty, type Question, type Rating } from '../types.js';
import type { QuestionProgress } from './progress.js';

export const ORDERS = ['smart', 'random', 'file'] as const;
export type Order = (typeof ORDERS)[number];

export interface Selection {
  count: number;
  /** Only due questions. */
  due?: boolean;
  /** Lowest mastery first. */
  weak?: boolean;
  /** Only questions never answered. */
  new?: boolean;
  difficulty?: Difficulty;
  /** A question matches when it has any of these tags. */
  tags?: readonly string[];
  order: Order;
}

/** mulberry32: small, fast, good enough for shuffling; the same seed gives the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: mixes a question id into a session's seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

const difficultyRank = (q: Question) => DIFFICULTIES.indexOf(q.difficulty);
const dueTime = (p: QuestionProgress | undefined) => (p?.dueMs !== undefined && !Number.isNaN(p.dueMs) ? p.dueMs : Number.POSITIVE_INFINITY);

/** Stable sort that keeps the bank order for ties. */
function sortBy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => compare(a.item, b.item) || a.index - b.index)
    .map((x) => x.item);
}

/** Seen questions, weakest first: lowest mastery, then lowest last score, then the most overdue. */
function weakestFirst(seen: readonly Question[], progress: Map<string, QuestionProgress>): Question[] {
  return sortBy(seen, (a, b) => {
    const pa = progress.get(a.id);
    const pb = progress.get(b.id);
    return (pa?.mastery ?? 0) - (pb?.mastery ?? 0) || (pa?.lastScore ?? 0) - (pb?.lastScore ?? 0) || dueTime(pa) - dueTime(pb);
  });
}

/**
 * Smart order: due (most overdue first), then new by difficulty (junior → senior), then the
 * rest by lowest retrievability.
 */
export function smartOrder(questions: readonly Question[], progress: Map<string, QuestionProgress>): Question[] {
  const due: Question[] = [];
  const fresh: Question[] = [];
  const rest: Question[] = [];
  for (const q of questions) {
    const p = progress.get(q.id);
    if (p?.due) due.push(q);
    else if (!p || p.attempts === 0) fresh.push(q);
    else rest.push(q);
  }
  return [
    ...sortBy(due, (a, b) => dueTime(progress.get(a.id)) - dueTime(progress.get(b.id))),
    ...sortBy(fresh, (a, b) => difficultyRank(a) - difficultyRank(b)),
    ...weakestFirst(rest, progress),
  ];
}

/** Weak order: seen questions by lowest mastery, then the unseen ones by difficulty. */
export function weakOrder(questions: readonly Question[], progress: Map<string, QuestionProgress>): Question[] {
  const seen = questions.filter((q) => (progress.get(q.id)?.attempts ?? 0) > 0);
  const unseen = questions.filter((q) => (progress.get(q.id)?.attempts ?? 0) === 0);
  return [...weakestFirst(seen, progress), ...sortBy(unseen, (a, b) => difficultyRank(a) - difficultyRank(b))];
}

export function filterQuestions(
  questions: readonly Question[],
  progress: Map<string, QuestionProgress>,
  selection: Omit<Selection, 'count' | 'order'>,
): Question[] {
  const tags = selection.tags?.map((t) => t.toLowerCase());
  return questions.filter((q) => {
    const p = progress.get(q.id);
    if (selection.due && !p?.due) return false;
    if (selection.new && (p?.attempts ?? 0) > 0) return false;
    if (selection.difficulty && q.difficulty !== selection.difficulty) return false;
    if (tags && tags.length > 0 && !q.tags.some((t) => tags.includes(t.toLowerCase()))) return false;
    return true;
  });
}

/** The questions of a drill session, in the order they will be asked. */
export function selectQuestions(
  questions: readonly Question[],
  progress: Map<string, QuestionProgress>,
  selection: Selection,
  random: () => number,
): Question[] {
  const pool = filterQuestions(questions, progress, selection);
  let ordered: Question[];
  if (selection.weak) ordered = weakOrder(pool, progress);
  else if (selection.order === 'random') ordered = shuffle(pool, random);
  else if (selection.order === 'file') ordered = pool;
  else ordered = smartOrder(pool, progress);
  return ordered.slice(0, Math.max(0, selection.count));
}

/**
 * Warmup: due first (most overdue), then the weakest seen, then unseen questions taking turns
 * across topics so a short round stays mixed.
 */
/** A question answered less than this long ago is not served by warmup again, unless it failed. */
export const WARMUP_REST_MS = 60 * 60 * 1000;

/**
 * Warmup: due first (most overdue first); then the weakest questions across topics, one topic at
 * a time from the weakest topic (unseen topics count as weak: mastery 0), each topic's missed
 * questions before its unseen ones. A question answered in the last hour is left out unless that
 * answer failed.
 */
export function selectWarmup(
  questions: readonly Question[],
  progress: Map<string, QuestionProgress>,
  count: number,
  now: Date = new Date(),
): Question[] {
  const rested = questions.filter((q) => {
    const p = progress.get(q.id);
    if (p?.lastMs === undefined || (p.lastScore ?? 0) < FAILED_BELOW) return true;
    return now.getTime() - p.lastMs >= WARMUP_REST_MS;
  });
  const due = sortBy(
    rested.filter((q) => progress.get(q.id)?.due),
    (a, b) => dueTime(progress.get(a.id)) - dueTime(progress.get(b.id)),
  );
  const rest = rested.filter((q) => !progress.get(q.id)?.due);
  const topicMastery = new Map<string, { sum: number; n: number }>();
  for (const q of questions) {
    const t = topicMastery.get(q.topic) ?? { sum: 0, n: 0 };
    t.sum += progress.get(q.id)?.mastery ?? 0;
    t.n += 1;
    topicMastery.set(q.topic, t);
  }
  const meanOf = (topic: string) => {
    const t = topicMastery.get(topic);
    return t && t.n > 0 ? t.sum / t.n : 0;
  };
  const byTopic = new Map<string, Question[]>();
  for (const q of weakOrder(rest, progress)) {
    const list = byTopic.get(q.topic);
    if (list) list.push(q);
    else byTopic.set(q.topic, [q]);
  }
  const topics = sortBy([...byTopic.keys()], (a, b) => meanOf(a) - meanOf(b));
  return [...due, ...roundRobin(topics.map((t) => byTopic.get(t) ?? []))].slice(0, Math.max(0, count));
}

function roundRobin(lists: readonly (readonly Question[])[]): Question[] {
  const result: Question[] = [];
  const total = lists.reduce((n, list) => n + list.length, 0);
  for (let i = 0; result.length < total; i++) {
    for (const list of lists) {
      const q = list[i];
      if (q) result.push(q);
    }
  }
  return result;
}

export interface Grade {
  score: number;
  rating: Rating;
  keypointsHit: number[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Open question: score = covered / total key points, rounded to 2 places, then the rating rule. */
export function gradeOpen(question: Question, covered: readonly number[], overtime = false): Grade {
  const total = question.keypoints.length;
  const hit = [...new Set(covered)].filter((i) => Number.isInteger(i) && i >= 0 && i < total).sort((a, b) => a - b);
  const score = total === 0 ? 0 : round2(hit.length / total);
  return { score, rating: ratingFor(score, overtime), keypointsHit: hit };
}

/**
 * Choice question: correct → good, wrong → again. `picked` is the file index of the one choice
 * picked, or the indexes ticked for a "select all that apply" question, which scores only when
 * they are exactly the correct ones (all or nothing: a partial tick is a wrong answer, as in an
 * interview where naming one wrong option undoes the right ones). A clock that ran out picks
 * nothing (-1 or []): no index is recorded (scores.json takes none below 0).
 */
export function gradeChoice(question: Question, picked: number | readonly number[]): Grade {
  const count = question.choices.length;
  const hit = [...new Set(typeof picked === 'number' ? [picked] : picked)].filter((i) => Number.isInteger(i) && i >= 0 && i < count).sort((a, b) => a - b);
  const correct = question.choices.flatMap((c, i) => (c.correct ? [i] : []));
  const right = hit.length > 0 && hit.length === correct.length && hit.every((i, k) => i === correct[k]);
  return { score: right ? 1 : 0, rating: right ? 'good' : 'again', keypointsHit: hit };
}

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from has have in is it its it’s of on or that the their then there these this to use used uses using via was when which with without you your not no into than only one two'.split(' '),
);

/** Lowercased word stems of a text, without stop words and very short words. */
export function words(text: string): Set<string> {
  const result = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^a-z0-9_]+/)) {
    if (raw.length < 3 || STOP_WORDS.has(raw)) continue;
    result.add(raw.length > 4 ? raw.replace(/(?:ing|ed|es|s)$/, '') : raw);
  }
  return result;
}

/**
 * Key points a typed answer mentions: at least half of a key point's distinctive words (and at
 * least one) appear in the answer.
 */
export function preTick(keypoints: readonly string[], typed: string): number[] {
  const answer = words(typed);
  if (answer.size === 0) return [];
  const ticked: number[] = [];
  keypoints.forEach((point, index) => {
    const pointWords = [...words(point)];
    if (pointWords.length === 0) return;
    const found = pointWords.filter((w) => answer.has(w)).length;
    if (found >= Math.max(1, Math.ceil(pointWords.length / 2))) ticked.push(index);
  });
  return ticked;
}

/**
 * The queue of one session. Questions are asked once; a question rated `again` is asked once
 * more at the end when the session still has room (asked + waiting < limit).
 */
export class SessionQueue {
  private readonly queue: Question[];
  private readonly reasked = new Set<string>();
  private presented = 0;

  constructor(
    questions: readonly Question[],
    private readonly limit: number,
  ) {
    this.queue = [...questions];
  }

  next(): Question | undefined {
    const q = this.queue.shift();
    if (q) this.presented += 1;
    return q;
  }

  /** Number of questions presented so far, re-asks included. */
  get asked(): number {
    return this.presented;
  }

  /** Questions still waiting. */
  get remaining(): number {
    return this.queue.length;
  }

  /** Position and total for the header, e.g. [2/10]. */
  get total(): number {
    return this.presented + this.queue.length;
  }

  isReask(question: Question): boolean {
    return this.reasked.has(question.id);
  }

  /** Removes a queued re-ask (the user chose to skip it). */
  drop(question: Question): void {
    const index = this.queue.lastIndexOf(question);
    if (index !== -1) this.queue.splice(index, 1);
  }

  /** Call after grading; queues one re-ask of an `again` answer if there is room. */
  graded(question: Question, rating: Rating): boolean {
    if (rating !== 'again' || this.reasked.has(question.id)) return false;
    if (this.presented + this.queue.length >= this.limit) return false;
    this.reasked.add(question.id);
    this.queue.push(question);
    return true;
  }
}

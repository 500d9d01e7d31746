/**
 * Progress derived from the bank and the history: per question and per topic. Pure: the clock
 * is passed in. Used by list, the picker, warmup and stats.
 */
import { masteryAt, readiness, type Readiness } from '../srs/curve.js';
import { refsOf, type Bank, type Question, type QuestionRefs, type ScoresFile, type TopicInfo } from '../types.js';
import { HistoryColumns, historyColumns } from './history.js';

export interface QuestionProgress {
  question: Question;
  /** Mastery (srs/curve.ts masteryAt), 0 if never seen. */
  mastery: number;
  due: boolean;
  /** When the card is due (epoch ms), undefined if never seen. */
  dueMs?: number;
  attempts: number;
  lastScore?: number;
  /** When it was last answered (epoch ms), undefined if never. */
  lastMs?: number;
}

export interface TopicProgress {
  topic: TopicInfo;
  total: number;
  seen: number;
  due: number;
  /** Mean mastery over the topic's questions (unseen count as 0). */
  mastery: number;
  readiness: Readiness;
}

/** Progress of every question of the bank, in bank order, as columns (no object per question). */
export interface ProgressColumns {
  /** Mastery (srs/curve.ts masteryAt), 0 if never seen. */
  mastery: Float64Array;
  /** 1 when due now. */
  due: Uint8Array;
  /** When the card is due (epoch ms), NaN if never seen. */
  dueMs: Float64Array;
  attempts: Uint32Array;
  /** Score of the latest attempt, NaN if never answered. */
  lastScore: Float64Array;
  /** Time of the card's last review (epoch ms), NaN if never answered. */
  lastMs: Float64Array;
}

/** For each question of the bank, its position in the history's per-id columns (-1: no history). */
export function historyPositions(refs: QuestionRefs, cols: HistoryColumns): Int32Array {
  // Through the bank's own index of ids (built by its check for duplicates): no second map.
  const positions = new Int32Array(refs.ids.length).fill(-1);
  const { ids } = cols;
  for (let i = 0; i < ids.length; i++) {
    const k = refs.indexOf(ids[i] as string);
    if (k >= 0) positions[k] = i;
  }
  return positions;
}

/**
 * Progress of every question of the bank, from the history itself or from its columns (what
 * `list` and `stats` read from the cache). `list` and `stats` on a 10,000-question bank only
 * need totals and a few questions, so nothing here is per-question objects.
 */
export function progressColumns(refs: QuestionRefs, history: ScoresFile | HistoryColumns, now: Date, positions?: Int32Array, horizonMs?: number): ProgressColumns {
  const cols = history instanceof HistoryColumns ? history : historyColumns(history);
  const at = positions ?? historyPositions(refs, cols);
  const nowMs = now.getTime();
  const n = refs.ids.length;
  const out: ProgressColumns = {
    mastery: new Float64Array(n),
    due: new Uint8Array(n),
    dueMs: new Float64Array(n).fill(Number.NaN),
    attempts: new Uint32Array(n),
    lastScore: new Float64Array(n).fill(Number.NaN),
    lastMs: new Float64Array(n).fill(Number.NaN),
  };
  for (let k = 0; k < n; k++) {
    const i = at[k] as number;
    if (i < 0) continue;
    const state = cols.state[i] as number;
    const due = cols.due[i] as number;
    out.mastery[k] = masteryAt(state, cols.stability[i] as number, cols.lastReview[i] as number, cols.lastScore[i] as number, nowMs, horizonMs);
    if (!Number.isNaN(state)) {
      out.lastMs[k] = cols.lastReview[i] as number;
      out.dueMs[k] = due;
      out.due[k] = due <= nowMs ? 1 : 0;
    }
    const attempts = cols.count[i] as number;
    out.attempts[k] = attempts;
    if (attempts > 0) out.lastScore[k] = cols.lastScore[i] as number;
  }
  return out;
}

/** Progress of every question of the bank, by id. */
export function questionProgress(bank: Bank, history: ScoresFile | HistoryColumns, now: Date): Map<string, QuestionProgress> {
  const refs = refsOf(bank);
  const p = progressColumns(refs, history, now);
  const result = new Map<string, QuestionProgress>();
  bank.questions.forEach((question, k) => {
    const progress: QuestionProgress = { question, mastery: p.mastery[k] as number, due: p.due[k] === 1, attempts: p.attempts[k] as number };
    if (!Number.isNaN(p.dueMs[k])) progress.dueMs = p.dueMs[k] as number;
    if (progress.attempts > 0) progress.lastScore = p.lastScore[k] as number;
    if (!Number.isNaN(p.lastMs[k])) progress.lastMs = p.lastMs[k] as number;
    result.set(question.id, progress);
  });
  return result;
}

/** Per-topic totals of progress columns. */
function tally(bank: Bank, topicOf: (k: number) => string, n: number, p: Pick<ProgressColumns, 'mastery' | 'due' | 'attempts'>): TopicProgress[] {
  const sums = new Map<string, { total: number; seen: number; due: number; sum: number }>();
  for (const topic of bank.topics) sums.set(topic.name, { total: 0, seen: 0, due: 0, sum: 0 });
  // Questions come grouped by topic: look a topic up once per run of its questions.
  let name: string | undefined;
  let t: { total: number; seen: number; due: number; sum: number } | undefined;
  for (let k = 0; k < n; k++) {
    const topic = topicOf(k);
    if (topic !== name) {
      name = topic;
      t = sums.get(topic);
    }
    if (!t) continue;
    t.total += 1;
    if ((p.attempts[k] as number) > 0) t.seen += 1;
    t.due += p.due[k] as number;
    t.sum += p.mastery[k] as number;
  }
  return bank.topics.map((topic) => {
    const { total, seen, due, sum } = sums.get(topic.name) ?? { total: 0, seen: 0, due: 0, sum: 0 };
    const m = total === 0 ? 0 : sum / total;
    return { topic, total, seen, due, mastery: m, readiness: readiness(m, due) };
  });
}

export function topicProgress(bank: Bank, progress: Map<string, QuestionProgress>): TopicProgress[] {
  // A question missing from the map counts as unseen.
  const n = bank.questions.length;
  const p = { mastery: new Float64Array(n), due: new Uint8Array(n), attempts: new Uint32Array(n) };
  bank.questions.forEach((q, k) => {
    const qp = progress.get(q.id);
    if (!qp) return;
    p.mastery[k] = qp.mastery;
    p.due[k] = qp.due ? 1 : 0;
    p.attempts[k] = qp.attempts;
  });
  return tally(bank, (k) => (bank.questions[k] as Question).topic, n, p);
}

/** Topic rows straight from progress columns (or from the history), with no per-question objects. */
export function topicProgressOf(bank: Bank, history: ScoresFile | HistoryColumns | ProgressColumns, now: Date): TopicProgress[] {
  const refs = refsOf(bank);
  const p = 'mastery' in history ? history : progressColumns(refs, history, now);
  return tally(bank, (k) => refs.topics[k] as string, refs.ids.length, p);
}

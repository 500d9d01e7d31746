/**
 * The history in columns: what `stats` (and progress) read from every attempt, without the
 * attempt objects. Built in one pass from scores.json, and small enough to cache as JSON (the
 * store keeps it next to the bank cache), so a long history is not parsed whole on every `stats`.
 * Pure: data in, data out.
 */
import type { Attempt, ScoresFile, StoredCard } from '../types.js';

export const HISTORY_COLUMNS_VERSION = 1;

export interface HistoryColumns {
  v: typeof HISTORY_COLUMNS_VERSION;
  cards: Record<string, StoredCard>;
  /** Question ids, referenced by index from `q`. */
  ids: string[];
  /** Topics as recorded on the attempts, referenced by index from `t`. */
  topics: string[];
  /** One entry per attempt, in file order: question, topic, session (an index per distinct
   * session id), time (epoch ms, NaN when unreadable), score and duration. */
  q: number[];
  t: number[];
  s: number[];
  at: number[];
  score: number[];
  dur: number[];
  /** Per question id: attempts, and the score and time of the latest one. */
  last: Record<string, LastAttempt>;
}

export interface LastAttempt {
  count: number;
  score: number;
  at: string;
}

/**
 * Per question id: how many attempts, and the score and time of the latest. A prototype-less
 * object, so an id such as "constructor" is just a key.
 */
export function lastAttempts(attempts: readonly Attempt[]): Record<string, LastAttempt> {
  const last: Record<string, LastAttempt> = Object.create(null) as Record<string, LastAttempt>;
  for (const a of attempts) {
    const entry = last[a.questionId];
    if (!entry) last[a.questionId] = { count: 1, score: a.score, at: a.at };
    else {
      entry.count += 1;
      if (a.at >= entry.at) {
        entry.score = a.score;
        entry.at = a.at;
      }
    }
  }
  return last;
}

export function historyColumns(scores: ScoresFile): HistoryColumns {
  const ids = new Map<string, number>();
  const topics = new Map<string, number>();
  const sessions = new Map<string, number>();
  const index = (map: Map<string, number>, key: string): number => {
    let i = map.get(key);
    if (i === undefined) {
      i = map.size;
      map.set(key, i);
    }
    return i;
  };
  const n = scores.attempts.length;
  const cols: HistoryColumns = {
    v: HISTORY_COLUMNS_VERSION,
    cards: scores.cards,
    ids: [],
    topics: [],
    q: new Array<number>(n),
    t: new Array<number>(n),
    s: new Array<number>(n),
    at: new Array<number>(n),
    score: new Array<number>(n),
    dur: new Array<number>(n),
    last: lastAttempts(scores.attempts),
  };
  scores.attempts.forEach((a, i) => {
    cols.q[i] = index(ids, a.questionId);
    cols.t[i] = index(topics, a.topic);
    cols.s[i] = index(sessions, a.sessionId);
    cols.at[i] = Date.parse(a.at);
    cols.score[i] = a.score;
    cols.dur[i] = a.durationMs;
  });
  cols.ids = [...ids.keys()];
  cols.topics = [...topics.keys()];
  return cols;
}

/**
 * The history in columns: what `stats`, `list` and progress read from every attempt and card,
 * without the attempt objects. Built in one pass from scores.json, and stored by the store as a
 * small binary cache (typed arrays after a JSON header), so a long history is neither parsed nor
 * turned into objects on every `stats`: reading the cache is one file read and a few views.
 * Pure: data in, data out.
 */
import { openSections, packSections } from '../binary-file.js';
import { BUILD_ID } from '../build-id.js';
import { roundedStability } from '../srs/curve.js';
import type { Attempt, ScoresFile } from '../types.js';

export const HISTORY_COLUMNS_VERSION = 7;

/** Indexes into a table (ids, topics, sessions): stored as narrow as the table allows. */
export type IndexArray = Uint8Array | Uint16Array | Uint32Array;

/** Per question id: attempts, and the score and time of the latest one. */
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

/** An interview's outcome as `stats` lists it. */
export interface InterviewSignal {
  /** When it started (ISO). */
  at: string;
  signal: string;
}

/** How many of the latest interviews the history keeps at hand for `stats`. */
export const RECENT_INTERVIEWS = 5;

/** The latest interviews with a signal, newest first. */
export function recentInterviews(scores: ScoresFile): InterviewSignal[] {
  return scores.sessions
    .filter((s) => s.mode === 'interview' && s.signal !== undefined)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, RECENT_INTERVIEWS)
    .map((s) => ({ at: s.startedAt, signal: s.signal as string }));
}

/** The columns a history is made of. Times are epoch ms (NaN when unreadable). */
export interface ColumnData {
  /** The latest interviews (recentInterviews). */
  interviews: InterviewSignal[];
  /** Question ids that have attempts or a card; the per-id columns follow this order. */
  ids: string[];
  /** Topics as recorded on the attempts, referenced by index from `t`. */
  topics: string[];
  /** Distinct session ids; `s` holds an index below this. */
  sessions: number;
  /** One entry per attempt, in file order: question (index into ids), topic, session, time, score, duration. */
  q: IndexArray;
  t: IndexArray;
  s: IndexArray;
  at: Float64Array;
  score: Float64Array;
  dur: Float64Array;
  /** Per id: attempts, and the score of the latest one (NaN when none). */
  count: Uint32Array;
  lastScore: Float64Array;
  /**
   * Per id: the card's state (NaN when the question has no card), stability (rounded to 8
   * decimals, as ts-fsrs rounds it for retrievability), last review and due time.
   */
  state: Float64Array;
  stability: Float64Array;
  lastReview: Float64Array;
  due: Float64Array;
}

export class HistoryColumns implements ColumnData {
  readonly v = HISTORY_COLUMNS_VERSION;
  interviews!: InterviewSignal[];
  ids!: string[];
  topics!: string[];
  sessions!: number;
  q!: IndexArray;
  t!: IndexArray;
  s!: IndexArray;
  at!: Float64Array;
  score!: Float64Array;
  dur!: Float64Array;
  count!: Uint32Array;
  lastScore!: Float64Array;
  state!: Float64Array;
  stability!: Float64Array;
  lastReview!: Float64Array;
  due!: Float64Array;

  constructor(data: ColumnData) {
    Object.assign(this, data);
  }
}

const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

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
  const q = new Uint32Array(n);
  const t = new Uint32Array(n);
  const s = new Uint32Array(n);
  const at = new Float64Array(n);
  const score = new Float64Array(n);
  const dur = new Float64Array(n);
  scores.attempts.forEach((a, i) => {
    q[i] = index(ids, a.questionId);
    t[i] = index(topics, a.topic);
    s[i] = index(sessions, a.sessionId);
    at[i] = Date.parse(a.at);
    score[i] = a.score;
    dur[i] = a.durationMs;
  });
  for (const id of Object.keys(scores.cards)) index(ids, id);

  const m = ids.size;
  const cols = new HistoryColumns({
    interviews: recentInterviews(scores),
    ids: [...ids.keys()],
    topics: [...topics.keys()],
    sessions: sessions.size,
    q,
    t,
    s,
    at,
    score,
    dur,
    count: new Uint32Array(m),
    lastScore: new Float64Array(m).fill(Number.NaN),
    state: new Float64Array(m).fill(Number.NaN),
    stability: new Float64Array(m).fill(Number.NaN),
    lastReview: new Float64Array(m).fill(Number.NaN),
    due: new Float64Array(m).fill(Number.NaN),
  });
  const last = lastAttempts(scores.attempts);
  cols.ids.forEach((id, i) => {
    const seen = last[id];
    if (seen) {
      cols.count[i] = seen.count;
      cols.lastScore[i] = seen.score;
    }
    // Own keys only: scores.json is plain JSON, and an id may be "constructor".
    const card = Object.hasOwn(scores.cards, id) ? scores.cards[id] : undefined;
    if (card) {
      cols.state[i] = card.state;
      cols.stability[i] = roundedStability(card.stability);
      cols.lastReview[i] = time(card.last_review);
      cols.due[i] = time(card.due);
    }
  });
  return cols;
}

// The binary form (binary-file.ts): "DDHC", then the JSON header (ids, topics, counts and
// the caller's stamp), padded to 8 bytes, then the typed arrays in a fixed order.
const MAGIC = 0x43484444; // "DDHC" read as a little-endian uint32
const F64 = ['at', 'score', 'dur'] as const;
const F64_PER_ID = ['lastScore', 'state', 'stability', 'lastReview', 'due'] as const;
const INDEXES = ['q', 't', 's'] as const;

type IndexKind = { bytes: number; make: (buffer: ArrayBuffer, at: number, count: number) => IndexArray };

/** The narrowest unsigned array for indexes into a table of `size` entries. */
function indexKind(size: number): IndexKind {
  if (size <= 0x100) return { bytes: 1, make: (b, at, c) => new Uint8Array(b, at, c) };
  if (size <= 0x10000) return { bytes: 2, make: (b, at, c) => new Uint16Array(b, at, c) };
  return { bytes: 4, make: (b, at, c) => new Uint32Array(b, at, c) };
}

const tableSizes = (t: { ids: unknown[]; topics: unknown[]; sessions: number }) => ({ q: t.ids.length, t: t.topics.length, s: t.sessions });

interface Header {
  v: number;
  /** The build that wrote it (build-id.ts): another build's cache is rebuilt. */
  build: string;
  interviews: InterviewSignal[];
  stamp: unknown;
  n: number;
  ids: string[];
  topics: string[];
  sessions: number;
}

/** The columns as bytes, with `stamp` (what they were built from) in the header. */
export function encodeColumns(cols: HistoryColumns, stamp: unknown, build = BUILD_ID): Buffer {
  const header: Header = { v: HISTORY_COLUMNS_VERSION, build, interviews: cols.interviews, stamp, n: cols.q.length, ids: cols.ids, topics: cols.topics, sessions: cols.sessions };
  const arrays: ArrayBufferView[] = [
    ...F64.map((k) => cols[k]),
    ...F64_PER_ID.map((k) => cols[k]),
    ...INDEXES.map((k) => {
      // A typical history's indexes fit in one or two bytes: a smaller file to read.
      const kind = indexKind(tableSizes(cols)[k]);
      const narrow = kind.make(new ArrayBuffer(cols[k].length * kind.bytes), 0, cols[k].length);
      narrow.set(cols[k]);
      return narrow;
    }),
    cols.count,
  ];
  return packSections(MAGIC, header, arrays);
}

/** Columns from `encodeColumns` bytes; undefined for anything else (the cache is rebuilt). */
export function decodeColumns(bytes: Buffer): { stamp: unknown; columns: HistoryColumns } | undefined {
  try {
    const file = openSections(bytes, MAGIC);
    const header = file?.header as Header | undefined;
    if (!file || !header || header.v !== HISTORY_COLUMNS_VERSION || header.build !== BUILD_ID || !Array.isArray(header.ids) || !Array.isArray(header.topics)) return undefined;
    const interviews = Array.isArray(header.interviews)
      ? header.interviews.filter((i): i is InterviewSignal => typeof i?.at === 'string' && typeof i.signal === 'string')
      : [];
    const { n } = header;
    const m = header.ids.length;
    const f64 = (count: number) => file.take((b, at, c) => new Float64Array(b, at, c), count, 8);
    const u32 = (count: number) => file.take((b, at, c) => new Uint32Array(b, at, c), count, 4);
    const [at, score, dur] = F64.map(() => f64(n)) as [Float64Array, Float64Array, Float64Array];
    const [lastScore, state, stability, lastReview, due] = F64_PER_ID.map(() => f64(m)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const sizes = tableSizes(header);
    const [q, t, s] = INDEXES.map((k) => {
      const kind = indexKind(sizes[k]);
      return file.take(kind.make, n, kind.bytes);
    }) as [IndexArray, IndexArray, IndexArray];
    const count = u32(m);
    if (!file.atEnd()) return undefined;
    const columns = new HistoryColumns({
      interviews,
      ids: header.ids,
      topics: header.topics,
      sessions: header.sessions,
      q,
      t,
      s,
      at,
      score,
      dur,
      count,
      lastScore,
      state,
      stability,
      lastReview,
      due,
    });
    // Indexes are not checked against their tables here (a pass over 100,000 values costs more
    // than the rest of the decoding): computeStats skips an attempt whose index is out of range.
    return { stamp: header.stamp, columns };
  } catch {
    return undefined;
  }
}

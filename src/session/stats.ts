/**
 * Numbers behind `django-drill stats`: per-topic mastery and accuracy, totals, streaks, a 12-week
 * activity heatmap and the weakest questions. Pure: clock and time zone come in, nothing is read
 * or written.
 *
 * Days are local calendar days in `timeZone` (a streak is about the candidate's days, not UTC's).
 * The history can be long (every answer ever), so attempts are walked once and the expensive part
 * — turning an instant into a local day — is cached per UTC day.
 */
import type { Readiness } from '../srs/curve.js';
import { refsOf, type Bank, type ScoresFile, type TopicInfo } from '../types.js';
import { historyColumns, type HistoryColumns, type InterviewSignal } from './history.js';
import { historyPositions, progressColumns, topicProgressOf } from './progress.js';

export const HEATMAP_DAYS = 84;
const ACCURACY_WINDOW_DAYS = 30;
const WEAKEST_COUNT = 5;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface TopicStats {
  topic: TopicInfo;
  /** Mean retrievability over the topic's questions (unseen count as 0), 0..1. */
  mastery: number;
  seen: number;
  total: number;
  /** Questions due now. */
  due: number;
  /** Mean score of the topic's attempts in the last 30 days; null when there were none. */
  accuracy30d: number | null;
  attempts30d: number;
  readiness: Readiness;
}

export interface DayCount {
  /** Local calendar day, YYYY-MM-DD. */
  date: string;
  count: number;
}

export interface Heatmap {
  /** First day (today − 83), YYYY-MM-DD. */
  start: string;
  /** Today, YYYY-MM-DD. */
  end: string;
  /** 84 days, oldest first. */
  days: DayCount[];
  /** Weekday of `start`, 0 = Monday … 6 = Sunday (to lay the days out in Mon..Sun rows). */
  startWeekday: number;
  /** Largest count of a single day (0 when the window is empty). */
  max: number;
}

export interface WeakQuestion {
  id: string;
  topic: string;
  title: string;
  mastery: number;
  lastScore: number;
}

export interface Stats {
  generatedAt: string;
  topics: TopicStats[];
  totals: {
    attempts: number;
    /** Distinct sessions with at least one answer in the selected topics. */
    sessions: number;
    totalTimeMs: number;
    /** Local days with at least one answer. */
    activeDays: number;
    streak: { current: number; best: number };
  };
  heatmap: Heatmap;
  weakest: WeakQuestion[];
  /** The latest mock interviews, newest first (up to 5). */
  interviews: InterviewSignal[];
}

export interface StatsInput {
  bank: Bank;
  /** The history, or its columns (see history.ts). */
  scores: ScoresFile | HistoryColumns;
  now: Date;
  /** IANA zone for calendar days; default the machine's (the zone Date uses, TZ included). */
  timeZone?: string;
  /** Topic names to report on (in this order); default every topic of the bank. */
  topics?: readonly string[];
}

/** Day number (days since 1970-01-01) → "YYYY-MM-DD". */
export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. Day 0 (1970-01-01) was a Thursday. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** UTC offset (ms) of the machine's zone at an instant: what Date itself uses, no Intl needed. */
const machineOffset = (ms: number): number => -new Date(ms).getTimezoneOffset() * 60_000;

/** UTC offset (ms) of an IANA zone at an instant, through one Intl formatter. */
function zoneOffset(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (ms: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(ms))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return wall - Math.floor(ms / 1000) * 1000;
  };
}

/**
 * Instant (ms) → local day number in `timeZone` (default: the machine's zone, read through Date,
 * which spares loading Intl's time zone data: about 25 ms). Few offset look-ups: the offset is
 * looked up at both ends of each UTC day and, when they agree (no DST change that day), used for
 * the whole day. A day with a change is looked up per hour, and the hour of the change per
 * instant, since a switch can fall at :30 or :45 in some zones.
 */
export function localDayCounter(timeZone?: string): (ms: number) => number {
  const offsetAt = timeZone === undefined ? machineOffset : zoneOffset(timeZone);
  // Offset of a span if it is the same at both ends, else null (it changes inside).
  const steady = (cache: Map<number, number | null>, index: number, size: number): number | null => {
    let offset = cache.get(index);
    if (offset === undefined) {
      const first = offsetAt(index * size);
      offset = first === offsetAt((index + 1) * size - 1000) ? first : null;
      cache.set(index, offset);
    }
    return offset;
  };
  const days = new Map<number, number | null>();
  const hours = new Map<number, number | null>();
  // Histories are mostly in time order: the day of the previous instant is usually this one's.
  let lastDay = Number.NaN;
  let lastOffset: number | null = null;
  return (ms: number): number => {
    const day = Math.floor(ms / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      lastOffset = steady(days, day, DAY_MS);
    }
    const offset = lastOffset ?? steady(hours, Math.floor(ms / HOUR_MS), HOUR_MS) ?? offsetAt(ms);
    return Math.floor((ms + offset) / DAY_MS);
  };
}

/** Longest run of consecutive days, and the run ending on `today` or yesterday (else 0). */
export function streaks(activeDays: Iterable<number>, today: number): { current: number; best: number } {
  const days = [...new Set(activeDays)].sort((a, b) => a - b);
  let best = 0;
  let run = 0;
  let previous = Number.NaN;
  let current = 0;
  for (const day of days) {
    run = day === previous + 1 ? run + 1 : 1;
    previous = day;
    best = Math.max(best, run);
    // Answers stamped after today (another machine's clock) do not break today's streak.
    if (day <= today) current = day >= today - 1 ? run : 0;
  }
  return { current, best };
}

interface AttemptTotals {
  attempts: number;
  sessions: number;
  totalTimeMs: number;
  /** Attempts per local day number. */
  activity: Map<number, number>;
  /** Per selected topic: sum and count of scores in the accuracy window. */
  accuracySum: Float64Array;
  accuracyCount: Uint32Array;
}

/**
 * One pass over every attempt (100,000 on a long history). A function of its own, kept small:
 * V8 optimises a hot loop by compiling its whole function, and a small one is ready sooner.
 * `topicOfQuestion`: per history question index, its selected topic (-1 not selected), or -2
 * when the bank does not have the question (the attempt's recorded topic then counts, through
 * `topicOfRecorded`).
 */
function tallyAttempts(
  cols: HistoryColumns,
  topicOfQuestion: Int32Array,
  topicOfRecorded: Int32Array,
  topicCount: number,
  toDay: (ms: number) => number,
  accuracyFrom: number,
  nowMs: number,
): AttemptTotals {
  const activity = new Map<number, number>();
  const accuracySum = new Float64Array(topicCount);
  const accuracyCount = new Uint32Array(topicCount);
  const sessionSeen = new Uint8Array(cols.sessions);
  const { q, t, s, at: times, score: scoresOf, dur } = cols;
  let attempts = 0;
  let totalTimeMs = 0;
  let runDay = Number.NaN;
  let runCount = 0;
  for (let i = 0; i < q.length; i++) {
    let topic = topicOfQuestion[q[i] as number] as number;
    if (topic === -2) topic = topicOfRecorded[t[i] as number] as number;
    // Also skips an index past its table (undefined), which a damaged cache could hold.
    if (!(topic >= 0)) continue;
    attempts += 1;
    sessionSeen[s[i] as number] = 1;
    const duration = dur[i] as number;
    if (Number.isFinite(duration) && duration > 0) totalTimeMs += duration;
    const at = times[i] as number;
    if (!Number.isFinite(at)) continue;
    const day = toDay(at);
    // Attempts come mostly in time order: count a run of one day, then add it to the map.
    if (day !== runDay) {
      if (runCount > 0) activity.set(runDay, (activity.get(runDay) ?? 0) + runCount);
      runDay = day;
      runCount = 0;
    }
    runCount += 1;
    // Without branches: both comparisons and the sums run for every attempt. Attempts come in
    // time order, so a branch into the 30-day window is first taken near the end of the loop,
    // after V8 has optimised the loop without it: that cost a deoptimisation and a second
    // compilation (about 10 ms) on every run.
    const inWindow = (at >= accuracyFrom ? 1 : 0) & (at <= nowMs ? 1 : 0);
    const score = scoresOf[i] as number;
    const counted = Number.isFinite(score) ? score : 0;
    accuracySum[topic] = (accuracySum[topic] as number) + inWindow * counted;
    accuracyCount[topic] = (accuracyCount[topic] as number) + inWindow;
  }
  if (runCount > 0) activity.set(runDay, (activity.get(runDay) ?? 0) + runCount);
  let sessions = 0;
  for (let k = 0; k < sessionSeen.length; k++) sessions += sessionSeen[k] as number;
  return { attempts, sessions, totalTimeMs, activity, accuracySum, accuracyCount };
}

export function computeStats(input: StatsInput): Stats {
  const { bank, scores, now } = input;
  const nowMs = now.getTime();
  const toDay = localDayCounter(input.timeZone);
  const today = toDay(nowMs);
  const heatStart = today - (HEATMAP_DAYS - 1);
  const accuracyFrom = nowMs - ACCURACY_WINDOW_DAYS * DAY_MS;

  const wanted = input.topics ? [...input.topics] : bank.topics.map((t) => t.name);
  const selected = new Set(wanted);
  const selectedAt = new Map<string, number>();
  wanted.forEach((name, k) => selectedAt.has(name) || selectedAt.set(name, k));

  const cols = 'attempts' in scores ? historyColumns(scores) : scores;
  // Topics as small numbers, so the loop over every attempt compares numbers, not strings:
  // the selected topics are 0..wanted-1, any other topic is -1.
  const selectedIndex = (topic: string): number => selectedAt.get(topic) ?? -1;
  // Per question index: its topic in the bank, which wins over the one recorded on the attempt
  // (questions can move folders); -2 when the bank does not have the question, and then the
  // recorded topic counts.
  const refs = refsOf(bank);
  const positions = historyPositions(refs, cols);
  const topicOfQuestion = new Int32Array(cols.ids.length).fill(-2);
  positions.forEach((i, k) => {
    if (i >= 0) topicOfQuestion[i] = selectedIndex(refs.topics[k] as string);
  });
  const topicOfRecorded = Int32Array.from(cols.topics, selectedIndex);
  const { attempts, sessions, totalTimeMs, activity, accuracySum, accuracyCount } = tallyAttempts(cols, topicOfQuestion, topicOfRecorded, wanted.length, toDay, accuracyFrom, nowMs);

  // Progress in columns: topic totals, and the weakest few kept by position as they come (only
  // those become whole questions, for their titles).
  const progress = progressColumns(refs, cols, now, positions);
  const weak: number[] = [];
  const lastScoreOf = (k: number) => {
    const score = progress.lastScore[k] as number;
    return Number.isNaN(score) ? 0 : score;
  };
  const weaker = (a: number, b: number) =>
    (progress.mastery[a] as number) - (progress.mastery[b] as number) || lastScoreOf(a) - lastScoreOf(b) || (refs.ids[a] as string).localeCompare(refs.ids[b] as string);
  for (let k = 0; k < refs.ids.length; k++) {
    if (progress.attempts[k] === 0 || !selected.has(refs.topics[k] as string)) continue;
    if (weak.length === WEAKEST_COUNT && weaker(k, weak[WEAKEST_COUNT - 1] as number) >= 0) continue;
    weak.push(k);
    weak.sort(weaker);
    if (weak.length > WEAKEST_COUNT) weak.pop();
  }
  const weakest: WeakQuestion[] = weak.map((k) => {
    const question = refs.question(k);
    return { id: question.id, topic: question.topic, title: question.title, mastery: progress.mastery[k] as number, lastScore: lastScoreOf(k) };
  });
  const byName = new Map(topicProgressOf(bank, progress, now).map((t) => [t.topic.name, t]));
  const topics: TopicStats[] = [];
  for (const name of wanted) {
    const t = byName.get(name);
    if (!t) continue;
    const k = wanted.indexOf(name);
    const n = accuracyCount[k] as number;
    topics.push({
      topic: t.topic,
      mastery: t.mastery,
      seen: t.seen,
      total: t.total,
      due: t.due,
      accuracy30d: n > 0 ? (accuracySum[k] as number) / n : null,
      attempts30d: n,
      readiness: t.readiness,
    });
  }

  const days: DayCount[] = [];
  let max = 0;
  for (let day = heatStart; day <= today; day++) {
    const n = activity.get(day) ?? 0;
    max = Math.max(max, n);
    days.push({ date: dayKey(day), count: n });
  }

  return {
    generatedAt: now.toISOString(),
    topics,
    totals: {
      attempts,
      sessions,
      totalTimeMs,
      activeDays: activity.size,
      streak: streaks(activity.keys(), today),
    },
    heatmap: { start: dayKey(heatStart), end: dayKey(today), days, startWeekday: weekday(heatStart), max },
    weakest,
    interviews: cols.interviews ?? [],
  };
}

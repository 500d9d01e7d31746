/**
 * Progress derived from the bank and the history: per question and per topic. Pure: the clock
 * is passed in. Used by list, the picker, warmup and stats.
 */
import { isDue, mastery, readiness, type Readiness } from '../srs/index.js';
import type { Attempt, Bank, Question, ScoresFile, TopicInfo } from '../types.js';
import type { HistoryColumns, LastAttempt } from './history.js';

export interface QuestionProgress {
  question: Question;
  /** Retrievability now, 0 if never seen. */
  mastery: number;
  due: boolean;
  /** ISO date the card is due, undefined if never seen. */
  dueAt?: string;
  attempts: number;
  lastScore?: number;
  lastAt?: string;
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

/** Last attempt and count per question id, in one pass over the history. */
export function lastAttempts(attempts: readonly Attempt[]): Map<string, { last: Attempt; count: number }> {
  const map = new Map<string, { last: Attempt; count: number }>();
  for (const attempt of attempts) {
    const entry = map.get(attempt.questionId);
    if (!entry) map.set(attempt.questionId, { last: attempt, count: 1 });
    else {
      entry.count += 1;
      if (attempt.at >= entry.last.at) entry.last = attempt;
    }
  }
  return map;
}

/**
 * Progress of every question of the bank, from the history itself or from its columns (what
 * `stats` reads from the cache).
 */
export function questionProgress(bank: Bank, history: ScoresFile | HistoryColumns, now: Date): Map<string, QuestionProgress> {
  const last = 'attempts' in history ? lastOf(history) : new Map(Object.entries(history.last));
  const result = new Map<string, QuestionProgress>();
  for (const question of bank.questions) {
    const card = history.cards[question.id];
    const seen = last.get(question.id);
    result.set(question.id, {
      question,
      mastery: mastery(card, now),
      due: isDue(card, now),
      dueAt: card?.due,
      attempts: seen?.count ?? 0,
      lastScore: seen?.score,
      lastAt: seen?.at,
    });
  }
  return result;
}

function lastOf(scores: ScoresFile): Map<string, LastAttempt> {
  const map = new Map<string, LastAttempt>();
  for (const [id, { last, count }] of lastAttempts(scores.attempts)) map.set(id, { count, score: last.score, at: last.at });
  return map;
}

export function topicProgress(bank: Bank, progress: Map<string, QuestionProgress>): TopicProgress[] {
  // One pass over the questions (a 10,000-question bank has 50+ topics).
  const sums = new Map<string, { total: number; seen: number; due: number; sum: number }>();
  for (const topic of bank.topics) sums.set(topic.name, { total: 0, seen: 0, due: 0, sum: 0 });
  for (const question of bank.questions) {
    const t = sums.get(question.topic);
    if (!t) continue;
    t.total += 1;
    const p = progress.get(question.id);
    if (!p) continue;
    if (p.attempts > 0) t.seen += 1;
    if (p.due) t.due += 1;
    t.sum += p.mastery;
  }
  return bank.topics.map((topic) => {
    const { total, seen, due, sum } = sums.get(topic.name) ?? { total: 0, seen: 0, due: 0, sum: 0 };
    const m = total === 0 ? 0 : sum / total;
    return { topic, total, seen, due, mastery: m, readiness: readiness(m, due) };
  });
}

/**
 * Progress derived from the bank and the history: per question and per topic. Pure: the clock
 * is passed in. Used by list, the picker, warmup and stats.
 */
import { isDue, mastery, readiness, type Readiness } from '../srs/index.js';
import type { Bank, Question, ScoresFile, TopicInfo } from '../types.js';
import { lastAttempts, type HistoryColumns } from './history.js';

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

/**
 * Progress of every question of the bank, from the history itself or from its columns (what
 * `stats` reads from the cache).
 */
export function questionProgress(bank: Bank, history: ScoresFile | HistoryColumns, now: Date): Map<string, QuestionProgress> {
  // Own keys only: the columns' `last` may come from JSON (a plain object).
  const last = new Map(Object.entries('attempts' in history ? lastAttempts(history.attempts) : history.last));
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

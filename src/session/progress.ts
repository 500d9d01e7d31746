/**
 * Progress derived from the bank and the history: per question and per topic. Pure: the clock
 * is passed in. Used by list, the picker, warmup and stats.
 */
import { masteryAt, readiness, type Readiness } from '../srs/index.js';
import type { Bank, Question, ScoresFile, TopicInfo } from '../types.js';
import { HistoryColumns, historyColumns } from './history.js';

export interface QuestionProgress {
  question: Question;
  /** Retrievability now, 0 if never seen. */
  mastery: number;
  due: boolean;
  /** When the card is due (epoch ms), undefined if never seen. */
  dueMs?: number;
  attempts: number;
  lastScore?: number;
  /** Time of the latest attempt (epoch ms), undefined if never answered. */
  lastAtMs?: number;
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
  const cols = history instanceof HistoryColumns ? history : historyColumns(history);
  const nowMs = now.getTime();
  const result = new Map<string, QuestionProgress>();
  for (const question of bank.questions) {
    const i = cols.indexOf(question.id);
    if (i < 0) {
      result.set(question.id, { question, mastery: 0, due: false, attempts: 0 });
      continue;
    }
    const hasCard = !Number.isNaN(cols.state[i] as number);
    const attempts = cols.count[i] as number;
    const progress: QuestionProgress = {
      question,
      mastery: masteryAt(cols.state[i] as number, cols.stability[i] as number, cols.lastReview[i] as number, nowMs),
      due: hasCard && (cols.due[i] as number) <= nowMs,
      attempts,
    };
    if (hasCard) progress.dueMs = cols.due[i] as number;
    if (attempts > 0) {
      progress.lastScore = cols.lastScore[i] as number;
      progress.lastAtMs = cols.lastAt[i] as number;
    }
    result.set(question.id, progress);
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

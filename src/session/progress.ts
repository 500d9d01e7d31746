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
/**
 * Calls `visit` with the progress of every question of the bank, in bank order, without keeping
 * them: `list` and `stats` on a 10,000-question bank only need totals and a few of them.
 */
export function eachQuestionProgress(bank: Bank, history: ScoresFile | HistoryColumns, now: Date, visit: (progress: QuestionProgress) => void): void {
  const cols = history instanceof HistoryColumns ? history : historyColumns(history);
  const nowMs = now.getTime();
  for (const question of bank.questions) {
    const i = cols.indexOf(question.id);
    if (i < 0) {
      visit({ question, mastery: 0, due: false, attempts: 0 });
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
    visit(progress);
  }
}

/** Progress of every question of the bank, by id. */
export function questionProgress(bank: Bank, history: ScoresFile | HistoryColumns, now: Date): Map<string, QuestionProgress> {
  const result = new Map<string, QuestionProgress>();
  eachQuestionProgress(bank, history, now, (p) => result.set(p.question.id, p));
  return result;
}

/** Per-topic totals, fed one question's progress at a time. */
export class TopicTally {
  readonly #sums = new Map<string, { total: number; seen: number; due: number; sum: number }>();

  constructor(private readonly bank: Bank) {
    for (const topic of bank.topics) this.#sums.set(topic.name, { total: 0, seen: 0, due: 0, sum: 0 });
  }

  add(p: QuestionProgress): void {
    const t = this.#sums.get(p.question.topic);
    if (!t) return;
    t.total += 1;
    if (p.attempts > 0) t.seen += 1;
    if (p.due) t.due += 1;
    t.sum += p.mastery;
  }

  rows(): TopicProgress[] {
    return this.bank.topics.map((topic) => {
      const { total, seen, due, sum } = this.#sums.get(topic.name) ?? { total: 0, seen: 0, due: 0, sum: 0 };
      const m = total === 0 ? 0 : sum / total;
      return { topic, total, seen, due, mastery: m, readiness: readiness(m, due) };
    });
  }
}

export function topicProgress(bank: Bank, progress: Map<string, QuestionProgress>): TopicProgress[] {
  const tally = new TopicTally(bank);
  for (const question of bank.questions) {
    // A question missing from the map counts as unseen.
    tally.add(progress.get(question.id) ?? { question, mastery: 0, due: false, attempts: 0 });
  }
  return tally.rows();
}

/** Topic rows straight from the history, without a progress map. */
export function topicProgressOf(bank: Bank, history: ScoresFile | HistoryColumns, now: Date): TopicProgress[] {
  const tally = new TopicTally(bank);
  eachQuestionProgress(bank, history, now, (p) => tally.add(p));
  return tally.rows();
}

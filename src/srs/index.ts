/**
 * Spaced repetition on ts-fsrs. One card per question id; a card is always the replay of that
 * question's attempts, so `cards` in scores.json is a cache that can be rebuilt at any time.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating as FsrsRating, State, type Card, type Grade } from 'ts-fsrs';
import type { Attempt, Rating, StoredCard } from '../types.js';
import { masteryAt, retrievabilityAt, roundedStability } from './curve.js';

export { answerCredit, masteryAt, MASTERY_HORIZON_DAYS, readiness, READY_AT, retrievabilityAt, roundedStability, SHAKY_AT, type Readiness } from './curve.js';

// Short-term (learning) steps off: a question rated `again` is re-asked later in the same
// session by the engine instead. No fuzz, so a replay is deterministic.
/** The scheduler's parameters (exported for the test that holds curve.ts to them). */
export const parameters = generatorParameters({ enable_short_term: false, enable_fuzz: false });
const scheduler = fsrs(parameters);

const GRADE: Record<Rating, Grade> = {
  again: FsrsRating.Again,
  hard: FsrsRating.Hard,
  good: FsrsRating.Good,
  easy: FsrsRating.Easy,
};

export function toStored(card: Card): StoredCard {
  const stored: StoredCard = {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
  };
  if (card.last_review) stored.last_review = card.last_review.toISOString();
  return stored;
}

export function fromStored(stored: StoredCard): Card {
  return {
    due: new Date(stored.due),
    stability: stored.stability,
    difficulty: stored.difficulty,
    elapsed_days: stored.elapsed_days,
    scheduled_days: stored.scheduled_days,
    learning_steps: stored.learning_steps,
    reps: stored.reps,
    lapses: stored.lapses,
    state: stored.state as State,
    last_review: stored.last_review ? new Date(stored.last_review) : undefined,
  };
}

/** The card after one more review. `card` undefined = a question never seen before. */
export function review(card: StoredCard | undefined, rating: Rating, at: Date): StoredCard {
  const current = card ? fromStored(card) : createEmptyCard(at);
  // A review dated before the card's last one (a clock that jumped back, a hand-edited history)
  // counts as made at that last review: ts-fsrs throws "Invalid delta_t" otherwise, and the
  // answer would not be saved.
  const last = current.last_review?.getTime();
  const when = last !== undefined && !Number.isNaN(last) && at.getTime() < last ? new Date(last) : at;
  return toStored(scheduler.next(current, when, GRADE[rating]).card);
}

/** Rebuild a card from the attempts of one question (any order; sorted by time here). */
export function replay(attempts: readonly Attempt[]): StoredCard | undefined {
  const sorted = [...attempts].sort((a, b) => a.at.localeCompare(b.at));
  let card: StoredCard | undefined;
  for (const attempt of sorted) card = review(card, attempt.rating, new Date(attempt.at));
  return card;
}

/** Rebuild every card from a whole history. */
export function replayAll(attempts: readonly Attempt[]): Record<string, StoredCard> {
  const byQuestion = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    const list = byQuestion.get(attempt.questionId);
    if (list) list.push(attempt);
    else byQuestion.set(attempt.questionId, [attempt]);
  }
  const cards: Record<string, StoredCard> = {};
  for (const [id, list] of byQuestion) {
    const card = replay(list);
    if (card) cards[id] = card;
  }
  return cards;
}

/** FSRS probability of recall at `at`: 0 for a question never seen. */
export function retrievability(card: StoredCard | undefined, at: Date): number {
  if (!card) return 0;
  const lastReview = card.last_review === undefined ? Number.NaN : Date.parse(card.last_review);
  return retrievabilityAt(card.state, roundedStability(card.stability), lastReview, at.getTime());
}

/** Mastery (curve.ts masteryAt): recall a horizon ahead × the latest answer's credit. */
export function mastery(card: StoredCard | undefined, lastScore: number, now: Date, horizonMs?: number): number {
  if (!card) return 0;
  const lastReview = card.last_review === undefined ? Number.NaN : Date.parse(card.last_review);
  return masteryAt(card.state, roundedStability(card.stability), lastReview, lastScore, now.getTime(), horizonMs);
}

export function isDue(card: StoredCard | undefined, now: Date): boolean {
  return card !== undefined && Date.parse(card.due) <= now.getTime();
}

/**
 * Score → rating, exactly as DESIGN.md: < 0.34 again, < 0.67 hard, < 1 good, 1 easy;
 * `easy` becomes `good` when the clock ran out.
 */
export function ratingFor(score: number, overtime = false): Rating {
  if (score < 0.34) return 'again';
  if (score < 0.67) return 'hard';
  if (score < 1) return 'good';
  return overtime ? 'good' : 'easy';
}

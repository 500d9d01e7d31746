/**
 * Spaced repetition on ts-fsrs. One card per question id; a card is always the replay of that
 * question's attempts, so `cards` in scores.json is a cache that can be rebuilt at any time.
 */
import { computeDecayFactor, createEmptyCard, fsrs, generatorParameters, Rating as FsrsRating, roundTo, State, type Card, type Grade } from 'ts-fsrs';
import type { Attempt, Rating, StoredCard } from '../types.js';
import { roundedStability } from './stability.js';

// Short-term (learning) steps off: a question rated `again` is re-asked later in the same
// session by the engine instead. No fuzz, so a replay is deterministic.
const parameters = generatorParameters({ enable_short_term: false, enable_fuzz: false });
const scheduler = fsrs(parameters);
// ts-fsrs's forgetting curve works these out from the weights on every call; they are constants.
const { decay, factor } = computeDecayFactor(parameters.w);

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
  return toStored(scheduler.next(current, at, GRADE[rating]).card);
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

/** Probability of recall now: 0 for a question never seen. */
export function mastery(card: StoredCard | undefined, now: Date): number {
  if (!card) return 0;
  const lastReview = card.last_review === undefined ? Number.NaN : Date.parse(card.last_review);
  return masteryAt(card.state, roundedStability(card.stability), lastReview, now.getTime());
}

const DAY_MS = 86_400_000;

/**
 * `mastery` from a card's numbers (epoch ms), as ts-fsrs's get_retrievability computes it
 * (whole days since the last review, its forgetting curve) without building a Card and its
 * Dates: `stats` on a 10,000-question history calls it 10,000 times. A test holds the two equal.
 * `stability` comes rounded by roundedStability, as the history cache stores it.
 */
export function masteryAt(state: number, stability: number, lastReview: number, now: number): number {
  if (Number.isNaN(state) || state === State.New) return 0;
  const days = Math.max(Math.floor((now - lastReview) / DAY_MS), 0);
  const r = roundTo(Math.pow(1 + (factor * days) / stability, decay), 8);
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}

export function isDue(card: StoredCard | undefined, now: Date): boolean {
  return card !== undefined && Date.parse(card.due) <= now.getTime();
}

export type Readiness = 'ready' | 'shaky' | 'weak';

/** `ready` ≥ 0.85 mastery and nothing due, `shaky` ≥ 0.5, else `weak`. */
export function readiness(topicMastery: number, dueCount: number): Readiness {
  if (topicMastery >= 0.85 && dueCount === 0) return 'ready';
  if (topicMastery >= 0.5) return 'shaky';
  return 'weak';
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

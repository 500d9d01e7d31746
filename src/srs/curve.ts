/**
 * Retrievability ("mastery") and readiness from a card's numbers, without loading ts-fsrs: `list`
 * and `stats` need only this formula, and the scheduler library is most of the code they would
 * otherwise load. The constants are ts-fsrs's own for the parameters srs/index.ts uses; a test
 * holds them, and masteryAt, equal to ts-fsrs (computeDecayFactor, get_retrievability).
 */

/** ts-fsrs computeDecayFactor(generatorParameters(...).w) for the scheduler in srs/index.ts. */
export const CURVE = { decay: -0.1542, factor: 0.98034649 } as const;

/** ts-fsrs State.New. */
const NEW = 0;
const DAY_MS = 86_400_000;

/** Stability as get_retrievability uses it: rounded to 8 decimals. */
export const roundedStability = (stability: number): number => +stability.toFixed(8);

const roundTo8 = (n: number): number => Math.round(n * 1e8) / 1e8;

/**
 * Probability of recall at `at` (epoch ms), as ts-fsrs's get_retrievability computes it: whole
 * days since the last review, its forgetting curve, 8 decimals. `stability` comes rounded by
 * roundedStability (the history cache stores it so). 0 for a question never seen.
 */
export function retrievabilityAt(state: number, stability: number, lastReview: number, at: number): number {
  if (Number.isNaN(state) || state === NEW) return 0;
  const days = Math.max(Math.floor((at - lastReview) / DAY_MS), 0);
  const r = roundTo8(Math.pow(1 + (CURVE.factor * days) / stability, CURVE.decay));
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}

/** How far ahead mastery looks: what an interviewer would find a week from now. */
export const MASTERY_HORIZON_DAYS = 7;

/** A score below this is a failed answer (rated `again`, as ratingFor says). */
export const FAILED_BELOW = 0.34;

/** What the latest answer is worth to mastery: its score, or 0 when it failed (or there is none). */
export function answerCredit(lastScore: number): number {
  return Number.isFinite(lastScore) && lastScore >= FAILED_BELOW ? Math.min(1, lastScore) : 0;
}

/**
 * Mastery of one question, 0..1 (README "Mastery and readiness"):
 *
 *   mastery = R(now + horizon) × credit(latest score)
 *
 * R is the FSRS probability of recall projected `horizonMs` ahead (7 days by default, the
 * interview date when a plan has one), so a review just done does not count as 100 %: only a
 * stable memory survives the week. credit is the latest answer's score, 0 when it failed (below
 * 0.34), so a failed answer always brings the question to 0 and never raises it, and an answer
 * with half the key points counts half. 0 for a question never seen.
 */
export function masteryAt(state: number, stability: number, lastReview: number, lastScore: number, now: number, horizonMs = MASTERY_HORIZON_DAYS * DAY_MS): number {
  const credit = answerCredit(lastScore);
  if (credit === 0) return 0;
  return retrievabilityAt(state, stability, lastReview, now + Math.max(0, horizonMs)) * credit;
}

export type Readiness = 'ready' | 'shaky' | 'weak';

/** Readiness thresholds on a topic's mean mastery (unseen questions count as 0). */
export const READY_AT = 0.8;
export const SHAKY_AT = 0.5;

/** `ready` ≥ 0.8 mastery and nothing due, `shaky` ≥ 0.5, else `weak`. */
export function readiness(topicMastery: number, dueCount: number): Readiness {
  if (topicMastery >= READY_AT && dueCount === 0) return 'ready';
  if (topicMastery >= SHAKY_AT) return 'shaky';
  return 'weak';
}

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
 * Probability of recall at `now` (epoch ms), as ts-fsrs's get_retrievability computes it: whole
 * days since the last review, its forgetting curve, 8 decimals. `stability` comes rounded by
 * roundedStability (the history cache stores it so). 0 for a question never seen.
 */
export function masteryAt(state: number, stability: number, lastReview: number, now: number): number {
  if (Number.isNaN(state) || state === NEW) return 0;
  const days = Math.max(Math.floor((now - lastReview) / DAY_MS), 0);
  const r = roundTo8(Math.pow(1 + (CURVE.factor * days) / stability, CURVE.decay));
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}

export type Readiness = 'ready' | 'shaky' | 'weak';

/** `ready` ≥ 0.85 mastery and nothing due, `shaky` ≥ 0.5, else `weak`. */
export function readiness(topicMastery: number, dueCount: number): Readiness {
  if (topicMastery >= 0.85 && dueCount === 0) return 'ready';
  if (topicMastery >= 0.5) return 'shaky';
  return 'weak';
}

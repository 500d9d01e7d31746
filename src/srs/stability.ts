/**
 * Stability as ts-fsrs's get_retrievability uses it: rounded to 8 decimals. On its own so the
 * history cache (loaded by the CLI at start-up) can use it without loading ts-fsrs.
 */
export const roundedStability = (stability: number): number => +stability.toFixed(8);

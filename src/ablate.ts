/**
 * For `npm run bench -- --ablate` only: which run-time speed-ups a bench build turns off, to
 * measure what each one buys (README "Performance"). A release build defines the list empty.
 */
declare const __ABLATE__: string | undefined;

export type SpeedUp = 'bank-cache' | 'history-cache' | 'render-cache' | 'seed';

const OFF: readonly string[] = typeof __ABLATE__ === 'string' && __ABLATE__ !== '' ? __ABLATE__.split(',') : [];

export const ablated = (speedUp: SpeedUp): boolean => OFF.length > 0 && OFF.includes(speedUp);

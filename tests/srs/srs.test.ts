import { describe, expect, it } from 'vitest';
import { computeDecayFactor, fsrs, generatorParameters } from 'ts-fsrs';
import { CURVE } from '../../src/srs/curve.js';
import { fromStored, isDue, mastery, parameters, ratingFor, readiness, replay, replayAll, review } from '../../src/srs/index.js';
import type { StoredCard } from '../../src/types.js';
import { attempt } from '../helpers.js';

const day = 86_400_000;
const t0 = new Date('2026-11-01T09:00:00.000Z');
const at = (days: number) => new Date(t0.getTime() + days * day);

describe('rating rule', () => {
  it('maps score to rating exactly as the design says', () => {
    expect(ratingFor(0)).toBe('again');
    expect(ratingFor(0.33)).toBe('again');
    expect(ratingFor(0.34)).toBe('hard');
    expect(ratingFor(0.5)).toBe('hard');
    expect(ratingFor(0.66)).toBe('hard');
    expect(ratingFor(0.67)).toBe('good');
    expect(ratingFor(0.99)).toBe('good');
    expect(ratingFor(1)).toBe('easy');
  });

  it('caps easy at good when the clock ran out', () => {
    expect(ratingFor(1, true)).toBe('good');
    expect(ratingFor(0.5, true)).toBe('hard');
  });
});

describe('FSRS cards', () => {
  it('gives an unseen question mastery 0 and never due', () => {
    expect(mastery(undefined, t0)).toBe(0);
    expect(isDue(undefined, t0)).toBe(false);
  });

  it('rebuilds the same card from history as incremental reviews', () => {
    const history = [attempt('q', at(0).toISOString(), 'good'), attempt('q', at(3).toISOString(), 'again'), attempt('q', at(4).toISOString(), 'easy')];
    let card: StoredCard | undefined;
    for (const a of history) card = review(card, a.rating, new Date(a.at));
    expect(replay([...history].reverse())).toEqual(card);
    expect(replayAll(history).q).toEqual(card);
  });

  it('an easy answer today is not due tomorrow; an again answer is', () => {
    const easy = review(undefined, 'easy', t0);
    const again = review(undefined, 'again', t0);
    expect(isDue(easy, at(1))).toBe(false);
    expect(isDue(again, at(1))).toBe(true);
    expect(mastery(easy, at(1))).toBeGreaterThan(mastery(again, at(1)));
  });

  it('mastery decays with time and stays within 0..1', () => {
    const card = review(undefined, 'good', t0);
    const soon = mastery(card, at(1));
    const later = mastery(card, at(60));
    expect(soon).toBeLessThanOrEqual(1);
    expect(later).toBeGreaterThan(0);
    expect(later).toBeLessThan(soon);
  });

  it("uses ts-fsrs's own forgetting-curve constants for the scheduler's parameters", () => {
    expect(CURVE).toEqual(computeDecayFactor(parameters.w));
  });

  it('computes mastery exactly as ts-fsrs get_retrievability does', () => {
    const scheduler = fsrs(generatorParameters({ enable_short_term: false, enable_fuzz: false }));
    const ratings = ['again', 'hard', 'good', 'easy'] as const;
    let card: StoredCard | undefined;
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      card = review(card, ratings[(i * 7) % 4] as (typeof ratings)[number], at(i * 3 + (i % 5) / 7));
      for (const later of [0, 0.4, 1, 2.5, 17, 400]) {
        const now = at(i * 3 + later);
        const expected = scheduler.get_retrievability(fromStored(card), now, false);
        expect(mastery(card, now)).toBe(Math.min(1, Math.max(0, expected)));
        checked += 1;
      }
    }
    expect(checked).toBe(240);
  });
});

describe('readiness', () => {
  it('is ready at ≥ 0.85 with nothing due, shaky at ≥ 0.5, else weak', () => {
    expect(readiness(0.9, 0)).toBe('ready');
    expect(readiness(0.9, 1)).toBe('shaky');
    expect(readiness(0.5, 0)).toBe('shaky');
    expect(readiness(0.49, 0)).toBe('weak');
  });
});

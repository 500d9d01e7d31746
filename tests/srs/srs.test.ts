import { describe, expect, it } from 'vitest';
import { computeDecayFactor, fsrs, generatorParameters } from 'ts-fsrs';
import { CURVE } from '../../src/srs/curve.js';
import { fromStored, isDue, mastery, parameters, ratingFor, readiness, replay, replayAll, retrievability, review } from '../../src/srs/index.js';
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
    expect(mastery(undefined, 1, t0)).toBe(0);
    expect(retrievability(undefined, t0)).toBe(0);
    expect(isDue(undefined, t0)).toBe(false);
  });

  it('rebuilds the same card from history as incremental reviews', () => {
    const history = [attempt('q', at(0).toISOString(), 'good'), attempt('q', at(3).toISOString(), 'again'), attempt('q', at(4).toISOString(), 'easy')];
    let card: StoredCard | undefined;
    for (const a of history) card = review(card, a.rating, new Date(a.at));
    expect(replay([...history].reverse())).toEqual(card);
    expect(replayAll(history).q).toEqual(card);
  });

  it('a review dated before the last one (clock jumped back) is taken as made at the last one', () => {
    const later = review(undefined, 'good', at(30));
    expect(() => review(later, 'easy', at(1))).not.toThrow();
    expect(review(later, 'easy', at(1))).toEqual(review(later, 'easy', at(30)));
  });

  it('an easy answer today is not due tomorrow; an again answer is', () => {
    const easy = review(undefined, 'easy', t0);
    const again = review(undefined, 'again', t0);
    expect(isDue(easy, at(1))).toBe(false);
    expect(isDue(again, at(1))).toBe(true);
    expect(mastery(easy, 1, at(1))).toBeGreaterThan(mastery(again, 0, at(1)));
  });

  it('mastery decays with time and stays within 0..1', () => {
    const card = review(undefined, 'good', t0);
    const soon = mastery(card, 0.8, at(1));
    const later = mastery(card, 0.8, at(60));
    expect(soon).toBeLessThanOrEqual(1);
    expect(later).toBeGreaterThan(0);
    expect(later).toBeLessThan(soon);
  });

  it("uses ts-fsrs's own forgetting-curve constants for the scheduler's parameters", () => {
    expect(CURVE).toEqual(computeDecayFactor(parameters.w));
  });

  it('computes retrievability exactly as ts-fsrs get_retrievability does', () => {
    const scheduler = fsrs(generatorParameters({ enable_short_term: false, enable_fuzz: false }));
    const ratings = ['again', 'hard', 'good', 'easy'] as const;
    let card: StoredCard | undefined;
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      card = review(card, ratings[(i * 7) % 4] as (typeof ratings)[number], at(i * 3 + (i % 5) / 7));
      for (const later of [0, 0.4, 1, 2.5, 17, 400]) {
        const now = at(i * 3 + later);
        const expected = scheduler.get_retrievability(fromStored(card), now, false);
        expect(retrievability(card, now)).toBe(Math.min(1, Math.max(0, expected)));
        checked += 1;
      }
    }
    expect(checked).toBe(240);
  });
});

describe('mastery: recall a week ahead × the latest answer\'s credit (README)', () => {
  // Hand-worked from ts-fsrs's default weights: a first review gives stability 0.212 (again),
  // 1.2931 (hard), 2.3065 (good), 8.2956 (easy) days; R(t) = (1 + 0.98034649·t/S)^-0.1542.
  const first = (rating: 'again' | 'hard' | 'good' | 'easy') => review(undefined, rating, t0);

  it('all again: a failed answer gives 0, whatever came before', () => {
    expect(mastery(first('again'), 0, t0)).toBe(0);
    expect(mastery(first('again'), 0.33, t0)).toBe(0);
    let card = first('easy');
    card = review(card, 'easy', at(8));
    expect(mastery(card, 1, at(8))).toBeGreaterThan(0.9);
    card = review(card, 'again', at(30));
    expect(mastery(card, 0, at(30))).toBe(0);
  });

  it('all easy: R 7 days after one easy review is 0.91123677', () => {
    expect(mastery(first('easy'), 1, t0)).toBeCloseTo(0.91123677, 8);
    // (1 + 0.98034649·7/8.2956)^-0.1542 = 1.82724^-0.1542
    expect(Math.pow(1 + (0.98034649 * 7) / 8.2956, -0.1542)).toBeCloseTo(0.9112, 4);
  });

  it('mixed: a good answer with 80 % of the points is 0.80830994 × 0.8; hard at 50 % is 0.7527795 × 0.5', () => {
    expect(mastery(first('good'), 0.8, t0)).toBeCloseTo(0.80830994 * 0.8, 8);
    expect(mastery(first('hard'), 0.5, t0)).toBeCloseTo(0.7527795 * 0.5, 8);
  });

  it('long gap: 60 days after one easy review, R at day 67 is 0.7137', () => {
    expect(mastery(first('easy'), 1, at(60))).toBeCloseTo(Math.pow(1 + (0.98034649 * 67) / 8.2956, -0.1542), 6);
    expect(mastery(first('easy'), 1, at(60))).toBeCloseTo(0.7137, 3);
  });

  it('again today ranks below easy today; failing never raises it, succeeding raises it', () => {
    expect(mastery(first('again'), 0, t0)).toBeLessThan(mastery(first('easy'), 1, t0));
    const ratings = ['again', 'hard', 'good', 'easy'] as const;
    const scores = { again: 0, hard: 0.5, good: 0.8, easy: 1 };
    // Every two-answer history, with gaps from 0 to 200 days: a failed second answer never
    // raises mastery; an easy one never lowers it.
    for (const r1 of ratings) {
      for (const gap of [0, 1, 5, 30, 200]) {
        const card = first(r1);
        const before = mastery(card, scores[r1], at(gap));
        expect(mastery(review(card, 'again', at(gap)), 0, at(gap))).toBeLessThanOrEqual(before);
        expect(mastery(review(card, 'easy', at(gap)), 1, at(gap))).toBeGreaterThanOrEqual(before);
      }
    }
  });

  it('looks further ahead when given a horizon (the interview date of a plan)', () => {
    const card = first('easy');
    expect(mastery(card, 1, t0, 30 * day)).toBeLessThan(mastery(card, 1, t0));
    expect(mastery(card, 1, t0, 0)).toBe(1);
  });
});

describe('readiness', () => {
  it('is ready at ≥ 0.8 with nothing due, shaky at ≥ 0.5, else weak', () => {
    expect(readiness(0.8, 0)).toBe('ready');
    expect(readiness(0.79, 0)).toBe('shaky');
    expect(readiness(0.9, 1)).toBe('shaky');
    expect(readiness(0.5, 0)).toBe('shaky');
    expect(readiness(0.49, 0)).toBe('weak');
  });

  it('a topic answered mostly wrong is never ready: 3 failed + 1 easy of 4 is weak', () => {
    const m = (0 + 0 + 0 + mastery(review(undefined, 'easy', t0), 1, t0)) / 4;
    expect(m).toBeCloseTo(0.2278, 4);
    expect(readiness(m, 0)).toBe('weak');
  });
});

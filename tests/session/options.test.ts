import { describe, expect, it } from 'vitest';
import { sessionOptions, sessionPlan } from '../../src/commands/session-options.js';
import { makeQuestion } from '../helpers.js';

describe('sessionOptions: one route from flags to a session', () => {
  it("takes --count, else the command's default", () => {
    expect(sessionOptions({ count: 3 }, { count: 10 }).count).toBe(3);
    expect(sessionOptions({}, { count: 10 }).count).toBe(10);
    expect(sessionOptions({}, { count: 5 }).count).toBe(5);
  });

  it('uses one seed for the selection and the plan (the order of choices)', () => {
    const a = sessionOptions({ seed: 42 }, { count: 10 });
    const b = sessionOptions({ seed: 42 }, { count: 10 });
    expect([a.random(), a.random()]).toEqual([b.random(), b.random()]);
    const plan = sessionPlan('drill', [{ name: 'orm', title: 'ORM', description: '', order: 0 }], [makeQuestion('orm-a')], a);
    expect(plan).toMatchObject({ seed: 42, limit: 10, topics: ['orm'], type: false, pager: true });
    expect(sessionOptions({ seed: 43 }, { count: 1 }).random()).not.toBe(sessionOptions({ seed: 42 }, { count: 1 }).random());
  });

  it('draws a seed when none is given, and maps --timed, --type and --no-pager', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => sessionOptions({}, { count: 1 }).seed));
    expect(seeds.size).toBeGreaterThan(1);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0).toBe(true);
    expect(sessionOptions({ timed: true }, { count: 1 }).timed).toBe('question');
    expect(sessionOptions({ timed: 45 }, { count: 1 }).timed).toBe(45);
    expect(sessionOptions({}, { count: 1 }).timed).toBeUndefined();
    expect(sessionOptions({ type: true, pager: false }, { count: 1 })).toMatchObject({ type: true, pager: false });
  });
});

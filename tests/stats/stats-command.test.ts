import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { statsCommand } from '../../src/commands/stats.js';
import { UsageError } from '../../src/errors.js';
import { attempt, captureContext, emptyScores, makeBank, makeScores } from './fixtures.js';

const fraction = z.number().min(0).max(1);
const count = z.number().int().min(0);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// The public schema of `django-drill stats --json`, version 1.
const StatsJsonSchema = z
  .object({
    version: z.literal(1),
    generatedAt: z.string().datetime(),
    topics: z.array(
      z
        .object({
          topic: z.string(),
          title: z.string(),
          mastery: fraction,
          seen: count,
          total: count,
          due: count,
          accuracy30d: fraction.nullable(),
          readiness: z.enum(['ready', 'shaky', 'weak']),
        })
        .strict(),
    ),
    totals: z
      .object({
        attempts: count,
        sessions: count,
        totalTimeMs: count,
        streak: z.object({ current: count, best: count }).strict(),
      })
      .strict(),
    heatmap: z
      .object({
        start: isoDate,
        end: isoDate,
        days: z.array(z.object({ date: isoDate, count }).strict()).length(84),
      })
      .strict(),
    weakest: z
      .array(z.object({ id: z.string(), topic: z.string(), title: z.string(), mastery: fraction, lastScore: fraction }).strict())
      .max(5),
    interviews: z.array(z.object({ at: z.string(), signal: z.enum(['strong', 'lean yes', 'lean no', 'not yet']) }).strict()).max(5),
  })
  .strict();

const NOW = new Date('2026-11-25T12:00:00Z');
const history = [
  attempt('orm-one', '2026-11-24T09:00:00Z', 1, { sessionId: 'a', durationMs: 40_000 }),
  attempt('orm-two', '2026-11-24T09:05:00Z', 0.5, { sessionId: 'a', durationMs: 20_000 }),
  attempt('models-one', '2026-11-25T08:00:00Z', 0, { sessionId: 'b', durationMs: 30_000 }),
];

describe('stats --json', () => {
  it('prints one JSON document matching the public schema', async () => {
    const ctx = captureContext(makeBank(), makeScores(history), { json: true, now: NOW });
    await statsCommand(ctx, []);
    expect(ctx.outCalls).toBe(1);
    const doc = StatsJsonSchema.parse(JSON.parse(ctx.stdout()));
    expect(doc.topics.map((t) => t.topic)).toEqual(['orm', 'models', 'views']);
    expect(doc.totals).toEqual({ attempts: 3, sessions: 2, totalTimeMs: 90_000, streak: doc.totals.streak });
    expect(doc.totals.streak.best).toBe(2);
    expect(doc.heatmap.end).toBe(doc.heatmap.days[83]?.date);
    expect(doc.weakest.map((q) => q.id)).toContain('models-one');
    expect(doc.generatedAt).toBe(NOW.toISOString());
  });

  it('is still valid, with zeros, for an empty history', async () => {
    const ctx = captureContext(makeBank(), emptyScores(), { json: true, now: NOW });
    await statsCommand(ctx, []);
    const doc = StatsJsonSchema.parse(JSON.parse(ctx.stdout()));
    expect(doc.totals).toEqual({ attempts: 0, sessions: 0, totalTimeMs: 0, streak: { current: 0, best: 0 } });
    expect(doc.weakest).toEqual([]);
    expect(doc.topics.every((t) => t.mastery === 0 && t.accuracy30d === null)).toBe(true);
  });

  it('reports only the topics asked for', async () => {
    const ctx = captureContext(makeBank(), makeScores(history), { json: true, now: NOW });
    await statsCommand(ctx, ['models']);
    const doc = StatsJsonSchema.parse(JSON.parse(ctx.stdout()));
    expect(doc.topics.map((t) => t.topic)).toEqual(['models']);
    expect(doc.totals.attempts).toBe(1);
  });

  it('escapes control characters from a pack’s titles', async () => {
    const bank = makeBank();
    bank.topics[0]!.title = 'ORM\x1b]0;pwned\x07\x9b2J';
    const ctx = captureContext(bank, makeScores(history), { json: true, now: NOW });
    await statsCommand(ctx, []);
    expect(ctx.stdout()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(JSON.parse(ctx.stdout()).topics[0].title).toBe('ORM\x1b]0;pwned\x07\x9b2J');
  });
});

describe('stats screen', () => {
  it('prints the rendered screen, plain when colour is off', async () => {
    const ctx = captureContext(makeBank(), makeScores(history), { now: NOW });
    await statsCommand(ctx, []);
    const out = ctx.stdout();
    expect(out).toContain('Activity, last 12 weeks');
    expect(out).toContain('3 answers');
    expect(out).not.toMatch(/\x1b/);
  });

  it('points a new user at a drill', async () => {
    const ctx = captureContext(makeBank(), emptyScores(), { now: NOW });
    await statsCommand(ctx, []);
    expect(ctx.stdout()).toContain('django-drill drill orm');
  });

  it('rejects an unknown topic as a usage error', async () => {
    const ctx = captureContext(makeBank(), emptyScores(), { now: NOW });
    await expect(statsCommand(ctx, ['ormm'])).rejects.toBeInstanceOf(UsageError);
  });
});

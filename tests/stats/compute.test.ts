import { describe, expect, it } from 'vitest';
import { questionProgress, topicProgress } from '../../src/session/progress.js';
import { computeStats, dayKey, HEATMAP_DAYS, localDayCounter, streaks, weekday } from '../../src/session/stats.js';
import { heatmapGrid } from '../../src/render/stats.js';
import type { Attempt } from '../../src/types.js';
import { attempt, emptyScores, makeBank, makeScores } from './fixtures.js';

const NOW = new Date('2026-11-25T12:00:00Z'); // a Wednesday
const UTC = 'UTC';

function daysAgo(n: number, time = '10:00:00'): string {
  const day = new Date(NOW.getTime() - n * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${time}Z`;
}

describe('streaks', () => {
  it('counts the run ending today, and the best run anywhere', () => {
    // Active: today, 1, 2 days ago (run of 3); 5..9 days ago (run of 5).
    const history = [0, 1, 2, 5, 6, 7, 8, 9].map((n) => attempt('orm-one', daysAgo(n)));
    const stats = computeStats({ bank: makeBank(), scores: makeScores(history), now: NOW, timeZone: UTC });
    expect(stats.totals.streak).toEqual({ current: 3, best: 5 });
  });

  it('keeps the current streak alive when the last answer was yesterday', () => {
    const history = [1, 2, 3, 4].map((n) => attempt('orm-one', daysAgo(n)));
    const stats = computeStats({ bank: makeBank(), scores: makeScores(history), now: NOW, timeZone: UTC });
    expect(stats.totals.streak).toEqual({ current: 4, best: 4 });
  });

  it('drops the current streak to 0 after a missed day', () => {
    const history = [2, 3].map((n) => attempt('orm-one', daysAgo(n)));
    const stats = computeStats({ bank: makeBank(), scores: makeScores(history), now: NOW, timeZone: UTC });
    expect(stats.totals.streak).toEqual({ current: 0, best: 2 });
  });

  it('counts a day once however many answers it has', () => {
    const history = [attempt('orm-one', daysAgo(0, '08:00:00')), attempt('orm-two', daysAgo(0, '09:00:00')), attempt('orm-one', daysAgo(0, '10:00:00'))];
    const stats = computeStats({ bank: makeBank(), scores: makeScores(history), now: NOW, timeZone: UTC });
    expect(stats.totals.streak).toEqual({ current: 1, best: 1 });
    expect(stats.totals.activeDays).toBe(1);
  });

  it('is not broken by an answer stamped in the future (another machine’s clock)', () => {
    expect(streaks([10, 11, 12, 14], 12)).toEqual({ current: 3, best: 3 });
    expect(streaks([], 12)).toEqual({ current: 0, best: 0 });
  });
});

describe('local days', () => {
  // 23:30Z on the 24th is 08:30 on the 25th in Tokyo, 18:30 on the 24th in New York.
  const history = [attempt('orm-one', '2026-11-23T12:00:00Z'), attempt('orm-two', '2026-11-24T23:30:00Z')];
  const scores = makeScores(history);

  it('puts an answer on the local calendar day of the given time zone', () => {
    const tokyo = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: 'Asia/Tokyo' });
    const newYork = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: 'America/New_York' });
    const count = (s: typeof tokyo, date: string) => s.heatmap.days.find((d) => d.date === date)?.count;
    expect(count(tokyo, '2026-11-25')).toBe(1);
    expect(count(tokyo, '2026-11-24')).toBe(0);
    expect(count(newYork, '2026-11-24')).toBe(1);
    expect(count(newYork, '2026-11-25')).toBe(0);
  });

  it('changes the streak with the time zone', () => {
    // Tokyo: 23rd and 25th (gap on the 24th); today is the 25th (21:00 local).
    const tokyo = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: 'Asia/Tokyo' });
    expect(tokyo.totals.streak).toEqual({ current: 1, best: 1 });
    // New York: 23rd and 24th; today is the 25th (07:00 local), so the run ended yesterday.
    const newYork = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: 'America/New_York' });
    expect(newYork.totals.streak).toEqual({ current: 2, best: 2 });
  });

  it('ends the heatmap on the local today', () => {
    const late = new Date('2026-11-25T23:30:00Z');
    expect(computeStats({ bank: makeBank(), scores, now: late, timeZone: 'Asia/Tokyo' }).heatmap.end).toBe('2026-11-26');
    expect(computeStats({ bank: makeBank(), scores, now: late, timeZone: 'America/New_York' }).heatmap.end).toBe('2026-11-25');
  });

  it('agrees with Intl for every instant around DST changes and odd offsets', () => {
    const reference = (zone: string) => {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      return (ms: number) => f.format(new Date(ms));
    };
    const zones = ['America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
    // Around 2026's transitions (March/April, October/November) in 7-minute steps.
    const windows = ['2026-03-07T00:00:00Z', '2026-03-28T00:00:00Z', '2026-04-04T00:00:00Z', '2026-09-26T00:00:00Z', '2026-10-03T00:00:00Z', '2026-10-24T00:00:00Z', '2026-10-31T00:00:00Z'];
    const savedTz = process.env.TZ;
    try {
      for (const zone of zones) {
        // The named zone through Intl, and the machine's zone (here TZ) through Date.
        const named = localDayCounter(zone);
        process.env.TZ = zone;
        const machine = localDayCounter();
        const expected = reference(zone);
        for (const start of windows) {
          const from = Date.parse(start);
          for (let ms = from; ms < from + 3 * 86_400_000; ms += 7 * 60_000 + 13_000) {
            expect(dayKey(named(ms)), `${zone} ${new Date(ms).toISOString()}`).toBe(expected(ms));
            expect(dayKey(machine(ms)), `TZ=${zone} ${new Date(ms).toISOString()}`).toBe(expected(ms));
          }
        }
      }
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });
});

describe('heatmap', () => {
  it('has 84 days ending today, oldest first, counting answers per day', () => {
    const history = [attempt('orm-one', daysAgo(0)), attempt('orm-two', daysAgo(0, '11:00:00')), attempt('orm-one', daysAgo(83)), attempt('orm-one', daysAgo(84))];
    const { heatmap } = computeStats({ bank: makeBank(), scores: makeScores(history), now: NOW, timeZone: UTC });
    expect(heatmap.days).toHaveLength(HEATMAP_DAYS);
    expect(HEATMAP_DAYS).toBe(84);
    expect(heatmap.end).toBe('2026-11-25');
    expect(heatmap.start).toBe('2026-09-03');
    expect(heatmap.days[0]).toEqual({ date: '2026-09-03', count: 1 });
    expect(heatmap.days[83]).toEqual({ date: '2026-11-25', count: 2 });
    expect(heatmap.days.reduce((sum, d) => sum + d.count, 0)).toBe(3); // the 85th day back is outside
    expect(heatmap.max).toBe(2);
  });

  it('lays the 84 days out in Mon..Sun rows, one column per week', () => {
    const { heatmap } = computeStats({ bank: makeBank(), scores: emptyScores(), now: NOW, timeZone: UTC });
    const grid = heatmapGrid(heatmap);
    expect(grid).toHaveLength(7);
    const cells = grid.flat().filter((cell) => cell !== null);
    expect(cells).toHaveLength(84);
    // 2026-09-03 is a Thursday: row 3 of the first column; today (Wednesday) is row 2 of the last.
    expect(grid[3]?.[0]?.date).toBe('2026-09-03');
    expect(grid[2]?.[0]).toBeNull();
    expect(grid[0]).toHaveLength(13);
    expect(grid[2]?.at(-1)?.date).toBe('2026-11-25');
    expect(grid[3]?.at(-1)).toBeNull(); // tomorrow
    for (const [row, cellsOfRow] of grid.entries()) {
      for (const cell of cellsOfRow) if (cell) expect(weekday(Date.parse(cell.date) / 86_400_000)).toBe(row);
    }
  });
});

describe('per topic and totals', () => {
  const history: Attempt[] = [
    attempt('orm-one', daysAgo(1), 1, { durationMs: 30_000, sessionId: 'a' }),
    attempt('orm-one', daysAgo(2), 0.5, { durationMs: 90_000, sessionId: 'a' }),
    attempt('orm-two', daysAgo(40), 0, { durationMs: 60_000, sessionId: 'b' }), // outside 30 days
    attempt('models-one', daysAgo(3), 0.25, { durationMs: 15_000, sessionId: 'c' }),
  ];
  const scores = makeScores(history);

  it('takes mastery, seen, due and readiness from the progress module', () => {
    const bank = makeBank();
    const stats = computeStats({ bank, scores, now: NOW, timeZone: UTC });
    const expected = topicProgress(bank, questionProgress(bank, scores, NOW));
    expect(stats.topics.map((t) => [t.topic.name, t.mastery, t.seen, t.total, t.due, t.readiness])).toEqual(
      expected.map((t) => [t.topic.name, t.mastery, t.seen, t.total, t.due, t.readiness]),
    );
    expect(stats.topics.find((t) => t.topic.name === 'orm')).toMatchObject({ seen: 2, total: 4 });
    expect(stats.topics.find((t) => t.topic.name === 'views')).toMatchObject({ mastery: 0, seen: 0, total: 1 });
  });

  it('averages scores of the last 30 days only; null when a topic had none', () => {
    const stats = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: UTC });
    const byName = new Map(stats.topics.map((t) => [t.topic.name, t]));
    expect(byName.get('orm')?.accuracy30d).toBeCloseTo(0.75);
    expect(byName.get('orm')?.attempts30d).toBe(2);
    expect(byName.get('models')?.accuracy30d).toBeCloseTo(0.25);
    expect(byName.get('views')?.accuracy30d).toBeNull();
  });

  it('sums attempts, distinct sessions and time', () => {
    const { totals } = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: UTC });
    expect(totals.attempts).toBe(4);
    expect(totals.sessions).toBe(3);
    expect(totals.totalTimeMs).toBe(195_000);
  });

  it('limits everything to the selected topics, in the order asked', () => {
    const stats = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: UTC, topics: ['models', 'orm'] });
    expect(stats.topics.map((t) => t.topic.name)).toEqual(['models', 'orm']);
    const models = computeStats({ bank: makeBank(), scores, now: NOW, timeZone: UTC, topics: ['models'] });
    expect(models.totals).toMatchObject({ attempts: 1, sessions: 1, totalTimeMs: 15_000 });
    expect(models.weakest.map((q) => q.id)).toEqual(['models-one']);
  });

  it('lists the weakest seen questions: lowest mastery, then lowest last score, at most 5', () => {
    const bank = makeBank();
    const many = bank.questions.map((q, i) => attempt(q.id, daysAgo(i + 1), (i % 3) / 2));
    const stats = computeStats({ bank, scores: makeScores(many), now: NOW, timeZone: UTC });
    expect(stats.weakest).toHaveLength(5);
    for (let i = 1; i < stats.weakest.length; i++) {
      const a = stats.weakest[i - 1]!;
      const b = stats.weakest[i]!;
      expect(a.mastery < b.mastery || (a.mastery === b.mastery && a.lastScore <= b.lastScore)).toBe(true);
    }
    const unseen = computeStats({ bank, scores, now: NOW, timeZone: UTC });
    expect(unseen.weakest.map((q) => q.id).sort()).toEqual(['models-one', 'orm-one', 'orm-two']);
    expect(unseen.weakest.find((q) => q.id === 'orm-one')?.lastScore).toBe(1);
  });

  it('gives zeros, not errors, for an empty history', () => {
    const stats = computeStats({ bank: makeBank(), scores: emptyScores(), now: NOW, timeZone: UTC });
    expect(stats.totals).toEqual({ attempts: 0, sessions: 0, totalTimeMs: 0, activeDays: 0, streak: { current: 0, best: 0 } });
    expect(stats.weakest).toEqual([]);
    expect(stats.heatmap.days.every((d) => d.count === 0)).toBe(true);
  });
});

// Speed is measured by the bench (`stats (100k attempts)`), never by a timed unit test.
describe('scale', () => {
  it('counts 100,000 attempts over two years exactly', () => {
    const bank = makeBank();
    const ids = bank.questions.map((q) => q.id);
    const attempts: Attempt[] = [];
    const start = NOW.getTime() - 2 * 365 * 86_400_000;
    for (let i = 0; i < 100_000; i++) {
      const at = new Date(start + i * 631_000).toISOString(); // ~10.5 minutes apart, two years
      attempts.push(attempt(ids[i % ids.length]!, at, (i % 4) / 3, { sessionId: `s${Math.floor(i / 10)}` }));
    }
    const scores = { version: 2 as const, attempts, cards: {}, sessions: [] };
    const stats = computeStats({ bank, scores, now: NOW, timeZone: 'Europe/Berlin' });
    expect(stats.totals.attempts).toBe(100_000);
    expect(stats.totals.sessions).toBe(10_000);
  });
});

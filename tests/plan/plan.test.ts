import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../src/errors.js';
import { addDays, daysBetween, localDay, parsePlanDate } from '../../src/plan/dates.js';
import { buildSchedule, masteryOn, paceOf, targetTime, todayOrder, type PlanState } from '../../src/plan/schedule.js';
import { PlanStore, type Plan } from '../../src/plan/store.js';
import { planView } from '../../src/plan/view.js';
import { replayAll, review } from '../../src/srs/index.js';
import type { Attempt, Question } from '../../src/types.js';
import { attempt, makeBank, makeQuestion, tempDir } from '../helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Local times: the plan works in calendar days of the machine's zone.
const now = new Date(2026, 11, 3, 9, 0, 0);

describe('parsePlanDate', () => {
  const usage = (input: string) => {
    try {
      parsePlanDate(input, now);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(EXIT.usage);
      return (error as UsageError).message;
    }
    throw new Error(`no error for ${input}`);
  };

  it('reads absolute days, today, tomorrow and relative counts', () => {
    expect(parsePlanDate('2026-12-14', now)).toBe('2026-12-14');
    expect(parsePlanDate('today', now)).toBe('2026-12-03');
    expect(parsePlanDate('tomorrow', now)).toBe('2026-12-04');
    expect(parsePlanDate('in 5d', now)).toBe('2026-12-08');
    expect(parsePlanDate('5d', now)).toBe('2026-12-08');
    expect(parsePlanDate('2w', now)).toBe('2026-12-17');
    expect(parsePlanDate('in 3 weeks', now)).toBe('2026-12-24');
    expect(parsePlanDate(' In 30 Days ', now)).toBe('2027-01-02');
  });

  it('refuses the past, impossible dates, far futures and nonsense with exit 2', () => {
    expect(usage('2026-12-02')).toBe('2026-12-02 is in the past (today is 2026-12-03).');
    expect(usage('2026-02-30')).toContain('not a date in the calendar');
    expect(usage('next friday')).toContain('Cannot read');
    expect(usage('2028-01-01')).toContain('more than a year away');
  });

  it('counts calendar days across a month and a DST change', () => {
    expect(daysBetween('2026-12-03', '2027-01-02')).toBe(30);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(localDay(now)).toBe('2026-12-03');
  });
});

const day = 86_400_000;
const questions: Question[] = Array.from({ length: 12 }, (_, i) => makeQuestion(`orm-${i}`, { topic: i < 6 ? 'orm' : 'views', time: 120 }));

describe('forecast maths', () => {
  it('is R at noon of the interview day × the latest credit: hand-worked', () => {
    const card = review(undefined, 'easy', now); // stability 8.2956 days
    const target = targetTime('2026-12-10', now); // 7 days 3 hours later → 7 whole days
    expect(Math.round((target - now.getTime()) / 3_600_000)).toBe(171);
    const expected = Math.pow(1 + (0.98034649 * 7) / 8.2956, -0.1542); // 0.9112
    expect(masteryOn({ card, lastScore: 1 }, target)).toBeCloseTo(expected, 6);
    expect(masteryOn({ card, lastScore: 0.5 }, target)).toBeCloseTo(expected * 0.5, 6);
    expect(masteryOn({ card: review(undefined, 'again', now), lastScore: 0 }, target)).toBe(0);
    expect(masteryOn(undefined, target)).toBe(0);
  });

  it('failing lowers the forecast, succeeding raises it', () => {
    const target = targetTime('2026-12-10', now);
    const before: PlanState = { card: review(undefined, 'good', new Date(now.getTime() - 3 * day)), lastScore: 0.8 };
    const failed: PlanState = { card: review(before.card, 'again', now), lastScore: 0 };
    const easy: PlanState = { card: review(before.card, 'easy', now), lastScore: 1 };
    expect(masteryOn(failed, target)).toBeLessThan(masteryOn(before, target));
    expect(masteryOn(easy, target)).toBeGreaterThan(masteryOn(before, target));
  });

  it('pace: the median ratio once 10 answers are known, else 1; clamped', () => {
    expect(paceOf(Array.from({ length: 9 }, () => ({ durationMs: 240_000, timeSec: 120 })))).toBe(1);
    expect(paceOf(Array.from({ length: 10 }, (_, i) => ({ durationMs: (i < 6 ? 240 : 60) * 1000, timeSec: 120 })))).toBe(2);
    expect(paceOf(Array.from({ length: 10 }, () => ({ durationMs: 3_600_000, timeSec: 60 })))).toBe(3);
  });
});

describe('buildSchedule', () => {
  const empty = new Map<string, PlanState>();

  it('fills each day up to the daily minutes, never over; new questions first', () => {
    const s = buildSchedule({ questions, state: empty, now, date: '2026-12-06', dailyMinutes: 5, pace: 1 });
    expect(s.daysLeft).toBe(3);
    expect(s.days.map((d) => d.day)).toEqual(['2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    for (const d of s.days) expect(d.seconds).toBeLessThanOrEqual(300);
    // 5 minutes of 2-minute questions: 2 a day.
    expect(s.days.map((d) => d.questions.length)).toEqual([2, 2, 2, 2]);
    const firstSeen = new Set(s.days.flatMap((d) => d.questions.map((q) => q.id)));
    expect(firstSeen.size).toBe(8);
  });

  it('the forecast if followed beats the forecast if idle, and is higher with more minutes', () => {
    const short = buildSchedule({ questions, state: empty, now, date: '2026-12-10', dailyMinutes: 5, pace: 1 });
    const long = buildSchedule({ questions, state: empty, now, date: '2026-12-10', dailyMinutes: 30, pace: 1 });
    for (const f of short.forecast) expect(f.followed).toBeGreaterThan(f.nothing);
    const mean = (s: typeof short) => s.forecast.reduce((a, f) => a + f.followed, 0) / s.forecast.length;
    expect(mean(long)).toBeGreaterThan(mean(short));
  });

  it('a slower pace fits fewer questions in a day', () => {
    const normal = buildSchedule({ questions, state: empty, now, date: '2026-12-05', dailyMinutes: 10, pace: 1 });
    const slow = buildSchedule({ questions, state: empty, now, date: '2026-12-05', dailyMinutes: 10, pace: 2 });
    expect(slow.days[0]?.questions.length).toBeLessThan(normal.days[0]?.questions.length ?? 0);
  });

  it("today's order: due first, then weak seen, then new", () => {
    const due: PlanState = { card: review(undefined, 'again', new Date(now.getTime() - 5 * day)), lastScore: 0 };
    const seen: PlanState = { card: review(undefined, 'easy', now), lastScore: 1 };
    const state = new Map([['orm-0', seen], ['orm-1', due]]);
    const ordered = todayOrder([questions[2] as Question, questions[0] as Question, questions[1] as Question], state, now, targetTime('2026-12-10', now));
    expect(ordered.map((q) => q.id)).toEqual(['orm-1', 'orm-0', 'orm-2']);
  });
});

describe('missed days re-spread the work (fake clock)', () => {
  const bank = makeBank(questions);
  const plan: Plan = { version: 1, date: '2026-12-10', dailyMinutes: 10, topics: ['orm', 'views'], createdAt: now.toISOString() };
  const at = (days: number) => new Date(now.getTime() + days * day);

  it('counts days without an answer since the plan was made, and plans the rest over the days left', () => {
    const attempts: Attempt[] = [attempt('orm-0', at(0).toISOString(), 'good', { topic: 'orm' })];
    const scores = { version: 2 as const, attempts, cards: replayAll(attempts), sessions: [] };
    const onTime = planView(plan, bank, scores, at(1));
    expect(onTime.missed).toBe(0);
    const late = planView(plan, bank, scores, at(3));
    expect(late.missed).toBe(2);
    expect(late.schedule.daysLeft).toBe(4);
    expect(late.schedule.days).toHaveLength(5);
    // What was planned for the missed days is not lost: the remaining days take it.
    const planned = new Set(late.schedule.days.flatMap((d) => d.questions.map((q) => q.id)));
    expect(planned.size).toBeGreaterThanOrEqual(onTime.schedule.days.slice(2).flatMap((d) => d.questions).length > 0 ? 10 : 0);
  });
});

describe('PlanStore', () => {
  const plan: Plan = { version: 1, date: '2026-12-10', dailyMinutes: 20, topics: ['orm'], createdAt: now.toISOString() };
  const home = () => {
    const h = tempDir('plan-');
    dirs.push(h);
    return h;
  };

  it('writes 0600, reads back, clears', async () => {
    const h = home();
    const store = new PlanStore(h, () => undefined);
    await store.write(plan);
    expect(statSync(join(h, 'plan.json')).mode & 0o777).toBe(0o600);
    expect(await store.read()).toEqual(plan);
    expect(await store.clear()).toBe(true);
    expect(await store.read()).toBeUndefined();
    expect(await store.clear()).toBe(false);
  });

  it('moves a corrupt file aside with a warning and never overwrites it', async () => {
    const h = home();
    const warnings: string[] = [];
    writeFileSync(join(h, 'plan.json'), '{"version": 1, "date": ');
    const store = new PlanStore(h, (w) => warnings.push(w), () => now);
    expect(await store.read()).toBeUndefined();
    expect(warnings[0]).toMatch(/plan.json was unreadable \(not valid JSON\); moved it to .*plan\.json\.corrupt-/);
    const aside = readdirSync(h).filter((f) => f.startsWith('plan.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(h, aside[0] as string), 'utf8')).toBe('{"version": 1, "date": ');
    writeFileSync(join(h, 'plan.json'), '[]');
    await store.write(plan);
    expect(readdirSync(h).filter((f) => f.startsWith('plan.json.corrupt-'))).toHaveLength(2);
  });

  it('refuses a plan from a newer django-drill, on read and on write, and leaves it untouched', async () => {
    const h = home();
    const newer = '{"version": 2, "date": "2026-12-10", "future": true}\n';
    writeFileSync(join(h, 'plan.json'), newer);
    const store = new PlanStore(h, () => undefined);
    await expect(store.read()).rejects.toThrow(/newer django-drill \(version 2\)/);
    await expect(store.write(plan)).rejects.toThrow(/newer django-drill/);
    expect(readFileSync(join(h, 'plan.json'), 'utf8')).toBe(newer);
  });

  it('a writer killed mid-write leaves the old plan or the new one, never a broken file', async () => {
    const { spawn } = await import('node:child_process');
    const { build } = await import('esbuild');
    const { CHILD_BANNER } = await import('../store/helpers.js');
    const h = home();
    const store = new PlanStore(h, () => undefined);
    await store.write(plan);
    const outfile = join(h, 'writer.mjs');
    await build({
      entryPoints: [new URL('./plan-writer-child.ts', import.meta.url).pathname],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: CHILD_BANNER },
      logLevel: 'error',
    });
    const plans = join(h, 'plans');
    mkdirSync(plans);
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, [outfile, plans], { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise((r) => child.stdout.once('data', r));
      await new Promise((r) => setTimeout(r, 150 + round * 70));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const read = await new PlanStore(plans, () => undefined).read();
      expect(read?.date).toBe('2026-12-10');
      expect(readdirSync(plans).filter((f) => f.startsWith('plan.json.corrupt'))).toEqual([]);
    }
  }, 20_000);
});

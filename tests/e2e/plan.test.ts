/** plan and today as a user runs them: the plan printed, today's share answered in a terminal. */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeBank } from '../helpers.js';
import { cleanEnv, KEY, run, spawnTerminal } from './harness.js';

let home: string;
let env: Record<string, string>;
let bank: string;

beforeEach(() => {
  home = tempDir('home-');
  // A fixed clock (the testing aid): the plan's days do not depend on when the test runs.
  env = cleanEnv(home, { DJANGO_DRILL_NOW: '2026-12-03T09:00:00' });
  bank = writeBank({
    orm: [
      { id: 'orm-a', title: 'ORM A', time: 60 },
      { id: 'orm-b', title: 'ORM B', time: 60 },
    ],
    views: [{ id: 'views-a', title: 'Views A', time: 60 }],
  });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(bank, { recursive: true, force: true });
});

interface PlanJson {
  daysLeft: number;
  forecast: { topic: string; followed: number; idle: number }[];
  days: { day: string; questions: string[] }[];
}

describe('plan and today', () => {
  it('today without a plan exits 2 with the way to make one', async () => {
    const r = await run(['today', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No study plan yet');
    expect(r.stderr).toContain('django-drill plan --date');
  });

  it('a past date is a usage error', async () => {
    const r = await run(['plan', '--date', '2026-12-01', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is in the past');
  });

  it('plan --date, then today answers its share and the forecast goes up', async () => {
    const made = await run(['plan', '--date', 'in 3d', '--daily', '5', '--questions', bank], env);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('3 days left until the interview on 2026-12-06.');
    expect(made.stdout).toContain('Forecast on the interview day');
    const before = JSON.parse((await run(['plan', '--json', '--questions', bank], env)).stdout) as PlanJson;
    expect(before.daysLeft).toBe(3);
    expect(before.forecast.every((f) => f.idle === 0)).toBe(true);
    const todays = before.days[0]?.questions ?? [];
    expect(todays.length).toBeGreaterThan(0);

    const t = spawnTerminal(['today', '--questions', bank], env);
    await t.waitFor("Today's share:");
    for (let i = 0; i < todays.length; i++) {
      await t.waitFor('press Enter to reveal');
      t.write(KEY.enter);
      await t.waitFor('Which key points did you cover?');
      t.write('a' + KEY.enter);
      await t.waitFor('Saved.');
      t.write(KEY.enter);
    }
    const end = await t.waitFor('3 days left');
    expect(end).toContain('Forecast on the interview day');
    expect(await t.exited).toBe(0);

    const after = JSON.parse((await run(['plan', '--json', '--questions', bank], env)).stdout) as PlanJson;
    const idle = (p: PlanJson) => p.forecast.reduce((s, f) => s + f.idle, 0);
    expect(idle(after)).toBeGreaterThan(idle(before));
    // What was answered today is not planned for today again.
    expect(after.days[0]?.questions.filter((id) => todays.includes(id))).toEqual([]);
  }, 30_000);
});

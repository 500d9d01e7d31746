import { describe, expect, it } from 'vitest';
import { percent, stripAnsi, visibleWidth } from '../../src/render/format.js';
import { activityLevel, renderStats, SHADES } from '../../src/render/stats.js';
import { computeStats, type Stats } from '../../src/session/stats.js';
import type { Attempt } from '../../src/types.js';
import { attempt, emptyScores, makeBank, makeScores, question, topic } from './fixtures.js';
import { withChalkLevel } from '../helpers.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const ANSI = /\x1b/;
withChalkLevel(1);

function busyStats(): Stats {
  const bank = makeBank();
  // Long names must still fit: a topic folder, an id and a title at their realistic worst.
  bank.topics.push(topic('authentication-and-permissions', 'Authentication and permissions'));
  bank.questions.push(
    question('authentication-and-permissions-custom-user-model-swappable-settings', 'authentication-and-permissions', {
      title: 'Why should every new project start with a custom user model, and what breaks if you switch later?',
    }),
  );
  const ids = bank.questions.map((q) => q.id);
  const history: Attempt[] = [];
  for (let day = 0; day < 90; day++) {
    for (let k = 0; k < (day * 7) % 6; k++) {
      const at = new Date(NOW.getTime() - day * 86_400_000 - k * 600_000).toISOString();
      history.push(attempt(ids[(day + k) % ids.length] ?? 'orm-one', at, ((day + k) % 4) / 3, { durationMs: 1_234_567 }));
    }
  }
  return computeStats({ bank, scores: makeScores(history), now: NOW, timeZone: 'UTC' });
}

describe('renderStats', () => {
  const stats = busyStats();

  it('fits 80 columns with and without colour, even on a wide terminal', () => {
    for (const color of [true, false]) {
      for (const width of [80, 200, undefined]) {
        for (const line of renderStats(stats, { color, width }).split('\n')) {
          expect(visibleWidth(line), JSON.stringify(stripAnsi(line))).toBeLessThanOrEqual(80);
        }
      }
    }
  });

  it('fits a narrower terminal by dropping bars, then the accuracy column: never a topic name or a number cut', () => {
    for (const width of [60, 40]) {
      const out = renderStats(stats, { color: true, width });
      for (const line of out.split('\n')) expect(visibleWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      const plain = stripAnsi(out);
      // Titles of the weakest questions may be shortened; topic rows never are.
      expect(plain.split('\n').filter((l) => /\d+\/\d+/.test(l) && l.includes('…'))).toEqual([]);
      for (const t of stats.topics) {
        expect(plain).toMatch(new RegExp(`\\s${percent(t.mastery)}\\s+${t.seen}/${t.total}\\s`));
        // A name is on one line when the terminal has room for it and the numbers.
        if (width === 60) expect(plain).toMatch(new RegExp(`^${t.topic.name}\\s`, 'm'));
      }
    }
  });

  it('has no ANSI without colour, and the same text with colour', () => {
    const plain = renderStats(stats, { color: false });
    const coloured = renderStats(stats, { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('shows one row per topic with bar, percent, seen/total, due, accuracy and readiness', () => {
    const plain = renderStats(stats, { color: false });
    for (const t of stats.topics) {
      const row = plain.split('\n').find((line) => line.startsWith(`${t.topic.name} `) || line.startsWith(`${t.topic.name.slice(0, 10)}`));
      expect(row, t.topic.name).toBeDefined();
      expect(row).toContain(`${t.seen}/${t.total}`);
      expect(row).toMatch(/[█░]{12}/);
      expect(row).toContain(t.readiness);
    }
  });

  it('draws a 12-week heatmap: 7 weekday rows, 84 day cells, a legend', () => {
    const lines = renderStats(stats, { color: false }).split('\n');
    const rows = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((day) => lines.find((l) => l.startsWith(day)));
    expect(rows.every((row) => row !== undefined)).toBe(true);
    const cells = rows.map((row) => [...(row ?? '').slice(4)].filter((ch) => ch === '·' || SHADES.includes(ch)).length);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(84);
    expect(lines).toContain('    less ░▒▓█ more');
    // The busiest day gets the darkest shade; a day without answers a dot.
    expect(lines.join('\n')).toContain('█');
    expect(lines.join('\n')).toContain('·');
  });

  it('lists the overall numbers and the streak', () => {
    const plain = renderStats(stats, { color: false });
    expect(plain).toContain(`${stats.totals.attempts.toLocaleString('en-US')} answers`);
    expect(plain).toMatch(/\d+ sessions/);
    expect(plain).toMatch(/\d+h \d+m practised/);
    expect(plain).toMatch(/streak|no current streak/);
  });

  it('lists the weakest questions by id', () => {
    const plain = renderStats(stats, { color: false });
    expect(plain).toContain('Weakest questions');
    for (const q of stats.weakest) expect(plain).toContain(q.id.slice(0, 20));
  });

  it('draws a 50% mastery bar half full', () => {
    const half: Stats = {
      ...stats,
      topics: [{ ...stats.topics[0]!, mastery: 0.5, readiness: 'shaky' }],
    };
    const row = renderStats(half, { color: false }).split('\n').find((l) => l.startsWith('orm'));
    expect(row).toContain(`${'█'.repeat(6)}${'░'.repeat(6)}  50%`);
  });
});

describe('activityLevel', () => {
  it('maps counts to quartiles of the busiest day', () => {
    expect([0, 1, 2, 3, 4, 5, 8].map((n) => activityLevel(n, 8))).toEqual([0, 1, 1, 2, 2, 3, 4]);
    expect(activityLevel(3, 0)).toBe(0);
  });
});

describe('empty history', () => {
  it('points at `django-drill drill <topic>` instead of an empty screen', () => {
    const stats = computeStats({ bank: makeBank(), scores: emptyScores(), now: NOW, timeZone: 'UTC' });
    const out = renderStats(stats, { color: false });
    expect(out).toContain('No answers yet');
    expect(out).toContain('django-drill drill orm');
    expect(out).toContain('Topics: orm, models, views');
    expect(out).not.toMatch(ANSI);
  });

  it('names the topic when one was asked for', () => {
    const stats = computeStats({ bank: makeBank(), scores: emptyScores(), now: NOW, timeZone: 'UTC', topics: ['views'] });
    expect(renderStats(stats, { color: false, scoped: true })).toBe('No answers yet in views. Start with: django-drill drill views');
    expect(renderStats(stats, { color: false })).toBe('No answers yet. Start with: django-drill drill views');
  });
});

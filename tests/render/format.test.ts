import chalk from 'chalk';
import { describe, expect, it } from 'vitest';
import {
  bar,
  count,
  duration,
  padEnd,
  percent,
  plural,
  readinessLabel,
  relativeDue,
  stripAnsi,
  table,
  truncate,
  visibleWidth,
} from '../../src/render/format.js';
import { withChalkLevel } from '../helpers.js';

const ANSI = /\x1b\[/;
withChalkLevel(1);

describe('bar', () => {
  it('fills half the cells for 50%', () => {
    const plain = bar(0.5, 20, { color: false });
    expect(plain).toBe(`${'█'.repeat(10)}${'░'.repeat(10)}`);
    expect(visibleWidth(bar(0.5, 20, { color: true }))).toBe(20);
  });

  it('is exactly `width` cells at the extremes and clamps bad input', () => {
    expect(bar(0, 8, { color: false })).toBe('░'.repeat(8));
    expect(bar(1, 8, { color: false })).toBe('█'.repeat(8));
    expect(bar(7, 8, { color: false })).toBe('█'.repeat(8));
    expect(bar(Number.NaN, 8, { color: false })).toBe('░'.repeat(8));
  });

  it('can carry the percentage after the bar', () => {
    expect(bar(0.5, 10, { percent: true, color: false })).toBe(`${'█'.repeat(5)}${'░'.repeat(5)}  50%`);
  });

  it('is coloured with colour on and plain with colour off', () => {
    expect(bar(0.9, 10, { color: true })).toMatch(ANSI);
    expect(bar(0.9, 10, { color: false })).not.toMatch(ANSI);
    // Left out, `color` follows chalk.level (set by the CLI at start-up).
    expect(bar(0.9, 10)).toMatch(ANSI);
  });
});

describe('percent', () => {
  it.each([
    [0, '0%'],
    [0.5, '50%'],
    [0.424, '42%'],
    [1, '100%'],
    [0.999, '99%'],
    [0.001, '1%'],
    [1.7, '100%'],
    [-1, '0%'],
    [Number.NaN, '0%'],
  ])('%s → %s', (value, expected) => {
    expect(percent(value)).toBe(expected);
  });
});

describe('visibleWidth', () => {
  it('ignores ANSI styling and hyperlinks', () => {
    expect(visibleWidth(chalk.red.bold('abc'))).toBe(3);
    expect(visibleWidth('\x1b]8;;https://x.y\x07link\x1b]8;;\x07')).toBe(4);
  });

  it('counts CJK and emoji as two columns and combining marks as none', () => {
    expect(visibleWidth('日本')).toBe(4);
    expect(visibleWidth('🎯x')).toBe(3);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(visibleWidth('█░▒▓')).toBe(4);
  });

  it('pads and truncates by visible width', () => {
    expect(stripAnsi(padEnd(chalk.green('ok'), 5))).toBe('ok   ');
    expect(truncate('select_related vs prefetch_related', 10)).toBe('select_re…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('table', () => {
  const rows = [
    ['orm', 'select_related vs prefetch_related and a great deal more text that will not fit', '42%'],
    ['models', 'null vs blank', '7%'],
  ];

  it('fits the given width, wrapping the widest column', () => {
    for (const width of [80, 50, 30]) {
      const out = table(rows, { head: ['topic', 'title', 'mastery'], align: ['left', 'left', 'right'], width, color: false });
      for (const line of out.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
      expect(out).toContain('models');
    }
  });

  it('can cut instead of wrapping, one line per row', () => {
    const out = table(rows, { width: 40, overflow: 'truncate', color: false });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('…');
  });

  it('aligns coloured cells exactly like plain ones', () => {
    const coloured = rows.map(([a, b, c]) => [chalk.bold(a ?? ''), b ?? '', chalk.yellow(c ?? '')]);
    const plain = table(rows, { head: ['topic', 'title', 'mastery'], align: ['left', 'left', 'right'], width: 60, color: false });
    const styled = table(coloured, { head: ['topic', 'title', 'mastery'], align: ['left', 'left', 'right'], width: 60, color: true });
    expect(styled).toMatch(ANSI);
    expect(stripAnsi(styled)).toBe(plain);
  });

  it('right-aligns numbers and has no trailing spaces or borders', () => {
    const out = table([['a', '5'], ['b', '100']], { align: ['left', 'right'], color: false });
    expect(out).toBe('a    5\nb  100');
  });

  it('adds no ANSI with colour off, not even for the header', () => {
    expect(table(rows, { head: ['topic', 'title', 'mastery'], color: false })).not.toMatch(ANSI);
  });
});

describe('readinessLabel', () => {
  it('colours ready green, shaky yellow, weak red', () => {
    expect(readinessLabel('ready', true)).toBe('\x1b[32mready\x1b[39m');
    expect(readinessLabel('shaky', true)).toBe('\x1b[33mshaky\x1b[39m');
    expect(readinessLabel('weak', true)).toBe('\x1b[31mweak\x1b[39m');
  });

  it('is the bare word without colour', () => {
    expect(readinessLabel('shaky', false)).toBe('shaky');
  });
});

describe('relativeDue', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it.each([
    ['2026-11-25T12:00:20Z', 'now'],
    ['2026-11-28T12:00:00Z', 'in 3d'],
    ['2026-11-23T11:00:00Z', '2d ago'],
    ['2026-11-25T17:30:00Z', 'in 5h'],
    ['2026-11-25T11:50:00Z', '10m ago'],
    ['2027-02-25T12:00:00Z', 'in 3mo'],
    [undefined, '-'],
    ['not a date', '-'],
  ])('%s → %s', (iso, expected) => {
    expect(relativeDue(iso, now)).toBe(expected);
  });
});

describe('duration and count', () => {
  it('formats hours and minutes', () => {
    expect(duration(5_025_000)).toBe('1h 23m');
    expect(duration(12 * 60_000)).toBe('12m');
    expect(duration(45_000)).toBe('45s');
    expect(duration(0)).toBe('0s');
  });

  it('groups thousands without depending on the locale', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(count(999)).toBe('999');
  });

  it('says "1 question", "0 questions" and "10,000 questions"', () => {
    expect(plural(1, 'question')).toBe('1 question');
    expect(plural(0, 'question')).toBe('0 questions');
    expect(plural(10_000, 'question')).toBe('10,000 questions');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});

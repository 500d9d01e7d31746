/**
 * Small terminal formatting helpers shared by the commands: widths, bars, percentages, tables,
 * readiness labels, relative dates, durations.
 *
 * Colour: the CLI sets `chalk.level` once at start-up. Helpers that style take an optional
 * `color` flag; left out, they follow `chalk.level`. `color: false` guarantees no ANSI at all,
 * whatever the level (tests and `--no-color` screens depend on that).
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import type { Readiness } from '../srs/curve.js';

const plainChalk = new Chalk({ level: 0 });

/** The chalk to style with: level 0 when `color` is false, else the CLI-configured default. */
export function painter(color?: boolean): ChalkInstance {
  if (color === false) return plainChalk;
  return chalk;
}

function colorOn(color?: boolean): boolean {
  return color ?? chalk.level > 0;
}

// SGR and other CSI sequences, plus OSC (hyperlinks) — what our own styling may contain.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const WIDE = /^[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]$/u;

function charWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x7f) return code >= 0x20 ? 1 : 0;
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Columns `text` takes in a terminal: ANSI codes count 0, CJK and emoji 2. Single line. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function visibleWidth(text: string): number {
  // Fast path for the bulk of cells: plain printable ASCII is one column a character.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  const plain = stripAnsi(text);
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    // Fast path: the bulk of our text is ASCII.
    if (code >= 0x20 && code < 0x7f) {
      width += 1;
      continue;
    }
    const ch = String.fromCodePoint(plain.codePointAt(i) ?? code);
    if (ch.length === 2) i += 1;
    width += charWidth(ch);
  }
  return width;
}

/** Pads with spaces to `width` visible columns (no-op when already wider). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}

/** Cuts plain (unstyled) text to at most `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

function clamp01(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.min(1, Math.max(0, n));
}

/**
 * 0..1 → "42%". Never rounds a non-zero value to 0% or an imperfect one to 100%: "100%" on a
 * topic that is not fully mastered would be a lie the candidate acts on.
 */
export function percent(n: number): string {
  const value = clamp01(n);
  let rounded = Math.round(value * 100);
  if (rounded === 100 && value < 1) rounded = 99;
  if (rounded === 0 && value > 0) rounded = 1;
  return `${rounded}%`;
}

export interface BarOptions {
  /** Append the percentage, right-aligned to 4 columns. Default false (tables give it a column). */
  percent?: boolean;
  color?: boolean;
}

/**
 * A horizontal bar of exactly `width` cells, `█` filled and `░` empty (then the percent, if asked).
 * Filled cells are green/yellow/red by the same thresholds as readiness, so the colour agrees
 * with the label; without colour the shapes alone carry the value.
 */
export function bar(fraction: number, width: number, options: BarOptions = {}): string {
  const value = clamp01(fraction);
  const cells = Math.max(1, Math.floor(width));
  const filled = Math.round(value * cells);
  const c = painter(options.color);
  const tone = value >= 0.85 ? c.green : value >= 0.5 ? c.yellow : c.red;
  const body = tone('█'.repeat(filled)) + c.dim('░'.repeat(cells - filled));
  return options.percent ? `${body} ${padStart(percent(value), 4)}` : body;
}

export function readinessLabel(r: Readiness, color?: boolean): string {
  const c = painter(color);
  switch (r) {
    case 'ready':
      return c.green(r);
    case 'shaky':
      return c.yellow(r);
    case 'weak':
      return c.red(r);
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function span(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.floor(ms / MINUTE))}m`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h`;
  const days = Math.floor(ms / DAY);
  if (days < 60) return `${days}d`;
  if (days < 730) return `${Math.floor(days / 30)}mo`;
  return `${Math.floor(days / 365)}y`;
}

/** "now", "in 3d", "2d ago" (m, h, d, mo, y). "-" for a missing or unreadable date. */
export function relativeDue(when: string | number | undefined, now: Date): string {
  if (when === undefined || when === '') return '-';
  const at = typeof when === 'number' ? when : Date.parse(when);
  if (Number.isNaN(at)) return '-';
  const diff = at - now.getTime();
  if (Math.abs(diff) < MINUTE) return 'now';
  return diff > 0 ? `in ${span(diff)}` : `${span(-diff)} ago`;
}

/** 5_025_000 → "1h 23m"; under an hour "12m", under a minute "45s". */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(Number.isFinite(ms) ? ms : 0) / 1000);
  if (total < 60) return `${Math.floor(total)}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}

/** 12345 → "12,345": locale-independent so screenshots and tests agree. */
export function count(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 question", "2 questions", "10,000 questions". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export type Align = 'left' | 'right' | 'center';

export interface TableOptions {
  head?: string[];
  align?: Align[];
  /** Total width the table must fit in. Default 80. */
  width?: number;
  /** Spaces between columns. Default 2. */
  gap?: number;
  /** What to do with cells too wide once columns shrink: wrap (default) or cut with `…`. */
  overflow?: 'wrap' | 'truncate';
  /** Columns that give up space first when the table is too wide (default: the widest). */
  shrink?: number[];
  color?: boolean;
}

/** Splits plain text into lines of at most `width` columns, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (visibleWidth(rest) > width) {
        // A word longer than the column is cut hard.
        if (line) {
          lines.push(line);
          line = '';
        }
        let cut = '';
        for (const ch of rest) {
          if (visibleWidth(cut + ch) > width) break;
          cut += ch;
        }
        lines.push(cut);
        rest = rest.slice(cut.length);
      }
      if (!line) line = rest;
      else if (visibleWidth(line) + 1 + visibleWidth(rest) <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** A cell as lines of exactly `width` columns (styled text that fits is kept as it is). */
function cellLines(text: string, width: number, align: Align, overflow: 'wrap' | 'truncate'): string[] {
  let lines: string[];
  if (!text.includes('\n') && visibleWidth(text) <= width) lines = [text];
  else {
    // Too wide: lay out the plain text (a long cell's colour is not worth a broken escape code).
    const plain = stripAnsi(text);
    lines = overflow === 'truncate' ? plain.split('\n').map((l) => truncate(l, width)) : wrapText(plain, width);
  }
  return lines.map((line) => {
    const room = Math.max(0, width - visibleWidth(line));
    if (align === 'right') return ' '.repeat(room) + line;
    if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + line + ' '.repeat(Math.ceil(room / 2));
    return line + ' '.repeat(room);
  });
}

/**
 * Columns without borders, header in bold, ANSI-aware, fitted into `width`: when the natural
 * widths do not fit, the widest columns give up space first. Hand-rolled rather than cli-table3,
 * whose layout is quadratic in rows (10 s for a 10,000-question `list`); this is linear.
 */
export function table(rows: string[][], options: TableOptions = {}): string {
  const gap = options.gap ?? 2;
  const limit = Math.max(10, options.width ?? 80);
  const c = painter(options.color);
  const head = options.head?.map((h) => (colorOn(options.color) ? c.bold(h) : h));
  const all = head ? [head, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  if (columns === 0) return '';

  const natural: number[] = new Array<number>(columns).fill(0);
  for (const row of all) {
    for (let col = 0; col < columns; col++) {
      const cell = row[col] ?? '';
      const width = cell.includes('\n') ? Math.max(...cell.split('\n').map(visibleWidth)) : visibleWidth(cell);
      if (width > (natural[col] ?? 0)) natural[col] = width;
    }
  }
  const widths = fitWidths(natural, limit - gap * (columns - 1), options.shrink);
  const overflow = options.overflow ?? 'wrap';
  const spacer = ' '.repeat(gap);
  const out: string[] = [];
  for (const row of all) {
    const cells = widths.map((w, col) => cellLines(row[col] ?? '', w, options.align?.[col] ?? 'left', overflow));
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      out.push(cells.map((lines, col) => lines[i] ?? ' '.repeat(widths[col] ?? 0)).join(spacer).trimEnd());
    }
  }
  return out.join('\n');
}

/**
 * Shrinks columns, one column at a time, until the sum fits `budget`: the widest of the
 * preferred ones while they can give, then the widest of all.
 */
function fitWidths(natural: number[], budget: number, preferred?: number[]): number[] {
  const widths = natural.map((w) => Math.max(1, w));
  let total = widths.reduce((a, b) => a + b, 0);
  const floor = 4;
  const widestOf = (candidates: number[]): number => {
    let widest = -1;
    for (const i of candidates) {
      if ((widths[i] ?? 0) > floor && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    }
    return widest;
  };
  const everyColumn = widths.map((_, i) => i);
  while (total > budget) {
    let widest = preferred ? widestOf(preferred) : -1;
    if (widest < 0) widest = widestOf(everyColumn);
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total -= 1;
  }
  return widths;
}

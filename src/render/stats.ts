/**
 * The `stats` screen: per-topic mastery, totals and streak, a GitHub-style activity heatmap, the
 * weakest questions. Made to fit 80 columns (or less when the terminal is narrower) and to read
 * the same without colour: the bars and heatmap shades carry the values, colour only helps.
 */
import { bar, count, duration, painter, percent, plural, readinessLabel, table, truncate, visibleWidth } from './format.js';
import type { Heatmap, Stats } from '../session/stats.js';

export interface StatsRenderOptions {
  color: boolean;
  /** Columns available; the screen uses at most 80. */
  width?: number;
  /** The user named the topics (`stats orm`): an empty screen then names them. */
  scoped?: boolean;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Activity levels 1..4 (quartiles of the busiest day); 0 is drawn as a dot. */
export const SHADES = ['░', '▒', '▓', '█'];
const BAR_CELLS = 12;

/** Joins parts with " · ", starting a new line rather than running past `width`. */
function joinWrapped(parts: string[], width: number, separator: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line && visibleWidth(line) + visibleWidth(separator) + visibleWidth(part) > width) {
      lines.push(line);
      line = part;
    } else line = line ? line + separator + part : part;
  }
  if (line) lines.push(line);
  return lines;
}

/** 0 for no activity, else 1..4 by quartile of the busiest day in the window. */
export function activityLevel(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((n / max) * 4)));
}

/**
 * Days in rows Mon..Sun, one column per calendar week, oldest week on the left: the first and
 * last columns are partial (before the window, and after today), as on GitHub.
 */
export function heatmapGrid(heatmap: Heatmap): ({ date: string; count: number } | null)[][] {
  const offset = heatmap.startWeekday;
  const columns = Math.ceil((offset + heatmap.days.length) / 7);
  const rows = Array.from({ length: 7 }, () => Array.from({ length: columns }, () => null as { date: string; count: number } | null));
  heatmap.days.forEach((day, i) => {
    const slot = offset + i;
    const row = rows[slot % 7];
    if (row) row[Math.floor(slot / 7)] = day;
  });
  return rows;
}

function renderHeatmap(heatmap: Heatmap, color: boolean): string[] {
  const c = painter(color);
  const grid = heatmapGrid(heatmap);
  const columns = grid[0]?.length ?? 0;
  const gutter = '    ';

  // Month names over the column where each month's first week starts, never overlapping.
  const labels = Array.from({ length: columns * 2 }, () => ' ');
  let lastMonth = -1;
  let freeFrom = 0;
  for (let col = 0; col < columns; col++) {
    const first = grid.map((row) => row[col]).find((cell) => cell !== null && cell !== undefined);
    if (!first) continue;
    const month = Number(first.date.slice(5, 7)) - 1;
    if (month === lastMonth) continue;
    lastMonth = month;
    const at = col * 2;
    const name = MONTHS[month] ?? '';
    if (at < freeFrom || at + name.length > labels.length + 1) continue;
    for (let k = 0; k < name.length; k++) labels[at + k] = name[k] ?? ' ';
    freeFrom = at + name.length + 1;
  }

  const lines = [gutter + labels.join('').trimEnd()];
  grid.forEach((row, r) => {
    const cells = row.map((cell) => {
      if (!cell) return ' ';
      const level = activityLevel(cell.count, heatmap.max);
      return level === 0 ? c.dim('·') : c.green(SHADES[level - 1] ?? '█');
    });
    lines.push(`${c.dim((WEEKDAYS[r] ?? '').padEnd(gutter.length))}${cells.join(' ')}`.trimEnd());
  });
  lines.push(`${gutter}${c.dim('less')} ${SHADES.map((s) => c.green(s)).join('')} ${c.dim('more')}`);
  return lines;
}

/** The whole screen, lines joined with `\n` (no trailing newline). */
export function renderStats(stats: Stats, opts: StatsRenderOptions): string {
  const c = painter(opts.color);
  const width = Math.max(40, Math.min(80, Math.floor(opts.width ?? 80)));
  const lines: string[] = [];
  const names = stats.topics.map((t) => t.topic.name);

  if (stats.totals.attempts === 0) {
    const example = names[0] ?? '<topic>';
    const scope = opts.scoped && names.length > 0 && names.join(', ').length <= 30 ? ` in ${names.join(', ')}` : '';
    const start = `Start with: ${c.bold(`django-drill drill ${example}`)}`;
    const line = `No answers yet${scope}. ${start}`;
    lines.push(...(visibleWidth(line) <= width ? [line] : [`No answers yet${scope}.`, start]));
    if (names.length > 1) lines.push(...joinWrapped(names, width - 8, ', ').map((l, i) => (i === 0 ? `Topics: ${l}` : `        ${l}`)));
    return lines.join('\n');
  }

  lines.push(`${c.bold('django-drill stats')}${c.dim(` · ${stats.heatmap.end}`)}`);
  lines.push('');

  const accuracyCell = (a: number | null): string => (a === null ? c.dim('-') : percent(a));
  // Topic names and numbers are never cut: a narrower terminal loses the bars, then the
  // 30-day accuracy column.
  // The richest layout whose natural width fits (gaps of 2 between 6 columns).
  const nameWidth = Math.max(5, ...stats.topics.map((t) => visibleWidth(t.topic.name)));
  const fits = (bars: boolean, accuracy: boolean) => {
    const seenWidth = Math.max(4, ...stats.topics.map((t) => `${t.seen}/${t.total}`.length));
    const dueWidth = Math.max(3, ...stats.topics.map((t) => String(t.due).length));
    const columns = [nameWidth, bars ? BAR_CELLS + 5 : 7, seenWidth, dueWidth, ...(accuracy ? [7] : []), accuracy ? 9 : 6];
    return columns.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1) <= width;
  };
  const withBars = fits(true, true);
  const withAccuracy = withBars || fits(false, true);
  lines.push(
    table(
      stats.topics.map((t) => [
        t.topic.name,
        withBars ? bar(t.mastery, BAR_CELLS, { percent: true, color: opts.color }) : percent(t.mastery),
        `${t.seen}/${t.total}`,
        t.due > 0 ? c.yellow(String(t.due)) : '0',
        ...(withAccuracy ? [accuracyCell(t.accuracy30d)] : []),
        readinessLabel(t.readiness, opts.color),
      ]),
      {
        head: ['topic', 'mastery', 'seen', 'due', ...(withAccuracy ? ['30d acc'] : []), withAccuracy ? 'readiness' : 'ready?'],
        align: ['left', withBars ? 'left' : 'right', 'right', 'right', ...(withAccuracy ? ['right' as const] : []), 'left'],
        width,
        color: opts.color,
      },
    ),
  );
  lines.push('');

  const { totals } = stats;
  const streak =
    totals.streak.current > 0
      ? `streak ${plural(totals.streak.current, 'day')} (best ${count(totals.streak.best)})`
      : `no current streak (best ${plural(totals.streak.best, 'day')})`;
  lines.push(
    ...joinWrapped(
      [plural(totals.attempts, 'answer'), plural(totals.sessions, 'session'), `${duration(totals.totalTimeMs)} practised`, streak],
      width,
      c.dim(' · '),
    ),
  );
  lines.push('');

  lines.push(c.bold('Activity, last 12 weeks'));
  lines.push(...renderHeatmap(stats.heatmap, opts.color));

  if (stats.weakest.length > 0) {
    lines.push('');
    lines.push(c.bold('Weakest questions'));
    lines.push(
      table(
        stats.weakest.map((q) => [percent(q.mastery), percent(q.lastScore), q.id, c.dim(q.title)]),
        {
          head: ['mastery', 'last', 'id', 'title'],
          align: ['right', 'right', 'left', 'left'],
          width,
          overflow: 'truncate',
          // The id is what `django-drill show <id>` needs: cut the title first.
          shrink: [3],
          color: opts.color,
        },
      ),
    );
  }

  if (stats.interviews.length > 0) {
    const list = stats.interviews.map((i) => `${i.at.slice(0, 10)} ${i.signal}`).join(' · ');
    lines.push('', `${c.bold('Interviews:')} ${list}`);
  }

  const weakestTopic = [...stats.topics].filter((t) => t.total > 0).sort((a, b) => a.mastery - b.mastery)[0];
  if (weakestTopic && weakestTopic.readiness !== 'ready') {
    lines.push('');
    lines.push(c.dim(truncate(`Next: django-drill drill ${weakestTopic.topic.name} --weak`, width)));
  }

  return lines.join('\n');
}

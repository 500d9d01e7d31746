/**
 * The end-of-session summary of drill, warmup and today: a table of the answers, the session
 * score, the change of mastery per topic, the key points to reread and what is due next.
 */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { percent, relativeDue, table, visibleWidth, wrapText } from '../render/format.js';
import { refsOf, type Bank } from '../types.js';
import type { SessionOutcome } from './loop.js';
import { topicProgressOf } from './progress.js';

/** The end-of-session summary: table, session score, mastery change, missed points, next due. */
export function summarize(ctx: Context, bank: Bank, outcome: SessionOutcome): string {
  const { results, record } = outcome;
  const lines: string[] = [''];
  if (results.length === 0) {
    lines.push(chalk.dim('No answers this session.'));
    return lines.join('\n');
  }
  lines.push(chalk.bold(outcome.interrupted ? 'Session interrupted — answers so far' : 'Session summary'));
  const rows = results.map((r) => [
    r.question.title + (r.reask ? ' (again)' : ''),
    percent(r.grade.score),
    r.grade.rating,
    formatDuration(r.durationMs) + (r.overtime ? ' ⏱' : ''),
  ]);
  lines.push(table(rows, { head: ['question', 'score', 'rating', 'time'], align: ['left', 'right', 'left', 'right'], width: Math.min(ctx.columns, 100) }));
  lines.push('', `${chalk.bold('Session score:')} ${percent(record.score)} over ${results.length} answer${results.length === 1 ? '' : 's'}`);
  if (outcome.unsaved > 0) lines.push(chalk.yellow(`${outcome.unsaved} answer${outcome.unsaved === 1 ? '' : 's'} not saved (see the warning above).`));

  const now = ctx.now();
  const before = topicProgressOf(bank, outcome.before, now);
  const after = topicProgressOf(bank, outcome.after, now);
  const touched = new Set(results.map((r) => r.question.topic));
  const changes = after
    .filter((t) => touched.has(t.topic.name))
    .map((t) => {
      const old = before.find((b) => b.topic.name === t.topic.name)?.mastery ?? 0;
      const delta = Math.round((t.mastery - old) * 100);
      const sign = delta > 0 ? chalk.green(`+${delta}`) : delta < 0 ? chalk.red(String(delta)) : chalk.dim('±0');
      return `  ${t.topic.name}: ${percent(old)} → ${percent(t.mastery)} (${sign})`;
    });
  if (changes.length > 0) lines.push('', chalk.bold('Mastery'), ...changes);

  const missed: string[] = [];
  const reported = new Set<string>();
  for (const r of results) {
    if (r.question.type !== 'open' || reported.has(r.question.id)) continue;
    const last = results.filter((x) => x.question.id === r.question.id).at(-1) ?? r;
    reported.add(r.question.id);
    const points = r.question.keypoints.filter((_, i) => !last.grade.keypointsHit.includes(i));
    // Key points wrap under their bullet: a line the terminal cut would break mid-word.
    const bullet = (point: string) => wrapText(point, Math.max(20, ctx.columns - 6)).map((line, i) => `${i === 0 ? '    • ' : '      '}${line}`);
    // Title and id, the id never cut (show needs it): on a line of its own when both do not fit.
    const width = Math.max(20, ctx.columns - 2);
    const titleLines = wrapText(r.question.title, width).map((line) => `  ${chalk.bold(line)}`);
    const id = chalk.dim(`(${r.question.id})`);
    const end = titleLines.length - 1;
    const fits = visibleWidth(titleLines[end] ?? '') + r.question.id.length + 3 <= width + 2;
    const head = fits ? [...titleLines.slice(0, end), `${titleLines[end]} ${id}`] : [...titleLines, `  ${id}`];
    if (points.length > 0) missed.push(...head, ...points.flatMap(bullet));
  }
  if (missed.length > 0) lines.push('', chalk.bold('To reread'), ...missed);

  // Through the bank's id index: one lookup per card, not a scan of the bank per card.
  const refs = refsOf(bank);
  const inTouched = (id: string) => {
    const k = refs.indexOf(id);
    return k >= 0 && touched.has(refs.topics[k] as string);
  };
  const nextDue = Object.entries(outcome.after.cards)
    .filter(([id]) => inTouched(id))
    .sort((a, b) => a[1].due.localeCompare(b[1].due))[0];
  if (nextDue) {
    const k = refs.indexOf(nextDue[0]);
    const title = k >= 0 ? refs.question(k).title : nextDue[0];
    lines.push('', `${chalk.bold('Next due:')} ${title} ${chalk.dim(relativeDue(nextDue[1].due, now))}`);
  }
  return lines.join('\n');
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * The interview's scorecard on the terminal (80 columns, readable without colour) and its
 * Markdown report (GitHub and `less`). Every text that comes from a question pack goes through
 * sanitize(): no escape sequence of a pack reaches the report or the screen raw.
 */
import chalk from 'chalk';
import type { InterviewEntry } from '../session/policies/interview.js';
import type { Scorecard } from '../session/scorecard.js';
import { duration, percent, table, wrapText } from './format.js';
import { sanitize } from './sanitize.js';

const SIGNAL_TEXT = { strong: 'STRONG', 'lean yes': 'LEAN YES', 'lean no': 'LEAN NO', 'not yet': 'NOT YET' } as const;

const clockText = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.round(sec % 60)).padStart(2, '0')}`;
const depth = (t: Scorecard['topics'][number]) => (t.followUps.asked === 0 ? '—' : `${t.followUps.asked} asked, ${t.followUps.deep} deep`);

function endedHow(card: Scorecard): string {
  if (card.interrupted) return 'interrupted';
  if (card.timeUp) return "time's up";
  if (card.endedEarly) return 'ended early';
  return 'all questions asked';
}

/** The scorecard as terminal lines. */
export function scorecardText(card: Scorecard, columns: number): string {
  const width = Math.min(columns, 80);
  const lines = ['', chalk.bold(`Scorecard — ${card.level} interview, ${card.minutes} min (${endedHow(card)})`)];
  if (card.topics.length === 0) return [...lines, chalk.dim('No answers this interview.')].join('\n');
  lines.push(
    table(
      card.topics.map((t) => [sanitize(t.topic), String(t.questions), percent(t.score), depth(t), `${clockText(t.usedSec)} / ${clockText(t.allottedSec)}`]),
      { head: ['topic', 'asked', 'score', 'follow-ups', 'time used / allotted'], align: ['left', 'right', 'right', 'left', 'right'], width },
    ),
  );
  const o = card.overall;
  const follow = o.followUpScore === null ? 'no follow-ups' : `follow-ups ${percent(o.followUpScore)}`;
  lines.push('', `${chalk.bold('Signal:')} ${chalk.bold(SIGNAL_TEXT[card.signal])}  ${chalk.dim(`(score ${percent(o.composite)}: main ${percent(o.score)}, ${follow})`)}`);
  if (card.rework.length > 0) {
    lines.push('', chalk.bold('Rework'));
    card.rework.forEach((r, i) => {
      const head = `${sanitize(r.title)} (${percent(r.score)})`;
      lines.push(...wrapText(head, width - 5).map((l, k) => `  ${k === 0 ? `${i + 1}.` : '  '} ${l}`), `     ${chalk.dim(r.command)}`);
    });
  }
  return lines.join('\n');
}

/**
 * Text on one Markdown line: no control characters, no line breaks, and `<` escaped outside
 * code spans (GitHub would take `<app>` for an HTML tag and hide it).
 */
const inline = (text: string) =>
  sanitize(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '\\<')))
    .join('');
/** A table cell: inline, with pipes escaped. */
const cell = (text: string) => inline(text).replace(/\|/g, '\\|');
/** Code span that survives backticks inside. */
const code = (text: string) => {
  const t = inline(text);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${fence.length > 1 ? ' ' : ''}${t}${fence.length > 1 ? ' ' : ''}${fence}`;
};

function entryMarkdown(entry: InterviewEntry, n: number): string[] {
  const { result } = entry;
  const q = result.question;
  const lines: string[] = [];
  const over = result.durationMs > entry.allottedSec * 1000 ? ' (over pace)' : '';
  if (result.parent) lines.push(`#### Follow-up: ${inline(q.title)}`, '');
  else lines.push(`### ${n}. ${inline(q.title)}`, '', `${code(q.id)} · ${q.topic} · ${q.difficulty}`, '');
  lines.push(`- Score: **${percent(result.grade.score)}** (${result.grade.rating})`, `- Time: ${duration(result.durationMs)} of about ${duration(entry.allottedSec * 1000)}${over}`, '');
  if (result.typed !== undefined) {
    // In a fenced block: the lines stay lines on GitHub, and nothing typed is read as Markdown.
    const typed = sanitize(result.typed).trim();
    const fence = '`'.repeat(Math.max(3, ...(typed.match(/`+/g) ?? []).map((m) => m.length + 1)));
    lines.push('Your answer:', '', `${fence}text`, typed || '(nothing typed)', fence, '');
  }
  if (q.type === 'open') {
    const hit = new Set(result.grade.keypointsHit);
    const covered = q.keypoints.filter((_, i) => hit.has(i));
    const missed = q.keypoints.filter((_, i) => !hit.has(i));
    if (covered.length > 0) lines.push('Covered:', '', ...covered.map((k) => `- ✓ ${inline(k)}`), '');
    if (missed.length > 0) lines.push('Missed:', '', ...missed.map((k) => `- ✗ ${inline(k)}`), '');
  } else {
    const chosen = result.grade.keypointsHit.flatMap((i) => q.choices[i] ?? []);
    const right = q.choices.filter((c) => c.correct);
    const texts = (list: typeof right) => list.map((c) => inline(c.text)).join('; ');
    lines.push(`Picked: ${chosen.length > 0 ? texts(chosen) : '(nothing, time ran out)'}`, '');
    if (result.grade.score < 1 && right.length > 0) lines.push(`Correct: ${texts(right)}`, '');
  }
  return lines;
}

export interface ReportMeta {
  topics: readonly string[];
  /** Local time the interview started, as shown in the title. */
  localStart: string;
}

/** The Markdown report of an interview. */
export function reportMarkdown(card: Scorecard, entries: readonly InterviewEntry[], meta: ReportMeta): string {
  const o = card.overall;
  const lines = [
    `# Mock Django interview — ${meta.localStart}`,
    '',
    `- Level: ${card.level} · ${card.minutes} minutes · seed ${card.seed} · ${endedHow(card)}`,
    `- Topics: ${meta.topics.map(cell).join(', ')}`,
    `- Signal: **${card.signal}** (score ${percent(o.composite)}: main questions ${percent(o.score)}, follow-ups ${o.followUpScore === null ? 'none asked' : percent(o.followUpScore)})`,
    '',
    '## Scorecard',
    '',
    '| Topic | Questions | Score | Follow-ups | Time used / allotted |',
    '| --- | ---: | ---: | --- | ---: |',
    ...card.topics.map((t) => `| ${cell(t.topic)} | ${t.questions} | ${percent(t.score)} | ${depth(t)} | ${clockText(t.usedSec)} / ${clockText(t.allottedSec)} |`),
    '',
    '## Questions',
    '',
  ];
  let n = 0;
  for (const entry of entries) {
    if (!entry.result.parent) n += 1;
    lines.push(...entryMarkdown(entry, n));
  }
  if (entries.length === 0) lines.push('No answers.', '');
  lines.push('## Next steps', '');
  if (card.rework.length === 0) lines.push('Nothing to rework: every answer covered all its key points.');
  card.rework.forEach((r, i) => lines.push(`${i + 1}. Rework "${inline(r.title)}" (${percent(r.score)}): \`${r.command}\``));
  lines.push('', `How the signal is computed: see "Mock interview" in the django-drill README.`, '');
  return lines.join('\n');
}

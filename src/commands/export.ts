/**
 * `django-drill export [--format json|csv|anki]`: history and questions to stdout.
 *
 * - json: { version, exportedAt, attempts, cards, sessions, questions: [{ id, topic, title,
 *   difficulty, tags, type }] } — attempts, cards and sessions exactly as in scores.json.
 * - csv: RFC 4180 (CRLF, quoted where needed), one row per attempt, header
 *   at,questionId,topic,title,score,rating,keypointsHit,durationMs,sessionId,mode;
 *   keypointsHit as indexes joined by ";". A text field that a spreadsheet would take for a
 *   formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe (OWASP's advice
 *   against CSV injection): titles come from question packs, which are untrusted.
 * - anki: Anki's plain-text import (File → Import): `#` header lines, then one note a line,
 *   front (title + prompt) TAB back (answer) TAB tags, fields in HTML. Each answered follow-up
 *   is a note of its own after its question's: front "<title> — follow-up" + the follow-up
 *   question, back its answer and key points, tags those of the question plus `follow-up`.
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { escapeHtml, markdownToHtml } from '../render/html.js';
import { sanitize, terminalSafeJson } from '../render/sanitize.js';
import { SCORES_VERSION, type Bank, type Question, type ScoresFile } from '../types.js';
import { answeredFollowUps } from '../questions/follow-ups.js';
import { loadBankWithWarnings } from './common.js';

export const EXPORT_FORMATS = ['json', 'csv', 'anki'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  'at',
  'questionId',
  'topic',
  'title',
  'score',
  'rating',
  'keypointsHit',
  'durationMs',
  'sessionId',
  'mode',
] as const;

/** One CSV field: quoted when it holds a comma, quote, CR or LF, or edge spaces. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A text field that a spreadsheet would evaluate as a formula, quoted by a leading apostrophe. */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(bank: Bank, scores: ScoresFile): string {
  const titles = new Map(bank.questions.map((q) => [q.id, q.title]));
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of scores.attempts) {
    const row: (string | number)[] = [
      a.at,
      a.questionId,
      a.topic,
      titles.get(a.questionId) ?? '',
      a.score,
      a.rating,
      a.keypointsHit.join(';'),
      a.durationMs,
      a.sessionId,
      a.mode,
    ];
    // Text fields can come from a question pack: no control sequence may reach a terminal, and
    // no formula may run in the spreadsheet that opens the file.
    lines.push(row.map((v) => csvField(typeof v === 'string' ? spreadsheetSafe(sanitize(v)) : v)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(bank: Bank, scores: ScoresFile, now: Date): string {
  return terminalSafeJson({
    version: SCORES_VERSION,
    exportedAt: now.toISOString(),
    attempts: scores.attempts,
    cards: scores.cards,
    sessions: scores.sessions,
    questions: bank.questions.map((q) => ({
      id: q.id,
      topic: q.topic,
      title: q.title,
      difficulty: q.difficulty,
      tags: q.tags,
      type: q.type,
      followUps: answeredFollowUps(q).map((f) => ({ id: f.id, question: f.question })),
    })),
  });
}

/** Anki tags are space-separated, so spaces inside one become underscores. */
function ankiTag(tag: string): string {
  return sanitize(tag).trim().replace(/\s+/g, '_');
}

function front(q: Question): string {
  let html = `<div><b>${escapeHtml(sanitize(q.title))}</b></div>${markdownToHtml(q.prompt)}`;
  if (q.type === 'choice' && q.choices.length > 0) {
    if (q.multiple) html += '<div><i>Select all that apply.</i></div>';
    html += `<ol type="A">${q.choices.map((c) => `<li>${escapeHtml(sanitize(c.text))}</li>`).join('')}</ol>`;
  }
  return html;
}

function back(q: Question): string {
  let html = '';
  if (q.type === 'choice') {
    // A choice question may have no `## Answer`: the correct choice and its reason are the answer.
    q.choices.forEach((correct, index) => {
      if (!correct.correct) return;
      html += `<div><b>${String.fromCharCode(65 + index)}. ${escapeHtml(sanitize(correct.text))}</b></div>`;
      if (correct.why) html += `<div>${escapeHtml(sanitize(correct.why))}</div>`;
    });
  }
  return html + markdownToHtml(q.answer);
}

export function toAnki(bank: Bank): string {
  const lines = ['#separator:tab', '#html:true', '#tags column:3'];
  for (const q of bank.questions) {
    const tags = [q.topic, ...q.tags].map(ankiTag).filter((t) => t !== '');
    // markdownToHtml and escapeHtml never emit a raw tab or newline; this is the last guard.
    const field = (html: string): string => html.replace(/[\t\r\n]/g, ' ');
    lines.push([field(front(q)), field(back(q)), field([...new Set(tags)].join(' '))].join('\t'));
    for (const f of answeredFollowUps(q)) {
      const fFront = `<div><b>${escapeHtml(sanitize(q.title))} — follow-up</b></div><div>${escapeHtml(sanitize(f.question))}</div>`;
      const points = `<ul>${f.keypoints.map((k) => `<li>${escapeHtml(sanitize(k))}</li>`).join('')}</ul>`;
      lines.push([field(fFront), field(markdownToHtml(f.answer) + points), field([...new Set([...tags, 'follow-up'])].join(' '))].join('\t'));
    }
  }
  return `${lines.join('\n')}\n`;
}

function isFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export async function exportCommand(ctx: Context, options: { format: ExportFormat }): Promise<void> {
  const format = String(options.format ?? 'json');
  if (!isFormat(format)) {
    throw new UsageError(`Unknown export format "${format}".`, `Formats: ${EXPORT_FORMATS.join(', ')}`);
  }
  const { bank } = await loadBankWithWarnings(ctx);
  if (format === 'anki') {
    ctx.out(toAnki(bank).slice(0, -1));
    return;
  }
  const scores = await ctx.readScores();
  if (format === 'csv') {
    // ctx.out ends the text with \n: leaving the last \r in place keeps every record CRLF.
    ctx.out(toCsv(bank, scores).slice(0, -1));
    return;
  }
  ctx.out(toJson(bank, scores, ctx.now()));
}

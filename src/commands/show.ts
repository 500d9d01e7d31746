/** `django-drill show <id>`: one question and its model answer, no prompts (works in a pipe). */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { findQuestion } from '../questions/bank.js';
import { join } from 'node:path';
import { renderMarkdownCached } from '../render/cached.js';
import { loadBankWithWarnings } from './common.js';

export async function showCommand(ctx: Context, id: string): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx);
  const q = findQuestion(bank, id);
  if (ctx.opts.json) {
    const { file: _file, idLine: _line, ...rest } = q;
    ctx.out(JSON.stringify({ version: 1, question: rest }, null, 2));
    return;
  }
  const width = Math.min(ctx.columns, 100);
  const renderCache = { dir: join(ctx.opts.home, 'cache', 'render') };
  const md = (text: string) => renderMarkdownCached(text, { color: ctx.opts.color, width }, renderCache);
  const meta = [q.topic, q.difficulty, q.type, ...(q.tags.length > 0 ? [q.tags.join(', ')] : [])].join(' · ');
  const out: string[] = [chalk.bold(q.title), chalk.dim(`${q.id} · ${meta}`), '', await md(q.prompt || q.title)];
  if (q.type === 'choice') {
    out.push('', ...(q.multiple ? [chalk.dim('Select all that apply (all or nothing).')] : []));
    q.choices.forEach((c, i) => {
      const mark = c.correct ? chalk.green('✓') : ' ';
      out.push(`  ${mark} ${String.fromCharCode(65 + i)}. ${c.text}${c.why ? chalk.dim(` — ${c.why}`) : ''}`);
    });
  }
  if (q.answer) out.push('', chalk.bold.underline('Answer'), '', await md(q.answer));
  if (q.keypoints.length > 0) out.push('', chalk.bold.underline('Key points'), ...q.keypoints.map((k) => `  • ${k}`));
  if (q.followUps.length > 0) out.push('', chalk.bold.underline('Follow-ups'));
  for (const f of q.followUps) {
    if (f.answer === undefined) {
      out.push(`  • ${f.question}`);
      continue;
    }
    out.push('', `${chalk.bold(`▸ ${f.question}`)} ${chalk.dim(f.id ?? '')}`, await md(f.answer));
    out.push(...f.keypoints.map((k) => `  • ${k}`));
  }
  ctx.out(out.join('\n'));
}

/** `django-drill validate [paths...]`: every problem as `file:line: message`; exit 1 if any. */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { DrillError, UsageError } from '../errors.js';
import { loadPaths } from '../questions/load.js';
import { plural } from '../render/format.js';

export async function validateCommand(ctx: Context, paths: string[]): Promise<void> {
  const targets = paths.length > 0 ? paths : ctx.opts.questions;
  const result = await loadPaths(targets);
  if (result.missing.length > 0) {
    throw new UsageError(`No such file or folder: ${result.missing.join(', ')}`, 'validate takes question files, topic folders or bank roots.');
  }
  const { bank, problems } = result;
  if (ctx.opts.json) {
    ctx.out(
      JSON.stringify({
        version: 1,
        valid: problems.length === 0,
        questions: bank.questions.length,
        topics: bank.topics.length,
        problems,
      }, null, 2),
    );
  } else {
    for (const p of problems) ctx.out(`${p.file}:${p.line}: ${p.message}`);
    const files = new Set(problems.map((p) => p.file)).size;
    const summary = `${plural(bank.questions.length, 'question')} in ${plural(bank.topics.length, 'topic')}`;
    if (problems.length === 0) ctx.err(chalk.green(`✓ ${summary}, no problems.`));
    else ctx.err(chalk.red(`✗ ${plural(problems.length, 'problem')} in ${plural(files, 'file')}`) + ` (${summary} valid).`);
  }
  if (problems.length > 0) throw new DrillError('', { exitCode: 1 });
}

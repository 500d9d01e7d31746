/** Pieces several commands share: loading the bank with warnings, the terminal check. */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { LoadResult } from '../questions/load.js';
import { resolveTopics, suggest } from '../questions/bank.js';
import { refsOf, type Bank, type Question, type TopicInfo } from '../types.js';

/** Loads the bank; each bad file is one warning line on stderr naming file and line. */
export async function loadBankWithWarnings(ctx: Context, options: { bodies?: boolean } = {}): Promise<LoadResult> {
  const result = await ctx.loadBank(options);
  for (const p of result.problems) ctx.warn(`skipped ${p.file}:${p.line}: ${p.message}`);
  if (refsOf(result.bank).ids.length === 0) {
    throw new UsageError(
      `No questions found in ${ctx.opts.questions.join(', ')}`,
      'A bank is a folder of <topic>/<question>.md files; check --questions or DJANGO_DRILL_QUESTIONS.',
    );
  }
  return result;
}

/** Interactive commands refuse to run without a terminal on both ends, and say which end is not one. */
export function requireTerminal(ctx: Context, what: string): void {
  if (ctx.stdinIsTTY && ctx.stdoutIsTTY) return;
  const which = !ctx.stdinIsTTY && !ctx.stdoutIsTTY ? 'stdin and stdout are not terminals' : !ctx.stdinIsTTY ? 'stdin is not a terminal' : 'stdout is not a terminal (piped or redirected)';
  throw new UsageError(`${what} needs an interactive terminal: ${which}.`, 'Run it in a terminal without a pipe; for scripts use list, show, stats, validate or export.');
}

/** `--tag` values that no question of `questions` has are a usage error, with a suggestion. */
export function checkTags(questions: readonly Question[], tags: readonly string[] | undefined): void {
  if (!tags || tags.length === 0) return;
  const known = [...new Set(questions.flatMap((q) => q.tags.map((t) => t.toLowerCase())))].sort();
  for (const tag of tags) {
    if (known.includes(tag.toLowerCase())) continue;
    const guess = suggest(tag.toLowerCase(), known);
    const list = known.length > 12 ? `${known.slice(0, 12).join(', ')} and ${known.length - 12} more` : known.join(', ');
    throw new UsageError(`No question has the tag "${tag}".${guess ? ` Did you mean "${guess}"?` : ''}`, `Tags here: ${list}`);
  }
}

/** Topics by name, with the command names in the suggestion for `django-drill <typo>`. */
export function topicsOrCommand(bank: Bank, names: string[], commands: readonly string[]): TopicInfo[] {
  try {
    return resolveTopics(bank, names);
  } catch (error) {
    const unknown = names.find((n) => !bank.topics.some((t) => t.name.toLowerCase() === n.trim().toLowerCase()));
    const command = unknown ? suggest(unknown, commands) : undefined;
    if (error instanceof UsageError && unknown && command) {
      throw new UsageError(`Unknown command or topic "${unknown}". Did you mean the command "${command}"?`, error.hint);
    }
    throw error;
  }
}

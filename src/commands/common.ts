/** Pieces several commands share: loading the bank with warnings, the terminal check. */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { LoadResult } from '../questions/load.js';
import { resolveTopics, suggest } from '../questions/bank.js';
import { refsOf, type Bank, type TopicInfo } from '../types.js';

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

/** Interactive commands refuse to run without a terminal on both ends. */
export function requireTerminal(ctx: Context, what: string): void {
  if (!ctx.stdinIsTTY || !ctx.stdoutIsTTY) {
    throw new UsageError(
      `${what} needs an interactive terminal.`,
      'Run it in a terminal; for scripts use list, show, stats, validate or export.',
    );
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

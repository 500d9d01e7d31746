/** `django-drill reset [topics...]`: forget progress after a confirmation, keeping a backup. */
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import { resolveTopics } from '../questions/bank.js';
import { isPromptExit } from '../ui/index.js';
import { loadBankWithWarnings, requireTerminal } from './common.js';
import { createUI } from './session-options.js';

export async function resetCommand(ctx: Context, topicNames: string[], options: { yes?: boolean }): Promise<void> {
  let names: string[] | undefined;
  if (topicNames.length > 0) {
    const { bank } = await loadBankWithWarnings(ctx, { bodies: false });
    names = resolveTopics(bank, topicNames).map((t) => t.name);
  }
  const store = await ctx.store();
  const scores = await store.read();
  const affected = scores.attempts.filter((a) => !names || names.includes(a.topic)).length;
  const what = names ? `progress on ${names.join(', ')}` : 'all progress';
  if (affected === 0 && Object.keys(scores.cards).length === 0) {
    ctx.out(`Nothing to reset: no answers recorded${names ? ` for ${names.join(', ')}` : ''}.`);
    return;
  }
  if (!options.yes) {
    requireTerminal(ctx, 'reset without --yes');
    const ui = await createUI(ctx);
    try {
      const ok = await ui.confirm(`Forget ${what} (${affected} answer${affected === 1 ? '' : 's'})? A backup copy is kept.`, false);
      if (!ok) {
        ctx.out('Nothing changed.');
        return;
      }
    } catch (error) {
      if (isPromptExit(error)) throw new InterruptedError();
      throw error;
    }
  }
  const result = await store.reset(names);
  ctx.out(`Forgot ${what}: ${result.removedAttempts} answer${result.removedAttempts === 1 ? '' : 's'} removed.`);
  if (result.backup) ctx.out(`Backup: ${result.backup}`);
}

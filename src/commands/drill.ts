/** `django-drill [drill] [topics...]`: a drill session; no topic opens the topic picker. */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import { findQuestion, questionsOf } from '../questions/bank.js';
import { parentIdOf } from '../questions/follow-ups.js';
import { percent } from '../render/format.js';
import { selectQuestions } from '../session/engine.js';
import { questionProgress, topicProgress } from '../session/progress.js';
import { isPromptExit } from '../ui/index.js';
import { checkTags, loadBankWithWarnings, requireTerminal, topicsOrCommand } from './common.js';
import { createUI, endSession, runAndSummarize, sessionOptions, sessionPlan, type SessionFlags } from './session-options.js';

export async function drillCommand(
  ctx: Context,
  topicNames: string[],
  flags: SessionFlags,
  commands: readonly string[],
): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx);
  let topics = topicsOrCommand(bank, topicNames, commands);
  requireTerminal(ctx, topicNames.length === 0 ? 'The topic picker' : 'drill');
  const store = await ctx.store();
  const scores = await store.read();
  const progress = questionProgress(bank, scores, ctx.now());
  const ui = await createUI(ctx);

  const byId = flags.id?.map((id) => findQuestion(bank, parentIdOf(id.trim())));
  if (byId && topicNames.length === 0) topics = bank.topics.filter((t) => byId.some((q) => q.topic === t.name));
  if (topicNames.length === 0 && !byId) {
    const rows = topicProgress(bank, progress).map((t) => {
      const due = t.due > 0 ? chalk.yellow(`${t.due} due`) : chalk.dim('0 due');
      return {
        name: t.topic.name,
        label: `${t.topic.name.padEnd(13)} ${percent(t.mastery).padStart(4)} mastery · ${due} · ${t.seen}/${t.total} seen`,
        description: t.topic.description || t.topic.title,
      };
    });
    try {
      const picked = await ui.pickTopics(rows);
      topics = bank.topics.filter((t) => picked.includes(t.name));
    } catch (error) {
      if (isPromptExit(error)) throw new InterruptedError();
      throw error;
    }
  }

  const options = sessionOptions(flags, { count: 10 });
  const pool = questionsOf(bank, topics).filter((q) => !byId || byId.includes(q));
  checkTags(pool, flags.tag);
  const selected = selectQuestions(
    pool,
    progress,
    { count: options.count, due: flags.due, weak: flags.weak, new: flags.new, difficulty: flags.difficulty, tags: flags.tag, order: flags.order },
    options.random,
  );
  if (selected.length === 0) {
    ctx.out(`Nothing to drill in ${topics.map((t) => t.name).join(', ')} with these filters.`);
    if (flags.due) ctx.out(chalk.dim('Nothing is due right now. Try without --due, or: django-drill warmup'));
    return;
  }
  endSession(await runAndSummarize(ctx, ui, bank, store, scores, sessionPlan('drill', topics, selected, options)));
}

/** `django-drill list [topics...]`: topics with counts, or the questions of some topics. */
import chalk from 'chalk';
import type { Context } from '../context.js';
import { questionsOf, resolveTopics } from '../questions/bank.js';
import { percent, plural, relativeDue, table, truncate } from '../render/format.js';
import { questionProgress, topicProgressOf } from '../session/progress.js';
import { refsOf } from '../types.js';
import { loadBankWithWarnings } from './common.js';

export async function listCommand(ctx: Context, topicNames: string[]): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx, { bodies: false });
  const topics = resolveTopics(bank, topicNames);
  const scores = await ctx.readHistory();
  const now = ctx.now();
  const width = ctx.stdoutIsTTY ? ctx.columns : Number.MAX_SAFE_INTEGER;

  if (topicNames.length === 0) {
    const rows = topicProgressOf(bank, scores, now);
    if (ctx.opts.json) {
      ctx.out(
        JSON.stringify({
          version: 1,
          topics: rows.map((t) => ({
            topic: t.topic.name,
            title: t.topic.title,
            description: t.topic.description,
            questions: t.total,
            seen: t.seen,
            due: t.due,
            mastery: round(t.mastery),
          })),
        }, null, 2),
      );
      return;
    }
    // Names and numbers are never cut: a narrow terminal drops the title column instead.
    const narrow = width < 60;
    ctx.out(
      table(
        rows.map((t) => [t.topic.name, ...(narrow ? [] : [t.topic.title]), String(t.total), `${t.seen}`, t.due > 0 ? chalk.yellow(String(t.due)) : '0', percent(t.mastery)]),
        narrow
          ? { head: ['topic', 'total', 'seen', 'due', 'mastery'], align: ['left', 'right', 'right', 'right', 'right'], width }
          : { head: ['topic', 'title', 'questions', 'seen', 'due', 'mastery'], align: ['left', 'left', 'right', 'right', 'right', 'right'], width, shrink: [1], overflow: 'truncate' },
      ),
    );
    ctx.out(chalk.dim(`${plural(refsOf(bank).ids.length, 'question')} in ${plural(bank.topics.length, 'topic')}. Drill one: django-drill drill <topic>`));
    return;
  }

  const questions = questionsOf(bank, topics);
  const progress = questionProgress({ topics, questions }, scores, now);
  if (ctx.opts.json) {
    ctx.out(
      JSON.stringify({
        version: 1,
        questions: questions.map((q) => {
          const p = progress.get(q.id);
          return {
            id: q.id,
            topic: q.topic,
            title: q.title,
            difficulty: q.difficulty,
            type: q.type,
            tags: q.tags,
            attempts: p?.attempts ?? 0,
            lastScore: p?.lastScore ?? null,
            mastery: round(p?.mastery ?? 0),
            due: p?.dueMs !== undefined && Number.isFinite(p.dueMs) ? new Date(p.dueMs).toISOString() : null,
            isDue: p?.due ?? false,
          };
        }),
      }, null, 2),
    );
    return;
  }
  if (width < 70) {
    // Narrow: the id on a line of its own (never cut: `show` needs it), then level, last score,
    // due, and the title shortened to the width.
    const lines: string[] = [];
    for (const q of questions) {
      const p = progress.get(q.id);
      const last = p?.lastScore === undefined ? 'new' : `last ${percent(p.lastScore)}`;
      const due = p?.dueMs === undefined ? '' : ` · ${p.due ? chalk.yellow(relativeDue(p.dueMs, now)) : relativeDue(p.dueMs, now)}`;
      lines.push(chalk.bold(q.id), `  ${q.difficulty} · ${last}${due}`, `  ${chalk.dim(truncate(q.title, Math.max(10, width - 2)))}`);
    }
    ctx.out(lines.join('\n'));
    return;
  }
  ctx.out(
    table(
      questions.map((q) => {
        const p = progress.get(q.id);
        const last = p?.lastScore === undefined ? chalk.dim('—') : percent(p.lastScore);
        const due = p?.dueMs === undefined ? chalk.dim('new') : p.due ? chalk.yellow(relativeDue(p.dueMs, now)) : relativeDue(p.dueMs, now);
        return [q.id, q.difficulty, q.title, last, due];
      }),
      // One line per question: the title gives way first, and a pipe gets full lines.
      { head: ['id', 'difficulty', 'title', 'last', 'due'], align: ['left', 'left', 'left', 'right', 'left'], width, shrink: [2], overflow: 'truncate' },
    ),
  );
}

const round = (n: number) => Math.round(n * 1000) / 1000;

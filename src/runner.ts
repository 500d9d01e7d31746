/**
 * Runs one drill or warmup session: asks, reveals, grades, saves after every answer, and ends
 * with a summary — also after `q` or Ctrl-C. The decisions (order, grading, re-asks) are the
 * pure engine's; this file only sequences them with the terminal and the store.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import chalk from 'chalk';
import type { Context } from './context.js';
import { DrillError } from './errors.js';
import { renderMarkdownCached } from './render/cached.js';
import { percent, relativeDue, table, wrapText } from './render/format.js';
import { gradeChoice, gradeOpen, preTick, SessionQueue, type Grade } from './session/engine.js';
import { topicProgressOf } from './session/progress.js';
import type { ScoresStore } from './store/index.js';
import type { Attempt, Bank, Mode, Question, ScoresFile, SessionRecord } from './types.js';
import { isPromptExit, type Clock, type DrillUI } from './ui/index.js';

export interface SessionPlan {
  mode: Mode;
  /** Topic names the session covers (for the record and the summary). */
  topics: string[];
  questions: Question[];
  /** Most questions to present, re-asks included. */
  limit: number;
  /** `--timed`: seconds per question, or 'question' to use each question's `time` (120 s default). */
  timed?: number | 'question';
  /** `--type`: type the answer before the reveal. */
  type: boolean;
}

export interface AnswerResult {
  question: Question;
  grade: Grade;
  durationMs: number;
  overtime: boolean;
  reask: boolean;
}

export interface SessionOutcome {
  record: SessionRecord;
  results: AnswerResult[];
  interrupted: boolean;
  before: ScoresFile;
  after: ScoresFile;
}

const DEFAULT_SECONDS = 120;

/** Ctrl-C arrived between two prompts. */
class SessionInterrupted extends Error {}

function clockFor(plan: SessionPlan, question: Question, startedAt: number): Clock | undefined {
  if (plan.timed === undefined) return undefined;
  const limitSec = plan.timed === 'question' ? (question.time ?? DEFAULT_SECONDS) : plan.timed;
  return { limitSec, startedAt };
}

function header(index: number, total: number, question: Question, reask: boolean): string {
  const parts = [question.topic, question.difficulty, question.title];
  const again = reask ? chalk.yellow(' (again)') : '';
  return `\n${chalk.dim(`[${index}/${total}]`)} ${chalk.bold(parts.join(' · '))}${again}`;
}

function ruler(label: string, columns: number): string {
  const width = Math.min(columns, 80);
  return chalk.dim(`── ${label} ${'─'.repeat(Math.max(0, width - label.length - 4))}`);
}

export async function runSession(
  ctx: Context,
  ui: DrillUI,
  bank: Bank,
  store: ScoresStore,
  initial: ScoresFile,
  plan: SessionPlan,
): Promise<SessionOutcome> {
  const color = ctx.opts.color;
  const width = Math.min(ctx.columns, 100);
  const renderCache = { dir: join(ctx.opts.home, 'cache', 'render') };
  const md = (text: string) => renderMarkdownCached(text, { color, width }, renderCache);
  const record: SessionRecord = {
    id: randomUUID(),
    mode: plan.mode,
    topics: plan.topics,
    startedAt: ctx.now().toISOString(),
    asked: 0,
    answered: 0,
    score: 0,
  };
  const queue = new SessionQueue(plan.questions, plan.limit);
  const results: AnswerResult[] = [];
  let scores = initial;
  let saveFailed = false;
  let interrupted = false;

  // Answers not yet on disk (a failed write); retried with every later save.
  const pending: Attempt[] = [];
  const save = async (attempt?: Attempt) => {
    if (attempt) pending.push(attempt);
    record.asked = queue.asked;
    record.answered = results.length;
    record.score = results.length === 0 ? 0 : results.reduce((sum, r) => sum + r.grade.score, 0) / results.length;
    try {
      scores = await store.record({ attempts: [...pending], session: record });
      pending.length = 0;
      saveFailed = false;
    } catch (error) {
      if (!(error instanceof DrillError)) throw error;
      // Keep drilling: the answer stays in memory and goes out with the next successful write.
      if (!saveFailed) ctx.warn(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
      saveFailed = true;
    }
  };

  // Ctrl-C inside a prompt is a key press (ExitPromptError). Between prompts, while an answer is
  // rendered or saved, or sent with kill, it is a SIGINT: cancel the prompt on screen, if any,
  // and stop before the next one the same way.
  let sigint = false;
  const onSigint = () => {
    sigint = true;
    ui.interrupt();
  };
  process.on('SIGINT', onSigint);
  const ask = <T>(prompt: () => Promise<T>): Promise<T> => {
    if (sigint) throw new SessionInterrupted();
    return prompt();
  };

  try {
    for (let question = queue.next(); question; question = queue.next()) {
      const reask = queue.isReask(question);
      ctx.out(header(queue.asked, queue.total, question, reask));
      ctx.out(await md(question.prompt || question.title));
      const startedAt = Date.now();
      const clock = clockFor(plan, question, startedAt);
      let grade: Grade;
      let overtime = false;

      if (question.type === 'choice') {
        // The select prompt cannot show a ticking clock; say the limit once instead.
        if (clock) ctx.out(chalk.dim(`⏱ ${clock.limitSec}s to answer`));
        const picked = await ask(() => ui.choose(question.choices.map((c) => c.text), clock));
        overtime = picked < 0 || (clock !== undefined && Date.now() - startedAt > clock.limitSec * 1000);
        grade = gradeChoice(question, picked);
        ctx.out(picked < 0 ? chalk.red("\n✗ Time's up.") : grade.score === 1 ? chalk.green('\n✓ Correct.') : chalk.red('\n✗ Not quite.'));
        question.choices.forEach((choice, index) => {
          const mark = choice.correct ? chalk.green('✓') : index === picked ? chalk.red('✗') : ' ';
          const why = choice.why ? chalk.dim(` — ${choice.why}`) : '';
          ctx.out(`  ${mark} ${String.fromCharCode(65 + index)}. ${choice.text}${why}`);
        });
        if (question.answer) ctx.out(`\n${await md(question.answer)}`);
      } else {
        let typed: string | undefined;
        if (plan.type) {
          const answer = await ask(() => ui.typeAnswer(clock));
          typed = answer.text;
          overtime = answer.timedOut;
        } else {
          const action = await ask(() => ui.waitForReveal(clock));
          if (action === 'quit') break;
          if (action === 'skip') continue;
          overtime = action === 'timeout';
        }
        if (clock && Date.now() - startedAt > clock.limitSec * 1000) overtime = true;
        if (typed !== undefined) {
          ctx.out(`\n${ruler('Your answer', ctx.columns)}`);
          ctx.out(typed ? typed.split('\n').map((l) => `  ${l}`).join('\n') : chalk.dim('  (nothing typed)'));
        }
        ctx.out(`\n${ruler('Model answer', ctx.columns)}`);
        ctx.out(await md(question.answer));
        const preticked = typed ? preTick(question.keypoints, typed) : [];
        const covered = await ask(() => ui.gradeKeypoints(question.keypoints, preticked));
        grade = gradeOpen(question, covered, overtime);
      }

      const durationMs = Date.now() - startedAt;
      results.push({ question, grade, durationMs, overtime, reask });
      const attempt: Attempt = {
        questionId: question.id,
        topic: question.topic,
        at: ctx.now().toISOString(),
        score: grade.score,
        rating: grade.rating,
        keypointsHit: grade.keypointsHit,
        durationMs,
        sessionId: record.id,
        mode: plan.mode,
      };
      if (overtime) attempt.overtime = true;
      await save(attempt);

      const card = scores.cards[question.id];
      const due = card ? ` · next review ${relativeDue(card.due, ctx.now())}` : '';
      const over = overtime ? chalk.yellow(' · over time') : '';
      ctx.out(`${chalk.bold(`Score ${percent(grade.score)}`)} → ${grade.rating}${over}${chalk.dim(due)}`);
      const requeued = queue.graded(question, grade.rating);
      if (requeued) ctx.out(chalk.dim('It will come back once more at the end of this session.'));

      let next = await ask(() => ui.afterAnswer({ followUps: question.followUps.length > 0, last: queue.remaining === 0 }));
      if (next === 'followups') {
        ctx.out(`\n${ruler('Follow-ups', ctx.columns)}`);
        for (const item of question.followUps) ctx.out(await md(`- ${item}`));
        next = await ask(() => ui.afterAnswer({ followUps: false, last: queue.remaining === 0 }));
      }
      if (next === 'skip' && requeued) queue.drop(question);
      if (next === 'quit') break;
    }
  } catch (error) {
    if (!isPromptExit(error) && !(error instanceof SessionInterrupted)) throw error;
    interrupted = true;
  } finally {
    process.off('SIGINT', onSigint);
  }

  record.endedAt = ctx.now().toISOString();
  // A session quit before its first answer leaves no trace (and creates no file).
  if (results.length > 0 || pending.length > 0) await save();
  if (pending.length > 0) {
    ctx.warn(`${pending.length} answer(s) of this session could not be saved.`);
  }
  return { record, results, interrupted, before: initial, after: scores };
}

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
    if (points.length > 0) missed.push(`  ${chalk.bold(r.question.title)} ${chalk.dim(`(${r.question.id})`)}`, ...points.flatMap(bullet));
  }
  if (missed.length > 0) lines.push('', chalk.bold('To reread'), ...missed);

  const nextDue = Object.entries(outcome.after.cards)
    .filter(([id]) => bank.questions.some((q) => q.id === id && touched.has(q.topic)))
    .sort((a, b) => a[1].due.localeCompare(b[1].due))[0];
  if (nextDue) {
    const title = bank.questions.find((q) => q.id === nextDue[0])?.title ?? nextDue[0];
    lines.push('', `${chalk.bold('Next due:')} ${title} ${chalk.dim(relativeDue(nextDue[1].due, now))}`);
  }
  return lines.join('\n');
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

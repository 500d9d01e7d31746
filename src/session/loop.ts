/**
 * The one session loop of every mode (drill, warmup, interview, today): pick → ask → grade →
 * save → next. What differs per mode is the policy it is given (session/policies): which
 * question comes next, what follows an answer, the clock. Asking and grading are the question
 * kind's (session/kinds). Every answer is saved as it is given, so `q` or Ctrl-C loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import chalk from 'chalk';
import type { Context } from '../context.js';
import { DrillError } from '../errors.js';
import { renderMarkdownCached } from '../render/cached.js';
import { percent, relativeDue, wrapText } from '../render/format.js';
import type { ScoresStore } from '../store/index.js';
import type { Attempt, Mode, Question, ScoresFile, SessionRecord } from '../types.js';
import { isPromptExit, type Clock, type DrillUI, type NextAction } from '../ui/index.js';
import { hashString, seededRandom, type Grade } from './engine.js';
import { ASKERS, type AskContext } from './kinds/index.js';
import { ruler } from './kinds/open.js';
import { page } from '../ui/pager.js';

/** One question put to the user. */
export interface Turn {
  question: Question;
  /** The question this one follows up, for a follow-up. */
  parent?: Question;
  reask: boolean;
  /** Where the session stands, for the header: "3/10", "3/10 · follow-up 1/2". */
  counter: string;
}

export interface AnswerResult {
  question: Question;
  parent?: Question;
  grade: Grade;
  durationMs: number;
  overtime: boolean;
  reask: boolean;
  /** `--type`: what was typed. */
  typed?: string;
}

export interface SessionOutcome {
  record: SessionRecord;
  results: AnswerResult[];
  interrupted: boolean;
  before: ScoresFile;
  after: ScoresFile;
  /** Answers that could not be written (a full disk, say). */
  unsaved: number;
}

/** What one mode decides; the loop does the rest. */
export interface SessionPolicy {
  readonly mode: Mode;
  readonly topics: readonly string[];
  /** Questions presented so far (for the session record). */
  readonly asked: number;
  /** The next question, or undefined to end the session. */
  next(): Turn | undefined;
  clock(turn: Turn, startedAt: number): Clock | undefined;
  /** After an answer is saved: what to say about it (lines), and what it changes in the plan. */
  answered(turn: Turn, result: AnswerResult): string[];
  /** Keys after an answer: `f` when follow-ups can be asked, and whether this is the last. */
  afterKeys(turn: Turn): { followUps: boolean; last: boolean };
  /**
   * The key pressed after an answer. For `followups`: Markdown of the follow-ups to list (those
   * without an answer) and how many were queued to be asked.
   */
  after(turn: Turn, action: NextAction): { list?: string; queued: number } | undefined;
}

export interface LoopOptions {
  type: boolean;
  /** Page long answers (README "Pager"); off with --no-pager. */
  pager?: boolean;
  /** The session's seed: the order of choices, reproducible with `--seed`. */
  seed: number;
}

/** Ctrl-C arrived between two prompts. */
class SessionInterrupted extends Error {}

/** `[3/10] orm · mid · Title`, wrapped at word boundaries to the terminal's width. */
function header(turn: Turn, columns: number): string {
  const { question, parent } = turn;
  const title = parent ? `${parent.topic} · ${parent.title}` : [question.topic, question.difficulty, question.title].join(' · ');
  const counter = `[${turn.counter}]`;
  const lines = wrapText(`${counter} ${title}${turn.reask ? ' (again)' : ''}`, Math.max(20, Math.min(columns, 100)));
  const styled = lines.map((line, i) => {
    const body = i === 0 ? line.slice(counter.length + 1) : line;
    const text = turn.reask && i === lines.length - 1 && body.endsWith(' (again)') ? `${chalk.bold(body.slice(0, -8))}${chalk.yellow(' (again)')}` : chalk.bold(body);
    return i === 0 ? `${chalk.dim(counter)} ${text}` : text;
  });
  return `\n${styled.join('\n')}`;
}

/** Saves after every answer; keeps what failed to save and retries it with the next one. */
class Saver {
  readonly pending: Attempt[] = [];
  failed = false;
  constructor(
    private readonly ctx: Context,
    private readonly store: ScoresStore,
    public scores: ScoresFile,
  ) {}

  async save(record: SessionRecord, attempt?: Attempt): Promise<void> {
    if (attempt) this.pending.push(attempt);
    try {
      this.scores = await this.store.record({ attempts: [...this.pending], session: record });
      this.pending.length = 0;
      this.failed = false;
    } catch (error) {
      if (!(error instanceof DrillError)) throw error;
      // Keep going: the answer stays in memory and goes out with the next successful write.
      if (!this.failed) this.ctx.warn(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
      this.failed = true;
    }
  }
}

function attemptOf(ctx: Context, record: SessionRecord, result: AnswerResult): Attempt {
  const attempt: Attempt = {
    questionId: result.question.id,
    topic: result.question.topic,
    at: ctx.now().toISOString(),
    score: result.grade.score,
    rating: result.grade.rating,
    keypointsHit: result.grade.keypointsHit,
    durationMs: result.durationMs,
    sessionId: record.id,
    mode: record.mode,
  };
  if (result.overtime) attempt.overtime = true;
  return attempt;
}

export async function runLoop(
  ctx: Context,
  ui: DrillUI,
  store: ScoresStore,
  initial: ScoresFile,
  policy: SessionPolicy,
  options: LoopOptions,
): Promise<SessionOutcome> {
  const width = Math.min(ctx.columns, 100);
  const renderCache = { dir: join(ctx.opts.home, 'cache', 'render') };
  const md = (text: string) => renderMarkdownCached(text, { color: ctx.opts.color, width }, renderCache);
  const record: SessionRecord = { id: randomUUID(), mode: policy.mode, topics: [...policy.topics], startedAt: ctx.now().toISOString(), asked: 0, answered: 0, score: 0 };
  const results: AnswerResult[] = [];
  const saver = new Saver(ctx, store, initial);
  const saveWith = async (attempt?: Attempt) => {
    record.asked = policy.asked;
    record.answered = results.length;
    record.score = results.length === 0 ? 0 : results.reduce((sum, r) => sum + r.grade.score, 0) / results.length;
    await saver.save(record, attempt);
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
  const prompt = <T>(show: () => Promise<T>): Promise<T> => {
    if (sigint) throw new SessionInterrupted();
    return show();
  };

  let interrupted = false;
  try {
    for (let turn = policy.next(); turn; turn = policy.next()) {
      const go = await askTurn(turn);
      if (go === 'quit') break;
    }
  } catch (error) {
    if (!isPromptExit(error) && !(error instanceof SessionInterrupted)) throw error;
    interrupted = true;
  } finally {
    process.off('SIGINT', onSigint);
  }

  record.endedAt = ctx.now().toISOString();
  // A session quit before its first answer leaves no trace (and creates no file).
  if (results.length > 0 || saver.pending.length > 0) await saveWith();
  const unsaved = saver.pending.length;
  if (unsaved > 0) ctx.warn(`${unsaved} answer(s) of this session could not be saved.`);
  return { record, results, interrupted, before: initial, after: saver.scores, unsaved };

  /** One turn: show, ask, grade, save, then the key after it. 'quit' ends the session. */
  async function askTurn(turn: Turn): Promise<'next' | 'quit'> {
    const { question } = turn;
    ctx.out(header(turn, ctx.columns));
    ctx.out(await md(question.prompt || question.title));
    // The prompt's countdown runs on the wall clock; the answer's duration on the context's
    // clock (a test can fake it).
    const startedAt = Date.now();
    const began = ctx.now().getTime();
    const clock = policy.clock(turn, startedAt);
    const io: AskContext = {
      ctx,
      ui,
      md,
      prompt,
      type: options.type,
      random: seededRandom(options.seed ^ hashString(question.id)),
      page: (text) => options.pager === true && ctx.stdoutIsTTY && page(text, { enabled: true, rows: process.stdout.rows || 0 }),
    };
    const asked = await ASKERS[question.type](io, question, clock, startedAt);
    if (asked.status === 'quit') return 'quit';
    if (asked.status === 'skip') return 'next';

    const result: AnswerResult = { question, grade: asked.grade, durationMs: Math.max(0, ctx.now().getTime() - began), overtime: asked.overtime, reask: turn.reask };
    if (turn.parent) result.parent = turn.parent;
    if (asked.typed !== undefined) result.typed = asked.typed;
    results.push(result);
    await saveWith(attemptOf(ctx, record, result));

    const card = saver.scores.cards[question.id];
    const due = card && !saver.failed ? ` · next review ${relativeDue(card.due, ctx.now())}` : '';
    const over = asked.overtime ? chalk.yellow(' · over time') : '';
    ctx.out(`${chalk.bold(`Score ${percent(asked.grade.score)}`)} → ${asked.grade.rating}${over}${chalk.dim(due)}`);
    for (const line of policy.answered(turn, result)) ctx.out(line);

    const keys = { ...policy.afterKeys(turn), saved: !saver.failed };
    let action = await prompt(() => ui.afterAnswer(keys));
    if (action === 'followups') {
      const followed = policy.after(turn, action);
      if (followed?.list) ctx.out(`\n${ruler('Follow-ups', ctx.columns)}\n${await md(followed.list)}`);
      if (followed && followed.queued > 0) return 'next';
      action = await prompt(() => ui.afterAnswer({ ...keys, followUps: false }));
    }
    policy.after(turn, action);
    return action === 'quit' ? 'quit' : 'next';
  }
}

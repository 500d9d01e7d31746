/**
 * `django-drill interview [topics...]`: a mock interview. Questions at a level, chained
 * follow-ups, one clock for the whole interview, then a scorecard on screen, a Markdown report
 * on disk and, with --json, the scorecard as JSON on stdout (the session itself then runs on
 * stderr).
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../context.js';
import { DrillError, InterruptedError, UsageError } from '../errors.js';
import { questionsOf, resolveTopics } from '../questions/bank.js';
import { wrapText } from '../render/format.js';
import { reportMarkdown, scorecardText } from '../render/report.js';
import { terminalSafeJson } from '../render/sanitize.js';
import { sessionOptions } from './session-options.js';
import { INTERVIEW_TOPICS, MINUTES, pickInterview, type Level } from '../session/interview.js';
import { runLoop } from '../session/loop.js';
import { InterviewPolicy } from '../session/policies/interview.js';
import { questionProgress } from '../session/progress.js';
import { scorecardOf, type Scorecard } from '../session/scorecard.js';
import type { Bank, TopicInfo } from '../types.js';
import { loadBankWithWarnings } from './common.js';

export interface InterviewFlags {
  level: Level;
  minutes: number;
  type?: boolean;
  seed?: number;
  report?: string;
  pager?: boolean;
}

/** The topics asked for, or the interview set (those of INTERVIEW_TOPICS the bank has; else all). */
export function interviewTopics(bank: Bank, names: readonly string[]): TopicInfo[] {
  if (names.length > 0) return resolveTopics(bank, names);
  const set = bank.topics.filter((t) => (INTERVIEW_TOPICS as readonly string[]).includes(t.name));
  return set.length > 0 ? set : bank.topics;
}

/** `interview-2026-12-03T08-12-05.md`, in local time. */
export function reportName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `interview-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}-${p(at.getMinutes())}-${p(at.getSeconds())}.md`;
}

const localStamp = (at: Date) => reportName(at).slice('interview-'.length, -3).replace('T', ' ').replace(/-(\d\d)-(\d\d)$/, ':$1:$2');

/**
 * Writes the report, 0600 in a 0700 folder (the default one is made so). An existing file is
 * never overwritten: a `-2`, `-3`... suffix is added.
 */
export async function writeReport(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  for (let n = 1; n < 100; n++) {
    const target = n === 1 ? path : path.replace(/(\.md)?$/, `-${n}$1`);
    try {
      const file = await open(target, 'wx', 0o600);
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new DrillError(`Could not find a free name for the report next to ${path}.`);
}

export async function interviewCommand(ctx: Context, topicNames: string[], flags: InterviewFlags): Promise<Scorecard> {
  if (!Number.isInteger(flags.minutes) || flags.minutes < MINUTES.min || flags.minutes > MINUTES.max) {
    throw new UsageError(`--minutes must be a whole number from ${MINUTES.min} to ${MINUTES.max} (got ${flags.minutes}).`, 'For example: django-drill interview --minutes 30');
  }
  const { bank } = await loadBankWithWarnings(ctx);
  const topics = interviewTopics(bank, topicNames);
  // --json: the session runs on stderr so that stdout carries only the JSON.
  const screen: Context = ctx.opts.json ? { ...ctx, out: ctx.err, stdoutIsTTY: process.stderr.isTTY === true, columns: process.stderr.columns || 80 } : ctx;
  if (!screen.stdinIsTTY || !screen.stdoutIsTTY) {
    throw new UsageError(
      `interview needs an interactive terminal (${screen.stdinIsTTY ? (ctx.opts.json ? 'stderr' : 'stdout') : 'stdin'} is not one).`,
      'Run it in a terminal; `interview --json > card.json` keeps the session on screen and writes the scorecard to the file.',
    );
  }
  const store = await ctx.store();
  const scores = await store.read();
  const options = sessionOptions(flags, { count: 0 });
  const { seed } = options;
  const picked = pickInterview(questionsOf(bank, topics), questionProgress(bank, scores, ctx.now()), flags.level, flags.minutes, options.random);
  if (picked.length === 0) {
    throw new UsageError(`No ${flags.level}-level questions in ${topics.map((t) => t.name).join(', ')}.`, 'Try another --level or other topics.');
  }
  const { createTerminalUI } = await import('../ui/index.js');
  const ui = createTerminalUI({ color: ctx.opts.color, ...(ctx.opts.json ? { target: process.stderr } : {}) });
  const started = ctx.now();
  const opener = `Mock ${flags.level} interview: ${picked.length} question${picked.length === 1 ? '' : 's'} over ${flags.minutes} minutes (${topics.map((t) => t.name).join(', ')}). Answer aloud as you would to the interviewer; the clock runs from now.`;
  screen.out(wrapText(opener, Math.min(screen.columns, 100)).join('\n'));
  const policy = new InterviewPolicy(picked, topics.map((t) => t.name), flags.minutes * 60, Date.now());
  const outcome = await runLoop(screen, ui, store, scores, policy, { type: options.type, seed, pager: options.pager });

  const card = scorecardOf({
    entries: policy.entries,
    level: flags.level,
    minutes: flags.minutes,
    seed,
    startedAt: started.toISOString(),
    endedAt: ctx.now().toISOString(),
    interrupted: outcome.interrupted,
    timeUp: policy.timeUp,
    endedEarly: !outcome.interrupted && !policy.timeUp && !policy.finished,
  });
  screen.out(scorecardText(card, screen.columns));
  if (policy.entries.length > 0) {
    // The signal goes on the session's record, for `stats`.
    try {
      await store.record({ attempts: [], session: { ...outcome.record, signal: card.signal } });
    } catch (error) {
      if (!(error instanceof DrillError)) throw error;
      ctx.warn(`the interview's signal was not saved: ${error.message}`);
    }
  }
  const path = flags.report ? resolve(flags.report) : join(ctx.opts.home, 'reports', reportName(started));
  const written = await writeReport(path, reportMarkdown(card, policy.entries, { topics: topics.map((t) => t.name), localStart: localStamp(started) }));
  screen.out(`\nReport: ${written}`);
  if (ctx.opts.json) ctx.out(terminalSafeJson(card));
  if (outcome.interrupted) throw new InterruptedError();
  return card;
}

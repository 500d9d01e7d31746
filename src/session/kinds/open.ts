/** An open question: answer aloud (or type it), reveal the model answer, tick the key points. */
import chalk from 'chalk';
import { gradeOpen, preTick } from '../engine.js';
import { pastClock, type AskKind } from './types.js';

export function ruler(label: string, columns: number): string {
  const width = Math.min(columns, 80);
  return chalk.dim(`── ${label} ${'─'.repeat(Math.max(0, width - label.length - 4))}`);
}

export const askOpen: AskKind = async (io, question, clock, startedAt) => {
  const { ctx, ui } = io;
  let typed: string | undefined;
  let overtime = false;
  if (io.type) {
    const answer = await io.prompt(() => ui.typeAnswer(clock));
    typed = answer.text;
    overtime = answer.timedOut;
  } else {
    const action = await io.prompt(() => ui.waitForReveal(clock));
    if (action === 'quit' || action === 'skip') return { status: action };
    overtime = action === 'timeout';
  }
  if (pastClock(clock, startedAt)) overtime = true;
  if (typed !== undefined) {
    ctx.out(`\n${ruler('Your answer', ctx.columns)}`);
    ctx.out(typed ? typed.split('\n').map((l) => `  ${l}`).join('\n') : chalk.dim('  (nothing typed)'));
  }
  const answer = `\n${ruler('Model answer', ctx.columns)}\n${await io.md(question.answer)}`;
  // A long answer is paged with the question above it, so the question stays in view.
  const paged = io.page(`${ruler('Question', ctx.columns)}\n${await io.md(question.prompt || question.title)}\n${answer}`);
  ctx.out(paged ? chalk.dim(`(model answer shown in the pager)`) : answer);
  const preticked = typed ? preTick(question.keypoints, typed) : [];
  const covered = await io.prompt(() => ui.gradeKeypoints(question.keypoints, preticked));
  if (covered === 'skip' || covered === 'quit') return { status: covered };
  return { status: 'answered', grade: gradeOpen(question, covered, overtime), overtime, ...(typed !== undefined ? { typed } : {}) };
};

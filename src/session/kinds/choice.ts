/**
 * A choice question. The choices are shown in an order shuffled per question and session seed,
 * so the right one is not always in the same place; the grade and the "why" lines follow the
 * order shown, and the attempt records the picked choice's index in the file (the ticked ones'
 * for a "select all that apply" question, graded all or nothing).
 */
import chalk from 'chalk';
import { formatCountdown } from '../../ui/prompts.js';
import { gradeChoice, shuffle } from '../engine.js';
import { pastClock, type AskKind } from './types.js';

const letter = (index: number) => String.fromCharCode(65 + index);

/** File indexes of the choices in the order they are shown. */
export function displayOrder(count: number, random: () => number): number[] {
  return shuffle(
    Array.from({ length: count }, (_, i) => i),
    random,
  );
}

export const askChoice: AskKind = async (io, question, clock, startedAt) => {
  const { ctx, ui } = io;
  const order = displayOrder(question.choices.length, io.random);
  const texts = order.map((i) => question.choices[i]?.text ?? '');
  // The select prompt cannot show a ticking clock; say the limit once instead.
  if (clock) ctx.out(formatCountdown(clock, Date.now()));
  const shown = await io.prompt<number | number[] | 'skip' | 'quit'>(() => (question.multiple ? ui.chooseAll(texts, clock) : ui.choose(texts, clock)));
  if (shown === 'skip' || shown === 'quit') return { status: shown };
  // Shown positions back to file indexes; nothing picked (-1 or []) means the clock ran out.
  const picked = (typeof shown === 'number' ? [shown] : shown).filter((p) => p >= 0).map((p) => order[p] ?? -1);
  const overtime = picked.length === 0 || pastClock(clock, startedAt);
  const grade = gradeChoice(question, picked);
  ctx.out(picked.length === 0 ? chalk.red("\n✗ Time's up.") : grade.score === 1 ? chalk.green('\n✓ Correct.') : chalk.red('\n✗ Not quite.'));
  order.forEach((i, position) => {
    const choice = question.choices[i];
    if (!choice) return;
    const mark = choice.correct ? chalk.green('✓') : picked.includes(i) ? chalk.red('✗') : ' ';
    // A correct choice left unticked in a "select all" question is called out: it is why a
    // partly right answer scored 0.
    const missed = question.multiple && choice.correct && !picked.includes(i) ? chalk.yellow(' (missed)') : '';
    const why = choice.why ? chalk.dim(` — ${choice.why}`) : '';
    ctx.out(`  ${mark} ${letter(position)}. ${choice.text}${missed}${why}`);
  });
  if (question.answer) ctx.out(`\n${await io.md(question.answer)}`);
  return { status: 'answered', grade, overtime };
};

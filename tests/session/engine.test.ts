import { describe, expect, it } from 'vitest';
import { gradeChoice, gradeOpen, preTick, seededRandom, selectQuestions, selectWarmup, SessionQueue } from '../../src/session/engine.js';
import { questionProgress } from '../../src/session/progress.js';
import { replayAll } from '../../src/srs/index.js';
import type { Attempt, Question, ScoresFile } from '../../src/types.js';
import { attempt, makeBank, makeQuestion } from '../helpers.js';

const now = new Date('2026-11-25T12:00:00.000Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();

function scoresOf(attempts: Attempt[]): ScoresFile {
  return { version: 2, attempts, cards: replayAll(attempts), sessions: [] };
}

function setup(questions: Question[], attempts: Attempt[]) {
  const bank = makeBank(questions);
  return { bank, progress: questionProgress(bank, scoresOf(attempts), now) };
}

const ids = (qs: Question[]) => qs.map((q) => q.id);

describe('selectQuestions (smart order)', () => {
  const questions = [
    makeQuestion('new-senior', { difficulty: 'senior' }),
    makeQuestion('new-junior', { difficulty: 'junior' }),
    makeQuestion('seen-fresh'),
    makeQuestion('due-recent'),
    makeQuestion('due-old'),
    makeQuestion('new-mid', { difficulty: 'mid', tags: ['perf'] }),
  ];
  const history = [
    attempt('due-old', daysAgo(40), 'again'),
    attempt('due-recent', daysAgo(3), 'again'),
    attempt('seen-fresh', daysAgo(0.01), 'easy'),
  ];

  it('puts due first (most overdue first), then new by difficulty, then the rest', () => {
    const { bank, progress } = setup(questions, history);
    const picked = selectQuestions(bank.questions, progress, { count: 10, order: 'smart' }, seededRandom(1));
    expect(ids(picked)).toEqual(['due-old', 'due-recent', 'new-junior', 'new-mid', 'new-senior', 'seen-fresh']);
  });

  it('honours count, --due, --new, --difficulty and --tag, combined', () => {
    const { bank, progress } = setup(questions, history);
    const sel = (extra: object) => ids(selectQuestions(bank.questions, progress, { count: 10, order: 'smart', ...extra }, seededRandom(1)));
    expect(sel({ count: 2 })).toEqual(['due-old', 'due-recent']);
    expect(sel({ due: true })).toEqual(['due-old', 'due-recent']);
    expect(sel({ new: true })).toEqual(['new-junior', 'new-mid', 'new-senior']);
    expect(sel({ new: true, difficulty: 'senior' })).toEqual(['new-senior']);
    expect(sel({ tags: ['perf'] })).toEqual(['new-mid']);
    expect(sel({ due: true, new: true })).toEqual([]);
  });

  it('--weak puts seen questions by lowest mastery first, then unseen ones', () => {
    const { bank, progress } = setup(questions, history);
    const picked = ids(selectQuestions(bank.questions, progress, { count: 4, order: 'smart', weak: true }, seededRandom(1)));
    expect(picked).toEqual(['due-old', 'due-recent', 'seen-fresh', 'new-junior']);
  });

  it('random order is reproducible with the same seed and differs with another', () => {
    const many = Array.from({ length: 30 }, (_, i) => makeQuestion(`q${i}`));
    const { bank, progress } = setup(many, []);
    const run = (seed: number) => ids(selectQuestions(bank.questions, progress, { count: 30, order: 'random' }, seededRandom(seed)));
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    expect([...run(42)].sort()).toEqual([...ids(many)].sort());
  });

  it('file order keeps the bank order', () => {
    const { bank, progress } = setup(questions, history);
    expect(ids(selectQuestions(bank.questions, progress, { count: 10, order: 'file' }, seededRandom(1)))).toEqual(ids(questions));
  });
});

describe('selectWarmup', () => {
  it('takes due first, then the weakest topics round-robin, leaving out what was answered well in the last hour', () => {
    const questions = [
      makeQuestion('orm-1', { topic: 'orm' }),
      makeQuestion('orm-2', { topic: 'orm' }),
      makeQuestion('views-1', { topic: 'views' }),
      makeQuestion('views-2', { topic: 'views' }),
      makeQuestion('orm-due', { topic: 'orm' }),
      makeQuestion('views-weak', { topic: 'views' }),
      makeQuestion('views-strong', { topic: 'views' }),
      makeQuestion('views-failed', { topic: 'views' }),
    ];
    const history = [
      attempt('orm-due', daysAgo(30), 'again'),
      attempt('views-weak', daysAgo(0.01), 'hard', { score: 0.4 }),
      attempt('views-strong', daysAgo(0.01), 'easy'),
      attempt('views-failed', daysAgo(0.01), 'again'),
    ];
    const { bank, progress } = setup(questions, history);
    // orm (all unseen or failed: 0 %) is weaker than views (one strong answer), so it leads.
    expect(ids(selectWarmup(bank.questions, progress, 5, now))).toEqual(['orm-due', 'orm-1', 'views-failed', 'orm-2', 'views-1']);
    // Two hours later the well-answered ones are back, weakest first.
    const later = new Date(now.getTime() + 2 * 3_600_000);
    expect(ids(selectWarmup(bank.questions, questionProgress(bank, scoresOf(history), later), 8, later))).toContain('views-weak');
  });
});

describe('grading', () => {
  const q = makeQuestion('g', { keypoints: ['a', 'b', 'c'] });
  it('scores covered / total, rounded, and rates it', () => {
    expect(gradeOpen(q, [])).toEqual({ score: 0, rating: 'again', keypointsHit: [] });
    expect(gradeOpen(q, [2])).toEqual({ score: 0.33, rating: 'again', keypointsHit: [2] });
    expect(gradeOpen(q, [1, 0])).toEqual({ score: 0.67, rating: 'good', keypointsHit: [0, 1] });
    expect(gradeOpen(q, [0, 1, 2])).toEqual({ score: 1, rating: 'easy', keypointsHit: [0, 1, 2] });
    expect(gradeOpen(q, [0, 1, 2], true).rating).toBe('good');
    expect(gradeOpen(makeQuestion('h', { keypoints: ['a', 'b'] }), [0]).rating).toBe('hard');
  });

  it('grades a choice: correct → good, wrong or timed out → again', () => {
    const c = makeQuestion('c', { type: 'choice', keypoints: [], choices: [{ text: 'x', correct: false }, { text: 'y', correct: true }] });
    expect(gradeChoice(c, 1)).toEqual({ score: 1, rating: 'good', keypointsHit: [1] });
    expect(gradeChoice(c, 0)).toMatchObject({ score: 0, rating: 'again' });
    expect(gradeChoice(c, -1)).toMatchObject({ score: 0, rating: 'again' });
  });

  it('grades "select all that apply" all or nothing', () => {
    const m = makeQuestion('m', {
      type: 'choice',
      multiple: true,
      keypoints: [],
      choices: [
        { text: 'a', correct: true },
        { text: 'b', correct: false },
        { text: 'c', correct: true },
      ],
    });
    expect(gradeChoice(m, [2, 0])).toEqual({ score: 1, rating: 'good', keypointsHit: [0, 2] });
    expect(gradeChoice(m, [0])).toEqual({ score: 0, rating: 'again', keypointsHit: [0] }); // one missed
    expect(gradeChoice(m, [0, 1, 2])).toMatchObject({ score: 0, rating: 'again' }); // one wrong added
    expect(gradeChoice(m, [])).toMatchObject({ score: 0, rating: 'again', keypointsHit: [] }); // clock ran out
    expect(gradeChoice(m, [0, 2, 2, 9, -1])).toMatchObject({ score: 1, keypointsHit: [0, 2] }); // duplicates and bad indexes dropped
  });

  it('pre-ticks the key points a typed answer mentions', () => {
    const keypoints = [
      'select_related follows foreign keys with a SQL JOIN',
      'prefetch_related runs one extra query per relation',
      'a nullable FK gives a LEFT OUTER JOIN',
    ];
    const typed = 'select_related does a join over the foreign key; prefetch_related runs a separate query for each relation.';
    expect(preTick(keypoints, typed)).toEqual([0, 1]);
    expect(preTick(keypoints, '')).toEqual([]);
  });
});

describe('SessionQueue', () => {
  const a = makeQuestion('a');
  const b = makeQuestion('b');

  it('asks each question once, and an `again` once more at the end when there is room', () => {
    const queue = new SessionQueue([a, b], 3);
    expect(queue.next()).toBe(a);
    expect(queue.graded(a, 'again')).toBe(true);
    expect(queue.next()).toBe(b);
    expect(queue.graded(b, 'again')).toBe(false); // no room: 2 asked + 1 waiting = limit
    const again = queue.next();
    expect(again).toBe(a);
    expect(queue.isReask(a)).toBe(true);
    expect(queue.graded(a, 'again')).toBe(false); // only once
    expect(queue.next()).toBeUndefined();
    expect(queue.asked).toBe(3);
  });

  it('never repeats a question that was not rated again', () => {
    const queue = new SessionQueue([a, b], 10);
    queue.next();
    expect(queue.graded(a, 'hard')).toBe(false);
    queue.next();
    expect(queue.graded(b, 'good')).toBe(false);
    expect(queue.next()).toBeUndefined();
  });

  it('drops a queued re-ask when the user skips it', () => {
    const queue = new SessionQueue([a], 5);
    queue.next();
    queue.graded(a, 'again');
    queue.drop(a);
    expect(queue.next()).toBeUndefined();
  });
});

import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportName, writeReport } from '../../src/commands/interview.js';
import { reportMarkdown, scorecardText } from '../../src/render/report.js';
import { seededRandom } from '../../src/session/engine.js';
import { firstFollowUp, LEVEL_MIX, nextFollowUp, pickInterview, signalOf, slotSeconds } from '../../src/session/interview.js';
import type { AnswerResult } from '../../src/session/loop.js';
import { InterviewPolicy, type InterviewEntry } from '../../src/session/policies/interview.js';
import { questionProgress } from '../../src/session/progress.js';
import { scorecardOf } from '../../src/session/scorecard.js';
import { replayAll } from '../../src/srs/index.js';
import type { Attempt, Difficulty, FollowUp, Question } from '../../src/types.js';
import { attempt, makeBank, makeQuestion, tempDir } from '../helpers.js';

const followUps = (id: string, n: number): FollowUp[] =>
  Array.from({ length: n }, (_, i) => ({ question: `Follow-up ${i + 1} of ${id}?`, id: `${id}#${i + 1}`, answer: `Answer ${i + 1}.`, keypoints: ['a', 'b'] }));

const LEVELS: Difficulty[] = ['junior', 'mid', 'senior'];
const bankQuestions: Question[] = ['orm', 'views', 'security', 'testing'].flatMap((topic) =>
  Array.from({ length: 9 }, (_, i) => {
    const id = `${topic}-q${i}`;
    return makeQuestion(id, { topic, difficulty: LEVELS[i % 3] as Difficulty, time: 120, followUps: followUps(id, 3) });
  }),
);
const bank = makeBank(bankQuestions);
const now = new Date('2026-12-01T10:00:00Z');
const noHistory = questionProgress(bank, { version: 2, attempts: [], cards: {}, sessions: [] }, now);

describe('pickInterview', () => {
  it('a junior interview never has senior questions; a senior one has mid and senior, no junior', () => {
    for (let seed = 0; seed < 20; seed++) {
      const junior = pickInterview(bankQuestions, noHistory, 'junior', 30, seededRandom(seed));
      expect(junior.some((q) => q.difficulty === 'senior')).toBe(false);
      const senior = pickInterview(bankQuestions, noHistory, 'senior', 30, seededRandom(seed));
      expect(new Set(senior.map((q) => q.difficulty))).toEqual(new Set(['mid', 'senior']));
    }
  });

  it('follows the level mix: 30 minutes of mid is 20/60/20 junior/mid/senior, easiest first', () => {
    const picked = pickInterview(bankQuestions, noHistory, 'mid', 30, seededRandom(3));
    // 2 min a question + 1 min of follow-up: 10 fit in 30 minutes.
    expect(slotSeconds(bankQuestions[0] as Question)).toBe(180);
    expect(picked).toHaveLength(10);
    const count = (d: Difficulty) => picked.filter((q) => q.difficulty === d).length;
    expect([count('junior'), count('mid'), count('senior')]).toEqual([2, 6, 2]);
    expect(LEVEL_MIX.mid).toEqual({ junior: 0.2, mid: 0.6, senior: 0.2 });
    const ranks = picked.map((q) => LEVELS.indexOf(q.difficulty));
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('never goes past the minutes (the first question excepted) and covers topics in turn', () => {
    for (const minutes of [10, 20, 45, 90]) {
      const picked = pickInterview(bankQuestions, noHistory, 'mid', minutes, seededRandom(1));
      expect(picked.reduce((s, q) => s + slotSeconds(q), 0)).toBeLessThanOrEqual(minutes * 60);
      expect(picked.length).toBeGreaterThan(0);
    }
    const topics = new Set(pickInterview(bankQuestions, noHistory, 'mid', 20, seededRandom(1)).map((q) => q.topic));
    expect(topics.size).toBe(4);
  });

  it('is the same with the same seed and differs with another', () => {
    const ids = (seed: number) => pickInterview(bankQuestions, noHistory, 'mid', 30, seededRandom(seed)).map((q) => q.id);
    expect(ids(42)).toEqual(ids(42));
    expect(new Set(Array.from({ length: 8 }, (_, s) => ids(s).join())).size).toBeGreaterThan(1);
  });

  it('leads with the weak and unseen topics: a topic known well comes up last, if at all', () => {
    const at = new Date(now.getTime() - 3_600_000).toISOString();
    const attempts: Attempt[] = bankQuestions.filter((q) => q.topic === 'orm').map((q) => attempt(q.id, at, 'easy'));
    const progress = questionProgress(bank, { version: 2, attempts, cards: replayAll(attempts), sessions: [] }, now);
    // 3 questions of 3 minutes: one from each topic never practised, none from orm.
    const picked = pickInterview(bankQuestions, progress, 'mid', 9, seededRandom(5));
    expect(picked.map((q) => q.topic).sort()).toEqual(['security', 'testing', 'views']);
    // With room for a fourth, orm comes last in the round.
    expect(pickInterview(bankQuestions, progress, 'mid', 12, seededRandom(5)).map((q) => q.topic)).toContain('orm');
  });
});

describe('follow-up chaining rule', () => {
  it('moves on below 34 %, clarifies below 67 %, digs deeper from 67 %', () => {
    expect(firstFollowUp(0.2, 3)).toBeUndefined();
    expect(firstFollowUp(0.34, 3)).toBe(0);
    expect(firstFollowUp(0.66, 3)).toBe(0);
    expect(firstFollowUp(0.67, 3)).toBe(1);
    expect(firstFollowUp(1, 1)).toBe(0);
    expect(firstFollowUp(1, 0)).toBeUndefined();
  });

  it('chains to the next follow-up only after a good one, at most 2 per question', () => {
    expect(nextFollowUp(0, 0.8, 1, 3)).toBe(1);
    expect(nextFollowUp(0, 0.5, 1, 3)).toBeUndefined();
    expect(nextFollowUp(1, 1, 1, 3)).toBe(2);
    expect(nextFollowUp(1, 1, 2, 3)).toBeUndefined();
    expect(nextFollowUp(2, 1, 1, 3)).toBeUndefined();
  });
});

describe('signal rule', () => {
  it('composite = 0.7 main + 0.3 follow-ups: hand-worked cases', () => {
    expect(signalOf([1, 1, 0.8], [1, 0.67])).toBe('strong'); // 0.7·0.933 + 0.3·0.835 = 0.904
    expect(signalOf([1, 1, 0.2], [1])).toBe('lean yes'); // 0.847, but a main answer failed
    expect(signalOf([0.67, 0.67, 0.5], [0.5])).toBe('lean no'); // 0.7·0.613 + 0.3·0.5 = 0.579
  });

  it('each step of the scale', () => {
    expect(signalOf([0.6, 0.6, 0.6, 0.6], [])).toBe('lean yes');
    expect(signalOf([0.5, 0.5, 0.5], [])).toBe('lean no');
    expect(signalOf([0.3, 0.3, 0.3], [])).toBe('not yet');
    expect(signalOf([], [])).toBe('not yet');
  });

  it('failing lowers the signal, succeeding raises it', () => {
    const order = ['not yet', 'lean no', 'lean yes', 'strong'];
    const rank = (s: string) => order.indexOf(s);
    expect(rank(signalOf([1, 1, 1, 1, 0], []))).toBeLessThan(rank(signalOf([1, 1, 1, 1], [])));
    expect(rank(signalOf([0.5, 0.5, 0.5, 0.5, 1, 1, 1], []))).toBeGreaterThan(rank(signalOf([0.5, 0.5, 0.5, 0.5], [])));
  });

  it('too little evidence (under 2 main answers or under 4 in all) is at most lean no', () => {
    expect(signalOf([1, 1], [1])).toBe('lean no'); // 3 answers in all
    expect(signalOf([1], [1, 1, 1])).toBe('lean no'); // one main question
    expect(signalOf([0.1], [])).toBe('not yet'); // the cap never raises a signal
    // A short senior interview: 2 questions, each followed up twice after good answers.
    expect(signalOf([1, 1], [1, 1])).toBe('strong');
    expect(signalOf([0.75, 0.75], [0.67, 0.67])).toBe('lean yes');
  });
});

const resultOf = (question: Question, score: number, parent?: Question, durationMs = 60_000): AnswerResult => ({
  question,
  ...(parent ? { parent } : {}),
  grade: { score, rating: score < 0.34 ? 'again' : score < 0.67 ? 'hard' : score < 1 ? 'good' : 'easy', keypointsHit: score > 0 ? [0] : [] },
  durationMs,
  overtime: false,
  reask: false,
});

describe('InterviewPolicy', () => {
  const [q1, q2] = bankQuestions as [Question, Question];

  it('asks the deeper follow-up after a good answer, chains once more, then the next question', () => {
    let t = 0;
    const policy = new InterviewPolicy([q1, q2], ['orm'], 600, 0, () => t);
    const first = policy.next();
    expect(first?.question.id).toBe(q1.id);
    policy.answered(first!, resultOf(q1, 1));
    const deeper = policy.next();
    expect(deeper?.question.id).toBe(`${q1.id}#2`);
    expect(deeper?.parent).toBe(q1);
    policy.answered(deeper!, resultOf(deeper!.question, 1, q1));
    const deepest = policy.next();
    expect(deepest?.question.id).toBe(`${q1.id}#3`);
    policy.answered(deepest!, resultOf(deepest!.question, 1, q1));
    expect(policy.next()?.question.id).toBe(q2.id);
    t = 1000;
    expect(policy.entries.map((e) => e.followUpIndex)).toEqual([undefined, 1, 2]);
  });

  it('moves on after a failed answer; s skips the follow-ups', () => {
    const policy = new InterviewPolicy([q1, q2], ['orm'], 600, 0, () => 0);
    const first = policy.next()!;
    expect(policy.answered(first, resultOf(q1, 0))).toContain('The interviewer moves on.');
    expect(policy.next()?.question.id).toBe(q2.id);
    const again = new InterviewPolicy([q1, q2], ['orm'], 600, 0, () => 0);
    const t1 = again.next()!;
    again.answered(t1, resultOf(q1, 0.5));
    again.after(t1, 'skip');
    expect(again.next()?.question.id).toBe(q2.id);
  });

  it('the clock ending the interview: no follow-up and no next question once time is up', () => {
    let t = 0;
    const policy = new InterviewPolicy([q1, q2], ['orm'], 600, 0, () => t);
    expect(policy.clock()).toEqual({ limitSec: 600, startedAt: 0, label: 'in the interview' });
    const first = policy.next()!;
    t = 601_000;
    policy.answered(first, resultOf(q1, 1));
    expect(policy.next()).toBeUndefined();
    expect(policy.timeUp).toBe(true);
    expect(policy.finished).toBe(false);
  });
});

describe('scorecard and report', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const hostile = makeQuestion('orm-evil', { title: 'Evil \x1b]52;c;cHduZWQ=\x07title | pipe', keypoints: ['point \x1b[2J one', 'two'], followUps: followUps('orm-evil', 2) });
  const fu = { ...hostile, id: 'orm-evil#1', title: 'Deeper \x1b[31m?', keypoints: ['a', 'b'] };
  const entries: InterviewEntry[] = [
    { result: resultOf(hostile, 0.5), allottedSec: 120 },
    { result: resultOf(fu, 1, hostile, 30_000), allottedSec: 60, followUpIndex: 0 },
    { result: { ...resultOf(bankQuestions[1] as Question, 1, undefined, 200_000), typed: 'I would \x1b[2J use select_related' }, allottedSec: 120 },
  ];
  const card = scorecardOf({ entries, level: 'mid', minutes: 10, seed: 1, startedAt: now.toISOString(), endedAt: now.toISOString(), interrupted: false, timeUp: false, endedEarly: true });

  it('per topic: score of the main questions, follow-up depth and time used vs allotted', () => {
    expect(card.topics).toEqual([
      { topic: 'orm', questions: 2, score: 0.75, followUps: { asked: 1, deep: 1 }, usedSec: 290, allottedSec: 300 },
    ]);
    expect(card.overall).toEqual({ questions: 2, followUps: 1, score: 0.75, followUpScore: 1, composite: 0.83 });
    expect(card.signal).toBe('lean no');
    expect(card.rework.map((r) => [r.id, r.command])).toEqual([['orm-evil', 'django-drill drill orm --id orm-evil']]);
  });

  it('the report has its sections, the typed answer, covered and missed points, and no raw escape sequence', () => {
    const md = reportMarkdown(card, entries, { topics: ['orm'], localStart: '2026-12-01 10:00:00' });
    for (const section of ['# Mock Django interview', '## Scorecard', '## Questions', '#### Follow-up:', '## Next steps', 'Covered:', 'Missed:', '```text\nI would']) {
      expect(md).toContain(section);
    }
    expect(md).toContain('| orm | 2 | 75% | 1 asked, 1 deep | 4:50 / 5:00 |');
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const text = scorecardText(card, 80);
    expect(text).not.toMatch(/\x1b\]|\x1b\[2J/);
    expect(text).toContain('ended early');
  });

  it('is written 0600 in a 0700 folder and never overwrites an earlier report', async () => {
    const home = tempDir('report-');
    dirs.push(home);
    const path = join(home, 'reports', reportName(new Date(2026, 11, 3, 8, 5, 9)));
    expect(path.endsWith('interview-2026-12-03T08-05-09.md')).toBe(true);
    const first = await writeReport(path, 'one');
    const second = await writeReport(path, 'two');
    expect(second).toBe(path.replace(/\.md$/, '-2.md'));
    expect(readFileSync(first, 'utf8')).toBe('one');
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'reports')).mode & 0o777).toBe(0o700);
  });
});

describe('stats: the latest interviews', () => {
  it('keeps the 5 latest signals, newest first, through the history cache', async () => {
    const { decodeColumns, encodeColumns, historyColumns } = await import('../../src/session/history.js');
    const sessions = Array.from({ length: 7 }, (_, i) => ({
      id: `s${i}`,
      mode: 'interview' as const,
      topics: ['orm'],
      startedAt: `2026-11-0${i + 1}T10:00:00.000Z`,
      asked: 3,
      answered: 3,
      score: 0.5,
      signal: (['strong', 'lean yes', 'lean no', 'not yet'] as const)[i % 4],
    }));
    const drill = { ...sessions[0]!, id: 'd', mode: 'drill' as const, startedAt: '2026-11-09T10:00:00.000Z' };
    const cols = historyColumns({ version: 2, attempts: [], cards: {}, sessions: [...sessions, drill] });
    expect(cols.interviews.map((i) => i.at.slice(0, 10))).toEqual(['2026-11-07', '2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03']);
    expect(cols.interviews[0]?.signal).toBe('lean no');
    expect(decodeColumns(encodeColumns(cols, 'x'))?.columns.interviews).toEqual(cols.interviews);
  });
});

describe('report escaping', () => {
  it('escapes < outside code spans so GitHub shows <app> instead of hiding it', () => {
    const q = makeQuestion('views-x', { keypoints: ['template <app>/<model>_list.html', 'keeps `<b>` in code'] });
    const entries: InterviewEntry[] = [{ result: resultOf(q, 0.5), allottedSec: 60 }];
    const card = scorecardOf({ entries, level: 'mid', minutes: 10, seed: 1, startedAt: now.toISOString(), endedAt: now.toISOString(), interrupted: false, timeUp: true, endedEarly: false });
    const md = reportMarkdown(card, entries, { topics: ['views'], localStart: 'x' });
    expect(md).toContain('template \\<app>/\\<model>_list.html');
    expect(md).toContain('keeps `<b>` in code');
    expect(md).toContain("time's up");
  });
});

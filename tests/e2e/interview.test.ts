/** A short mock interview in a pseudo-terminal, answered with keys as a user would. */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeBank, type QuestionSpec } from '../helpers.js';
import { cleanEnv, KEY, spawnTerminal } from './harness.js';

let home: string;
let env: Record<string, string>;
let bank: string;

const body = (id: string) =>
  [
    `The prompt of ${id}?`,
    '',
    '## Answer',
    `The answer of ${id}.`,
    '',
    '## Follow-ups',
    '',
    `### First follow-up of ${id}?`,
    `Clarifying answer of ${id}.`,
    '',
    'Key points:',
    '- clarify one',
    '- clarify two',
    '',
    `### Second follow-up of ${id}?`,
    `Deeper answer of ${id}.`,
    '',
    'Key points:',
    '- deeper one',
    '- deeper two',
    '',
  ].join('\n');

const spec = (id: string, difficulty: string): QuestionSpec => ({ id, title: `Title ${id}`, difficulty, time: 120, body: body(id) });

beforeEach(() => {
  home = tempDir('home-');
  env = cleanEnv(home);
  bank = writeBank({
    orm: [spec('orm-a', 'junior'), spec('orm-b', 'mid'), spec('orm-c', 'mid')],
    views: [spec('views-a', 'mid'), spec('views-b', 'senior')],
  });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(bank, { recursive: true, force: true });
});

const readScores = () => JSON.parse(readFileSync(join(home, '.django-drill', 'scores.json'), 'utf8'));
const reports = () => readdirSync(join(home, '.django-drill', 'reports')).map((f) => join(home, '.django-drill', 'reports', f));

describe('interview in a pseudo-terminal', () => {
  it('--minutes 10 --seed 1: three questions with chained follow-ups, a scorecard, a report and every answer saved', async () => {
    const t = spawnTerminal(['interview', '--minutes', '10', '--seed', '1', '--questions', bank], env);
    await t.waitFor('Mock mid interview: 3 questions over 10 minutes');
    // 1: every key point → the deeper follow-up (#2); all of it → no third (only two exist).
    await t.waitFor(/\[1\/3\] \w+ · \w+ · Title/);
    await t.waitFor('left in the interview');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write('a' + KEY.enter);
    await t.waitFor('Score 100%');
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    await t.waitFor(/\[1\/3 · follow-up\][^\n]*\n[^\n]*Second follow-up of/);
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Deeper answer of');
    await t.waitFor('Which key points did you cover?');
    t.write('a' + KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    // 2: nothing ticked → the interviewer moves on.
    await t.waitFor('[2/3]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.enter);
    await t.waitFor('The interviewer moves on.');
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    // 3: two of three key points (67 %) → its deeper follow-up, answered with nothing.
    await t.waitFor('[3/3]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.space + KEY.down + KEY.space + KEY.enter);
    await t.waitFor('Score 67%');
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    await t.waitFor('[3/3 · follow-up]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    const end = await t.waitFor('Report:');
    expect(end).toContain('Scorecard — mid interview, 10 min (all questions asked)');
    expect(end).toMatch(/Signal: (STRONG|LEAN YES|LEAN NO|NOT YET)/);
    expect(end).toContain('Rework');
    expect(await t.exited).toBe(0);

    const scores = readScores();
    expect(scores.attempts).toHaveLength(5);
    expect(scores.attempts.every((a: { mode: string }) => a.mode === 'interview')).toBe(true);
    expect(scores.attempts.filter((a: { questionId: string }) => a.questionId.endsWith('#2'))).toHaveLength(2);
    expect(scores.sessions[0]).toMatchObject({ mode: 'interview', answered: 5 });
    expect(scores.sessions[0].signal).toBeDefined();
    const [report] = reports();
    expect(statSync(report as string).mode & 0o777).toBe(0o600);
    const md = readFileSync(report as string, 'utf8');
    expect(md).toContain('## Scorecard');
    expect(md).toContain('#### Follow-up: Second follow-up of');
    expect(md).toContain('seed 1');
  }, 30_000);

  it('Ctrl-C half-way: the scorecard so far, the report written, the answers kept, exit 130', async () => {
    const t = spawnTerminal(['interview', '--minutes', '10', '--seed', '1', '--questions', bank], env);
    await t.waitFor('[1/3]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    await t.waitFor('[2/3]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.ctrlC);
    const end = await t.waitFor('Report:');
    expect(end).toContain('(interrupted)');
    expect(await t.exited).toBe(130);
    expect(readScores().attempts).toHaveLength(1);
    expect(reports()).toHaveLength(1);
  }, 30_000);
});

describe('interview usage errors', () => {
  it('without a terminal, or with minutes outside 10-90: exit 2 with a hint', async () => {
    const { run } = await import('./harness.js');
    const piped = await run(['interview', '--questions', bank], env);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('interview needs an interactive terminal');
    expect(piped.stderr).toContain('hint:');
    const short = await run(['interview', '--minutes', '5', '--questions', bank], env);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--minutes must be a whole number from 10 to 90');
  });
});

/** Every --json output is one JSON document on stdout matching its documented schema (README). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir, writeBank } from '../helpers.js';
import { cleanEnv, run } from './harness.js';

let env: Record<string, string>;
let bank: string;

beforeAll(() => {
  env = cleanEnv(tempDir('home-'));
  bank = writeBank({ orm: [{ id: 'orm-a', tags: ['perf'] }, { id: 'orm-b', type: 'choice' }], views: [{ id: 'views-a' }] });
});

const ListTopics = z
  .object({
    version: z.literal(1),
    topics: z.array(
      z.object({ topic: z.string(), title: z.string(), description: z.string(), questions: z.number().int(), seen: z.number().int(), due: z.number().int(), mastery: z.number().min(0).max(1) }).strict(),
    ),
  })
  .strict();

const ListQuestions = z
  .object({
    version: z.literal(1),
    questions: z.array(
      z
        .object({
          id: z.string(),
          topic: z.string(),
          title: z.string(),
          difficulty: z.enum(['junior', 'mid', 'senior']),
          type: z.enum(['open', 'choice']),
          tags: z.array(z.string()),
          attempts: z.number().int(),
          lastScore: z.number().nullable(),
          mastery: z.number().min(0).max(1),
          due: z.string().nullable(),
          isDue: z.boolean(),
        })
        .strict(),
    ),
  })
  .strict();

const Show = z
  .object({
    version: z.literal(1),
    question: z
      .object({
        id: z.string(),
        topic: z.string(),
        title: z.string(),
        difficulty: z.enum(['junior', 'mid', 'senior']),
        tags: z.array(z.string()),
        type: z.enum(['open', 'choice']),
        time: z.number().optional(),
        keypoints: z.array(z.string()),
        choices: z.array(z.object({ text: z.string(), correct: z.boolean(), why: z.string().optional() }).strict()),
        prompt: z.string(),
        answer: z.string(),
        followUps: z.array(
          z.object({ question: z.string(), id: z.string().optional(), answer: z.string().optional(), keypoints: z.array(z.string()) }).strict(),
        ),
      })
      .strict(),
  })
  .strict();

const Validate = z
  .object({
    version: z.literal(1),
    valid: z.boolean(),
    questions: z.number().int(),
    topics: z.number().int(),
    problems: z.array(z.object({ file: z.string(), line: z.number().int().min(1), message: z.string() }).strict()),
  })
  .strict();

async function json(args: string[]) {
  const r = await run([...args, '--json', '--questions', bank], env);
  return { ...r, data: JSON.parse(r.stdout) as unknown };
}

describe('--json outputs', () => {
  it('list (topics) and list <topic> (questions)', async () => {
    const topics = await json(['list']);
    expect(topics.code).toBe(0);
    expect(ListTopics.parse(topics.data).topics.map((t) => t.topic)).toEqual(['orm', 'views']);
    const questions = await json(['list', 'orm']);
    expect(ListQuestions.parse(questions.data).questions.map((q) => q.id)).toEqual(['orm-a', 'orm-b']);
  });

  it('show', async () => {
    const shown = await json(['show', 'orm-b']);
    expect(shown.code).toBe(0);
    expect(Show.parse(shown.data).question.choices).toHaveLength(2);
  });

  it('validate, with and without problems; warnings never reach stdout', async () => {
    const ok = await json(['validate']);
    expect(Validate.parse(ok.data)).toMatchObject({ valid: true, questions: 3 });
    writeFileSync(join(bank, 'views', 'bad.md'), '---\nid: Bad Id\ntitle: x\nkeypoints: [a]\n---\nQ\n## Answer\nA\n');
    const bad = await json(['validate']);
    expect(bad.code).toBe(1);
    expect(Validate.parse(bad.data)).toMatchObject({ valid: false, problems: [{ line: 2 }] });
    const list = await json(['list']);
    expect(() => JSON.parse(list.stdout)).not.toThrow();
    expect(list.stderr).toContain('warning: skipped');
  });

  it('an error with --json is a message on stderr and nothing on stdout', async () => {
    const r = await run(['show', 'nope', '--json', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unknown question id "nope"');
  });
});

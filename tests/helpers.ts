/** Builders shared by tests: question files, banks on disk, histories. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attempt, Bank, Question } from '../src/types.js';

import { tempDir } from './temp-dirs.js';

export { removeMadeTempDirs, tempDir } from './temp-dirs.js';

export interface QuestionSpec {
  id: string;
  title?: string;
  difficulty?: string;
  type?: 'open' | 'choice';
  tags?: string[];
  keypoints?: string[];
  time?: number;
  body?: string;
  extra?: string;
}

/** The text of a valid question file, with overrides. */
export function questionFile(spec: QuestionSpec): string {
  const type = spec.type ?? 'open';
  const lines = ['---', `id: ${spec.id}`, `title: ${spec.title ?? `Title of ${spec.id}`}`, `difficulty: ${spec.difficulty ?? 'mid'}`];
  if (spec.tags) lines.push(`tags: [${spec.tags.join(', ')}]`);
  if (spec.time) lines.push(`time: ${spec.time}`);
  lines.push(`type: ${type}`);
  if (type === 'open') {
    lines.push('keypoints:', ...(spec.keypoints ?? ['first point about joins', 'second point about queries', 'third point about caching']).map((k) => `  - "${k}"`));
  } else {
    lines.push('choices:', '  - text: "Right"', '    correct: true', '    why: "Because."', '  - text: "Wrong"', '    why: "No."');
  }
  if (spec.extra) lines.push(spec.extra);
  lines.push('---');
  lines.push(spec.body ?? `What about ${spec.id}?\n\n\`\`\`python\nx = 1\n\`\`\`\n\n## Answer\nThe answer of ${spec.id}.\n\n## Follow-ups\n- Why?\n`);
  return lines.join('\n');
}

/** Writes a bank: { topic: [specs] } → root folder. */
export function writeBank(topics: Record<string, QuestionSpec[]>, root = tempDir('bank-')): string {
  for (const [topic, specs] of Object.entries(topics)) {
    const dir = join(root, topic);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '_topic.md'), `---\ntitle: ${topic.toUpperCase()} topic\ndescription: About ${topic}.\n---\n`);
    for (const spec of specs) writeFileSync(join(dir, `${spec.id}.md`), questionFile(spec));
  }
  return root;
}

export function makeQuestion(id: string, overrides: Partial<Question> = {}): Question {
  return {
    id,
    topic: overrides.topic ?? 'orm',
    title: `Q ${id}`,
    difficulty: 'mid',
    tags: [],
    type: 'open',
    keypoints: ['one', 'two', 'three'],
    choices: [],
    prompt: `Prompt ${id}`,
    answer: `Answer ${id}`,
    followUps: [],
    file: `/bank/${id}.md`,
    ...overrides,
  };
}

export function makeBank(questions: Question[]): Bank {
  const names = [...new Set(questions.map((q) => q.topic))];
  return { topics: names.map((name, order) => ({ name, title: name, description: '', order })), questions };
}

export function attempt(questionId: string, at: string, rating: Attempt['rating'], extra: Partial<Attempt> = {}): Attempt {
  const score = { again: 0, hard: 0.5, good: 0.75, easy: 1 }[rating];
  return { questionId, topic: 'orm', at, score, rating, keypointsHit: [], durationMs: 1000, sessionId: 's1', mode: 'drill', ...extra };
}

import type { Context } from '../src/context.js';
import { ScoresStore } from '../src/store/index.js';

export interface FakeContext extends Context {
  stdout: string[];
  stderr: string[];
}

/** A Context over an in-memory bank and a real store in a temp home; output captured. */
export function fakeContext(bank: Bank, options: { home?: string; now?: () => Date; json?: boolean } = {}): FakeContext {
  const home = options.home ?? tempDir('home-');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const store = new ScoresStore({ home, warn: (line) => stderr.push(line) });
  return {
    stdout,
    stderr,
    opts: { questions: ['/bank'], builtInBank: false, home, json: options.json ?? false, color: false },
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    warn: (text) => stderr.push(`warning: ${text}`),
    now: options.now ?? (() => new Date()),
    stdinIsTTY: true,
    stdoutIsTTY: true,
    columns: 80,
    loadBank: async () => ({ bank, problems: [] }),
    store: async () => store,
    readScores: () => store.read(),
    readHistory: () => store.readColumns(),
  };
}

import chalk from 'chalk';
import { afterAll, beforeAll } from 'vitest';

/** Colour on (chalk level 1) for the tests of this file, whatever the terminal running them. */
export function withChalkLevel(level: 0 | 1 | 2 | 3 = 1): void {
  const saved = chalk.level;
  beforeAll(() => {
    chalk.level = level;
  });
  afterAll(() => {
    chalk.level = saved;
  });
}

/** Small banks and histories built in code, so these tests never depend on the real bank. */
import type { Context } from '../../src/context.js';
import { replayAll } from '../../src/srs/index.js';
import { historyColumns } from '../../src/session/history.js';
import type { ScoresStore } from '../../src/store/index.js';
import type { Attempt, Bank, Question, Rating, ScoresFile, TopicInfo } from '../../src/types.js';

export function topic(name: string, title = name.toUpperCase(), order = 0): TopicInfo {
  return { name, title, description: `${title} questions`, order };
}

export function question(id: string, topicName: string, extra: Partial<Question> = {}): Question {
  return {
    id,
    topic: topicName,
    title: `Title of ${id}`,
    difficulty: 'mid',
    tags: [],
    type: 'open',
    keypoints: ['first point', 'second point'],
    choices: [],
    prompt: `What about ${id}?`,
    answer: `The answer to ${id}.`,
    followUps: [],
    file: `/bank/${topicName}/${id}.md`,
    ...extra,
  };
}

export function makeBank(): Bank {
  const topics = [topic('orm', 'ORM'), topic('models', 'Models'), topic('views', 'Views')];
  const questions = [
    question('orm-one', 'orm'),
    question('orm-two', 'orm'),
    question('orm-three', 'orm'),
    question('orm-four', 'orm'),
    question('models-one', 'models'),
    question('models-two', 'models'),
    question('views-one', 'views'),
  ];
  return { topics, questions };
}

const RATING_FOR: [number, Rating][] = [
  [0.34, 'again'],
  [0.67, 'hard'],
  [1, 'good'],
];

export function attempt(questionId: string, at: string, score = 1, extra: Partial<Attempt> = {}): Attempt {
  const rating = RATING_FOR.find(([limit]) => score < limit)?.[1] ?? 'easy';
  return {
    questionId,
    topic: questionId.split('-')[0] ?? 'orm',
    at,
    score,
    rating,
    keypointsHit: score > 0 ? [0] : [],
    durationMs: 60_000,
    sessionId: `s-${at.slice(0, 10)}`,
    mode: 'drill',
    ...extra,
  };
}

/** A scores file whose cards are the replay of its attempts, as the store keeps them. */
export function makeScores(attempts: Attempt[]): ScoresFile {
  return { version: 2, attempts, cards: replayAll(attempts), sessions: [] };
}

export { emptyScores } from '../../src/types.js';

export interface CapturedContext extends Context {
  /** What `out` printed, each call ending in "\n" as on the real stdout. */
  stdout: () => string;
  outCalls: number;
  stderr: string[];
}

/** A Context over an in-memory bank and scores file, printing into strings. */
export function captureContext(
  bank: Bank,
  scores: ScoresFile,
  options: { json?: boolean; color?: boolean; now?: Date; columns?: number } = {},
): CapturedContext {
  let stdout = '';
  const stderr: string[] = [];
  const store = { read: async () => scores } as unknown as ScoresStore;
  const ctx: CapturedContext = {
    stdout: () => stdout,
    outCalls: 0,
    stderr,
    opts: { questions: ['/bank'], builtInBank: false, home: '/nonexistent-home', json: options.json ?? false, color: options.color ?? false },
    out: (text) => {
      ctx.outCalls += 1;
      stdout += `${text}\n`;
    },
    err: (text) => stderr.push(text),
    warn: (text) => stderr.push(`warning: ${text}`),
    now: () => options.now ?? new Date('2026-11-25T12:00:00Z'),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    columns: options.columns ?? 80,
    loadBank: async () => ({ bank, problems: [] }),
    store: async () => store,
    readScores: () => store.read(),
    readHistory: async () => historyColumns(scores),
  };
  return ctx;
}

/** The data every module shares: questions, attempts, cards, sessions, the scores file. */

export const DIFFICULTIES = ['junior', 'mid', 'senior'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const QUESTION_TYPES = ['open', 'choice'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface Choice {
  text: string;
  correct: boolean;
  why?: string;
}

export interface Question {
  id: string;
  /** Folder name of the topic. */
  topic: string;
  title: string;
  difficulty: Difficulty;
  tags: string[];
  type: QuestionType;
  /** Suggested seconds for `--timed`. */
  time?: number;
  keypoints: string[];
  choices: Choice[];
  /**
   * "Select all that apply" (`multiple: true`): one or more choices are correct and the answer
   * scores only when exactly those are picked (all or nothing).
   */
  multiple?: boolean;
  /** Markdown before `## Answer`. */
  prompt: string;
  /** Markdown of the `## Answer` section. */
  answer: string;
  /** `## Follow-ups`: plain bullets (a question only) and answered `###` follow-ups. */
  followUps: FollowUp[];
  /** Absolute path of the source file. */
  file: string;
  /** Line of the `id:` key in the file (for duplicate-id reports). */
  idLine?: number;
}

/**
 * The Markdown bodies of a question: what an index-only load leaves empty and what the parse
 * cache (`bank-*.bodies.json`) and the shipped seed (`bank-seed-bodies.json`) keep apart.
 */
export const BODY_FIELDS = ['prompt', 'answer', 'keypoints', 'choices', 'followUps', 'multiple'] as const;
export type QuestionBody = Pick<Question, (typeof BODY_FIELDS)[number]>;

/** A question's bodies, without the fields it does not set (`multiple` only when true). */
export function bodyOf(question: Question): QuestionBody {
  const body: Record<string, unknown> = {};
  for (const field of BODY_FIELDS) if (question[field] !== undefined) body[field] = question[field];
  return body as QuestionBody;
}

/**
 * A follow-up question under `## Follow-ups`. An answered one (a `### question` heading with an
 * answer and a `Key points:` list) has an id, `<question id>#<n>` (its place among the answered
 * follow-ups, or the `{#name}` at the end of its heading), and is asked, graded and scheduled
 * like a question of its own.
 */
export interface FollowUp {
  question: string;
  /** `<parent id>#<n>` or `<parent id>#<name>`; only for an answered follow-up. */
  id?: string;
  /** Markdown of the answer; only for an answered follow-up. */
  answer?: string;
  keypoints: string[];
}

export interface TopicInfo {
  /** Folder name, e.g. `orm`. */
  name: string;
  title: string;
  description: string;
  order: number;
}

export interface Bank {
  topics: TopicInfo[];
  questions: Question[];
  /**
   * The id and topic of every question (same order as `questions`), and one question at a
   * time. A bank loaded from the cache without bodies has this, and builds `questions` only when
   * something asks for them: `list` and `stats` on a 10,000-question bank need ids and topics,
   * and at most a handful of whole questions.
   */
  refs?: QuestionRefs;
}

export interface QuestionRefs {
  ids: readonly string[];
  topics: readonly string[];
  question(index: number): Question;
  /** Position of a question id in `ids`, -1 when the bank does not have it. */
  indexOf(id: string): number;
}

/** The bank's refs, or refs over its questions. */
export function refsOf(bank: Bank): QuestionRefs {
  if (bank.refs) return bank.refs;
  const { questions } = bank;
  const ids = questions.map((q) => q.id);
  let index: Map<string, number> | undefined;
  return {
    ids,
    topics: questions.map((q) => q.topic),
    question: (i) => questions[i] as Question,
    indexOf: (id) => (index ??= new Map(ids.map((x, k) => [x, k]))).get(id) ?? -1,
  };
}

export const RATINGS = ['again', 'hard', 'good', 'easy'] as const;
export type Rating = (typeof RATINGS)[number];

export const MODES = ['drill', 'warmup', 'interview', 'today'] as const;
export type Mode = (typeof MODES)[number];

export interface Attempt {
  questionId: string;
  topic: string;
  /** ISO timestamp of the answer. */
  at: string;
  /** 0..1 */
  score: number;
  rating: Rating;
  /** Indexes of the key points covered (open) or of the picked choice (choice). */
  keypointsHit: number[];
  durationMs: number;
  sessionId: string;
  mode: Mode;
  /** True when `--timed` ran out before the reveal. */
  overtime?: boolean;
}

/** A ts-fsrs card with its dates as ISO strings. */
export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

export interface SessionRecord {
  id: string;
  mode: Mode;
  topics: string[];
  startedAt: string;
  endedAt?: string;
  asked: number;
  answered: number;
  /** Mean score of the answered questions, 0..1 (0 when none). */
  score: number;
  /** An interview's overall signal (session/interview.ts signalOf). */
  signal?: 'strong' | 'lean yes' | 'lean no' | 'not yet';
}

/**
 * 2: modes `interview` and `today`, and attempts of follow-ups (`<question id>#<n>`). A version-1
 * django-drill refuses a version-2 file untouched instead of rejecting its new records.
 */
export const SCORES_VERSION = 2;

export interface ScoresFile {
  version: typeof SCORES_VERSION;
  attempts: Attempt[];
  cards: Record<string, StoredCard>;
  sessions: SessionRecord[];
}

export function emptyScores(): ScoresFile {
  return { version: SCORES_VERSION, attempts: [], cards: {}, sessions: [] };
}

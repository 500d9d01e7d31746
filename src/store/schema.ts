/**
 * Hand-written checks for scores.json (SCORES_VERSION). `stats` reads histories of 100,000 attempts,
 * so this is one plain loop over the data with no schema library and no allocation per attempt.
 * A problem is reported as a path into the document (`attempts[12].score`) so the warning that
 * moves a bad file aside tells the user where to look.
 */
import { replay } from '../srs/index.js';
import type { Attempt, ScoresFile, SessionRecord, StoredCard } from '../types.js';
import { SCORES_VERSION } from '../types.js';

export class SchemaError extends Error {
  constructor(readonly where: string, readonly problem: string) {
    super(`${where} ${problem}`);
    this.name = 'SchemaError';
  }
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, problem: string): never {
  throw new SchemaError(where, problem);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isRating(value: unknown): boolean {
  return value === 'again' || value === 'hard' || value === 'good' || value === 'easy';
}

function isMode(value: unknown): boolean {
  return value === 'drill' || value === 'warmup' || value === 'interview' || value === 'today';
}

// Cards are replayed from `at`, and every reader sorts by it: a date that does not parse would
// poison both, so it is checked here rather than trusted.
// What toISOString() writes; checked by pattern because Date.parse is the slow part of reading
// 100,000 attempts. Anything else still gets the full parse.
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;

/** Dates a history can hold: from 1970 to the end of year 9999 (a far-future date breaks FSRS). */
const MIN_TIME = 0;
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // The fast path: a 4-digit year from 1970 on is in range.
  if (ISO_UTC.test(value)) return value >= '1970';
  const at = Date.parse(value);
  return !Number.isNaN(at) && at >= MIN_TIME && at <= MAX_TIME;
}

export function checkAttempt(value: unknown, where: string): asserts value is Attempt {
  if (!isObject(value)) fail(where, 'is not an object');
  if (typeof value.questionId !== 'string' || value.questionId === '') fail(`${where}.questionId`, 'is not a non-empty string');
  if (typeof value.topic !== 'string') fail(`${where}.topic`, 'is not a string');
  if (!isTimestamp(value.at)) fail(`${where}.at`, 'is not a date');
  const score = value.score;
  if (!isFiniteNumber(score) || score < 0 || score > 1) fail(`${where}.score`, 'is not a number from 0 to 1');
  if (!isRating(value.rating)) fail(`${where}.rating`, 'is not one of again, hard, good, easy');
  const hit = value.keypointsHit;
  if (!Array.isArray(hit)) fail(`${where}.keypointsHit`, 'is not a list');
  for (let k = 0; k < hit.length; k++) {
    const index: unknown = hit[k];
    if (!Number.isInteger(index) || (index as number) < 0) fail(`${where}.keypointsHit[${k}]`, 'is not an index (0, 1, 2, ...)');
  }
  if (!isFiniteNumber(value.durationMs) || value.durationMs < 0) fail(`${where}.durationMs`, 'is not a number of milliseconds');
  if (typeof value.sessionId !== 'string') fail(`${where}.sessionId`, 'is not a string');
  if (!isMode(value.mode)) fail(`${where}.mode`, 'is not drill, warmup, interview or today');
  if (value.overtime !== undefined && typeof value.overtime !== 'boolean') fail(`${where}.overtime`, 'is not true or false');
}

export function checkSession(value: unknown, where: string): asserts value is SessionRecord {
  if (!isObject(value)) fail(where, 'is not an object');
  if (typeof value.id !== 'string' || value.id === '') fail(`${where}.id`, 'is not a non-empty string');
  if (!isMode(value.mode)) fail(`${where}.mode`, 'is not drill, warmup, interview or today');
  const topics = value.topics;
  if (!Array.isArray(topics) || !topics.every((t) => typeof t === 'string')) fail(`${where}.topics`, 'is not a list of topic names');
  if (!isTimestamp(value.startedAt)) fail(`${where}.startedAt`, 'is not a date');
  if (value.endedAt !== undefined && !isTimestamp(value.endedAt)) fail(`${where}.endedAt`, 'is not a date');
  if (!Number.isInteger(value.asked) || (value.asked as number) < 0) fail(`${where}.asked`, 'is not a count');
  if (!Number.isInteger(value.answered) || (value.answered as number) < 0) fail(`${where}.answered`, 'is not a count');
  const score = value.score;
  if (!isFiniteNumber(score) || score < 0 || score > 1) fail(`${where}.score`, 'is not a number from 0 to 1');
  const signal = value.signal;
  if (signal !== undefined && signal !== 'strong' && signal !== 'lean yes' && signal !== 'lean no' && signal !== 'not yet') {
    fail(`${where}.signal`, 'is not one of strong, lean yes, lean no, not yet');
  }
}

const CARD_NUMBERS = ['stability', 'difficulty', 'elapsed_days', 'scheduled_days', 'learning_steps', 'reps', 'lapses', 'state'] as const;

export function isCard(value: unknown): value is StoredCard {
  if (!isObject(value) || !isTimestamp(value.due)) return false;
  for (const key of CARD_NUMBERS) if (!isFiniteNumber(value[key])) return false;
  return value.last_review === undefined || isTimestamp(value.last_review);
}

/**
 * Check a parsed version-1 document and return it typed. The attempts are the record; a card
 * that is missing or malformed is only a stale cache, so it is rebuilt from the attempts here
 * instead of condemning the whole file.
 */
export function checkScores(raw: unknown): ScoresFile {
  if (!isObject(raw)) fail('the file', 'does not hold a JSON object');
  if (raw.version !== SCORES_VERSION) fail('version', `is not ${SCORES_VERSION}`);
  const { attempts, cards, sessions } = raw;
  if (!Array.isArray(attempts)) fail('attempts', 'is not a list');
  if (!isObject(cards)) fail('cards', 'is not an object');
  if (!Array.isArray(sessions)) fail('sessions', 'is not a list');

  let stale: Set<string> | undefined;
  for (let i = 0; i < attempts.length; i++) {
    const attempt: unknown = attempts[i];
    checkAttempt(attempt, `attempts[${i}]`);
    if (!Object.hasOwn(cards, attempt.questionId)) (stale ??= new Set()).add(attempt.questionId);
  }
  for (const id of Object.keys(cards)) if (!isCard(cards[id])) (stale ??= new Set()).add(id);
  for (let i = 0; i < sessions.length; i++) checkSession(sessions[i], `sessions[${i}]`);

  const data = raw as unknown as ScoresFile;
  if (stale) rebuildCards(data, stale);
  return data;
}

/** Replace the cards of `ids` by the replay of their attempts (or drop them: no attempts left). */
export function rebuildCards(data: ScoresFile, ids: ReadonlySet<string>): void {
  if (ids.size === 0) return;
  const byQuestion = new Map<string, Attempt[]>();
  for (const attempt of data.attempts) {
    if (!ids.has(attempt.questionId)) continue;
    const list = byQuestion.get(attempt.questionId);
    if (list) list.push(attempt);
    else byQuestion.set(attempt.questionId, [attempt]);
  }
  for (const id of ids) {
    const card = replay(byQuestion.get(id) ?? []);
    if (card) data.cards[id] = card;
    else delete data.cards[id];
  }
}

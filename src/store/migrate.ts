/**
 * Older scores.json shapes and the chain that brings them to SCORES_VERSION.
 *
 * Version 0 is the pre-release shape: no `version` field, no cards, a flat `history` of
 *   { "id": "<question id>", "topic": "orm", "date": "<ISO date>", "score": 0.5 }
 * It kept neither ratings, key points, durations nor sessions.
 */
import { DrillError } from '../errors.js';
import { ratingFor, replayAll } from '../srs/index.js';
import type { Attempt, ScoresFile } from '../types.js';
import { SCORES_VERSION } from '../types.js';
import { SchemaError, checkScores } from './schema.js';

/** `migrations[n]` turns a version-n document into a version-(n+1) document. */
export const migrations: Record<number, (raw: unknown) => unknown> = {
  0: fromV0,
  // Version 2 only adds values (modes, follow-up ids); a version-1 document is a valid one.
  1: (raw) => ({ ...(raw as object), version: 2 }),
};

/** Session id given to attempts imported from version 0, which had no sessions. */
export const V0_SESSION_ID = 'imported-v0';

function fromV0(raw: unknown): unknown {
  const history = (raw as { history?: unknown }).history;
  if (!Array.isArray(history)) throw new SchemaError('history', 'is not a list');
  const attempts: Attempt[] = history.map((entry: unknown, i): Attempt => {
    const where = `history[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new SchemaError(where, 'is not an object');
    const { id, topic, date, score } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new SchemaError(`${where}.id`, 'is not a non-empty string');
    if (typeof topic !== 'string') throw new SchemaError(`${where}.topic`, 'is not a string');
    const at = typeof date === 'string' ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(at)) throw new SchemaError(`${where}.date`, 'is not a date');
    if (typeof score !== 'number' || !(score >= 0 && score <= 1)) throw new SchemaError(`${where}.score`, 'is not a number from 0 to 1');
    return {
      questionId: id,
      topic,
      at: new Date(at).toISOString(),
      score,
      rating: ratingFor(score),
      keypointsHit: [],
      durationMs: 0,
      sessionId: V0_SESSION_ID,
      mode: 'drill',
    };
  });
  return { version: 1, attempts, cards: replayAll(attempts), sessions: [] };
}

/**
 * The version a parsed document claims. A document without `version` but with a `history`
 * list is version 0; anything else without a usable version is a schema problem.
 */
export function versionOf(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SchemaError('the file', 'does not hold a JSON object');
  const version = (raw as { version?: unknown }).version;
  if (version === undefined) {
    if (Array.isArray((raw as { history?: unknown }).history)) return 0;
    throw new SchemaError('version', 'is missing');
  }
  if (!Number.isInteger(version) || (version as number) < 0) throw new SchemaError('version', 'is not a whole number');
  return version as number;
}

/** The file is from a newer django-drill: refuse it and leave it exactly as it is. */
export class NewerVersionError extends DrillError {
  constructor(readonly fileVersion: number) {
    super(`scores.json was written by a newer django-drill (version ${fileVersion}); this one knows version ${SCORES_VERSION}.`, {
      hint: 'Upgrade django-drill (npm install -g django-drill@latest, or run npx django-drill@latest). The file was left untouched.',
    });
    this.name = 'NewerVersionError';
  }
}

export interface Upgraded {
  data: ScoresFile;
  /** The version the document had on disk when it was older than SCORES_VERSION. */
  migratedFrom?: number;
}

/**
 * Bring a parsed document to the current version and check it. Throws NewerVersionError for a
 * version from the future (the caller must leave that file alone) and a SchemaError for a
 * document that is not a scores file at all.
 */
export function upgrade(raw: unknown): Upgraded {
  const version = versionOf(raw);
  if (version > SCORES_VERSION) throw new NewerVersionError(version);
  let doc = raw;
  for (let v = version; v < SCORES_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new SchemaError('version', `${version} cannot be upgraded (no migration from ${v})`);
    doc = step(doc);
  }
  const data = checkScores(doc);
  return version < SCORES_VERSION ? { data, migratedFrom: version } : { data };
}

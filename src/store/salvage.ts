/**
 * Salvage of a scores.json that does not pass as a whole (README "Your scores"): records are
 * checked one by one, as Anki's "Check Database" does. Valid attempts, cards and sessions are
 * kept; each invalid record is returned with the reason, for the store to write beside the file.
 * A text that is not JSON any more is read line by line: the store writes one record per line,
 * so a broken line costs that line only. Pure: text or data in, data out.
 */
import { SCORES_VERSION, type Attempt, type ScoresFile, type SessionRecord, type StoredCard } from '../types.js';
import { NewerVersionError } from './migrate.js';
import { SchemaError, checkAttempt, checkScores, checkSession, isCard } from './schema.js';

export interface Rejected {
  /** Where it was: `attempts[12]`, or `line 40`. */
  where: string;
  reason: string;
  /** The record as found (parsed value, or the text of the line). */
  record: unknown;
}

export interface Salvaged {
  data: ScoresFile;
  rejected: Rejected[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Parts {
  attempts: unknown[];
  cards: Obj;
  sessions: unknown[];
  /** Where each attempt and session came from, when not from a list index. */
  whereOf?: Map<unknown, string>;
}

/** Keep what passes; the rest are rejected with their reason. Undefined when nothing is left. */
function keepValid(parts: Parts, rejected: Rejected[]): Salvaged | undefined {
  const where = (value: unknown, fallback: string) => parts.whereOf?.get(value) ?? fallback;
  const attempts: Attempt[] = [];
  parts.attempts.forEach((a, i) => {
    try {
      checkAttempt(a, where(a, `attempts[${i}]`));
      attempts.push(a);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      rejected.push({ where: where(a, `attempts[${i}]`), reason: error.message, record: a });
    }
  });
  const sessions: SessionRecord[] = [];
  parts.sessions.forEach((s, i) => {
    try {
      checkSession(s, where(s, `sessions[${i}]`));
      sessions.push(s);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      rejected.push({ where: where(s, `sessions[${i}]`), reason: error.message, record: s });
    }
  });
  // A card is only a cache of its question's attempts: a bad one, or one of a question with a
  // rejected attempt, is dropped here and rebuilt from the valid attempts.
  const stale = new Set(rejected.map((r) => (isObject(r.record) && typeof r.record.questionId === 'string' ? r.record.questionId : '')));
  const cards: Record<string, StoredCard> = {};
  const answered = new Set(attempts.map((a) => a.questionId));
  for (const [id, card] of Object.entries(parts.cards)) if (isCard(card) && !stale.has(id) && answered.has(id)) cards[id] = card;
  if (attempts.length === 0 && sessions.length === 0) return undefined;
  return { data: checkScores({ version: SCORES_VERSION, attempts, cards, sessions }), rejected };
}

/**
 * A parsed document that failed the schema. Undefined when it is not a scores file at all (no
 * lists to take records from), or when no record survives.
 */
export function salvageDocument(raw: unknown): Salvaged | undefined {
  if (!isObject(raw)) return undefined;
  if (typeof raw.version === 'number' && raw.version > SCORES_VERSION) throw new NewerVersionError(raw.version);
  // Version 0 had other records (`history`); only the current shape is taken apart.
  if (raw.version !== SCORES_VERSION && raw.version !== 1) return undefined;
  if (!Array.isArray(raw.attempts) && !Array.isArray(raw.sessions)) return undefined;
  const rejected: Rejected[] = [];
  for (const key of ['attempts', 'sessions'] as const) {
    if (raw[key] !== undefined && !Array.isArray(raw[key])) rejected.push({ where: key, reason: `${key} is not a list`, record: raw[key] });
  }
  return keepValid(
    {
      attempts: Array.isArray(raw.attempts) ? raw.attempts : [],
      cards: isObject(raw.cards) ? raw.cards : {},
      sessions: Array.isArray(raw.sessions) ? raw.sessions : [],
    },
    rejected,
  );
}

/**
 * A text that no longer parses as JSON, read as the store writes it: a `"attempts": [`,
 * `"cards": {` or `"sessions": [` line opens a section, then one record per line.
 */
export function salvageLines(text: string): Salvaged | undefined {
  const parts: Parts = { attempts: [], cards: {}, sessions: [], whereOf: new Map() };
  const rejected: Rejected[] = [];
  let section: 'attempts' | 'cards' | 'sessions' | undefined;
  let version: number | undefined;
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim().replace(/,$/, '');
    const where = `line ${i + 1}`;
    const opened = /^"(attempts|cards|sessions)"\s*:\s*[[{]\s*$/.exec(line);
    if (opened) {
      section = opened[1] as typeof section;
      return;
    }
    const v = /^"version"\s*:\s*(\d+)$/.exec(line);
    if (v) version = Number(v[1]);
    if (line === '' || /^[\]}{[]$/.test(line) || !section || v) return;
    try {
      if (section === 'cards') {
        const entry = JSON.parse(`{${line}}`) as Obj;
        Object.assign(parts.cards, entry);
        return;
      }
      const record = JSON.parse(line) as unknown;
      parts[section].push(record);
      parts.whereOf?.set(record, where);
    } catch {
      if (section !== 'cards') rejected.push({ where, reason: 'the line does not parse as JSON', record: rawLine });
    }
  });
  if (version !== undefined && version > SCORES_VERSION) throw new NewerVersionError(version);
  return keepValid(parts, rejected);
}

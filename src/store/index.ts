/**
 * scores.json: the one file that holds a user's history. See DESIGN.md, "Scores".
 *
 * Every change is lock → re-read → merge → atomic write → release, so two terminals drilling at
 * once both keep every answer, and a kill at any instant leaves the old or the new file. A file
 * that cannot be read is moved aside, never overwritten; one from a newer version is refused.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DrillError } from '../errors.js';
import { historyColumns, type HistoryColumns } from '../session/history.js';
import { readCachedColumns, writeCachedColumns } from './columns-cache.js';
import { fileStamp, sameFileStamp } from '../file-stamp.js';
import type { Attempt, ScoresFile, SessionRecord } from '../types.js';
import { emptyScores, SCORES_VERSION } from '../types.js';

export { emptyScores } from '../types.js';
import { atomicWrite, copyAside, describeFsError, fileTimestamp, fsyncDir, isCode, moveAside, removeOrphanTempFiles } from './files.js';
// The lock (proper-lockfile) loads only when writing:
// read-only commands such as list and stats never pay for them.
import type { HeldLock } from './lock.js';
import { NewerVersionError, upgrade } from './migrate.js';
import { SchemaError, checkAttempt, checkSession, rebuildCards } from './schema.js';
import { salvageDocument, salvageLines, type Rejected, type Salvaged } from './salvage.js';

export { migrations, NewerVersionError, V0_SESSION_ID } from './migrate.js';

export interface StoreOptions {
  /** Folder of scores.json: --home / DJANGO_DRILL_HOME / ~/.django-drill. */
  home: string;
  /** One line for the user (stderr). Default: process.stderr. */
  warn?: (line: string) => void;
  /** How long to wait for another django-drill's lock before giving up. Default 5000. */
  lockTimeoutMs?: number;
  /** Clock for the timestamps in the names of kept copies. */
  now?: () => Date;
  /**
   * Tests only: called at the named points of a write (lock held, nothing written yet; the new
   * file renamed into place, its folder not yet fsynced). A hook that throws stops the writer
   * there, as a crash would (tests/store/fault-points.test.ts).
   */
  faultPoint?: (point: 'before-write' | 'after-rename') => void;
}

export const SCORES_FILE = 'scores.json';

const isLockTimeout = (err: unknown): err is Error & { lockPath: string } => err instanceof Error && err.name === 'LockTimeoutError';
const DEFAULT_LOCK_TIMEOUT_MS = 5000;


type Parsed = { ok: true; data: ScoresFile; migratedFrom?: number } | { ok: false; reason: string; salvaged?: Salvaged };

/** Parse the text of scores.json. Throws NewerVersionError; any other problem is a reason. */
export function parseScores(text: string): Parsed {
  // Editors on Windows like to add a BOM; it is not a reason to set the history aside.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, reason: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    const message = (err as Error).message;
    // V8 reports where it gave up; giving up at the very end means the text stops mid-value,
    // which is what a torn write or a full disk leaves.
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason =
      /end of JSON input/.test(message) || (position !== undefined && Number(position) >= body.trimEnd().length)
        ? 'the file ends in the middle (truncated JSON)'
        : `not valid JSON: ${message.split('\n')[0]?.slice(0, 120)}`;
    const salvaged = salvageLines(body);
    return salvaged ? { ok: false, reason, salvaged } : { ok: false, reason };
  }
  try {
    return { ok: true, ...upgrade(raw) };
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    const salvaged = salvageDocument(raw);
    return salvaged ? { ok: false, reason: err.message, salvaged } : { ok: false, reason: err.message };
  }
}

/**
 * One attempt, card or session per line: readable, diffable, and 30 % smaller than
 * JSON.stringify(data, null, 2). Each entry is stringified on its own; splitting one big
 * string at `},{` instead would be faster but could cut inside a string value.
 */
export function serializeScores(data: ScoresFile, attemptLines?: string[]): string {
  const block = (open: string, close: string, items: string[]): string =>
    items.length === 0 ? `${open}${close}` : `${open}\n    ${items.join(',\n    ')}\n  ${close}`;
  // `attemptLines`: the lines of the first attempts, from an earlier call (attempts are only
  // ever appended); the rest are added to it.
  const lines = attemptLines ?? [];
  for (let i = lines.length; i < data.attempts.length; i++) lines.push(JSON.stringify(data.attempts[i]));
  const attempts = block('[', ']', lines);
  const cards = block('{', '}', Object.keys(data.cards).map((id) => `${JSON.stringify(id)}:${JSON.stringify(data.cards[id])}`));
  const sessions = block('[', ']', data.sessions.map((s) => JSON.stringify(s)));
  return `{\n  "version": ${data.version},\n  "attempts": ${attempts},\n  "cards": ${cards},\n  "sessions": ${sessions}\n}\n`;
}

// Only the fields of the type reach the file, whatever else the caller's object carries.
function copyAttempt(a: Attempt): Attempt {
  const copy: Attempt = {
    questionId: a.questionId,
    topic: a.topic,
    at: a.at,
    score: a.score,
    rating: a.rating,
    keypointsHit: [...a.keypointsHit],
    durationMs: a.durationMs,
    sessionId: a.sessionId,
    mode: a.mode,
  };
  if (a.overtime !== undefined) copy.overtime = a.overtime;
  return copy;
}

function copySession(s: SessionRecord): SessionRecord {
  const copy: SessionRecord = {
    id: s.id,
    mode: s.mode,
    topics: [...s.topics],
    startedAt: s.startedAt,
    asked: s.asked,
    answered: s.answered,
    score: s.score,
  };
  if (s.endedAt !== undefined) copy.endedAt = s.endedAt;
  if (s.signal !== undefined) copy.signal = s.signal;
  return copy;
}

/** What identifies one version of scores.json: a rename, a write, a chmod or a touch changes it. */
interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

const stampOf = (st: FileStamp): FileStamp => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });

const sameStamp = (a: FileStamp, b: FileStamp | undefined): boolean =>
  b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/**
 * A caller's view of a history the store keeps working on: new lists and card map (the store
 * appends to its own), the same record objects (which it never changes: cards are replaced).
 */
function snapshot(data: ScoresFile): ScoresFile {
  return { version: data.version, attempts: data.attempts.slice(), cards: { ...data.cards }, sessions: data.sessions.slice() };
}

const identity = (a: Attempt): string => `${a.sessionId}\n${a.questionId}\n${a.at}`;

/** Append the attempts not already in the history; returns those appended. */
function appendAttempts(data: ScoresFile, incoming: readonly Attempt[]): Attempt[] {
  if (incoming.length === 0) return [];
  // Only attempts at the same instant can collide, so the long history is scanned without
  // building a key for each of its entries.
  const instants = new Set(incoming.map((a) => a.at));
  const seen = new Set<string>();
  for (const a of data.attempts) if (instants.has(a.at)) seen.add(identity(a));
  const added: Attempt[] = [];
  for (const a of incoming) {
    const key = identity(a);
    if (seen.has(key)) continue;
    seen.add(key);
    const copy = copyAttempt(a);
    added.push(copy);
    data.attempts.push(copy);
  }
  return added;
}

function upsertSession(data: ScoresFile, session: SessionRecord): boolean {
  const copy = copySession(session);
  const index = data.sessions.findIndex((s) => s.id === copy.id);
  if (index === -1) {
    data.sessions.push(copy);
    return true;
  }
  if (JSON.stringify(data.sessions[index]) === JSON.stringify(copy)) return false;
  data.sessions[index] = copy;
  return true;
}

export class ScoresStore {
  readonly path: string;
  private readonly home: string;
  private readonly warn: (line: string) => void;
  private readonly lockTimeoutMs: number;
  private readonly now: () => Date;
  private readonly faultPoint: StoreOptions['faultPoint'];
  // Calls on one store run one after another: the cross-process lock would serialise them
  // anyway, but only by polling.
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The history as this store last wrote it, with the file's identity right after the write
   * and the attempts' serialized lines. While the file is still that one (same inode, size,
   * mtime and ctime, checked under the lock), the next save starts from it instead of reading
   * and parsing the whole file again: on a 100,000-attempt history that is most of the second
   * each answer took to save. Any other writer (a second session, an editor, a reset) changes
   * the identity, and the file is read as before.
   */
  private written?: { data: ScoresFile; stamp: FileStamp; attemptLines: string[] };

  constructor(opts: StoreOptions) {
    this.home = resolve(opts.home);
    this.path = join(this.home, SCORES_FILE);
    this.warn = opts.warn ?? ((line) => process.stderr.write(`${line}\n`));
    this.lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = opts.now ?? (() => new Date());
    this.faultPoint = opts.faultPoint;
  }

  /** The history; an empty one when there is no file. Creates nothing. */
  async read(): Promise<ScoresFile> {
    const text = await this.readText();
    if (text === null) return emptyScores();
    const parsed = parseScores(text);
    if (parsed.ok) return parsed.data;
    return this.setAsideOnRead(parsed.reason, parsed.salvaged);
  }

  /**
   * The history in columns (session/history.ts), cached next to the bank cache and keyed by the
   * size and mtime of scores.json (columns-cache.ts): `stats` on a long history then skips
   * parsing it whole. Best effort: without a usable cache this is read() plus one pass.
   */
  async readColumns(): Promise<HistoryColumns> {
    const before = await stat(this.path).catch(() => undefined);
    if (!before) return historyColumns(emptyScores());
    const stamp = fileStamp(before);
    const cached = readCachedColumns(this.home, stamp);
    if (cached) return cached;
    const columns = historyColumns(await this.read());
    // Only cache what belongs to the file as it still is (a save, or a move aside of a corrupt
    // file, may have happened meanwhile).
    const after = await stat(this.path).catch(() => undefined);
    if (after && sameFileStamp(stamp, fileStamp(after))) writeCachedColumns(this.home, columns, stamp);
    return columns;
  }

  /**
   * Add attempts and/or a session (upserted by id) and save. Returns the merged history as a
   * copy of the store's own lists: the next save appends to those, never to what a caller holds.
   */
  async record(change: { attempts?: Attempt[]; session?: SessionRecord }): Promise<ScoresFile> {
    return snapshot(await this.recordShared(change));
  }

  private async recordShared(change: { attempts?: Attempt[]; session?: SessionRecord }): Promise<ScoresFile> {
    const incoming = change.attempts ?? [];
    // Writing something our own reader rejects would get the whole history moved aside next time.
    try {
      incoming.forEach((a, i) => checkAttempt(a, `attempts[${i}]`));
      if (change.session) checkSession(change.session, 'session');
    } catch (err) {
      if (err instanceof SchemaError) throw new TypeError(`ScoresStore.record: ${err.message}`);
      throw err;
    }
    if (incoming.length === 0 && !change.session) return this.read();

    return this.serial(async () => {
      try {
        return await this.lockedWithRetry(async (lock) => {
          const { data, migratedFrom, attemptLines, salvaged } = await this.loadLocked();
          const added = appendAttempts(data, incoming);
          rebuildCards(data, new Set(added.map((a) => a.questionId)));
          const sessionChanged = change.session ? upsertSession(data, change.session) : false;
          if (added.length === 0 && !sessionChanged && migratedFrom === undefined && !salvaged) return data;
          const backup = migratedFrom === undefined ? undefined : await copyAside(this.path, `bak-v${migratedFrom}`, this.now());
          await this.writeLocked(data, lock, change.session?.endedAt !== undefined, attemptLines);
          if (backup) this.warn(`Upgraded scores.json from version ${migratedFrom} to ${SCORES_VERSION}; the old file is kept at ${backup}.`);
          return data;
        });
      } catch (err) {
        throw this.failure('save', err);
      }
    });
  }

  /**
   * Forget the attempts (and cards) of `topics`, or everything when none are given (sessions
   * too). A copy of the file is kept first. `backup` is null when nothing changed: no file, or
   * nothing of those topics. An unreadable file is only moved aside, and that path returned.
   */
  async reset(topics?: string[]): Promise<{ backup: string | null; removedAttempts: number }> {
    const nothing = { backup: null, removedAttempts: 0 };
    if (!(await this.fileExists())) return nothing;
    const drop = topics && topics.length > 0 ? new Set(topics) : null;

    return this.serial(async () => {
      try {
        return await this.lockedWithRetry(async (lock) => {
          const text = await this.readText();
          if (text === null) return nothing;
          const parsed = parseScores(text);
          if (!parsed.ok) return { backup: await this.setAside(parsed.reason), removedAttempts: 0 };

          const data = parsed.data;
          const kept: Attempt[] = [];
          const touched = new Set<string>();
          for (const a of data.attempts) {
            if (drop === null || drop.has(a.topic)) touched.add(a.questionId);
            else kept.push(a);
          }
          const removedAttempts = data.attempts.length - kept.length;
          const everything = drop === null && (data.sessions.length > 0 || Object.keys(data.cards).length > 0);
          if (removedAttempts === 0 && !everything) return nothing;

          const backup = await copyAside(this.path, 'bak', this.now());
          let next: ScoresFile;
          if (drop === null) next = emptyScores();
          else {
            next = { ...data, attempts: kept };
            rebuildCards(next, touched);
          }
          await this.writeLocked(next, lock, true);
          return { backup, removedAttempts };
        });
      } catch (err) {
        throw this.failure('reset', err);
      }
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fileExists(): Promise<boolean> {
    try {
      await stat(this.path);
      return true;
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR')) return false;
      throw this.failure('read', err);
    }
  }

  /** The file's text, or null when there is none. */
  private async readText(): Promise<string | null> {
    try {
      // One decode of the whole buffer: readFile(path, 'utf8') decodes chunk by chunk, which
      // is several times slower on a 20 MB history.
      return (await readFile(this.path)).toString('utf8');
    } catch (err) {
      if (isCode(err, 'ENOENT')) return null;
      throw this.failure('read', err);
    }
  }

  /**
   * locked(), again from the start (lock, re-read, merge, write) when the lock was taken over
   * before the write: nothing is reported saved that was not written under our own lock.
   */
  private async lockedWithRetry<T>(task: (lock: HeldLock) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.locked(task);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKLOST' || attempt >= 3) throw err;
      }
    }
  }

  private async locked<T>(task: (lock: HeldLock) => Promise<T>): Promise<T> {
    await mkdir(this.home, { recursive: true, mode: 0o700 });
    const { acquireLock } = await import('./lock.js');
    const lock = await acquireLock(this.path, this.lockTimeoutMs, (pid) => this.warn(`waiting for django-drill pid ${pid}, which is saving scores…`));
    try {
      return await task(lock);
    } finally {
      await lock.release();
    }
  }

  /**
   * Under the lock: the current history. A file with bad records is salvaged (`salvaged`: the
   * caller writes the cleaned history back); one with nothing to salvage is moved aside.
   */
  private async loadLocked(): Promise<{ data: ScoresFile; migratedFrom?: number; attemptLines?: string[]; salvaged?: boolean }> {
    // Taken, not kept: the caller changes `data`, and only a successful write makes it the
    // file's content again.
    const written = this.written;
    this.written = undefined;
    if (written && sameStamp(written.stamp, await stat(this.path).catch(() => undefined))) return { data: written.data, attemptLines: written.attemptLines };
    const text = await this.readText();
    if (text === null) return { data: emptyScores() };
    const parsed = parseScores(text);
    if (parsed.ok) return parsed;
    if (parsed.salvaged) {
      await this.keepSalvage(parsed.reason, parsed.salvaged);
      return { data: parsed.salvaged.data, salvaged: true };
    }
    await this.setAside(parsed.reason);
    return { data: emptyScores() };
  }

  /**
   * Before a salvaged history replaces the file: the original is copied aside byte for byte,
   * the rejected records go to `scores.json.rejected-<time>` (0600) with their reasons, and
   * one line says what was kept and where the rest went.
   */
  private async keepSalvage(reason: string, salvaged: Salvaged): Promise<void> {
    const original = await copyAside(this.path, 'corrupt', this.now());
    let rejectedPath: string | undefined;
    if (salvaged.rejected.length > 0) rejectedPath = await this.writeRejected(salvaged.rejected);
    const { attempts, sessions } = salvaged.data;
    const bad = salvaged.rejected.length;
    const where = rejectedPath ? ` The rejected records, with the reason for each, are in ${rejectedPath};` : '';
    this.warn(
      `scores.json had ${bad === 0 ? 'a damaged layout' : `${bad} bad record${bad === 1 ? '' : 's'}`} (${reason}): kept ${attempts.length} answers and ${sessions.length} sessions.${where} the original file is kept at ${original}.`,
    );
  }

  private async writeRejected(rejected: Rejected[]): Promise<string> {
    const base = `${this.path}.rejected-${fileTimestamp(this.now())}`;
    const text = `${JSON.stringify({ from: this.path, rejected }, null, 2)}\n`;
    for (let n = 0; ; n++) {
      const target = n === 0 ? base : `${base}-${n}`;
      try {
        await writeFile(target, text, { mode: 0o600, flag: 'wx' });
        return target;
      } catch (err) {
        if (!isCode(err, 'EEXIST')) throw err;
      }
    }
  }

  private async setAside(reason: string): Promise<string> {
    const target = await moveAside(this.path, 'corrupt', this.now());
    this.warn(`scores.json was unreadable (${reason}); moved it to ${target}. Starting a fresh history.`);
    return target;
  }

  // Moving the file is done under the lock even for a plain read: another django-drill may be
  // replacing the bad file with a good one at this very moment, and that one must not be moved.
  private async setAsideOnRead(reason: string, salvaged?: Salvaged): Promise<ScoresFile> {
    try {
      return await this.serial(() =>
        this.locked(async (lock) => {
          const loaded = await this.loadLocked();
          // A salvaged history is written back at once: the next read finds a clean file.
          if (loaded.salvaged) await this.writeLocked(loaded.data, lock, true);
          return loaded.data;
        }),
      );
    } catch (err) {
      if (err instanceof NewerVersionError) throw err;
      const why = isLockTimeout(err) ? 'another django-drill holds the lock' : describeFsError(err);
      if (salvaged) {
        this.warn(`scores.json has bad records (${reason}) and could not be repaired now (${why}); showing the ${salvaged.data.attempts.length} answers that are valid.`);
        return salvaged.data;
      }
      this.warn(`scores.json was unreadable (${reason}) and could not be moved aside (${why}); showing an empty history.`);
      return emptyScores();
    }
  }

  /** `attemptLines`: serialized attempts of `data` from the last write, when it started from it. */
  private async writeLocked(data: ScoresFile, lock: HeldLock, columns: boolean, attemptLines: string[] = []): Promise<void> {
    this.written = undefined;
    if (lock.compromised) {
      // Someone broke our lock as stale (this process stalled for seconds) and may have written
      // since: writing now could drop their answers.
      throw Object.assign(new Error('another django-drill took over the lock while this one was stalled'), { code: 'ELOCKLOST' });
    }
    await removeOrphanTempFiles(this.path);
    this.faultPoint?.('before-write');
    await atomicWrite(this.path, serializeScores(data, attemptLines), 0o600);
    this.faultPoint?.('after-rename');
    await fsyncDir(this.home);
    const written = await stat(this.path).catch(() => undefined);
    if (written) this.written = { data, stamp: stampOf(written), attemptLines };
    if (!columns || !written) return;
    // Bring the history columns (list, stats) in step with the file just written, still under
    // the lock: `stats` right after a drill then reads them instead of parsing the whole history.
    // Once per session, not per answer: on a 100,000-attempt history it takes about 180 ms.
    writeCachedColumns(this.home, historyColumns(data), fileStamp(written));
  }

  private failure(action: 'save' | 'reset' | 'read', err: unknown): unknown {
    if (err instanceof DrillError) return err;
    if (isLockTimeout(err)) {
      return new DrillError(`Another django-drill is saving scores (lock held: ${err.lockPath})`, {
        hint: `Try again in a moment. If no other django-drill is running, remove the folder ${err.lockPath}.`,
        cause: err,
      });
    }
    if (typeof (err as NodeJS.ErrnoException | null)?.code !== 'string') return err;
    const reason = describeFsError(err);
    const where = `check that ${this.home} is writable and the disk has space, or use another folder with --home (or DJANGO_DRILL_HOME)`;
    switch (action) {
      case 'save':
        return new DrillError(`Could not save your answer to ${this.path}: ${reason}`, {
          hint: `Answers saved before are still in the file; ${where}.`,
          cause: err,
        });
      case 'reset':
        return new DrillError(`Could not reset ${this.path}: ${reason}`, { hint: `Nothing was removed; ${where}.`, cause: err });
      case 'read':
        return new DrillError(`Could not read ${this.path}: ${reason}`, {
          hint: 'Check the permissions of the file and its folder, or use another folder with --home (or DJANGO_DRILL_HOME).',
          cause: err,
        });
    }
  }
}

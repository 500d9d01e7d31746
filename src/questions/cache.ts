/**
 * A parse cache for big banks: every question file is remembered by its folder, name, mtime and
 * size, so an edited, added or deleted file is re-read on the next run and nothing stale is ever
 * served. Folders are listed and files stat()ed every time (load.ts); only the YAML/Markdown parsing is
 * saved.
 *
 * Two files under `<home>/cache/`: an index (what `list`, `stats` and the picker need) and the
 * question bodies (prompt, answer, key points), read only by commands that show questions.
 * The cache is best effort: any problem reading or writing it falls back to parsing.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { asciiJson, sweep, writeCacheFile } from '../cache-files.js';
import { bodyOf, type Question, type QuestionBody } from '../types.js';
import { crc32 } from '../binary-file.js';
import { changeTime } from '../file-stamp.js';
import { decodeIndex, encodeIndex, Folder, PARSER_ID, type IndexFile } from './cache-index.js';
import { cyrb53, cyrb53Value } from '../hash.js';
import { ablated } from '../ablate.js';
import {
  assemble,
  loadBank,
  readQuestionFile,
  readRegularFile,
  readTopicInfo,
  sourcePath,
  topicSources,
  type LoadResult,
  type ParsedFile,
  type AssemblyTopic,
  type TopicSource,
} from './load.js';
import type { Problem } from './parse.js';

/** Version of the bodies file; the index has its own (cache-index.ts). */
const CACHE_VERSION = 7;

const SEP = '\0';

/**
 * Names the cache files of a set of roots. Two sets that shared a name would only take turns at
 * the cache, since entries are keyed by their absolute folder and checked file by file.
 */
function rootsKey(roots: readonly string[]): string {
  return cyrb53(roots.join('\0'));
}

/** Cache files of earlier builds (a JSON index named by a SHA-1 prefix): dropped when the cache is written. */
const LEGACY_CACHE_FILE = /^bank-[0-9a-f]{16}(\.bodies)?\.json$/;

function readIndex(path: string): IndexFile | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  return decodeIndex(bytes);
}

function writeIndex(path: string, index: IndexFile): void {
  writeCacheFile(path, encodeIndex(index));
}

type BodiesFile = { v: number; build: string; bodies: Record<string, { m: number; s: number; b: QuestionBody }> };

export interface CacheOptions {
  /** Also return prompts, answers and key points (drill, show, export). */
  bodies: boolean;
  /**
   * Called once, before parsing, when some files are not in the cache: how many. May return a
   * function called when parsing is done (the CLI shows a spinner for a big cold bank).
   */
  onParse?: (files: number) => (() => void) | undefined;
  /** Compare every cached file's content hash, as is done for a file without a real ctime (tests). */
  verifyContent?: boolean;
}

// Cache files are written as pure ASCII (anything else as a JSON \u escape) and read as latin1:
// V8 then copies the bytes into a string without decoding UTF-8, a few ms on a 10,000-question
// index. A file that is not ASCII cannot be one of ours (CACHE_VERSION), so nothing is misread.
// The first line is a CRC-32 of the JSON after it: a damaged file is parsed again from the
// question files, never served.
function readJson<T extends { v: number; build: string }>(path: string): T | undefined {
  try {
    const bytes = readFileSync(path);
    const body = bytes.subarray(9);
    if (bytes[8] !== 10 || bytes.toString('latin1', 0, 8) !== crc32(body).toString(16).padStart(8, '0')) return undefined;
    const data = JSON.parse(body.toString('latin1')) as T;
    return data && data.v === CACHE_VERSION && data.build === PARSER_ID ? data : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(path: string, data: unknown): void {
  const body = Buffer.from(asciiJson(data), 'latin1');
  writeCacheFile(path, Buffer.concat([Buffer.from(`${crc32(body).toString(16).padStart(8, '0')}\n`, 'latin1'), body]));
}

const NO_PROBLEMS: Problem[] = [];

const sameFile = (entry: { m: number; s: number } | undefined, m: number, s: number) => entry !== undefined && entry.m === m && entry.s === s;

export async function loadBankCached(roots: readonly string[], home: string, options: CacheOptions = { bodies: true }): Promise<LoadResult> {
  if (ablated('bank-cache')) return loadBank(roots);
  try {
    return await loadWithCache(roots, home, options, false);
  } catch {
    // A cache file that decodes but holds the wrong shape (a hand edit, a flipped byte, another
    // build's layout) must mean "rebuild", never an error: load again from the files alone,
    // which rewrites the cache. A failure then is a real one and is thrown.
    return loadWithCache(roots, home, options, true);
  }
}

async function loadWithCache(roots: readonly string[], home: string, options: CacheOptions, fresh: boolean): Promise<LoadResult> {
  const dir = join(home, 'cache');
  const key = rootsKey(roots);
  const indexPath = join(dir, `bank-${key}.idx`);
  const bodiesPath = join(dir, `bank-${key}.bodies.json`);
  const index: IndexFile = (fresh ? undefined : readIndex(indexPath)) ?? { dirs: {}, topics: {} };
  let indexWrittenAt = 0;
  try {
    indexWrittenAt = statSync(indexPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  } catch {
    // An unusable cache folder: nothing is cached.
  }
  const stored = options.bodies && !fresh ? readJson<BodiesFile>(bodiesPath) : undefined;
  const bodies: BodiesFile = stored ?? { v: CACHE_VERSION, build: PARSER_ID, bodies: {} };

  const next: IndexFile = { dirs: {}, topics: {} };
  const nextBodies: BodiesFile = { v: CACHE_VERSION, build: PARSER_ID, bodies: {} };
  let changed = false;
  let bodiesChanged = false;

  const sources: TopicSource[] = (await Promise.all(roots.map((root) => topicSources(root)))).flat();

  const { hits, toParse } = cacheHits(sources, index, bodies, indexWrittenAt, options);
  const done = toParse > 0 ? options.onParse?.(toParse) : undefined;
  const state: LoadState = { index, next, bodies, nextBodies, options, indexWrittenAt, changed: false, bodiesChanged: false };
  const topics: AssemblyTopic[] = await Promise.all(sources.map((source, k) => loadTopic(state, source, hits[k] as Int32Array)));
  changed ||= state.changed;
  bodiesChanged ||= state.bodiesChanged;
  done?.();

  // Deleted folders drop out because `next` only holds what exists now.
  if (Object.keys(index.dirs).length !== Object.keys(next.dirs).length) changed = true;
  if (Object.keys(index.topics).length !== Object.keys(next.topics).length) changed = true;
  try {
    if (changed || bodiesChanged) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // With the temp files of a writer killed mid-write (cache-files.ts).
      sweep(dir, (name) => LEGACY_CACHE_FILE.test(name));
      if (changed) writeIndex(indexPath, next);
      // Keep bodies we did not read this time (an index-only run) so they are not lost.
      if (bodiesChanged) writeJson(bodiesPath, options.bodies ? nextBodies : mergeBodies(readJson<BodiesFile>(bodiesPath), nextBodies, sources));
    }
  } catch {
    // A read-only or full home only costs speed.
  }
  return assemble(topics);
}

function sameContent(path: string, hash: number): boolean {
  try {
    return cyrb53Value(readRegularFile(path)) === hash;
  } catch {
    return false;
  }
}

function statOf(path: string): { m: number; s: number } | undefined {
  try {
    const st = statSync(path);
    return { m: changeTime(st), s: st.size };
  } catch {
    return undefined;
  }
}

function mergeBodies(old: BodiesFile | undefined, fresh: BodiesFile, sources: readonly TopicSource[]): BodiesFile {
  const merged: BodiesFile = { v: CACHE_VERSION, build: PARSER_ID, bodies: {} };
  for (const source of sources) {
    for (let i = 0; i < source.names.length; i++) {
      const path = sourcePath(source, i);
      const body = fresh.bodies[path] ?? old?.bodies[path];
      if (body) merged.bodies[path] = body;
    }
  }
  return merged;
}

/** What loading one topic from the cache reads and writes. */
interface LoadState {
  index: IndexFile;
  next: IndexFile;
  bodies: BodiesFile;
  nextBodies: BodiesFile;
  options: CacheOptions;
  indexWrittenAt: number;
  changed: boolean;
  bodiesChanged: boolean;
}

/** First pass: where each file sits in its cached folder entry, -1 when it must be parsed. */
function cacheHits(sources: readonly TopicSource[], index: IndexFile, bodies: BodiesFile, indexWrittenAt: number, options: CacheOptions): { hits: Int32Array[]; toParse: number } {
  let toParse = 0;
  const hits = sources.map((source) => {
    const old = index.dirs[source.dir];
    const at = new Int32Array(source.names.length).fill(-1);
    if (!old) {
      toParse += at.length;
      return at;
    }
    // Usually the listing is unchanged and positions line up; else names are looked up.
    const byName = old.size === at.length && old.joinedNames() === source.names.join(SEP) ? undefined : new Map(old.names().map((n, k) => [n, k]));
    for (let i = 0; i < at.length; i++) {
      const j = byName ? (byName.get(source.names[i] as string) ?? -1) : i;
      const m = source.mtimes[i] as number;
      const s = source.sizes[i] as number;
      // Key: size and change time (file-stamp.ts). A file whose change time is not before the
      // index's own is not trusted (git's racy rule: on a file system with coarse timestamps it
      // may have changed again within the same tick) and is parsed again.
      const hit =
        j >= 0 &&
        m < indexWrittenAt &&
        old.sameFile(j, m, s) &&
        (!options.bodies || !old.hasQuestion(j) || sameFile(bodies.bodies[sourcePath(source, i)], m, s));
      // Without a real ctime the stamp cannot see an edit whose mtime was put back: compare the
      // content's hash then (file-stamp.ts ctimeReliable; rare, so the read costs little).
      const check = options.verifyContent === true || source.unstamped?.[i] === 1;
      if (hit && (!check || sameContent(sourcePath(source, i), old.contentHash(j)))) at[i] = j;
      else toParse += 1;
    }
    return at;
  });
  return { hits, toParse };
}

/** One topic folder: its info, its hits from the cache and its misses parsed, as a view for assemble(). */
async function loadTopic(state: LoadState, source: TopicSource, at: Int32Array): Promise<AssemblyTopic> {
  const { index, next } = state;
  const topicPath = source.topicFile ?? join(source.dir, '_topic.md');
  const topicStat = source.topicFile ? statOf(source.topicFile) : { m: 0, s: -1 };
  let topic = index.topics[topicPath];
  if (!topic || !topicStat || !sameFile(topic, topicStat.m, topicStat.s) || topicStat.m >= state.indexWrittenAt) {
    const parsed = await readTopicInfo(source);
    topic = { m: topicStat?.m ?? 0, s: topicStat?.s ?? -1, info: parsed.info, p: parsed.problems };
    state.changed = true;
  }
  next.topics[topicPath] = topic;

  const old = index.dirs[source.dir];
  // The cached entry is reused as it is when every file is a hit at its own position.
  const same = old !== undefined && old.size === at.length && at.every((j, i) => j === i);
  const entry = same ? old : Folder.empty();
  if (!same) state.changed = true;
  const parsed = await parseMisses(state, source, at, old);
  if (!same) {
    // Rebuilt in name order, from the cache for hits and from the parse for the rest.
    for (let i = 0; i < at.length; i++) {
      const j = at[i] as number;
      if (j >= 0) entry.pushFrom(old as Folder, j);
      else {
        const { result, hash = 0 } = parsed[i] as ParsedFile;
        entry.pushParsed(source.names[i] as string, source.mtimes[i] as number, source.sizes[i] as number, hash, result.question, result.problems);
      }
    }
  }
  next.dirs[source.dir] = entry;
  const view = topicView(state, source, topic, at, parsed, old as Folder);
  // The usual case: the cached entry as it is, every file in its place.
  if (same) {
    view.ids = entry.idList();
    view.noFileProblems = !entry.hasProblems();
  }
  return view;
}

/**
 * Hits stay in the cached columns (no object per file: 10,000 of them must stay cheap), their
 * bodies carried over; only misses are read and parsed.
 */
async function parseMisses(state: LoadState, source: TopicSource, at: Int32Array, old: Folder | undefined): Promise<(ParsedFile | undefined)[]> {
  const { options, bodies, nextBodies } = state;
  const parsed: (ParsedFile | undefined)[] = new Array<ParsedFile | undefined>(at.length);
  const misses: Promise<void>[] = [];
  for (let i = 0; i < at.length; i++) {
    const j = at[i] as number;
    if (j >= 0) {
      if (options.bodies && (old as Folder).hasQuestion(j)) {
        const path = sourcePath(source, i);
        nextBodies.bodies[path] = bodies.bodies[path] as BodiesFile['bodies'][string];
      }
      continue;
    }
    const path = sourcePath(source, i);
    const m = source.mtimes[i] as number;
    const s = source.sizes[i] as number;
    misses.push(
      readQuestionFile(path, source.folder, options.bodies).then((fresh) => {
        const question = fresh.result.question;
        if (question && !fresh.bodiless) {
          nextBodies.bodies[path] = { m, s, b: bodyOf(question) };
          state.bodiesChanged = true;
        }
        parsed[i] = fresh;
      }),
    );
  }
  if (misses.length > 0) await Promise.all(misses);
  return parsed;
}

/** A folder as assemble() reads it: parsed files where there are, cached columns for the rest. */
function topicView(state: LoadState, source: TopicSource, topic: IndexFile['topics'][string], at: Int32Array, parsed: readonly (ParsedFile | undefined)[], from: Folder): AssemblyTopic {
  const { options, bodies } = state;
  const j = (i: number) => at[i] as number;
  return {
    folder: source.folder,
    info: topic.info,
    problems: topic.p,
    count: at.length,
    path: (i) => sourcePath(source, i),
    problemsAt: (i) => parsed[i]?.result.problems ?? from.problems(j(i)) ?? NO_PROBLEMS,
    idAt: (i) => {
      const fresh = parsed[i];
      return fresh ? fresh.result.question?.id : from.idAt(j(i));
    },
    idLineAt: (i) => {
      const fresh = parsed[i];
      return fresh ? (fresh.result.question?.idLine ?? 1) : from.lineAt(j(i));
    },
    question: (i) => {
      const fresh = parsed[i]?.result.question;
      if (fresh) return fresh;
      const path = sourcePath(source, i);
      const question = from.question(j(i), source.folder, path) as Question;
      const body = options.bodies ? bodies.bodies[path] : undefined;
      return body ? { ...question, ...body.b } : question;
    },
  };
}

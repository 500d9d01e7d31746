/**
 * A parse cache for big banks: every question file is remembered by its folder, name, mtime and
 * size, so an edited, added or deleted file is re-read on the next run and nothing stale is ever
 * served. Files are still stat()ed every time (by the listing in load.ts, which may reuse a
 * folder's remembered listing while the folder is unchanged); only the YAML/Markdown parsing is
 * saved.
 *
 * Two files under `<home>/cache/`: an index (what `list`, `stats` and the picker need) and the
 * question bodies (prompt, answer, key points), read only by commands that show questions.
 * The cache is best effort: any problem reading or writing it falls back to parsing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIFFICULTIES, QUESTION_TYPES, type Question, type TopicInfo } from '../types.js';
import {
  assemble,
  readQuestionFile,
  readTopicInfo,
  RACY_LISTING_MS,
  topicSources,
  type ListingHint,
  type LoadResult,
  type ParsedFile,
  type AssemblyTopic,
  type TopicSource,
} from './load.js';
import type { Problem } from './parse.js';

const CACHE_VERSION = 4;

type Body = Pick<Question, 'prompt' | 'answer' | 'keypoints' | 'choices' | 'followUps'>;

/**
 * The index keeps one entry per topic folder, in columns: a position per question file, in
 * name order. In memory the columns are arrays; on disk the string columns are joined into one
 * string each and tag lists are shared, so JSON.parse builds a few hundred objects instead of
 * tens of thousands (on this kind of load, parsing and the garbage collector cost more than the
 * reading). A file with no question (a broken one) has an empty id; problems are kept by
 * position.
 */
interface DirIndex {
  /** File names, sorted, joined by NUL (which no file name can hold): compared whole. */
  n: string;
  /** mtimeMs and size of each file. */
  m: number[];
  s: number[];
  /** Ids and titles joined by NUL; an empty id is a file with no question. */
  id: string;
  title: string;
  /** Indexes into DIFFICULTIES and QUESTION_TYPES. */
  diff: number[];
  type: number[];
  /** Index into `tagSets`, the distinct tag lists of the folder. */
  tags: number[];
  tagSets: string[][];
  /** `time`, 0 when the file has none. */
  time: number[];
  line: number[];
  /** Problems of the file at a position, for the positions that have some. */
  p: Record<number, Problem[]>;
  /**
   * The folder's listing (load.ts, ListingHint): its mtime and the clock when listed, names that
   * looked like question files but were not files (NUL-joined), and whether `_topic.md` is there.
   */
  dm?: number;
  lt?: number;
  x?: string;
  tp?: boolean;
}

const SEP = '\0';

/** How many SEPs a joined column holds (its length less one), without splitting it. */
function separators(text: string): number {
  let count = 0;
  for (let i = text.indexOf(SEP); i >= 0; i = text.indexOf(SEP, i + 1)) count += 1;
  return count;
}

/**
 * A folder's entry as used: stored columns as they are (numbers stay numbers until a question is
 * built), and the joined strings split once, when first needed.
 */
class Folder {
  #names?: string[];
  #ids: string[];
  #titles?: string[];
  #tagKeys?: Map<string, number>;

  constructor(readonly data: DirIndex) {
    const count = data.m.length;
    this.#ids = count === 0 ? [] : data.id.split(SEP);
  }

  /** Titles, split when a question is first built (`list` of topics and `stats` need few or none). */
  #titleList(): string[] {
    return (this.#titles ??= this.size === 0 ? [] : this.data.title.split(SEP));
  }

  get size(): number {
    return this.data.m.length;
  }

  names(): string[] {
    return (this.#names ??= this.size === 0 ? [] : this.data.n.split(SEP));
  }

  /** The remembered listing, if this entry has one. */
  hint(): ListingHint | undefined {
    const { dm, lt, x, tp } = this.data;
    if (typeof dm !== 'number' || typeof lt !== 'number' || typeof tp !== 'boolean' || (x !== undefined && typeof x !== 'string')) return undefined;
    const candidates = x ? [...this.names(), ...x.split(SEP)].sort() : this.names();
    return { dirMtime: dm, listedAt: lt, candidates, topic: tp };
  }

  /** Remembers a listing whose question files are `names` (a subset of its candidates). */
  setListing(listing: ListingHint, names: readonly string[]): void {
    const files = new Set(names);
    const extras = listing.candidates.length === names.length ? [] : listing.candidates.filter((n) => !files.has(n));
    Object.assign(this.data, { dm: listing.dirMtime, lt: listing.listedAt, x: extras.join(SEP), tp: listing.topic });
  }

  /** Undefined when the stored entry does not hold together (its folder is parsed again). */
  static from(data: DirIndex): Folder | undefined {
    const count = data.m.length;
    if (typeof data.n !== 'string' || typeof data.id !== 'string' || typeof data.title !== 'string' || !Array.isArray(data.tagSets)) return undefined;
    const folder = new Folder({ ...data, p: data.p ?? {} });
    const columns = [data.s, folder.#ids, data.diff, data.type, data.tags, data.time, data.line];
    if (columns.some((c) => !Array.isArray(c) || c.length !== count) || separators(data.title) !== Math.max(0, count - 1)) return undefined;
    const inRange = (list: number[], size: number) => {
      for (const x of list) if (!(Number.isInteger(x) && x >= 0 && x < size)) return false;
      return true;
    };
    if (!inRange(data.diff, DIFFICULTIES.length) || !inRange(data.type, QUESTION_TYPES.length) || !inRange(data.tags, data.tagSets.length)) return undefined;
    return folder;
  }

  static empty(): Folder {
    const folder = new Folder({ n: '', m: [], s: [], id: '', title: '', diff: [], type: [], tags: [], tagSets: [], time: [], line: [], p: {} });
    folder.#names = [];
    return folder;
  }

  #internTags(tags: string[]): number {
    if (!this.#tagKeys) this.#tagKeys = new Map(this.data.tagSets.map((list, i) => [JSON.stringify(list), i]));
    const key = JSON.stringify(tags);
    let i = this.#tagKeys.get(key);
    if (i === undefined) {
      i = this.data.tagSets.push(tags) - 1;
      this.#tagKeys.set(key, i);
    }
    return i;
  }

  #push(name: string, m: number, s: number, id: string, title: string, diff: number, type: number, tags: string[], time: number, line: number, problems: readonly Problem[] | undefined): void {
    const titles = this.#titleList();
    const d = this.data;
    const i = this.size;
    this.names().push(name);
    d.m.push(m);
    d.s.push(s);
    this.#ids.push(id);
    titles.push(title);
    d.diff.push(diff);
    d.type.push(type);
    d.tags.push(this.#internTags(tags));
    d.time.push(time);
    d.line.push(line);
    if (problems && problems.length > 0) d.p[i] = [...problems];
  }

  /** Appends a freshly parsed file. */
  pushParsed(name: string, m: number, s: number, question: Question | undefined, problems: readonly Problem[]): void {
    this.#push(
      name,
      m,
      s,
      question?.id ?? '',
      question?.title ?? '',
      DIFFICULTIES.indexOf(question?.difficulty ?? 'mid'),
      QUESTION_TYPES.indexOf(question?.type ?? 'open'),
      question?.tags ?? [],
      question?.time ?? 0,
      question?.idLine ?? 1,
      problems,
    );
  }

  /** Appends position `j` of another folder entry. */
  pushFrom(from: Folder, j: number): void {
    const d = from.data;
    this.#push(
      from.names()[j] as string,
      d.m[j] as number,
      d.s[j] as number,
      from.#ids[j] as string,
      from.#titleList()[j] as string,
      d.diff[j] as number,
      d.type[j] as number,
      d.tagSets[d.tags[j] as number] as string[],
      d.time[j] as number,
      d.line[j] as number,
      d.p[j],
    );
  }

  hasQuestion(j: number): boolean {
    return this.#ids[j] !== '';
  }

  /** The id of the question at `j`, undefined for a file that has none. */
  idAt(j: number): string | undefined {
    return this.#ids[j] || undefined;
  }

  lineAt(j: number): number {
    return this.data.line[j] as number;
  }

  problems(j: number): Problem[] | undefined {
    return this.data.p[j];
  }

  /** The question at `j` without its body, or undefined for a file that has none. */
  question(j: number, folder: string, file: string): Question | undefined {
    const id = this.#ids[j];
    if (!id) return undefined;
    const d = this.data;
    // One object literal shape for every question: index-only loads hand these out as they are.
    const question: Question = {
      id,
      topic: folder,
      title: this.#titleList()[j] as string,
      difficulty: DIFFICULTIES[d.diff[j] as number] as Question['difficulty'],
      // Questions with the same tags share one array; nothing mutates a question.
      tags: d.tagSets[d.tags[j] as number] as string[],
      type: QUESTION_TYPES[d.type[j] as number] as Question['type'],
      keypoints: NO_BODY.keypoints,
      choices: NO_BODY.choices,
      prompt: '',
      answer: '',
      followUps: NO_BODY.followUps,
      file,
      idLine: d.line[j] as number,
    };
    const time = d.time[j];
    if (time) question.time = time;
    return question;
  }

  /** The entry as stored. */
  pack(): DirIndex {
    return { ...this.data, n: this.names().join(SEP), id: this.#ids.join(SEP), title: this.#titleList().join(SEP) };
  }
}

interface TopicEntry {
  m: number;
  s: number;
  info: TopicInfo;
  p: Problem[];
}

interface IndexFile {
  v: number;
  dirs: Record<string, Folder>;
  topics: Record<string, TopicEntry>;
}

interface StoredIndexFile {
  v: number;
  dirs: Record<string, DirIndex>;
  topics: Record<string, TopicEntry>;
}

function readIndex(path: string): IndexFile | undefined {
  const stored = readJson<StoredIndexFile>(path);
  if (!stored || typeof stored.dirs !== 'object' || typeof stored.topics !== 'object') return undefined;
  const dirs: Record<string, Folder> = {};
  try {
    for (const [dir, entry] of Object.entries(stored.dirs)) {
      const folder = Folder.from(entry);
      if (folder) dirs[dir] = folder;
    }
  } catch {
    return undefined;
  }
  return { v: stored.v, dirs, topics: stored.topics };
}

function writeIndex(path: string, index: IndexFile): void {
  const dirs: Record<string, DirIndex> = {};
  for (const [dir, folder] of Object.entries(index.dirs)) dirs[dir] = folder.pack();
  writeJson(path, { v: index.v, dirs, topics: index.topics } satisfies StoredIndexFile);
}

type BodiesFile = { v: number; bodies: Record<string, { m: number; s: number; b: Body }> };

export interface CacheOptions {
  /** Also return prompts, answers and key points (drill, show, export). */
  bodies: boolean;
  /**
   * Called once, before parsing, when some files are not in the cache: how many. May return a
   * function called when parsing is done (the CLI shows a spinner for a big cold bank).
   */
  onParse?: (files: number) => (() => void) | undefined;
}

// Cache files are written as pure ASCII (anything else as a JSON \u escape) and read as latin1:
// V8 then copies the bytes into a string without decoding UTF-8, a few ms on a 10,000-question
// index. A file that is not ASCII cannot be one of ours (CACHE_VERSION), so nothing is misread.
function readJson<T extends { v: number }>(path: string): T | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'latin1')) as T;
    return data && data.v === CACHE_VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(path: string, data: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  const ascii = JSON.stringify(data).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(temp, ascii, { mode: 0o600 });
  renameSync(temp, path);
}

// Shared by every body-less question (10,000 of them on a big bank); nothing mutates questions.
const NO_BODY: Readonly<Body> = Object.freeze({ prompt: '', answer: '', keypoints: [], choices: [], followUps: [] });

const NO_PROBLEMS: Problem[] = [];

const sameFile = (entry: { m: number; s: number } | undefined, m: number, s: number) => entry !== undefined && entry.m === m && entry.s === s;

function bodyOf(question: Question): Body {
  const { prompt, answer, keypoints, choices, followUps } = question;
  return { prompt, answer, keypoints, choices, followUps };
}

export async function loadBankCached(roots: readonly string[], home: string, options: CacheOptions = { bodies: true }): Promise<LoadResult> {
  const dir = join(home, 'cache');
  const key = createHash('sha1').update(roots.join('\0')).digest('hex').slice(0, 16);
  const indexPath = join(dir, `bank-${key}.json`);
  const bodiesPath = join(dir, `bank-${key}.bodies.json`);
  const index: IndexFile = readIndex(indexPath) ?? { v: CACHE_VERSION, dirs: {}, topics: {} };
  const stored = options.bodies ? readJson<BodiesFile>(bodiesPath) : undefined;
  const bodies: BodiesFile = stored ?? { v: CACHE_VERSION, bodies: {} };

  const next: IndexFile = { v: CACHE_VERSION, dirs: {}, topics: {} };
  const nextBodies: BodiesFile = { v: CACHE_VERSION, bodies: {} };
  let changed = false;
  let bodiesChanged = false;

  // Remembered listings let unchanged folders skip readdir() (every file is still stat()ed).
  const hints = new Map<string, ListingHint | undefined>();
  const hintFor = (dir: string) => {
    const hint = index.dirs[dir]?.hint();
    hints.set(dir, hint);
    return hint;
  };
  const sources: TopicSource[] = (await Promise.all(roots.map((root) => topicSources(root, hintFor)))).flat();

  // First pass: where each file sits in the cached folder entry, -1 when it must be parsed.
  let toParse = 0;
  const hits = sources.map((source) => {
    const old = index.dirs[source.dir];
    const at = new Int32Array(source.names.length).fill(-1);
    if (!old) {
      toParse += at.length;
      return at;
    }
    // Usually the listing is unchanged and positions line up; else names are looked up.
    const stored = old.data;
    const byName = old.size === at.length && stored.n === source.names.join(SEP) ? undefined : new Map(old.names().map((n, k) => [n, k]));
    for (let i = 0; i < at.length; i++) {
      const j = byName ? (byName.get(source.names[i] as string) ?? -1) : i;
      const m = source.mtimes[i] as number;
      const s = source.sizes[i] as number;
      const hit =
        j >= 0 &&
        stored.m[j] === m &&
        stored.s[j] === s &&
        (!options.bodies || !old.hasQuestion(j) || sameFile(bodies.bodies[source.files[i] as string], m, s));
      if (hit) at[i] = j;
      else toParse += 1;
    }
    return at;
  });
  const done = toParse > 0 ? options.onParse?.(toParse) : undefined;

  const topics: AssemblyTopic[] = await Promise.all(
    sources.map(async (source, k) => {
      const topicPath = source.topicFile ?? join(source.dir, '_topic.md');
      const topicStat = source.topicFile ? statOf(source.topicFile) : { m: 0, s: -1 };
      let topic = index.topics[topicPath];
      if (!topic || !topicStat || !sameFile(topic, topicStat.m, topicStat.s)) {
        const parsed = await readTopicInfo(source);
        topic = { m: topicStat?.m ?? 0, s: topicStat?.s ?? -1, info: parsed.info, p: parsed.problems };
        changed = true;
      }
      next.topics[topicPath] = topic;

      const old = index.dirs[source.dir];
      const at = hits[k] as Int32Array;
      // The cached entry is reused as it is when every file is a hit at its own position.
      const same = old !== undefined && old.size === at.length && at.every((j, i) => j === i);
      const entry = same ? old : Folder.empty();
      if (!same) changed = true;

      // Hits stay in the cached columns (no object per file: 10,000 of them must stay cheap);
      // only misses are read and parsed.
      const parsed: (ParsedFile | undefined)[] = new Array<ParsedFile | undefined>(at.length);
      const misses: Promise<void>[] = [];
      for (let i = 0; i < at.length; i++) {
        const path = source.files[i] as string;
        const j = at[i] as number;
        if (j >= 0) {
          if (options.bodies && (old as Folder).hasQuestion(j)) nextBodies.bodies[path] = bodies.bodies[path] as BodiesFile['bodies'][string];
          continue;
        }
        const m = source.mtimes[i] as number;
        const s = source.sizes[i] as number;
        misses.push(
          readQuestionFile(path, source.folder).then((fresh) => {
            const question = fresh.result.question;
            if (question) nextBodies.bodies[path] = { m, s, b: bodyOf(question) };
            parsed[i] = fresh;
          }),
        );
      }
      if (misses.length > 0) {
        await Promise.all(misses);
        bodiesChanged = true;
      }
      if (!same) {
        // Rebuilt in name order, from the cache for hits and from the parse for the rest.
        for (let i = 0; i < at.length; i++) {
          const j = at[i] as number;
          if (j >= 0) entry.pushFrom(old as Folder, j);
          else {
            const result = (parsed[i] as ParsedFile).result;
            entry.pushParsed(source.names[i] as string, source.mtimes[i] as number, source.sizes[i] as number, result.question, result.problems);
          }
        }
      }
      // A fresh listing is worth a write once it can be trusted next time (see ListingHint).
      const listing = source.listing;
      if (listing !== hints.get(source.dir) && (!same || listing.listedAt - listing.dirMtime > RACY_LISTING_MS)) {
        entry.setListing(listing, source.names);
        changed = true;
      }
      next.dirs[source.dir] = entry;
      const from = old as Folder;
      const j = (i: number) => at[i] as number;
      const view: AssemblyTopic = {
        folder: source.folder,
        info: topic.info,
        problems: topic.p,
        count: at.length,
        path: (i) => source.files[i] as string,
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
          const path = source.files[i] as string;
          const question = from.question(j(i), source.folder, path) as Question;
          const body = options.bodies ? bodies.bodies[path] : undefined;
          return body ? { ...question, ...body.b } : question;
        },
      };
      return view;
    }),
  );
  done?.();

  // Deleted folders drop out because `next` only holds what exists now.
  if (Object.keys(index.dirs).length !== Object.keys(next.dirs).length) changed = true;
  if (Object.keys(index.topics).length !== Object.keys(next.topics).length) changed = true;
  try {
    if (changed || bodiesChanged) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (changed) writeIndex(indexPath, next);
      // Keep bodies we did not read this time (an index-only run) so they are not lost.
      if (bodiesChanged) writeJson(bodiesPath, options.bodies ? nextBodies : mergeBodies(readJson<BodiesFile>(bodiesPath), nextBodies, sources));
    }
  } catch {
    // A read-only or full home only costs speed.
  }
  return assemble(topics);
}

function statOf(path: string): { m: number; s: number } | undefined {
  try {
    const st = statSync(path);
    return { m: st.mtimeMs, s: st.size };
  } catch {
    return undefined;
  }
}

function mergeBodies(old: BodiesFile | undefined, fresh: BodiesFile, sources: readonly TopicSource[]): BodiesFile {
  const merged: BodiesFile = { v: CACHE_VERSION, bodies: {} };
  for (const source of sources) {
    for (const path of source.files) {
      const body = fresh.bodies[path] ?? old?.bodies[path];
      if (body) merged.bodies[path] = body;
    }
  }
  return merged;
}

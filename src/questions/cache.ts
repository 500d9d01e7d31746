/**
 * A parse cache for big banks: one entry per file, keyed by its folder, name, mtime and size, so
 * an edited, added or deleted file is re-read on the next run and nothing stale is ever served.
 * Files are still listed and stat()ed every time (by the listing in load.ts); only the
 * YAML/Markdown parsing is saved.
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
  topicSources,
  type LoadResult,
  type ParsedFile,
  type ParsedTopic,
  type TopicSource,
} from './load.js';
import type { Problem } from './parse.js';

const CACHE_VERSION = 3;

type Body = Pick<Question, 'prompt' | 'answer' | 'keypoints' | 'choices' | 'followUps'>;

/**
 * The index keeps one entry per topic folder, in columns: a position per question file, in
 * name order. In memory the columns are arrays; on disk the string columns are joined into one
 * string each and tag lists are shared, so JSON.parse builds a few hundred objects instead of
 * tens of thousands (on this kind of load, parsing and the garbage collector cost more than the
 * reading). A file with no question (a broken one) has id 0; problems are kept by position.
 */
interface DirIndex {
  /** File names, sorted, joined by NUL (which no file name can hold): compared whole. */
  names: string;
  /** The same names as an array, split when first needed. */
  n?: string[];
  /** mtimeMs and size of each file. */
  m: number[];
  s: number[];
  id: (string | 0)[];
  title: string[];
  diff: Question['difficulty'][];
  tags: string[][];
  type: Question['type'][];
  /** `time`, 0 when the file has none. */
  time: number[];
  line: number[];
  /** Problems of the file at a position, for the positions that have some. */
  p: Record<number, Problem[]>;
}

/** A DirIndex as stored. */
interface PackedDir {
  n: string;
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
  time: number[];
  line: number[];
  p: Record<number, Problem[]>;
}

const SEP = '\0';

function packDir(dir: DirIndex): PackedDir {
  const sets = new Map<string, number>();
  const tagSets: string[][] = [];
  const tags = dir.tags.map((list) => {
    const key = JSON.stringify(list);
    let i = sets.get(key);
    if (i === undefined) {
      i = tagSets.push(list) - 1;
      sets.set(key, i);
    }
    return i;
  });
  return {
    n: dir.names,
    m: dir.m,
    s: dir.s,
    id: dir.id.map((id) => id || '').join(SEP),
    title: dir.title.join(SEP),
    diff: dir.diff.map((d) => DIFFICULTIES.indexOf(d)),
    type: dir.type.map((t) => QUESTION_TYPES.indexOf(t)),
    tags,
    tagSets,
    time: dir.time,
    line: dir.line,
    p: dir.p,
  };
}

/** Undefined when the entry does not hold together (then its folder is parsed again). */
function unpackDir(packed: PackedDir): DirIndex | undefined {
  const count = packed.m.length;
  const id = count === 0 ? [] : packed.id.split(SEP);
  const title = count === 0 ? [] : packed.title.split(SEP);
  const columns = [packed.s, id, title, packed.diff, packed.type, packed.tags, packed.time, packed.line];
  if (typeof packed.n !== 'string' || columns.some((c) => !Array.isArray(c) || c.length !== count)) return undefined;
  const diff = packed.diff.map((d) => DIFFICULTIES[d]);
  const type = packed.type.map((t) => QUESTION_TYPES[t]);
  // Questions with the same tags share one array; nothing mutates a question.
  const tags = packed.tags.map((t) => packed.tagSets[t]);
  if (diff.includes(undefined) || type.includes(undefined) || tags.includes(undefined)) return undefined;
  return {
    names: packed.n,
    m: packed.m,
    s: packed.s,
    id: id.map((x) => x || 0),
    title,
    diff: diff as Question['difficulty'][],
    type: type as Question['type'][],
    tags: tags as string[][],
    time: packed.time,
    line: packed.line,
    p: packed.p ?? {},
  };
}

const namesOf = (dir: DirIndex): string[] => (dir.n ??= dir.m.length === 0 ? [] : dir.names.split(SEP));

interface TopicEntry {
  m: number;
  s: number;
  info: TopicInfo;
  p: Problem[];
}

interface IndexFile {
  v: number;
  dirs: Record<string, DirIndex>;
  topics: Record<string, TopicEntry>;
}

interface PackedIndexFile {
  v: number;
  dirs: Record<string, PackedDir>;
  topics: Record<string, TopicEntry>;
}

const emptyDir = (): DirIndex => ({ names: '', n: [], m: [], s: [], id: [], title: [], diff: [], tags: [], type: [], time: [], line: [], p: {} });

function pushFile(to: DirIndex, name: string, m: number, s: number, question: Question | undefined, problems: readonly Problem[]): void {
  const i = namesOf(to).length;
  namesOf(to).push(name);
  to.m.push(m);
  to.s.push(s);
  to.id.push(question ? question.id : 0);
  to.title.push(question?.title ?? '');
  to.diff.push(question?.difficulty ?? 'mid');
  to.tags.push(question?.tags ?? []);
  to.type.push(question?.type ?? 'open');
  to.time.push(question?.time ?? 0);
  to.line.push(question?.idLine ?? 1);
  if (problems.length > 0) to.p[i] = [...problems];
}

function copyFile(to: DirIndex, from: DirIndex, j: number): void {
  const i = namesOf(to).length;
  namesOf(to).push(namesOf(from)[j] as string);
  to.m.push(from.m[j] as number);
  to.s.push(from.s[j] as number);
  to.id.push(from.id[j] as string | 0);
  to.title.push(from.title[j] as string);
  to.diff.push(from.diff[j] as Question['difficulty']);
  to.tags.push(from.tags[j] as string[]);
  to.type.push(from.type[j] as Question['type']);
  to.time.push(from.time[j] as number);
  to.line.push(from.line[j] as number);
  const problems = from.p[j];
  if (problems) to.p[i] = problems;
}

function questionAt(index: DirIndex, j: number, folder: string, file: string): Question | undefined {
  const id = index.id[j];
  if (!id) return undefined;
  // One object literal shape for every question: index-only loads hand these out as they are.
  const question: Question = {
    id,
    topic: folder,
    title: index.title[j] as string,
    difficulty: index.diff[j] as Question['difficulty'],
    tags: index.tags[j] as string[],
    type: index.type[j] as Question['type'],
    keypoints: NO_BODY.keypoints,
    choices: NO_BODY.choices,
    prompt: '',
    answer: '',
    followUps: NO_BODY.followUps,
    file,
    idLine: index.line[j] as number,
  };
  const time = index.time[j];
  if (time) question.time = time;
  return question;
}

function readIndex(path: string): IndexFile | undefined {
  const packed = readJson<PackedIndexFile>(path);
  if (!packed || typeof packed.dirs !== 'object' || typeof packed.topics !== 'object') return undefined;
  const dirs: Record<string, DirIndex> = {};
  try {
    for (const [dir, entry] of Object.entries(packed.dirs)) {
      const unpacked = unpackDir(entry);
      if (unpacked) dirs[dir] = unpacked;
    }
  } catch {
    return undefined;
  }
  return { v: packed.v, dirs, topics: packed.topics };
}

function writeIndex(path: string, index: IndexFile): void {
  const dirs: Record<string, PackedDir> = {};
  for (const [dir, entry] of Object.entries(index.dirs)) {
    entry.names = namesOf(entry).join(SEP);
    dirs[dir] = packDir(entry);
  }
  writeJson(path, { v: index.v, dirs, topics: index.topics } satisfies PackedIndexFile);
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

function readJson<T extends { v: number }>(path: string): T | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as T;
    return data && data.v === CACHE_VERSION ? data : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(path: string, data: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(data), { mode: 0o600 });
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

  const sources: TopicSource[] = (await Promise.all(roots.map(topicSources))).flat();

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
    const byName = old.m.length === at.length && old.names === source.names.join(SEP) ? undefined : new Map(namesOf(old).map((n, k) => [n, k]));
    for (let i = 0; i < at.length; i++) {
      const j = byName ? (byName.get(source.names[i] as string) ?? -1) : i;
      const m = source.mtimes[i] as number;
      const s = source.sizes[i] as number;
      const hit =
        j >= 0 &&
        old.m[j] === m &&
        old.s[j] === s &&
        (!options.bodies || !old.id[j] || sameFile(bodies.bodies[source.files[i] as string], m, s));
      if (hit) at[i] = j;
      else toParse += 1;
    }
    return at;
  });
  const done = toParse > 0 ? options.onParse?.(toParse) : undefined;

  const topics: ParsedTopic[] = await Promise.all(
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
      const same = old !== undefined && old.m.length === at.length && at.every((j, i) => j === i);
      const entry = same ? old : emptyDir();
      if (!same) changed = true;

      const files: ParsedFile[] = new Array<ParsedFile>(at.length);
      // Hits are plain synchronous work (10,000 of them must stay cheap); only misses are read.
      const misses: Promise<void>[] = [];
      for (let i = 0; i < at.length; i++) {
        const path = source.files[i] as string;
        const j = at[i] as number;
        if (j < 0) {
          const m = source.mtimes[i] as number;
          const s = source.sizes[i] as number;
          misses.push(
            readQuestionFile(path, source.folder).then((fresh) => {
              const question = fresh.result.question;
              if (question) nextBodies.bodies[path] = { m, s, b: bodyOf(question) };
              files[i] = fresh;
            }),
          );
          continue;
        }
        const from = old as DirIndex;
        let question = questionAt(from, j, source.folder, path);
        if (question && options.bodies) {
          const body = bodies.bodies[path] as BodiesFile['bodies'][string];
          nextBodies.bodies[path] = body;
          question = { ...question, ...body.b };
        }
        const problems = from.p[j] ?? NO_PROBLEMS;
        files[i] = { path, result: question ? { problems, question } : { problems } };
      }
      if (misses.length > 0) {
        await Promise.all(misses);
        bodiesChanged = true;
      }
      if (!same) {
        // Rebuilt in name order, from the cache for hits and from the parse for the rest.
        for (let i = 0; i < at.length; i++) {
          const j = at[i] as number;
          if (j >= 0) copyFile(entry, old as DirIndex, j);
          else {
            const result = (files[i] as ParsedFile).result;
            pushFile(entry, source.names[i] as string, source.mtimes[i] as number, source.sizes[i] as number, result.question, result.problems);
          }
        }
      }
      next.dirs[source.dir] = entry;
      return { folder: source.folder, info: topic.info, problems: topic.p, files };
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

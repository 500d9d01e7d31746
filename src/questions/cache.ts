/**
 * A parse cache for big banks: one entry per file, keyed by its path, mtime and size, so an
 * edited, added or deleted file is re-read on the next run and nothing stale is ever served.
 * Files are still listed and stat()ed every time; only the YAML/Markdown parsing is saved.
 *
 * Two files under `<home>/cache/`: an index (what `list`, `stats` and the picker need) and the
 * question bodies (prompt, answer, key points), read only by commands that show questions.
 * The cache is best effort: any problem reading or writing it falls back to parsing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Question, TopicInfo } from '../types.js';
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

const CACHE_VERSION = 2;

type Body = Pick<Question, 'prompt' | 'answer' | 'keypoints' | 'choices' | 'followUps'>;
type Meta = Omit<Question, keyof Body>;

interface FileEntry {
  /** mtimeMs */
  m: number;
  /** size */
  s: number;
  /** The question without its body (empty prompt, answer, key points...). */
  q?: Question;
  p: Problem[];
}

/**
 * On disk an entry is a tuple, and the question's topic and file come from its path: a 10,000
 * question index is then about 1.5 MB instead of 3.5 MB, and parsing it is that much faster.
 */
type PackedMeta = [id: string, title: string, difficulty: Meta['difficulty'], tags: string[], type: Meta['type'], time: number, idLine: number];
type PackedEntry = [m: number, s: number, meta: PackedMeta | 0, problems?: Problem[]];

function pack(entry: FileEntry): PackedEntry {
  const q = entry.q;
  const meta: PackedMeta | 0 = q ? [q.id, q.title, q.difficulty, q.tags, q.type, q.time ?? 0, q.idLine ?? 1] : 0;
  return entry.p.length > 0 ? [entry.m, entry.s, meta, entry.p] : [entry.m, entry.s, meta];
}

function unpack(path: string, packed: PackedEntry): FileEntry {
  const [m, s, meta, problems] = packed;
  const entry: FileEntry = { m, s, p: problems ?? [] };
  if (meta) {
    const [id, title, difficulty, tags, type, time, idLine] = meta;
    // Built whole once: index-only loads hand it out as it is, with no copy per question.
    entry.q = { id, title, difficulty, tags, type, idLine, topic: basename(dirname(path)), file: path, ...NO_BODY };
    if (time) entry.q.time = time;
  }
  return entry;
}

interface TopicEntry {
  m: number;
  s: number;
  info: TopicInfo;
  p: Problem[];
}

interface IndexFile {
  v: number;
  files: Record<string, FileEntry>;
  topics: Record<string, TopicEntry>;
}

interface PackedIndexFile {
  v: number;
  files: Record<string, PackedEntry>;
  topics: Record<string, TopicEntry>;
}

function readIndex(path: string): IndexFile | undefined {
  const packed = readJson<PackedIndexFile>(path);
  if (!packed) return undefined;
  try {
    const files: Record<string, FileEntry> = {};
    for (const [file, entry] of Object.entries(packed.files)) files[file] = unpack(file, entry);
    return { v: packed.v, files, topics: packed.topics };
  } catch {
    return undefined;
  }
}

function writeIndex(path: string, index: IndexFile): void {
  const files: Record<string, PackedEntry> = {};
  for (const [file, entry] of Object.entries(index.files)) files[file] = pack(entry);
  writeJson(path, { v: index.v, files, topics: index.topics } satisfies PackedIndexFile);
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

function statOf(path: string): { m: number; s: number } | undefined {
  try {
    const st = statSync(path);
    return { m: st.mtimeMs, s: st.size };
  } catch {
    return undefined;
  }
}

const fresh = (entry: { m: number; s: number } | undefined, st: { m: number; s: number } | undefined) =>
  entry !== undefined && st !== undefined && entry.m === st.m && entry.s === st.s;

function split(question: Question): { meta: Meta; body: Body } {
  const { prompt, answer, keypoints, choices, followUps, ...meta } = question;
  return { meta, body: { prompt, answer, keypoints, choices, followUps } };
}

// Shared by every body-less question (10,000 of them on a big bank); nothing mutates questions.
const NO_BODY: Readonly<Body> = Object.freeze({ prompt: '', answer: '', keypoints: [], choices: [], followUps: [] });

export async function loadBankCached(roots: readonly string[], home: string, options: CacheOptions = { bodies: true }): Promise<LoadResult> {
  const dir = join(home, 'cache');
  const key = createHash('sha1').update(roots.join('\0')).digest('hex').slice(0, 16);
  const indexPath = join(dir, `bank-${key}.json`);
  const bodiesPath = join(dir, `bank-${key}.bodies.json`);
  const index = readIndex(indexPath) ?? { v: CACHE_VERSION, files: {}, topics: {} };
  const stored = options.bodies ? readJson<BodiesFile>(bodiesPath) : undefined;
  const bodies: BodiesFile = stored ?? { v: CACHE_VERSION, bodies: {} };

  const next: IndexFile = { v: CACHE_VERSION, files: {}, topics: {} };
  const nextBodies: BodiesFile = { v: CACHE_VERSION, bodies: {} };
  let changed = false;
  let bodiesChanged = false;

  const sources: TopicSource[] = (await Promise.all(roots.map(topicSources))).flat();
  const stats = new Map<string, { m: number; s: number } | undefined>();
  let toParse = 0;
  for (const source of sources) {
    for (const path of source.files) {
      const st = statOf(path);
      stats.set(path, st);
      const entry = index.files[path];
      if (!fresh(entry, st) || (options.bodies && entry?.q && !fresh(bodies.bodies[path], st))) toParse += 1;
    }
  }
  const done = toParse > 0 ? options.onParse?.(toParse) : undefined;

  const topics: ParsedTopic[] = await Promise.all(
    sources.map(async (source) => {
      const topicPath = source.topicFile ?? join(source.dir, '_topic.md');
      const topicStat = source.topicFile ? statOf(source.topicFile) : { m: 0, s: -1 };
      let topic = index.topics[topicPath];
      if (!fresh(topic, topicStat)) {
        const parsed = await readTopicInfo(source);
        topic = { m: topicStat?.m ?? 0, s: topicStat?.s ?? -1, info: parsed.info, p: parsed.problems };
        changed = true;
      }
      next.topics[topicPath] = topic as TopicEntry;

      // Hits are plain synchronous work (10,000 of them must stay cheap); only misses await.
      const files: ParsedFile[] = new Array<ParsedFile>(source.files.length);
      const misses: Promise<void>[] = [];
      source.files.forEach((path, i) => {
        const st = stats.get(path);
        const entry = index.files[path];
        const body = bodies.bodies[path];
        if (entry && fresh(entry, st) && (!options.bodies || !entry.q || fresh(body, st))) {
          next.files[path] = entry;
          let question: Question | undefined;
          if (entry.q && options.bodies && body) {
            nextBodies.bodies[path] = body;
            question = { ...entry.q, ...body.b };
          } else {
            question = entry.q;
          }
          files[i] = { path, result: question ? { problems: entry.p, question } : { problems: entry.p } };
          return;
        }
        misses.push(
          readQuestionFile(path, source.folder).then((parsed) => {
            const m = st?.m ?? 0;
            const s = st?.s ?? -1;
            if (parsed.result.question) {
              const { meta, body: b } = split(parsed.result.question);
              next.files[path] = { m, s, q: { ...meta, ...NO_BODY }, p: parsed.result.problems };
              nextBodies.bodies[path] = { m, s, b };
            } else {
              next.files[path] = { m, s, p: parsed.result.problems };
            }
            changed = true;
            bodiesChanged = true;
            files[i] = parsed;
          }),
        );
      });
      await Promise.all(misses);
      return { folder: source.folder, info: (topic as TopicEntry).info, problems: (topic as TopicEntry).p, files };
    }),
  );
  done?.();

  // Deleted files drop out because `next` only holds what exists now.
  if (Object.keys(index.files).length !== Object.keys(next.files).length) changed = true;
  try {
    if (changed || bodiesChanged) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (changed) writeIndex(indexPath, next);
      // Keep bodies we did not read this time (an index-only run) so they are not lost.
      if (bodiesChanged) writeJson(bodiesPath, options.bodies ? nextBodies : mergeBodies(readJson<BodiesFile>(bodiesPath), nextBodies, next));
    }
  } catch {
    // A read-only or full home only costs speed.
  }
  return assemble(topics);
}

function mergeBodies(old: BodiesFile | undefined, fresh: BodiesFile, index: IndexFile): BodiesFile {
  const merged: BodiesFile = { v: CACHE_VERSION, bodies: {} };
  for (const path of Object.keys(index.files)) {
    const body = fresh.bodies[path] ?? old?.bodies[path];
    if (body) merged.bodies[path] = body;
  }
  return merged;
}

/**
 * Loads a bank from one or more roots (`questions/<topic>/*.md`). One bad file never stops the
 * others: it becomes a Problem and is skipped.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { changeTime, ctimeReliable } from '../file-stamp.js';
import { cyrb53 } from '../hash.js';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Bank, Question, QuestionRefs, TopicInfo } from '../types.js';
import { loadFrontmatterParser, parseQuestion, parseTopicInfo, type ParseResult, type Problem } from './parse.js';
import { shippedQuestion, shippedTopic } from './shipped.js';

export type { Problem } from './parse.js';

export interface LoadResult {
  bank: Bank;
  problems: Problem[];
}

/** Paths in messages: relative to the working directory when under it, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}

const isQuestionFile = (name: string) =>
  name.toLowerCase().endsWith('.md') && !name.startsWith('_') && !name.startsWith('.') && name.toLowerCase() !== 'readme.md';

interface Entry {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

// Synchronous on purpose: a bank is a few dozen folders, and the promise version costs more in
// scheduling than the system calls themselves. Symbolic links count as what they point to.
function listDir(dir: string): Entry[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => {
      if (!e.isSymbolicLink()) return e;
      const target = statSync(join(dir, e.name), { throwIfNoEntry: false });
      return { name: e.name, isFile: () => target?.isFile() === true, isDirectory: () => target?.isDirectory() === true };
    });
  } catch {
    return [];
  }
}

export interface TopicSource {
  folder: string;
  dir: string;
  /** `<dir>/_topic.md` when it exists. */
  topicFile?: string;
  /**
   * Question files: names, sorted, and their mtimes and sizes (same order). Paths are built when
   * needed (`sourcePath`): on a 10,000-file bank, keeping them costs more than making them.
   */
  names: string[];
  mtimes: Float64Array;
  sizes: Float64Array;
  /** 1 for a file whose stamp cannot be trusted (no real ctime: file-stamp.ts); absent when none. */
  unstamped?: Uint8Array;
}

const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * One folder's question files. Every candidate is stat()ed once here (a symbolic link counts as
 * what it points to, a folder named `x.md` is not a file), and the parse cache reuses those
 * numbers: on a 10,000-file bank the stat calls are most of the cost of a warm load.
 */
function topicSource(dir: string): TopicSource {
  let all: string[];
  try {
    all = readdirSync(dir);
  } catch {
    all = []; // Unreadable: listed as empty.
  }
  all.sort();
  const candidates = all.filter(isQuestionFile);
  const names: string[] = [];
  // Off the JS heap: numbers kept here do not make the young generation grow.
  const mtimes = new Float64Array(candidates.length);
  const sizes = new Float64Array(candidates.length);
  const source: TopicSource = { folder: basename(dir), dir, names, mtimes, sizes };
  if (all.includes('_topic.md')) {
    const path = join(dir, '_topic.md');
    if (statSync(path, NO_THROW)?.isFile()) source.topicFile = path;
  }
  for (const name of candidates) {
    const path = `${dir}${sep}${name}`; // as sourcePath() builds it
    let st;
    try {
      st = statSync(path, NO_THROW);
    } catch {
      // EACCES on a parent, a loop of links...: not a file we can read.
    }
    if (!st?.isFile()) continue;
    // The file's change time (mtime or ctime, whichever is later: file-stamp.ts).
    mtimes[names.length] = changeTime(st);
    sizes[names.length] = st.size;
    if (!ctimeReliable(st)) (source.unstamped ??= new Uint8Array(candidates.length))[names.length] = 1;
    names.push(name);
  }
  source.mtimes = mtimes.subarray(0, names.length);
  source.sizes = sizes.subarray(0, names.length);
  return source;
}

/** The absolute path of a source's file `i`. */
export function sourcePath(source: TopicSource, i: number): string {
  // Plain concatenation: `dir` is already absolute and normalised, and path.join() per file is
  // measurable on a 10,000-file bank.
  return `${source.dir}${sep}${source.names[i] as string}`;
}

/**
 * Topic folders of a root (or the root itself when it is a topic folder), sorted by name.
 */
export async function topicSources(root: string): Promise<TopicSource[]> {
  const dir = resolve(root);
  const entries = listDir(dir);
  // A topic folder holds question files; a bank root holds topic folders.
  if (entries.some((e) => e.isFile() && (isQuestionFile(e.name) || e.name === '_topic.md'))) return [topicSource(dir)];
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'));
  const sources = folders.map((e) => topicSource(join(dir, e.name)));
  return sources.filter((s) => s.names.length > 0).sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The parse of one question file, its path absolute. */
export interface ParsedFile {
  path: string;
  result: ParseResult;
  /** The question came without its bodies (an index-only load from the shipped seed). */
  bodiless?: boolean;
  /** cyrb53 of the file's text (0 when it could not be read). */
  hash?: number;
}

export interface ParsedTopic {
  folder: string;
  info: TopicInfo;
  problems: Problem[];
  files: ParsedFile[];
}

/** Largest question file read: a real question is a few KB; a huge one is an accident or an attack. */
export const MAX_QUESTION_BYTES = 1024 * 1024;

/**
 * Reads and parses a question file; an unreadable or oversized one becomes a problem instead of
 * a crash. `bodies: false` (an index-only load) may give a built-in question without its
 * Markdown bodies, from the shipped seed; `bodiless` says so.
 */
export async function readQuestionFile(path: string, folder: string, bodies = true): Promise<ParsedFile> {
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (error) {
    const message = error instanceof NotReadable ? error.message : `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    return { path, result: { problems: [{ file: path, line: 1, message }] } };
  }
  const hex = cyrb53(text);
  const hash = Number.parseInt(hex, 16);
  const shipped = shippedQuestion(path, text, bodies, hex);
  if (shipped) return bodies ? { path, result: shipped, hash } : { path, result: shipped, bodiless: true, hash };
  await loadFrontmatterParser();
  return { path, result: parseQuestion(text, path, folder), hash };
}

class NotReadable extends Error {}

/**
 * A question file's text, read synchronously (one open, fstat and read per file: Node's promise
 * API costs about three times as much per small file). Opened non-blocking and checked on the
 * open descriptor, so a FIFO put in its place can neither hang the read nor slip in between.
 */
export function readRegularFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new NotReadable('not a regular file (a FIFO, device or socket): skipped');
    if (info.size > MAX_QUESTION_BYTES) throw new NotReadable(`the file is ${(info.size / 1024 / 1024).toFixed(1)} MB; a question file may be at most 1 MB`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export async function readTopicInfo(source: TopicSource): Promise<{ info: TopicInfo; problems: Problem[] }> {
  let text: string | undefined;
  try {
    text = source.topicFile ? readRegularFile(source.topicFile) : undefined;
  } catch {
    text = undefined; // An unreadable _topic.md means the defaults, as a missing one does.
  }
  const file = source.topicFile ?? join(source.dir, '_topic.md');
  const shipped = text === undefined ? undefined : shippedTopic(file, text);
  if (shipped) return shipped;
  await loadFrontmatterParser();
  return parseTopicInfo(text, source.folder, file);
}

/**
 * A topic's files as `assemble` reads them, one position at a time: parsed files (load.ts), or
 * the parse cache's columns (cache.ts), which then need no object per file.
 */
export interface AssemblyTopic {
  folder: string;
  info: TopicInfo;
  problems: Problem[];
  count: number;
  path(i: number): string;
  problemsAt(i: number): readonly Problem[];
  /** The question's id, undefined when the file has none. */
  idAt(i: number): string | undefined;
  idLineAt(i: number): number;
  question(i: number): Question;
  /**
   * Optional, for a topic read whole from the cache: every file's id ('' for a file with none),
   * so that assembling 10,000 files makes no call per file; and that no file has problems.
   */
  ids?: readonly string[];
  noFileProblems?: boolean;
}

function parsedTopic(topic: ParsedTopic): AssemblyTopic {
  const { files } = topic;
  const file = (i: number) => files[i] as ParsedFile;
  return {
    folder: topic.folder,
    info: topic.info,
    problems: topic.problems,
    count: files.length,
    path: (i) => file(i).path,
    problemsAt: (i) => file(i).result.problems,
    idAt: (i) => file(i).result.question?.id,
    idLineAt: (i) => file(i).result.question?.idLine ?? 1,
    question: (i) => file(i).result.question as Question,
  };
}

/**
 * Builds a bank from parsed files. Ids must be unique across the whole bank: the first file (in
 * root order, then topic and path order) keeps the id, later ones are problems. Questions are
 * built when first asked for (bank.refs gives ids and topics without them).
 */
export function assemble(input: readonly (ParsedTopic | AssemblyTopic)[]): LoadResult {
  const topics = input.map((t) => ('files' in t ? parsedTopic(t) : t));
  const problems: Problem[] = [];
  // Id → its position in `ids`: the check for duplicates, kept as the bank's index (refs.indexOf).
  const seen = new Map<string, number>();
  const infos = new Map<string, TopicInfo>();
  const ids: string[] = [];
  const topicOf: string[] = [];
  // Where each kept question comes from: its topic and its position there.
  const files = topics.reduce((sum, topic) => sum + topic.count, 0);
  const from = new Int32Array(files);
  const at = new Int32Array(files);
  topics.forEach((topic, t) => {
    if (!infos.has(topic.folder)) {
      problems.push(...topic.problems);
      infos.set(topic.folder, topic.info);
    }
    const known = topic.ids;
    for (let i = 0; i < topic.count; i++) {
      if (!topic.noFileProblems) {
        const fileProblems = topic.problemsAt(i);
        if (fileProblems.length > 0) problems.push(...fileProblems);
      }
      const id = known ? known[i] || undefined : topic.idAt(i);
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first !== undefined) {
        const firstTopic = topics[from[first] as number] as AssemblyTopic;
        const firstPath = firstTopic.path(at[first] as number);
        const firstLine = firstTopic.idLineAt(at[first] as number);
        problems.push({ file: topic.path(i), line: topic.idLineAt(i), message: `duplicate id "${id}" (already used by ${displayPath(firstPath)}:${firstLine}); this question is skipped` });
        continue;
      }
      from[ids.length] = t;
      at[ids.length] = i;
      seen.set(id, ids.length);
      ids.push(id);
      topicOf.push(topic.folder);
    }
  });
  const used = new Set(topicOf);
  const topicList = [...infos.values()]
    .filter((t) => used.has(t.name))
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  let questions: Question[] | undefined;
  const make = (k: number) => (topics[from[k] as number] as AssemblyTopic).question(at[k] as number);
  const bank = { topics: topicList } as Bank;
  // `questions` is an own, enumerable property (spreads, JSON and deep equality see it), built
  // on first use; `refs` is not enumerable, like a method.
  Object.defineProperty(bank, 'questions', { enumerable: true, get: () => (questions ??= ids.map((_, k) => make(k))) });
  const refs: QuestionRefs = { ids, topics: topicOf, question: (k) => (questions ? (questions[k] as Question) : make(k)), indexOf: (id) => seen.get(id) ?? -1 };
  Object.defineProperty(bank, 'refs', { enumerable: false, value: refs });
  return {
    bank,
    problems: problems.map((p) => ({ ...p, file: displayPath(p.file) })),
  };
}

async function parseSource(source: TopicSource): Promise<ParsedTopic> {
  const [topic, files] = await Promise.all([
    readTopicInfo(source),
    Promise.all(source.names.map((_, i) => readQuestionFile(sourcePath(source, i), source.folder))),
  ]);
  return { folder: source.folder, info: topic.info, problems: topic.problems, files };
}

/** Reads and assembles every topic of the given roots (no cache). */
export async function loadBank(roots: readonly string[]): Promise<LoadResult> {
  const sources = (await Promise.all(roots.map((root) => topicSources(root)))).flat();
  return assemble(await Promise.all(sources.map(parseSource)));
}

/**
 * `validate [paths...]`: paths may be files, topic folders or bank roots. Files are checked in
 * the context of their folder (the folder name is their topic).
 */
export async function loadPaths(paths: readonly string[]): Promise<LoadResult & { missing: string[] }> {
  const missing: string[] = [];
  const topics: ParsedTopic[] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      missing.push(path);
    } else if (info.isFile()) {
      const folder = basename(dirname(full));
      topics.push({ folder, info: parseTopicInfo(undefined, folder).info, problems: [], files: [await readQuestionFile(full, folder)] });
    } else if (!info.isDirectory()) {
      const folder = basename(dirname(full));
      const problem = { file: full, line: 1, message: 'not a regular file or a folder (a FIFO, device or socket): skipped' };
      topics.push({ folder, info: parseTopicInfo(undefined, folder).info, problems: [problem], files: [] });
    } else {
      for (const source of await topicSources(full)) topics.push(await parseSource(source));
    }
  }
  return { ...assemble(topics), missing };
}

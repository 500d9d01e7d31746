/**
 * Loads a bank from one or more roots (`questions/<topic>/*.md`). One bad file never stops the
 * others: it becomes a Problem and is skipped.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Bank, Question, TopicInfo } from '../types.js';
import { loadFrontmatterParser, parseQuestion, parseTopicInfo, type ParseResult, type Problem } from './parse.js';

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
  files: string[];
}

function topicSource(dir: string): TopicSource {
  const entries = listDir(dir);
  const files = entries
    .filter((e) => e.isFile() && isQuestionFile(e.name))
    // Plain concatenation: `dir` is already absolute and normalised, and path.join() per file
    // is measurable on a 10,000-file bank.
    .map((e) => `${dir}${sep}${e.name}`)
    .sort();
  const hasTopic = entries.some((e) => e.isFile() && e.name === '_topic.md');
  return { folder: basename(dir), dir, files, ...(hasTopic ? { topicFile: join(dir, '_topic.md') } : {}) };
}

/** Topic folders of a root (or the root itself when it is a topic folder), sorted by name. */
export async function topicSources(root: string): Promise<TopicSource[]> {
  const dir = resolve(root);
  const entries = listDir(dir);
  // A topic folder holds question files; a bank root holds topic folders.
  if (entries.some((e) => e.isFile() && (isQuestionFile(e.name) || e.name === '_topic.md'))) return [topicSource(dir)];
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'));
  const sources = folders.map((e) => topicSource(join(dir, e.name)));
  return sources.filter((s) => s.files.length > 0).sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The parse of one question file, its path absolute. */
export interface ParsedFile {
  path: string;
  result: ParseResult;
}

export interface ParsedTopic {
  folder: string;
  info: TopicInfo;
  problems: Problem[];
  files: ParsedFile[];
}

/** Reads a file; an unreadable one becomes a problem instead of a crash. */
export async function readQuestionFile(path: string, folder: string): Promise<ParsedFile> {
  await loadFrontmatterParser();
  try {
    return { path, result: parseQuestion(await readFile(path, 'utf8'), path, folder) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { path, result: { problems: [{ file: path, line: 1, message: `cannot read the file (${reason})` }] } };
  }
}

export async function readTopicInfo(source: TopicSource): Promise<{ info: TopicInfo; problems: Problem[] }> {
  await loadFrontmatterParser();
  const text = source.topicFile ? await readFile(source.topicFile, 'utf8').catch(() => undefined) : undefined;
  return parseTopicInfo(text, source.folder, source.topicFile ?? join(source.dir, '_topic.md'));
}

/**
 * Builds a bank from parsed files. Ids must be unique across the whole bank: the first file (in
 * root order, then topic and path order) keeps the id, later ones are problems.
 */
export function assemble(topics: readonly ParsedTopic[]): LoadResult {
  const problems: Problem[] = [];
  const questions: Question[] = [];
  const seen = new Map<string, string>();
  const infos = new Map<string, TopicInfo>();
  for (const topic of topics) {
    if (!infos.has(topic.folder)) {
      problems.push(...topic.problems);
      infos.set(topic.folder, topic.info);
    }
    for (const file of topic.files) {
      problems.push(...file.result.problems);
      const question = file.result.question;
      if (!question) continue;
      const first = seen.get(question.id);
      if (first !== undefined) {
        problems.push({ file: file.path, line: question.idLine ?? 1, message: `duplicate id "${question.id}" (already used by ${displayPath(first)})` });
        continue;
      }
      seen.set(question.id, file.path);
      questions.push(question);
    }
  }
  const used = new Set(questions.map((q) => q.topic));
  const topicList = [...infos.values()]
    .filter((t) => used.has(t.name))
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  return {
    bank: { topics: topicList, questions },
    problems: problems.map((p) => ({ ...p, file: displayPath(p.file) })),
  };
}

async function parseSource(source: TopicSource): Promise<ParsedTopic> {
  const [topic, files] = await Promise.all([
    readTopicInfo(source),
    Promise.all(source.files.map((path) => readQuestionFile(path, source.folder))),
  ]);
  return { folder: source.folder, info: topic.info, problems: topic.problems, files };
}

/** Reads and assembles every topic of the given roots (no cache). */
export async function loadBank(roots: readonly string[]): Promise<LoadResult> {
  const sources = (await Promise.all(roots.map(topicSources))).flat();
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
    } else {
      for (const source of await topicSources(full)) topics.push(await parseSource(source));
    }
  }
  return { ...assemble(topics), missing };
}

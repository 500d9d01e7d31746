/**
 * Loads a bank from one or more roots (`questions/<topic>/*.md`). One bad file never stops the
 * others: it becomes a Problem and is skipped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Bank, Question, TopicInfo } from '../types.js';
import { parseQuestion, parseTopicInfo, type Problem } from './parse.js';

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

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A topic folder holds question files; a bank root holds topic folders. */
export async function isTopicFolder(dir: string): Promise<boolean> {
  const entries = await listDir(dir);
  if (entries.some((e) => e.isFile() && (isQuestionFile(e.name) || e.name === '_topic.md'))) return true;
  return false;
}

export interface TopicSource {
  folder: string;
  dir: string;
  files: string[];
}

/** Topic folders of a root, sorted by name; files sorted. */
export async function topicSources(root: string): Promise<TopicSource[]> {
  const dir = resolve(root);
  if (await isTopicFolder(dir)) return [await topicSource(dir)];
  const entries = await listDir(dir);
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'));
  const sources = await Promise.all(folders.map((e) => topicSource(join(dir, e.name))));
  return sources.filter((s) => s.files.length > 0).sort((a, b) => a.folder.localeCompare(b.folder));
}

async function topicSource(dir: string): Promise<TopicSource> {
  const entries = await listDir(dir);
  const files = entries
    .filter((e) => e.isFile() && isQuestionFile(e.name))
    .map((e) => join(dir, e.name))
    .sort();
  return { folder: basename(dir), dir, files };
}

export interface FileText {
  path: string;
  text: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Builds a bank from already-read sources. Ids must be unique across the whole bank: the first
 * file (in root order, then path order) keeps the id, later ones are problems.
 */
export function assemble(
  topics: { folder: string; topicFile?: FileText; files: FileText[] }[],
): LoadResult {
  const problems: Problem[] = [];
  const questions: Question[] = [];
  const seen = new Map<string, string>();
  const infos = new Map<string, TopicInfo>();
  for (const topic of topics) {
    if (!infos.has(topic.folder)) {
      const parsed = parseTopicInfo(topic.topicFile?.text, topic.folder, topic.topicFile ? displayPath(topic.topicFile.path) : '_topic.md');
      problems.push(...parsed.problems);
      infos.set(topic.folder, parsed.info);
    }
    for (const file of topic.files) {
      const shown = displayPath(file.path);
      const result = parseQuestion(file.text, shown, topic.folder);
      problems.push(...result.problems);
      const question = result.question;
      if (!question) continue;
      const first = seen.get(question.id);
      if (first !== undefined) {
        const line = lineOf(file.text, /^id\s*:/m);
        problems.push({ file: shown, line, message: `duplicate id "${question.id}" (already used by ${first})` });
        continue;
      }
      seen.set(question.id, shown);
      question.file = file.path;
      questions.push(question);
    }
  }
  const used = new Set(questions.map((q) => q.topic));
  const topicList = [...infos.values()]
    .filter((t) => used.has(t.name))
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  return { bank: { topics: topicList, questions }, problems };
}

function lineOf(text: string, pattern: RegExp): number {
  const index = text.search(pattern);
  return index === -1 ? 1 : text.slice(0, index).split('\n').length;
}

/** Reads and assembles every topic of the given roots. */
export async function loadBank(roots: readonly string[]): Promise<LoadResult> {
  const sources = (await Promise.all(roots.map(topicSources))).flat();
  const topics = await Promise.all(
    sources.map(async (source) => {
      const topicPath = join(source.dir, '_topic.md');
      const topicText = await readText(topicPath);
      const files = await Promise.all(source.files.map(async (path) => ({ path, text: (await readText(path)) ?? '' })));
      return {
        folder: source.folder,
        topicFile: topicText === undefined ? undefined : { path: topicPath, text: topicText },
        files,
      };
    }),
  );
  return assemble(topics);
}

/**
 * `validate [paths...]`: paths may be files, topic folders or bank roots. Files are checked in
 * the context of their folder (the folder name is their topic).
 */
export async function loadPaths(paths: readonly string[]): Promise<LoadResult & { missing: string[] }> {
  const missing: string[] = [];
  const groups: { folder: string; topicFile?: FileText; files: FileText[] }[] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => undefined);
    if (!info) {
      missing.push(path);
      continue;
    }
    if (info.isFile()) {
      const text = (await readText(full)) ?? '';
      groups.push({ folder: basename(dirname(full)), files: [{ path: full, text }] });
      continue;
    }
    for (const source of await topicSources(full)) {
      const topicPath = join(source.dir, '_topic.md');
      const topicText = await readText(topicPath);
      groups.push({
        folder: source.folder,
        topicFile: topicText === undefined ? undefined : { path: topicPath, text: topicText },
        files: await Promise.all(source.files.map(async (p) => ({ path: p, text: (await readText(p)) ?? '' }))),
      });
    }
  }
  return { ...assemble(groups), missing };
}

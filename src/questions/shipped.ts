/**
 * The built-in bank parsed at build time and shipped in the package, written by
 * scripts/build.mjs with this very parser: `dist/bank-seed.json` (each file's content hash and
 * its parse without the Markdown bodies) and `dist/bank-seed-bodies.json` (the bodies). On a run
 * with no cache yet, the first `npx django-drill` above all, a built-in file whose content
 * hashes to the shipped hash is taken from here instead of being parsed, and the YAML parser is
 * not even loaded; `list` reads the small file only.
 *
 * The key is the content (cyrb53 and length), never a file stamp: npm pack sets every mtime to
 * 1985, and a file edited in a clone without a rebuild hashes differently and is parsed as
 * usual. A seed of another build is ignored, like every cache (build-id.ts).
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ablated } from '../ablate.js';
import { BUILD_ID, IS_BUILT } from '../build-id.js';
import { cyrb53 } from '../hash.js';
import { builtInQuestionsDir, packageRoot } from '../paths.js';
import { BODY_FIELDS, bodyOf, type Question, type QuestionBody, type TopicInfo } from '../types.js';
import type { ParseResult, Problem } from './parse.js';

export const SEED_VERSION = 1;


interface Entry<T> {
  /** Content hash and length: `cyrb53:length`. */
  h: string;
  /** The parse, with every `file` left empty (filled in with the path on use). */
  r: T;
}

export interface Seed {
  v: number;
  build: string;
  /** Keyed by the path below the bank's root, with `/` separators. Questions without bodies. */
  files: Record<string, Entry<ParseResult>>;
  topics: Record<string, Entry<{ info: TopicInfo; problems: Problem[] }>>;
}

export interface SeedBodies {
  v: number;
  build: string;
  bodies: Record<string, QuestionBody>;
}

/** The seed's key of a file's text: its cyrb53 (`hex`, when already computed) and its length. */
export const contentKey = (text: string, hex = cyrb53(text)): string => `${hex}:${text.length}`;

const withFile = (problems: readonly Problem[], file: string): Problem[] => problems.map((p) => ({ ...p, file }));

/** A parse split as the seed stores it: no absolute paths, the body apart. */
export function seedParts(result: ParseResult): { r: ParseResult; body?: QuestionBody } {
  const r: ParseResult = { problems: withFile(result.problems, '') };
  if (!result.question) return { r };
  const question: Partial<Question> = { ...result.question, file: '' };
  for (const field of BODY_FIELDS) delete question[field];
  r.question = question as Question;
  return { r, body: bodyOf(result.question) };
}

const EMPTY_BODY: QuestionBody = { prompt: '', answer: '', keypoints: [], choices: [], followUps: [] };

/**
 * The seed's parse of `path` (below `root`) if `text` is the content it was made from. Without
 * `bodies` the question has empty bodies, as a cached index-only question does.
 */
export function fromSeed(seed: Seed | undefined, bodies: SeedBodies | undefined, root: string, path: string, text: string, hex = cyrb53(text)): ParseResult | undefined {
  const key = keyOf(root, path);
  const entry = seed?.files[key];
  if (!entry || entry.h !== contentKey(text, hex)) return undefined;
  const result: ParseResult = { problems: withFile(entry.r.problems, path) };
  if (entry.r.question) {
    const body = bodies ? bodies.bodies[key] : EMPTY_BODY;
    if (!body) return undefined;
    result.question = { ...entry.r.question, ...body, file: path };
  }
  return result;
}

/** The seed's `_topic.md` of a folder if `text` is the content it was made from. */
export function topicFromSeed(seed: Seed | undefined, root: string, path: string, text: string): { info: TopicInfo; problems: Problem[] } | undefined {
  const entry = seed?.topics[keyOf(root, path)];
  if (!entry || entry.h !== contentKey(text)) return undefined;
  return { info: { ...entry.r.info }, problems: withFile(entry.r.problems, path) };
}

function keyOf(root: string, path: string): string {
  const rel = relative(root, path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

let seedFile: Seed | undefined | null = null;
let bodiesFile: SeedBodies | undefined | null = null;

function readSeedFile<T extends { v: number; build: string }>(name: string): T | undefined {
  if (!IS_BUILT) return undefined;
  try {
    const data = JSON.parse(readFileSync(join(packageRoot(), 'dist', name), 'utf8')) as T;
    return data.v === SEED_VERSION && data.build === BUILD_ID ? data : undefined;
  } catch {
    return undefined; // No seed (a build without one, a damaged package): parse as usual.
  }
}

function seed(): Seed | undefined {
  if (ablated('seed')) return undefined;
  if (seedFile === null) {
    const data = readSeedFile<Seed>('bank-seed.json');
    seedFile = data && typeof data.files === 'object' && typeof data.topics === 'object' ? data : undefined;
  }
  return seedFile;
}

function seedBodies(): SeedBodies | undefined {
  if (bodiesFile === null) {
    const data = readSeedFile<SeedBodies>('bank-seed-bodies.json');
    bodiesFile = data && typeof data.bodies === 'object' ? data : undefined;
  }
  return bodiesFile;
}

/**
 * The shipped parse of a built-in question file with this content, with its bodies when asked
 * for; undefined for any other file.
 */
export function shippedQuestion(path: string, text: string, withBodies: boolean, hex?: string): ParseResult | undefined {
  const root = builtInQuestionsDir();
  if (!path.startsWith(root + sep)) return undefined;
  const index = seed();
  if (!index) return undefined;
  if (!withBodies) return fromSeed(index, undefined, root, path, text, hex);
  const bodies = seedBodies();
  return bodies ? fromSeed(index, bodies, root, path, text, hex) : undefined;
}

/** The shipped parse of a built-in `_topic.md` with this content. */
export function shippedTopic(path: string, text: string): { info: TopicInfo; problems: Problem[] } | undefined {
  const root = builtInQuestionsDir();
  return path.startsWith(root + sep) ? topicFromSeed(seed(), root, path, text) : undefined;
}

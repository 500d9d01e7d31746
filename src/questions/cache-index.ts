/**
 * The parse cache's index (see cache.ts): one entry per topic folder, in columns, a position per
 * question file in name order, stored in one binary file.
 *
 * On a 10,000-question bank reading this index is on the path of every `list` and `stats`, and on
 * this kind of load turning text into values costs more than reading bytes: a JSON index spent
 * about 25 ms in JSON.parse (70,000 numbers) and in decoding 1.4 MB into a string. Here numbers
 * are typed-array views of the file's bytes, never parsed, and each folder's names, ids and titles
 * are one string each (NUL-joined: no file name can hold a NUL), split when first needed. What is
 * small and varied (tag lists, problems, topic info) is a JSON header.
 *
 * Layout: "DDBX" magic, header length (u32 LE), the header (ASCII JSON), then for each folder its
 * sections in `SECTIONS` order, each padded to 8 bytes so typed arrays can view them in place.
 * Anything that does not add up exactly (magic, version, section sizes, file length, NUL counts,
 * table indexes) makes the entry, or the whole file, unusable, and it is parsed again.
 */
import { openSections, packSections } from '../binary-file.js';
import { BUILD_ID } from '../build-id.js';
import { DIFFICULTIES, QUESTION_TYPES, type FollowUp, type Question, type TopicInfo } from '../types.js';
import type { Problem } from './parse.js';

export const INDEX_VERSION = 7;

/** Caches written by another build are not used (build-id.ts). */
export const PARSER_ID = BUILD_ID;
const MAGIC = 0x58424444; // "DDBX" read as a little-endian uint32
const SEP = '\0';

/** Numeric columns, a value per file: arrays while an entry is built, typed arrays once read. */
interface Columns<T extends ArrayLike<number>> {
  /** mtimeMs and size of the file. */
  m: T;
  s: T;
  /** `time` of the question, 0 when it has none; the line of its `id:`. */
  time: T;
  line: T;
  /** Index into the folder's `tagSets`, into DIFFICULTIES and into QUESTION_TYPES. */
  tags: T;
  diff: T;
  type: T;
  /** cyrb53 of the file's text: checked where a stamp cannot be trusted (file-stamp.ts). */
  h: T;
}
const NUMERIC = ['m', 's', 'time', 'line', 'tags', 'diff', 'type', 'h'] as const;

/** What is kept per folder besides the columns. */
interface FolderMeta {
  /** The distinct tag lists of the folder. */
  tagSets: string[][];
  /** Problems of the file at a position, for the positions that have some. */
  p: Record<number, Problem[]>;
}

type Kind = 'u8' | 'u16' | 'u32' | 'f64';
const KINDS: Record<Kind, { bytes: number; max: number; make: (b: ArrayBuffer, at: number, n: number) => ArrayLike<number> & ArrayBufferView }> = {
  u8: { bytes: 1, max: 0xff, make: (b, at, n) => new Uint8Array(b, at, n) },
  u16: { bytes: 2, max: 0xffff, make: (b, at, n) => new Uint16Array(b, at, n) },
  u32: { bytes: 4, max: 0xffffffff, make: (b, at, n) => new Uint32Array(b, at, n) },
  f64: { bytes: 8, max: Number.POSITIVE_INFINITY, make: (b, at, n) => new Float64Array(b, at, n) },
};

/** The narrowest kind that holds every value exactly. */
function kindOf(values: ArrayLike<number>): Kind {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(Number.isInteger(v) && v >= 0)) return 'f64';
    if (v > max) max = v;
  }
  return max <= 0xff ? 'u8' : max <= 0xffff ? 'u16' : max <= 0xffffffff ? 'u32' : 'f64';
}

/** Strings are stored as bytes: latin1 when every character is ASCII (no decoding), else UTF-8. */
type Text = [bytes: number, utf8: boolean];
const isAscii = (text: string) => !/[^\x00-\x7f]/.test(text);

interface StoredFolder {
  dir: string;
  count: number;
  meta: FolderMeta;
  kinds: Record<(typeof NUMERIC)[number], Kind>;
  text: { n: Text; id: Text; title: Text };
}

export interface TopicEntry {
  m: number;
  s: number;
  info: TopicInfo;
  p: Problem[];
}

export interface IndexFile {
  dirs: Record<string, Folder>;
  topics: Record<string, TopicEntry>;
}

/** How many SEPs a joined column holds, without splitting it. */
function separators(text: string): number {
  let count = 0;
  for (let i = text.indexOf(SEP); i >= 0; i = text.indexOf(SEP, i + 1)) count += 1;
  return count;
}

// Shared by every body-less question (10,000 of them on a big bank); nothing mutates questions.
const NO_KEYPOINTS: string[] = [];
const NO_CHOICES: Question['choices'] = [];
const NO_FOLLOW_UPS: FollowUp[] = [];

const inRange = (list: ArrayLike<number>, size: number): boolean => {
  for (let i = 0; i < list.length; i++) if (!((list[i] as number) < size)) return false;
  return true;
};

/**
 * A folder's entry as used: stored columns as they are (numbers stay numbers until a question is
 * built), and the joined strings split once, when first needed.
 */
export class Folder {
  #names?: string[];
  #joinedNames?: string;
  #ids: string[];
  #titles?: string[];
  #joinedTitles?: string;
  #tagKeys?: Map<string, number>;

  private constructor(
    readonly cols: Columns<ArrayLike<number>>,
    readonly meta: FolderMeta,
    ids: string[],
  ) {
    this.#ids = ids;
  }

  static empty(): Folder {
    const folder = new Folder({ m: [], s: [], time: [], line: [], tags: [], diff: [], type: [], h: [] }, { tagSets: [], p: {} }, []);
    folder.#names = [];
    folder.#titles = [];
    return folder;
  }

  /** A stored entry, or undefined when it does not hold together (its folder is parsed again). */
  static stored(cols: Columns<ArrayLike<number>>, meta: FolderMeta, names: string, ids: string, titles: string): Folder | undefined {
    const count = cols.m.length;
    const joined = (text: string) => separators(text) === Math.max(0, count - 1);
    if (!joined(names) || !joined(ids) || !joined(titles)) return undefined;
    if (!Array.isArray(meta.tagSets) || typeof meta.p !== 'object' || meta.p === null) return undefined;
    if (!inRange(cols.diff, DIFFICULTIES.length) || !inRange(cols.type, QUESTION_TYPES.length) || !inRange(cols.tags, meta.tagSets.length)) return undefined;
    const folder = new Folder(cols, meta, count === 0 ? [] : ids.split(SEP));
    folder.#joinedNames = names;
    folder.#joinedTitles = titles;
    return folder;
  }

  get size(): number {
    return this.cols.m.length;
  }

  names(): string[] {
    return (this.#names ??= this.size === 0 ? [] : (this.#joinedNames as string).split(SEP));
  }

  /** The names joined by NUL: compared whole against a fresh listing. */
  joinedNames(): string {
    return this.#joinedNames ?? this.names().join(SEP);
  }

  #titleList(): string[] {
    return (this.#titles ??= this.size === 0 ? [] : (this.#joinedTitles as string).split(SEP));
  }

  /** The content hash the file at `j` had when parsed. */
  contentHash(j: number): number {
    return this.cols.h[j] as number;
  }

  /** Whether the file at `j` was stored with this mtime and size. */
  sameFile(j: number, m: number, s: number): boolean {
    return this.cols.m[j] === m && this.cols.s[j] === s;
  }

  #internTags(tags: string[]): number {
    if (!this.#tagKeys) this.#tagKeys = new Map(this.meta.tagSets.map((list, i) => [JSON.stringify(list), i]));
    const key = JSON.stringify(tags);
    let i = this.#tagKeys.get(key);
    if (i === undefined) {
      i = this.meta.tagSets.push(tags) - 1;
      this.#tagKeys.set(key, i);
    }
    return i;
  }

  #push(name: string, id: string, title: string, values: Record<Exclude<(typeof NUMERIC)[number], 'tags'>, number>, tags: string[], problems: readonly Problem[] | undefined): void {
    const cols = this.cols as Columns<number[]>;
    const i = this.size;
    this.names().push(name);
    this.#ids.push(id);
    this.#titleList().push(title);
    cols.m.push(values.m);
    cols.s.push(values.s);
    cols.time.push(values.time);
    cols.line.push(values.line);
    cols.diff.push(values.diff);
    cols.type.push(values.type);
    cols.h.push(values.h);
    cols.tags.push(this.#internTags(tags));
    if (problems && problems.length > 0) this.meta.p[i] = [...problems];
  }

  /** Appends a freshly parsed file (to an entry made by `empty()`). */
  pushParsed(name: string, m: number, s: number, h: number, question: Question | undefined, problems: readonly Problem[]): void {
    const values = {
      m,
      s,
      h,
      time: question?.time ?? 0,
      line: question?.idLine ?? 1,
      diff: DIFFICULTIES.indexOf(question?.difficulty ?? 'mid'),
      type: QUESTION_TYPES.indexOf(question?.type ?? 'open'),
    };
    this.#push(name, question?.id ?? '', question?.title ?? '', values, question?.tags ?? [], problems);
  }

  /** Appends position `j` of another entry (to an entry made by `empty()`). */
  pushFrom(from: Folder, j: number): void {
    const c = from.cols;
    const values = { m: c.m[j] as number, s: c.s[j] as number, h: c.h[j] as number, time: c.time[j] as number, line: c.line[j] as number, diff: c.diff[j] as number, type: c.type[j] as number };
    this.#push(from.names()[j] as string, from.#ids[j] as string, from.#titleList()[j] as string, values, from.meta.tagSets[c.tags[j] as number] as string[], from.meta.p[j]);
  }

  /** Every file's id, '' for a file with none (not to be changed). */
  idList(): readonly string[] {
    return this.#ids;
  }

  /** Whether some file of the folder has problems. */
  hasProblems(): boolean {
    for (const _ in this.meta.p) return true;
    return false;
  }

  hasQuestion(j: number): boolean {
    return this.#ids[j] !== '';
  }

  /** The id of the question at `j`, undefined for a file that has none. */
  idAt(j: number): string | undefined {
    return this.#ids[j] || undefined;
  }

  lineAt(j: number): number {
    return this.cols.line[j] as number;
  }

  problems(j: number): Problem[] | undefined {
    return this.meta.p[j];
  }

  /** The question at `j` without its body, or undefined for a file that has none. */
  question(j: number, folder: string, file: string): Question | undefined {
    const id = this.#ids[j];
    if (!id) return undefined;
    const c = this.cols;
    // One object literal shape for every question: index-only loads hand these out as they are.
    const question: Question = {
      id,
      topic: folder,
      title: this.#titleList()[j] as string,
      difficulty: DIFFICULTIES[c.diff[j] as number] as Question['difficulty'],
      // Questions with the same tags share one array; nothing mutates a question.
      tags: this.meta.tagSets[c.tags[j] as number] as string[],
      type: QUESTION_TYPES[c.type[j] as number] as Question['type'],
      keypoints: NO_KEYPOINTS,
      choices: NO_CHOICES,
      prompt: '',
      answer: '',
      followUps: NO_FOLLOW_UPS,
      file,
      idLine: c.line[j] as number,
    };
    const time = c.time[j];
    if (time) question.time = time;
    return question;
  }

  /** The entry's strings and columns, for `encodeIndex`. */
  packed(): { cols: Columns<ArrayLike<number>>; meta: FolderMeta; names: string; ids: string; titles: string } {
    return { cols: this.cols, meta: this.meta, names: this.joinedNames(), ids: this.#ids.join(SEP), titles: this.#joinedTitles ?? this.#titleList().join(SEP) };
  }
}

export function encodeIndex(index: IndexFile, build = PARSER_ID): Buffer {
  const stored: StoredFolder[] = [];
  const sections: ArrayBufferView[] = [];
  for (const [dir, folder] of Object.entries(index.dirs)) {
    const { cols, meta, names, ids, titles } = folder.packed();
    const kinds = {} as StoredFolder['kinds'];
    for (const key of NUMERIC) {
      const kind = key === 'm' || key === 'h' ? 'f64' : kindOf(cols[key]);
      kinds[key] = kind;
      const values = cols[key];
      const view = KINDS[kind].make(new ArrayBuffer(values.length * KINDS[kind].bytes), 0, values.length) as unknown as { set(v: ArrayLike<number>): void } & ArrayBufferView;
      view.set(values);
      sections.push(view);
    }
    const text = (s: string): Text => {
      const ascii = isAscii(s);
      const bytes = Buffer.from(s, ascii ? 'latin1' : 'utf8');
      sections.push(bytes);
      return [bytes.length, !ascii];
    };
    stored.push({ dir, count: cols.m.length, meta, kinds, text: { n: text(names), id: text(ids), title: text(titles) } });
  }
  return packSections(MAGIC, { v: INDEX_VERSION, build, topics: index.topics, dirs: stored }, sections);
}

/**
 * The index in `bytes`, or undefined when it is not one of ours (another version, cut short,
 * damaged): the cache is then rebuilt. A folder entry that does not hold together is left out
 * on its own, and that folder is parsed again.
 */
export function decodeIndex(bytes: Buffer): IndexFile | undefined {
  try {
    const file = openSections(bytes, MAGIC);
    const header = file?.header as { v: number; build: string; topics: Record<string, TopicEntry>; dirs: StoredFolder[] } | undefined;
    if (!file || !header || header.v !== INDEX_VERSION || header.build !== PARSER_ID || typeof header.topics !== 'object' || !Array.isArray(header.dirs)) return undefined;
    const dirs: Record<string, Folder> = {};
    for (const entry of header.dirs) {
      const { count, kinds, text } = entry;
      const cols = {} as Columns<ArrayLike<number>>;
      for (const key of NUMERIC) {
        const kind = KINDS[kinds[key]];
        if (!kind) throw new RangeError('unknown column kind');
        cols[key] = file.take(kind.make, count, kind.bytes);
      }
      const string = ([size, utf8]: Text) => file.bytes(size).toString(utf8 ? 'utf8' : 'latin1');
      const names = string(text.n);
      const ids = string(text.id);
      const titles = string(text.title);
      const folder = Folder.stored(cols, entry.meta, names, ids, titles);
      if (folder && typeof entry.dir === 'string') dirs[entry.dir] = folder;
    }
    return file.atEnd() ? { dirs, topics: header.topics } : undefined;
  } catch {
    return undefined;
  }
}

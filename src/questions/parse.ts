/**
 * One question file → a Question, or the problems that stop it loading. Pure: text in, data out.
 * Frontmatter is YAML only (gray-matter with every code-running engine disabled), because a
 * question pack may come from anyone.
 */
import { sanitize } from '../render/sanitize.js';
import { DIFFICULTIES, QUESTION_TYPES, type Choice, type Difficulty, type FollowUp, type Question, type QuestionType, type TopicInfo } from '../types.js';

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Matter = (input: string, options: typeof MATTER_OPTIONS) => { data: unknown };
let matter: Matter | undefined;

/**
 * Loads gray-matter (and js-yaml behind it). Called before the first parse: a run served from
 * the bank cache never loads it.
 */
export async function loadFrontmatterParser(): Promise<void> {
  matter ??= ((await import('gray-matter')) as unknown as { default: Matter }).default;
}

const refuse = (language: string) => () => {
  throw new Error(`${language} frontmatter is not allowed`);
};
// Only YAML; gray-matter would otherwise eval() `---js` frontmatter.
const MATTER_OPTIONS = {
  language: 'yaml',
  engines: {
    javascript: refuse('javascript'),
    js: refuse('js'),
    coffee: refuse('coffee'),
    coffeescript: refuse('coffeescript'),
    cson: refuse('cson'),
  },
};

/** Strips a BOM and normalises CRLF/CR line ends. */
export function normalizeText(raw: string): string {
  return raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

interface Frontmatter {
  data: Record<string, unknown>;
  body: string;
  /** File line (1-based) where the body starts. */
  bodyLine: number;
  /** Line of each top-level frontmatter key. */
  keyLines: Map<string, number>;
}

function splitFrontmatter(text: string, file: string, problems: Problem[]): Frontmatter | undefined {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (!firstLine.startsWith('---')) {
    problems.push({ file, line: 1, message: 'missing YAML frontmatter (the file must start with a --- line)' });
    return undefined;
  }
  const language = firstLine.slice(3).trim();
  if (language !== '' && language.toLowerCase() !== 'yaml' && language.toLowerCase() !== 'yml') {
    problems.push({ file, line: 1, message: `frontmatter language "${language}" is not allowed; only YAML is` });
    return undefined;
  }
  const lines = text.split('\n');
  const close = lines.findIndex((line, i) => i > 0 && /^---\s*$/.test(line));
  if (close === -1) {
    problems.push({ file, line: 1, message: 'frontmatter is not closed (no second --- line)' });
    return undefined;
  }
  let parsed: { data: unknown };
  if (!matter) throw new Error('loadFrontmatterParser() must run before parsing question files');
  try {
    parsed = matter(text, MATTER_OPTIONS);
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const line = typeof mark?.line === 'number' ? mark.line + 2 : 1;
    const reason = ((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0];
    problems.push({ file, line, message: `frontmatter does not parse: ${reason}` });
    return undefined;
  }
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({ file, line: 1, message: 'frontmatter must be a YAML mapping (key: value lines)' });
    return undefined;
  }
  const keyLines = new Map<string, number>();
  for (let i = 1; i < close; i++) {
    const match = /^([A-Za-z_][\w-]*)\s*:/.exec(lines[i] ?? '');
    if (match?.[1] && !keyLines.has(match[1])) keyLines.set(match[1], i + 1);
  }
  return { data: data as Record<string, unknown>, body: lines.slice(close + 1).join('\n'), bodyLine: close + 2, keyLines };
}

interface Sections {
  prompt: string;
  answer?: string;
  answerLine?: number;
  followUps: SectionLine[];
}

/** A line of the `## Follow-ups` section: its text, file line, and whether it is inside a code block. */
interface SectionLine {
  text: string;
  line: number;
  fenced: boolean;
}

/** Splits the body at `## Answer` and `## Follow-ups` (outside code fences); checks fences close. */
function splitBody(fm: Frontmatter, file: string, problems: Problem[]): Sections {
  const lines = fm.body.split('\n');
  const parts: Record<'prompt' | 'answer', string[]> = { prompt: [], answer: [] };
  const followUps: SectionLine[] = [];
  let current: keyof typeof parts | 'followUps' = 'prompt';
  let answerLine: number | undefined;
  let fence: { char: string; length: number; line: number } | undefined;
  lines.forEach((line, i) => {
    const fileLine = fm.bodyLine + i;
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    const fenced = fence !== undefined;
    if (fence) {
      if (fenceMatch?.[1] && fenceMatch[1][0] === fence.char && fenceMatch[1].length >= fence.length && fenceMatch[2]?.trim() === '') {
        fence = undefined;
      }
    } else if (fenceMatch?.[1] && !(fenceMatch[1][0] === '`' && fenceMatch[2]?.includes('`'))) {
      fence = { char: fenceMatch[1][0] ?? '`', length: fenceMatch[1].length, line: fileLine };
    } else if (/^##\s+answer\s*$/i.test(line)) {
      current = 'answer';
      answerLine = fileLine;
      return;
    } else if (/^##\s+follow[- ]?ups?\s*$/i.test(line)) {
      current = 'followUps';
      return;
    }
    if (current === 'followUps') followUps.push({ text: line, line: fileLine, fenced: fenced || fence !== undefined });
    else parts[current].push(line);
  });
  if (fence) problems.push({ file, line: fence.line, message: 'code block is not closed (missing closing ```)' });
  return {
    prompt: parts.prompt.join('\n').trim(),
    answer: answerLine === undefined ? undefined : parts.answer.join('\n').trim(),
    answerLine,
    followUps,
  };
}

/** Most key points a follow-up may have (the format asks for 2–4). */
const MAX_FOLLOW_UP_POINTS = 6;

interface Draft {
  question: string;
  line: number;
  name?: string;
  answer: string[];
  keypoints: string[];
  /** Line of `Key points:`, once seen. */
  pointsLine?: number;
}

/**
 * `## Follow-ups`: plain bullets (`- question`, as packs have always written them) and answered
 * follow-ups, each a `### question` heading, its answer, then `Key points:` and a bulleted list
 * (CONTRIBUTING.md). Answered ones get the id `<parent>#<n>`, n counting answered follow-ups
 * from 1 in file order, or `<parent>#<name>` from a `{#name}` ending the heading.
 */
export function parseFollowUps(lines: readonly SectionLine[], parentId: string, file: string, problems: Problem[]): FollowUp[] {
  const result: FollowUp[] = [];
  const seen = new Set<string>();
  let draft: Draft | undefined;
  const bullet = (text: string) => /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(text)?.[1];
  const close = () => {
    if (!draft) return;
    const d = draft;
    draft = undefined;
    const fail = (message: string) => problems.push({ file, line: d.line, message: `follow-up "${clean(d.question).slice(0, 60)}": ${message}` });
    const answer = d.answer.join('\n').trim();
    if (answer === '') return fail('has no answer (write it under the ### heading, before "Key points:")');
    if (d.pointsLine === undefined) return fail('needs a "Key points:" line followed by a bulleted list');
    if (d.keypoints.length === 0) return fail('"Key points:" needs at least one "- point" bullet');
    if (d.keypoints.length > MAX_FOLLOW_UP_POINTS) return fail(`has ${d.keypoints.length} key points; at most ${MAX_FOLLOW_UP_POINTS}`);
    const id = `${parentId}#${d.name ?? String(result.filter((f) => f.id !== undefined).length + 1)}`;
    if (seen.has(id)) return fail(`id "${id}" is used twice in this file`);
    seen.add(id);
    result.push({ question: clean(d.question), id, answer: sanitize(answer), keypoints: d.keypoints.map(clean) });
  };
  for (const { text, line, fenced } of lines) {
    const heading = fenced ? null : /^###\s+(.*?)\s*$/.exec(text);
    if (heading) {
      close();
      const named = /^(.*?)\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}$/.exec(heading[1] ?? '');
      const question = (named ? named[1] : heading[1]) ?? '';
      if (/\{#/.test(question)) problems.push({ file, line, message: 'a follow-up name is written {#name}: lowercase letters, digits and dashes' });
      if (question.trim() === '') {
        problems.push({ file, line, message: 'a "###" follow-up heading needs the question after it' });
        continue;
      }
      draft = { question, line, answer: [], keypoints: [], ...(named?.[2] ? { name: named[2] } : {}) };
    } else if (draft && draft.pointsLine === undefined && !fenced && /^\s*key points:\s*$/i.test(text)) {
      draft.pointsLine = line;
    } else if (draft && draft.pointsLine !== undefined) {
      const item = bullet(text);
      if (item !== undefined) draft.keypoints.push(item.trim());
      else if (text.trim() !== '' && /^\s/.test(text) && draft.keypoints.length > 0) draft.keypoints[draft.keypoints.length - 1] += ` ${text.trim()}`;
      else if (text.trim() !== '') problems.push({ file, line, message: 'only "- point" bullets may follow "Key points:" (start the next follow-up with "###")' });
    } else if (draft) {
      draft.answer.push(text);
    } else {
      const item = bullet(text);
      if (item) result.push({ question: clean(item), keypoints: [] });
      else if (text.trim() && result.length > 0) {
        const last = result[result.length - 1] as FollowUp;
        last.question = clean(`${last.question} ${text.trim()}`);
      }
    }
  }
  close();
  return result;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const clean = (value: string): string => sanitize(value).trim();

/** YAML turns `1.0` or `2024-01-01` into numbers and dates; titles and ids want text. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return isText(value) ? value : undefined;
}

export interface ParseResult {
  question?: Question;
  problems: Problem[];
}

/** A choice question's `choices` (2–6; one correct, or one or more with `multiple: true`). */
function parseChoices(raw: unknown, multiple: boolean, fail: (message: string) => void): Choice[] {
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > 6) {
    fail('a choice question needs 2–6 "choices"');
    return [];
  }
  if (!raw.every((c) => c && typeof c === 'object' && asText((c as Choice).text) !== undefined)) {
    fail('every choice needs a non-empty "text"');
    return [];
  }
  const choices: Choice[] = raw.map((c: Record<string, unknown>) => {
    const choice: Choice = { text: clean(asText(c.text) as string), correct: c.correct === true };
    const why = asText(c.why);
    if (why !== undefined) choice.why = clean(why);
    return choice;
  });
  const correct = choices.filter((c) => c.correct).length;
  if (multiple && choices.length < 3) fail('a "select all that apply" question needs 3–6 choices');
  else if (multiple && correct === 0) fail('a "select all that apply" question needs at least one correct choice');
  else if (!multiple && correct !== 1) {
    const hint = correct > 1 ? '; for "select all that apply", add "multiple: true"' : '';
    fail(`a choice question needs exactly one correct choice (found ${correct})${hint}`);
  }
  return choices;
}

/**
 * @param file path used in problems and kept on the question
 * @param folder the topic folder name the file sits in
 */
export function parseQuestion(raw: string, file: string, folder: string): ParseResult {
  const problems: Problem[] = [];
  const text = normalizeText(raw);
  const fm = splitFrontmatter(text, file, problems);
  if (!fm) return { problems };
  const { data, keyLines } = fm;
  const at = (key: string) => keyLines.get(key) ?? 1;
  const fail = (key: string, message: string) => problems.push({ file, line: at(key), message });

  const id = asText(data.id);
  if (id === undefined) fail('id', 'missing required field "id"');
  else if (!ID_PATTERN.test(id)) fail('id', `id "${clean(id)}" must be kebab-case (lowercase letters, digits and single dashes)`);

  const title = asText(data.title);
  if (title === undefined) fail('title', 'missing required field "title"');

  if (data.topic !== undefined && asText(data.topic) !== folder) {
    fail('topic', `topic "${clean(String(data.topic))}" does not match its folder "${folder}"`);
  }

  // Values are matched case-insensitively ("Senior" is senior); anything else is an error.
  const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
  let difficulty: Difficulty = 'mid';
  if (data.difficulty !== undefined) {
    if ((DIFFICULTIES as readonly unknown[]).includes(lower(data.difficulty))) difficulty = lower(data.difficulty) as Difficulty;
    else fail('difficulty', `difficulty "${clean(String(data.difficulty))}" must be one of ${DIFFICULTIES.join(', ')}`);
  }

  let type: QuestionType = 'open';
  if (data.type !== undefined) {
    if ((QUESTION_TYPES as readonly unknown[]).includes(lower(data.type))) type = lower(data.type) as QuestionType;
    else fail('type', `type "${clean(String(data.type))}" must be one of ${QUESTION_TYPES.join(', ')}`);
  }

  let tags: string[] = [];
  if (data.tags !== undefined && data.tags !== null) {
    const list = Array.isArray(data.tags) ? data.tags : [data.tags];
    const texts = list.map(asText);
    if (texts.some((t) => t === undefined)) fail('tags', 'tags must be a list of words');
    else tags = (texts as string[]).map(clean);
  }

  let time: number | undefined;
  if (data.time !== undefined && data.time !== null) {
    if (typeof data.time === 'number' && Number.isFinite(data.time) && data.time > 0) time = data.time;
    else fail('time', 'time must be a positive number of seconds');
  }

  let multiple = false;
  if (data.multiple !== undefined && data.multiple !== null) {
    if (typeof data.multiple !== 'boolean') fail('multiple', 'multiple must be true or false');
    else if (data.multiple && type !== 'choice') fail('multiple', '"multiple: true" needs "type: choice"');
    else multiple = data.multiple;
  }

  let keypoints: string[] = [];
  let choices: Choice[] = [];
  if (type === 'open') {
    if (!Array.isArray(data.keypoints) || data.keypoints.length === 0) {
      fail('keypoints', 'an open question needs "keypoints": a list of the points a good answer covers');
    } else if (!data.keypoints.every((k) => asText(k) !== undefined)) {
      fail('keypoints', 'every key point must be non-empty text');
    } else {
      keypoints = data.keypoints.map((k) => clean(asText(k) as string));
    }
  } else {
    choices = parseChoices(data.choices, multiple, (message) => fail('choices', message));
  }

  const sections = splitBody(fm, file, problems);
  if (type === 'open' && !sections.answer) {
    if (sections.answerLine === undefined) problems.push({ file, line: 1, message: 'missing "## Answer" section' });
    else problems.push({ file, line: sections.answerLine, message: '"## Answer" section is empty' });
  }

  const followUps = parseFollowUps(sections.followUps, id ?? 'question', file, problems);
  if (problems.length > 0 || id === undefined || title === undefined) return { problems };
  const question: Question = {
    id,
    idLine: at('id'),
    topic: folder,
    title: clean(title),
    difficulty,
    tags,
    type,
    keypoints,
    choices,
    prompt: sanitize(sections.prompt),
    answer: sanitize(sections.answer ?? ''),
    followUps,
    file,
  };
  if (time !== undefined) question.time = time;
  if (multiple) question.multiple = true;
  return { question, problems };
}

/** `_topic.md`: title, description, optional order. Bad or missing fields fall back to defaults. */
export function parseTopicInfo(raw: string | undefined, folder: string, file = '_topic.md'): { info: TopicInfo; problems: Problem[] } {
  const info: TopicInfo = { name: folder, title: folder, description: '', order: Number.MAX_SAFE_INTEGER };
  const problems: Problem[] = [];
  if (raw === undefined) return { info, problems };
  const fm = splitFrontmatter(normalizeText(raw), file, problems);
  if (!fm) return { info, problems };
  const title = asText(fm.data.title);
  const description = asText(fm.data.description);
  if (title) info.title = clean(title);
  if (description) info.description = clean(description);
  if (typeof fm.data.order === 'number' && Number.isFinite(fm.data.order)) info.order = fm.data.order;
  return { info, problems };
}

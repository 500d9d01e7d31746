/**
 * Markdown → terminal text for prompts and answers. Input is sanitized first (question packs are
 * untrusted); the only escape codes in the output are the ones added here.
 *
 * cli-highlight (and highlight.js behind it) is the heaviest thing the CLI loads, so it is
 * imported on demand: only when colour is on and a code block names a language it knows.
 */
import chalk, { type ChalkInstance } from 'chalk';
import type { Theme } from 'cli-highlight';
import { painter, table, visibleWidth, type Align } from './format.js';
import { parseInline, parseMarkdown, type Block, type Inline } from './mdparse.js';
import { sanitize } from './sanitize.js';

export interface MarkdownOptions {
  color: boolean;
  /** Wrap width for text; code lines wider than it continue after a ↪. Default 80. */
  width?: number;
}

// Fence info → highlight.js language. Only languages src/render/hljs.cjs registers in the bundle.
const LANGUAGES: Record<string, string> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  sql: 'sql',
  bash: 'bash',
  sh: 'bash',
  shell: 'bash',
  console: 'bash',
  zsh: 'bash',
  html: 'django',
  django: 'django',
  jinja: 'django',
  jinja2: 'django',
  htmldjango: 'django',
  js: 'javascript',
  javascript: 'javascript',
  json: 'json',
  ini: 'ini',
  toml: 'ini',
  yaml: 'yaml',
  yml: 'yaml',
};

/** The highlight.js language for a fence's info word, or undefined for plain text. */
export function highlightLanguage(lang: string): string | undefined {
  return Object.hasOwn(LANGUAGES, lang.toLowerCase()) ? LANGUAGES[lang.toLowerCase()] : undefined;
}

type Highlight = (code: string, language: string) => string;

let highlighter: Promise<Highlight | undefined> | undefined;

function loadHighlighter(): Promise<Highlight | undefined> {
  highlighter ??= import('cli-highlight').then(
    (mod) => {
      // Node gives named exports for this CommonJS module; esbuild's bundle only `default`
      // (which is module.exports either way).
      const api = (mod.default ?? mod) as unknown as Partial<typeof import('cli-highlight')>;
      const highlight = api.highlight ?? mod.highlight;
      if (typeof highlight !== 'function') return undefined;
      return (code: string, language: string) => highlight(code, { language, ignoreIllegals: true, theme: theme() });
    },
    () => undefined,
  );
  return highlighter;
}

/**
 * Token colours through our chalk, not cli-highlight's own chalk 4 (which decides colour from
 * the TTY by itself): the CLI's one colour decision then holds for code too.
 */
function theme(): Theme {
  const c = chalk;
  return {
    keyword: c.magenta,
    built_in: c.cyan,
    type: c.cyan,
    literal: c.yellow,
    number: c.yellow,
    regexp: c.red,
    string: c.green,
    subst: (s) => s,
    symbol: c.yellow,
    class: c.blue,
    function: c.blue,
    title: c.blue,
    params: (s) => s,
    comment: c.gray,
    doctag: c.gray,
    meta: c.gray,
    'meta-keyword': c.magenta,
    'meta-string': c.green,
    section: c.bold,
    tag: c.gray,
    name: c.blue,
    'builtin-name': c.cyan,
    attr: c.cyan,
    attribute: c.cyan,
    variable: c.red,
    bullet: c.yellow,
    code: c.green,
    emphasis: c.italic,
    strong: c.bold,
    formula: (s) => s,
    link: c.underline,
    quote: c.gray,
    'selector-tag': c.magenta,
    'selector-id': c.blue,
    'selector-class': c.blue,
    'selector-attr': c.cyan,
    'selector-pseudo': c.cyan,
    'template-tag': c.magenta,
    'template-variable': c.cyan,
    addition: c.green,
    deletion: c.red,
    default: (s) => s,
  };
}

interface Style {
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  link?: boolean;
  url?: boolean;
}

interface Piece {
  text: string;
  style: Style;
  /** Never split at its spaces: code spans and URLs. */
  atomic: boolean;
}

type Flow = Piece | 'break';

const SPACE: Piece = { text: ' ', style: {}, atomic: false };

interface RenderState {
  c: ChalkInstance;
  color: boolean;
  highlight?: Highlight;
}

function flatten(nodes: Inline[], style: Style, state: RenderState, out: Flow[] = []): Flow[] {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push({ text: node.text, style, atomic: false });
        break;
      case 'code':
        // Without colour, backticks are what tells code from prose.
        out.push({ text: state.color ? node.text : `\`${node.text}\``, style: { ...style, code: true }, atomic: true });
        break;
      case 'strong':
        flatten(node.children, { ...style, bold: true }, state, out);
        break;
      case 'em':
        flatten(node.children, { ...style, italic: true }, state, out);
        break;
      case 'strike':
        if (!state.color) out.push({ text: '~~', style, atomic: false });
        flatten(node.children, { ...style, strike: true }, state, out);
        if (!state.color) out.push({ text: '~~', style, atomic: false });
        break;
      case 'link': {
        const label = node.children.length === 1 && node.children[0]?.kind === 'text' ? node.children[0].text : undefined;
        // GFM autolinks: `a@b.co` links to mailto:a@b.co, `www.x.com` to http://www.x.com.
        const bare = node.url.replace(/^mailto:|^http:\/\/(?=www\.)/, '');
        if (label === node.url || label === bare) {
          out.push({ text: bare, style: { ...style, url: true }, atomic: true });
          break;
        }
        flatten(node.children, { ...style, link: true }, state, out);
        if (node.url) out.push(SPACE, { text: `(${node.url})`, style: { ...style, url: true }, atomic: true });
        break;
      }
      case 'image':
        out.push({ text: `[image: ${node.alt || 'untitled'}]`, style, atomic: false });
        if (node.url) out.push(SPACE, { text: `(${node.url})`, style: { ...style, url: true }, atomic: true });
        break;
      case 'break':
        out.push('break');
        break;
    }
  }
  return out;
}

function paint(piece: Piece, c: ChalkInstance): string {
  let text = piece.text;
  const s = piece.style;
  if (s.code) text = c.cyan(text);
  if (s.url) text = c.dim(text);
  if (s.link) text = c.underline(text);
  if (s.bold) text = c.bold(text);
  if (s.italic) text = c.italic(text);
  if (s.strike) text = c.strikethrough(text);
  return text;
}

/**
 * Lays pieces out in lines of at most `width` columns. Breaks only at whitespace outside code
 * spans and URLs, unless a code span is wider than the line: then it breaks at its own spaces
 * (the terminal would cut it anywhere otherwise). A single word wider than the line overflows
 * rather than being cut.
 */
function wrap(flow: Flow[], width: number, c: ChalkInstance): string[] {
  type Word = { text: string; width: number };
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let word: Word = { text: '', width: 0 };

  const place = (): void => {
    if (word.width === 0 && word.text === '') return;
    if (lineWidth > 0 && lineWidth + 1 + word.width > width) {
      lines.push(line);
      line = '';
      lineWidth = 0;
    }
    if (lineWidth > 0) {
      line += ' ';
      lineWidth += 1;
    }
    line += word.text;
    lineWidth += word.width;
    word = { text: '', width: 0 };
  };

  for (const piece of flow) {
    if (piece === 'break') {
      place();
      lines.push(line);
      line = '';
      lineWidth = 0;
      continue;
    }
    const atomic = piece.atomic === true && (piece.style.url === true || visibleWidth(piece.text) <= width);
    const chunks = atomic ? [piece.text] : piece.text.split(/(\s+)/);
    for (const chunk of chunks) {
      if (chunk === '') continue;
      if (!atomic && /^\s+$/.test(chunk)) {
        place();
        continue;
      }
      word.text += paint({ ...piece, text: chunk }, c);
      word.width += visibleWidth(chunk);
    }
  }
  place();
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function inlineLines(source: string, width: number, state: RenderState, style: Style = {}): string[] {
  return wrap(flatten(parseInline(source), style, state), Math.max(1, width), state.c);
}

function inlineText(source: string, state: RenderState, style: Style = {}): string {
  return flatten(parseInline(source), style, state)
    .map((piece) => (piece === 'break' ? ' ' : paint({ ...piece, text: piece.text.replace(/\s+/g, ' ') }, state.c)))
    .join('');
}

const BULLETS = ['•', '◦', '▪'];

function renderBlocks(blocks: Block[], width: number, state: RenderState, depth: number, tight: boolean): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    const lines = renderBlock(block, width, state, depth);
    if (out.length > 0 && !tight) out.push('');
    out.push(...lines);
  }
  return out;
}

function renderBlock(block: Block, width: number, state: RenderState, depth: number): string[] {
  const { c } = state;
  switch (block.kind) {
    case 'heading': {
      const lines = inlineLines(block.text, width, state, { bold: true });
      if (state.color) return lines.map((line) => (block.level <= 2 ? c.underline(line) : line));
      // No colour: setext-style rules under the top two levels keep them visibly headings.
      if (block.level > 2) return lines;
      const rule = (block.level === 1 ? '=' : '-').repeat(Math.min(width, Math.max(...lines.map(visibleWidth))));
      return [...lines, rule];
    }
    case 'paragraph':
      return inlineLines(block.text, width, state);
    case 'code':
      return renderCode(block.code, block.lang, state, width);
    case 'rule':
      return [c.dim('─'.repeat(Math.min(width, 40)))];
    case 'quote': {
      const bar = c.dim('│ ');
      return renderBlocks(block.blocks, width - 2, state, depth, false).map((line) => (line ? bar + line : c.dim('│')));
    }
    case 'list': {
      const markers = block.items.map((_, i) =>
        block.ordered ? `${block.start + i}.` : (BULLETS[Math.min(depth, BULLETS.length - 1)] ?? '•'),
      );
      const markerWidth = Math.max(...markers.map(visibleWidth));
      const out: string[] = [];
      block.items.forEach((item, i) => {
        const marker = (markers[i] ?? '').padStart(block.ordered ? markerWidth : 1);
        const pad = ' '.repeat(visibleWidth(marker) + 1);
        const body = renderBlocks(item, width - pad.length, state, depth + 1, true);
        if (body.length === 0) body.push('');
        body.forEach((line, j) => out.push(j === 0 ? `${c.dim(marker)} ${line}` : line ? pad + line : ''));
      });
      return out;
    }
    case 'table': {
      const align: Align[] = block.align;
      const head = block.head.map((cell) => inlineText(cell, state));
      const rows = block.rows.map((row) => block.head.map((_, i) => inlineText(row[i] ?? '', state)));
      return table(rows, { head, align, width, color: state.color }).split('\n');
    }
  }
}

/**
 * Code lines wider than the text are cut at `width` and continue on the next line after a `↪`
 * (as bat does), so that a narrow terminal never breaks a token where it likes. Colour codes
 * are copied, not counted.
 */
export function wrapCodeLine(line: string, width: number, marker: string): string[] {
  if (visibleWidth(line) <= width) return [line];
  const out: string[] = [];
  let current = '';
  let count = 0;
  const limit = (first: boolean) => (first ? width : width - 2);
  for (let i = 0; i < line.length; ) {
    const esc = /^\x1b\[[0-9;]*m/.exec(line.slice(i, i + 24));
    if (esc) {
      current += esc[0];
      i += esc[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i) as number);
    if (count >= limit(out.length === 0)) {
      out.push(current);
      current = '';
      count = 0;
    }
    current += ch;
    count += 1;
    i += ch.length;
  }
  out.push(current);
  return out.map((part, k) => (k === 0 ? part : `${marker} ${part}`));
}

function renderCode(code: string, lang: string, state: RenderState, width = 80): string[] {
  const language = highlightLanguage(lang);
  let text = code;
  if (state.color && language && state.highlight) {
    try {
      text = state.highlight(code, language);
    } catch {
      // A grammar that chokes on odd input costs the colours, never the code.
      text = code;
    }
  }
  const marker = state.c.dim('↪');
  return text.split('\n').flatMap((line) => (line ? wrapCodeLine(line, Math.max(10, width - 2), marker).map((part) => `  ${part}`) : ['']));
}

function hasHighlightableCode(blocks: Block[]): boolean {
  return blocks.some((block) => {
    switch (block.kind) {
      case 'code':
        return highlightLanguage(block.lang) !== undefined;
      case 'quote':
        return hasHighlightableCode(block.blocks);
      case 'list':
        return block.items.some(hasHighlightableCode);
      default:
        return false;
    }
  });
}

/** Markdown → text for the terminal, wrapped to `width`; no ANSI at all when `color` is false. */
export async function renderMarkdown(md: string, opts: MarkdownOptions): Promise<string> {
  const blocks = parseMarkdown(sanitize(md));
  const state: RenderState = { c: painter(opts.color), color: opts.color };
  if (opts.color && hasHighlightableCode(blocks)) state.highlight = await loadHighlighter();
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  return renderBlocks(blocks, width, state, 0, false).join('\n');
}

/**
 * A small Markdown parser for question text: the CommonMark/GFM subset question files use
 * (ATX and setext headings, paragraphs, bullet and ordered lists with nesting, block quotes,
 * fenced and indented code, GFM tables, rules; code spans, emphasis, strikethrough, links,
 * images, autolinks, escapes, hard breaks). Raw HTML is not interpreted: it stays text.
 * Rendering lives elsewhere (terminal: markdown.ts, Anki HTML: html.ts).
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em' | 'strike'; children: Inline[] }
  | { kind: 'link'; url: string; children: Inline[] }
  | { kind: 'image'; url: string; alt: string }
  | { kind: 'break' };

export type TableAlign = 'left' | 'right' | 'center';

export type Block =
  | { kind: 'heading'; level: number; text: string }
  /** Inline source; source lines joined with `\n` (soft breaks). */
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; lang: string; code: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'table'; head: string[]; align: TableAlign[]; rows: string[][] }
  | { kind: 'rule' };

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const isBlank = (line: string): boolean => /^[ \t]*$/.test(line);
const indentOf = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;

/** Tabs to spaces (stops every 4 columns), so indentation can be measured in columns. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(4 - (out.length % 4));
    else out += ch;
  }
  return out;
}

function openFence(line: string): { indent: number; marker: string; lang: string } | undefined {
  const m = FENCE.exec(line);
  if (!m) return undefined;
  const marker = m[2] ?? '';
  const info = (m[3] ?? '').trim();
  // A backtick fence's info string may not contain a backtick (that would be a code span).
  if (marker.startsWith('`') && info.includes('`')) return undefined;
  const lang = (/^\{?\.?([\w+#.-]+)/.exec(info)?.[1] ?? '').toLowerCase();
  return { indent: m[1]?.length ?? 0, marker, lang };
}

interface ListMarker {
  indent: number;
  ordered: boolean;
  /** `-`, `+`, `*`, `.` or `)`: a different one starts a new list. */
  symbol: string;
  start: number;
  contentIndent: number;
  content: string;
}

function listMarker(line: string): ListMarker | undefined {
  const m = LIST_ITEM.exec(line);
  if (!m) return undefined;
  const indent = m[1]?.length ?? 0;
  const marker = m[2] ?? '';
  const spaces = m[3] ?? '';
  let content = m[4] ?? '';
  if (RULE.test(line)) return undefined;
  const ordered = /\d/.test(marker);
  let gap = spaces.length;
  // Five or more spaces after the marker: one belongs to the marker, the rest to the content.
  if (content === '' || gap > 4) {
    if (gap > 4) content = ' '.repeat(gap - 1) + content;
    gap = 1;
  }
  return {
    indent,
    ordered,
    symbol: ordered ? marker.slice(-1) : marker,
    start: ordered ? Number.parseInt(marker, 10) : 1,
    contentIndent: indent + marker.length + gap,
    content,
  };
}

/** Lines that end a paragraph (and so cannot be its lazy continuation). */
function interruptsParagraph(line: string): boolean {
  if (openFence(line) || HEADING.test(line) || QUOTE.test(line) || RULE.test(line)) return true;
  const item = listMarker(line);
  // As in CommonMark: only a non-empty item, and an ordered one only when it starts at 1, so that
  // "in 2024. we..." wrapped onto a new line stays text.
  return item !== undefined && item.content.trim() !== '' && (!item.ordered || item.start === 1);
}

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function alignOf(cell: string): TableAlign {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  if (left && right) return 'center';
  return right ? 'right' : 'left';
}

export function parseMarkdown(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n').map(expandTabs);
  return parseBlocks(lines);
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (isBlank(line)) {
      i += 1;
      continue;
    }

    const fence = openFence(line);
    if (fence) {
      const body: string[] = [];
      const close = new RegExp(`^ {0,3}${fence.marker[0] === '`' ? '`' : '~'}{${fence.marker.length},}[ \\t]*$`);
      i += 1;
      // An unclosed fence runs to the end, as in CommonMark (validate reports it).
      while (i < lines.length && !close.test(lines[i] ?? '')) {
        const text = lines[i] ?? '';
        body.push(text.slice(Math.min(fence.indent, indentOf(text))));
        i += 1;
      }
      i += 1;
      blocks.push({ kind: 'code', lang: fence.lang, code: body.join('\n') });
      continue;
    }

    if (indentOf(line) >= 4) {
      const body: string[] = [];
      while (i < lines.length && (isBlank(lines[i] ?? '') || indentOf(lines[i] ?? '') >= 4)) {
        body.push((lines[i] ?? '').slice(4));
        i += 1;
      }
      while (body.length > 0 && isBlank(body[body.length - 1] ?? '')) body.pop();
      blocks.push({ kind: 'code', lang: '', code: body.join('\n') });
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      const text = (heading[2] ?? '').replace(/(?:^|[ \t]+)#+$/, '').trim();
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text });
      i += 1;
      continue;
    }

    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i += 1;
      continue;
    }

    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length) {
        const text = lines[i] ?? '';
        const q = QUOTE.exec(text);
        if (q) inner.push(q[1] ?? '');
        else if (!isBlank(text) && !isBlank(inner[inner.length - 1] ?? '') && !interruptsParagraph(text))
          inner.push(text.trim());
        else break;
        i += 1;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner) });
      continue;
    }

    const item = listMarker(line);
    if (item) {
      const parsed = parseList(lines, i, item);
      blocks.push(parsed.block);
      i = parsed.next;
      continue;
    }

    const next = lines[i + 1] ?? '';
    if (line.includes('|') && TABLE_DELIMITER.test(next) && (next.includes('|') || line.trim().startsWith('|'))) {
      const head = splitRow(line);
      const delimiter = splitRow(next);
      if (head.length === delimiter.length) {
        const rows: string[][] = [];
        i += 2;
        while (i < lines.length && !isBlank(lines[i] ?? '') && (lines[i] ?? '').includes('|')) {
          rows.push(splitRow(lines[i] ?? ''));
          i += 1;
        }
        blocks.push({ kind: 'table', head, align: delimiter.map(alignOf), rows });
        continue;
      }
    }

    const paragraph: string[] = [line.trim()];
    i += 1;
    let setext = 0;
    while (i < lines.length) {
      const text = lines[i] ?? '';
      if (isBlank(text)) break;
      if (SETEXT_1.test(text)) setext = 1;
      else if (SETEXT_2.test(text)) setext = 2;
      if (setext) {
        i += 1;
        break;
      }
      if (interruptsParagraph(text)) break;
      paragraph.push(text.replace(/^ +/, ''));
      i += 1;
    }
    const text = paragraph.join('\n');
    blocks.push(setext ? { kind: 'heading', level: setext, text: text.trim() } : { kind: 'paragraph', text });
  }
  return blocks;
}

function parseList(lines: string[], from: number, first: ListMarker): { block: Block; next: number } {
  const items: Block[][] = [];
  let i = from;
  let marker: ListMarker | undefined = first;
  while (marker) {
    const body: string[] = [marker.content];
    i += 1;
    while (i < lines.length) {
      const text = lines[i] ?? '';
      if (isBlank(text)) body.push('');
      else if (indentOf(text) >= marker.contentIndent) body.push(text.slice(marker.contentIndent));
      else if (!isBlank(body[body.length - 1] ?? '') && !interruptsParagraph(text) && !listMarker(text))
        body.push(text.trim());
      else break;
      i += 1;
    }
    while (body.length > 0 && isBlank(body[body.length - 1] ?? '')) body.pop();
    items.push(parseBlocks(body));

    // Blank lines between items keep the list going; anything else after them ends it.
    let j = i;
    while (j < lines.length && isBlank(lines[j] ?? '')) j += 1;
    const sibling = j < lines.length ? listMarker(lines[j] ?? '') : undefined;
    if (sibling && sibling.ordered === first.ordered && sibling.symbol === first.symbol) {
      i = j;
      marker = sibling;
    } else marker = undefined;
  }
  return { block: { kind: 'list', ordered: first.ordered, start: first.start, items }, next: i };
}

// ---------------------------------------------------------------------------------------------
// Inline

const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const AUTOLINK = /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>/;
const EMAIL_AUTOLINK = /^<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/;

interface Delimiter {
  kind: 'delim';
  char: '*' | '_' | '~';
  length: number;
  canOpen: boolean;
  canClose: boolean;
}

type Token = Inline | Delimiter;

/** Index just past the code span starting at `at` (a backtick run), or -1 if it never closes. */
function codeSpanEnd(text: string, at: number): { end: number; content: string } | undefined {
  let run = 0;
  while (text[at + run] === '`') run += 1;
  let search = at + run;
  while (search < text.length) {
    const next = text.indexOf('`', search);
    if (next < 0) return undefined;
    let closeRun = 0;
    while (text[next + closeRun] === '`') closeRun += 1;
    if (closeRun === run) {
      let content = text.slice(at + run, next).replace(/\n/g, ' ');
      if (/^ .*[^ ].* $/s.test(content)) content = content.slice(1, -1);
      return { end: next + closeRun, content };
    }
    search = next + closeRun;
  }
  return undefined;
}

/** Position of the `]` matching the `[` at `open`, skipping escapes and code spans. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '`') {
      const span = codeSpanEnd(text, i);
      if (span) i = span.end - 1;
      else while (text[i + 1] === '`') i += 1;
    } else if (ch === '[') depth += 1;
    else if (ch === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `(url "title")` at `at`: the url and the index after `)`. */
function linkDestination(text: string, at: number): { url: string; end: number } | undefined {
  if (text[at] !== '(') return undefined;
  let i = at + 1;
  while (text[i] === ' ' || text[i] === '\n') i += 1;
  let url = '';
  if (text[i] === '<') {
    const close = text.indexOf('>', i);
    if (close < 0) return undefined;
    url = text.slice(i + 1, close);
    i = close + 1;
  } else {
    let depth = 0;
    const start = i;
    while (i < text.length) {
      const ch = text[i] ?? '';
      if (ch === '\\' && i + 1 < text.length) i += 2;
      else if (ch === '(') {
        depth += 1;
        i += 1;
      } else if (ch === ')') {
        if (depth === 0) break;
        depth -= 1;
        i += 1;
      } else if (WHITESPACE.test(ch)) break;
      else i += 1;
    }
    url = text.slice(start, i).replace(/\\(.)/g, '$1');
  }
  while (text[i] === ' ' || text[i] === '\n') i += 1;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === '(') {
    const closeQuote = quote === '(' ? ')' : quote;
    const close = text.indexOf(closeQuote, i + 1);
    if (close < 0) return undefined;
    i = close + 1;
    while (text[i] === ' ' || text[i] === '\n') i += 1;
  }
  if (text[i] !== ')') return undefined;
  return { url, end: i + 1 };
}

function plainText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
          return node.text;
        case 'image':
          return node.alt;
        case 'break':
          return ' ';
        default:
          return plainText(node.children);
      }
    })
    .join('');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let buffer = '';
  const flush = (): void => {
    if (buffer) tokens.push({ kind: 'text', text: buffer });
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      if (next === '\n') {
        flush();
        tokens.push({ kind: 'break' });
        i += 2;
        continue;
      }
      if (ESCAPABLE.test(next)) {
        buffer += next;
        i += 2;
        continue;
      }
    }
    if (ch === '\n') {
      // Two or more trailing spaces before a newline: a hard break.
      const hard = / {2,}$/.test(buffer);
      buffer = buffer.replace(/ +$/, '');
      if (hard) {
        flush();
        tokens.push({ kind: 'break' });
      } else buffer += '\n';
      i += 1;
      continue;
    }
    if (ch === '`') {
      const span = codeSpanEnd(text, i);
      if (span) {
        flush();
        tokens.push({ kind: 'code', text: span.content });
        i = span.end;
      } else {
        let run = 0;
        while (text[i + run] === '`') run += 1;
        buffer += text.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if (ch === '<') {
      const rest = text.slice(i, i + 300);
      const uri = AUTOLINK.exec(rest);
      const email = uri ? undefined : EMAIL_AUTOLINK.exec(rest);
      const auto = uri ?? email;
      if (auto) {
        flush();
        const target = auto[1] ?? '';
        tokens.push({ kind: 'link', url: email ? `mailto:${target}` : target, children: [{ kind: 'text', text: target }] });
        i += auto[0].length;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const open = ch === '!' ? i + 1 : i;
      const close = closingBracket(text, open);
      const dest = close > 0 ? linkDestination(text, close + 1) : undefined;
      if (dest) {
        flush();
        const label = text.slice(open + 1, close);
        if (ch === '!') tokens.push({ kind: 'image', url: dest.url, alt: plainText(parseInline(label)) });
        else tokens.push({ kind: 'link', url: dest.url, children: parseInline(label) });
        i = dest.end;
        continue;
      }
    }
    if (ch === '*' || ch === '_' || ch === '~') {
      let run = 0;
      while (text[i + run] === ch) run += 1;
      if (ch === '~' && run !== 2) {
        buffer += text.slice(i, i + run);
        i += run;
        continue;
      }
      const before = i === 0 ? ' ' : (text[i - 1] ?? ' ');
      const after = text[i + run] ?? ' ';
      const ws = (c: string): boolean => WHITESPACE.test(c);
      const punct = (c: string): boolean => PUNCTUATION.test(c);
      const left = !ws(after) && (!punct(after) || ws(before) || punct(before));
      const right = !ws(before) && (!punct(before) || ws(after) || punct(after));
      // `_` inside a word (snake_case, author__name) never emphasises.
      const canOpen = ch === '_' ? left && (!right || punct(before)) : left;
      const canClose = ch === '_' ? right && (!left || punct(after)) : right;
      flush();
      tokens.push({ kind: 'delim', char: ch, length: run, canOpen, canClose });
      i += run;
      continue;
    }
    buffer += ch;
    i += 1;
  }
  flush();
  return tokens;
}

/** Emphasis by the CommonMark delimiter algorithm, simplified (no rule of 3). */
function resolveEmphasis(tokens: Token[]): Inline[] {
  const items = [...tokens];
  let i = 0;
  while (i < items.length) {
    const closer = items[i];
    if (!closer || closer.kind !== 'delim' || !closer.canClose || closer.length === 0) {
      i += 1;
      continue;
    }
    let openerAt = -1;
    for (let j = i - 1; j >= 0; j--) {
      const candidate = items[j];
      if (candidate?.kind === 'delim' && candidate.char === closer.char && candidate.canOpen && candidate.length > 0) {
        openerAt = j;
        break;
      }
    }
    if (openerAt < 0) {
      i += 1;
      continue;
    }
    const opener = items[openerAt] as Delimiter;
    const use = closer.char === '~' ? 2 : opener.length >= 2 && closer.length >= 2 ? 2 : 1;
    const kind = closer.char === '~' ? 'strike' : use === 2 ? 'strong' : 'em';
    const inner = resolveEmphasis(items.slice(openerAt + 1, i));
    opener.length -= use;
    closer.length -= use;
    items.splice(openerAt + 1, i - openerAt - 1, { kind, children: inner });
    i = openerAt + 2;
  }
  const out: Inline[] = [];
  for (const item of items) {
    if (item.kind === 'delim') {
      if (item.length > 0) out.push({ kind: 'text', text: item.char.repeat(item.length) });
    } else out.push(item);
  }
  // Merge neighbouring text so wrapping sees whole words.
  const merged: Inline[] = [];
  for (const node of out) {
    const last = merged[merged.length - 1];
    if (node.kind === 'text' && last?.kind === 'text') last.text += node.text;
    else merged.push(node.kind === 'text' ? { ...node } : node);
  }
  return merged;
}

export function parseInline(text: string): Inline[] {
  return resolveEmphasis(tokenize(text));
}

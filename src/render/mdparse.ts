/**
 * Markdown → our Block/Inline trees, from marked's lexer (CommonMark + GFM: tables, strikethrough,
 * task items, autolinks). marked only tokenizes here; rendering lives elsewhere (terminal:
 * markdown.ts, Anki HTML: html.ts).
 *
 * Raw HTML is not markup in question text: the lexer's HTML rules are switched off, so `<b>` and
 * `<script>` lines come through as plain text for the renderers to show (and html.ts to escape).
 */
import { Lexer, Tokenizer, type MarkedOptions, type MarkedToken, type Token, type Tokens } from 'marked';

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

/** marked's tokenizer with raw HTML (blocks and inline tags) left to the text rules. */
class TextOnlyTokenizer extends Tokenizer {
  override html(): undefined {
    return undefined;
  }

  override tag(): undefined {
    return undefined;
  }
}

/**
 * Every option spelled out, so nothing set globally through `marked.use()` applies. A fresh
 * tokenizer each time: the lexer binds itself to the one it is given.
 */
function options(): MarkedOptions {
  return {
    async: false,
    breaks: false,
    extensions: null,
    gfm: true,
    hooks: null,
    pedantic: false,
    renderer: null,
    silent: false,
    tokenizer: new TextOnlyTokenizer(),
    walkTokens: null,
  };
}

/** A fence's language: the first word of its info string (`python`, `{.python}`), lower-cased. */
function fenceLanguage(info: string | undefined): string {
  return (/^\{?\.?([\w+#.-]+)/.exec(info?.trim() ?? '')?.[1] ?? '').toLowerCase();
}

/** Paragraph text as inline source: its lines lose their indentation, as in CommonMark. */
const inlineSource = (text: string): string => text.trim().replace(/\n[ \t]+/g, '\n');

function listItem(item: Tokens.ListItem): Block[] {
  const [first, ...rest] = item.tokens as MarkedToken[];
  // A tight task item starts with a checkbox token; a loose one keeps `[ ]` in its paragraph.
  if (first?.type !== 'checkbox') return toBlocks(item.tokens);
  const blocks = toBlocks(rest);
  const box = first.checked ? '\\[x\\]' : '\\[ \\]';
  const head = blocks[0];
  if (head?.kind === 'paragraph') head.text = `${box} ${head.text}`;
  else blocks.unshift({ kind: 'paragraph', text: box });
  return blocks;
}

function toBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (const token of tokens as MarkedToken[]) {
    switch (token.type) {
      case 'heading':
        blocks.push({ kind: 'heading', level: token.depth, text: inlineSource(token.text) });
        break;
      case 'paragraph':
      case 'text':
        blocks.push({ kind: 'paragraph', text: inlineSource(token.text) });
        break;
      case 'code':
        blocks.push({ kind: 'code', lang: fenceLanguage(token.lang), code: token.text });
        break;
      case 'list':
        blocks.push({
          kind: 'list',
          ordered: token.ordered,
          start: typeof token.start === 'number' ? token.start : 1,
          items: token.items.map(listItem),
        });
        break;
      case 'blockquote':
        blocks.push({ kind: 'quote', blocks: toBlocks(token.tokens) });
        break;
      case 'table':
        blocks.push({
          kind: 'table',
          head: token.header.map((cell) => cell.text),
          align: token.align.map((align) => align ?? 'left'),
          rows: token.rows.map((row) => row.map((cell) => cell.text)),
        });
        break;
      case 'hr':
        blocks.push({ kind: 'rule' });
        break;
      // Reference links are not resolved (see parseInline), so a definition stays the text it
      // was. HTML blocks never come with the HTML rules off; text if one did.
      case 'def':
      case 'html':
        blocks.push({ kind: 'paragraph', text: inlineSource(token.raw.trim()) });
        break;
      default:
        // space, checkbox (handled by listItem), and anything else: nothing to show.
        break;
    }
  }
  return blocks;
}

/** Tabs to spaces (stops every 4 columns): code keeps its layout, and never carries a raw tab. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(4 - (out.length % 4)) : ch;
  return out;
}

/** Deepest nesting of quotes and lists a line may open; deeper markers are kept as text. */
export const MAX_NESTING = 16;
const DEEP_QUOTES = new RegExp(`^((?: {0,3}>[ \\t]?){${MAX_NESTING}})((?: {0,3}>[ \\t]?)+)`);
const DEEP_LISTS = new RegExp(`^((?:[ \\t]*(?:[-*+]|\\d{1,9}[.)])[ \\t]+){${MAX_NESTING}})`);

/**
 * Markdown → blocks. A pack is untrusted: a line of 200,000 `>` or `- ` would nest quotes or
 * lists as deep and overflow the stack of the parser (and of every walk over its tree), so
 * nesting is capped at MAX_NESTING and the rest of the markers stay as text. Should the parser
 * still fail, the text is shown as plain paragraphs: never an error.
 */
export function parseMarkdown(markdown: string): Block[] {
  const source = markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const tabs = expandTabs(line);
      const quotes = DEEP_QUOTES.exec(tabs);
      if (quotes) return `${quotes[1]}${(quotes[2] ?? '').replace(/>/g, '\\>')}${tabs.slice(quotes[0].length)}`;
      const lists = DEEP_LISTS.exec(tabs);
      return lists ? `${lists[1]}\\${tabs.slice(lists[0].length)}` : tabs;
    })
    .join('\n');
  try {
    return toBlocks(new Lexer(options()).lex(source));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return source.split(/\n{2,}/).map((text) => ({ kind: 'paragraph', text: text.replace(/[\\`*_[\]<>#]/g, (c) => `\\${c}`) }) as Block);
  }
}

// ---------------------------------------------------------------------------------------------
// Inline

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

function toInline(tokens: Token[]): Inline[] {
  const out: Inline[] = [];
  // Neighbouring text merged (escapes are tokens of their own), so wrapping sees whole words.
  const push = (node: Inline): void => {
    const last = out[out.length - 1];
    if (node.kind === 'text' && last?.kind === 'text') last.text += node.text;
    else out.push(node);
  };
  for (const token of tokens as MarkedToken[]) {
    switch (token.type) {
      case 'text':
      case 'escape':
      case 'html':
        push({ kind: 'text', text: token.text });
        break;
      case 'codespan':
        push({ kind: 'code', text: token.text });
        break;
      case 'strong':
        push({ kind: 'strong', children: toInline(token.tokens) });
        break;
      case 'em':
        push({ kind: 'em', children: toInline(token.tokens) });
        break;
      case 'del':
        push({ kind: 'strike', children: toInline(token.tokens) });
        break;
      case 'link':
        push({ kind: 'link', url: token.href, children: toInline(token.tokens) });
        break;
      case 'image':
        push({ kind: 'image', url: token.href, alt: plainText(toInline(token.tokens)) });
        break;
      case 'br':
        push({ kind: 'break' });
        break;
      default:
        push({ kind: 'text', text: token.raw });
        break;
    }
  }
  return out;
}

/**
 * A Block's inline source → Inline nodes. Lexed on its own, without the document's reference
 * definitions: `[text][ref]` stays text, as the definition does.
 */
export function parseInline(text: string): Inline[] {
  return toInline(Lexer.lexInline(text, options()));
}

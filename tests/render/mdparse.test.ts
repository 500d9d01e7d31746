// The adapter from marked's tokens to our Block/Inline trees (src/render/mdparse.ts).
import { getDefaults, marked } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { parseInline, parseMarkdown, type Block, type Inline } from '../../src/render/mdparse.js';

const text = (t: string): Inline => ({ kind: 'text', text: t });
const plain = (md: string, width = 80) => renderMarkdown(md, { color: false, width });

describe('parseMarkdown blocks', () => {
  it('reads ATX and setext headings', () => {
    expect(parseMarkdown('# One #\n\nTwo\nlines\n===\n\nSub\n---')).toEqual<Block[]>([
      { kind: 'heading', level: 1, text: 'One' },
      { kind: 'heading', level: 1, text: 'Two\nlines' },
      { kind: 'heading', level: 2, text: 'Sub' },
    ]);
  });

  it('keeps fenced code verbatim, with the first word of the info string as its language', () => {
    expect(parseMarkdown('```Python title="x.py"\n  if x:\n\n      y = "*a*"  \n```')).toEqual([
      { kind: 'code', lang: 'python', code: '  if x:\n\n      y = "*a*"  ' },
    ]);
    expect(parseMarkdown('~~~{.sql}\nSELECT 1;\n~~~')).toEqual([{ kind: 'code', lang: 'sql', code: 'SELECT 1;' }]);
    expect(parseMarkdown('para\n\n    indented code\n    more')).toEqual([
      { kind: 'paragraph', text: 'para' },
      { kind: 'code', lang: '', code: 'indented code\nmore' },
    ]);
  });

  it('turns tabs into spaces, so code never carries a raw tab', () => {
    expect(parseMarkdown('```\nif x:\n\ty\n```')).toEqual([{ kind: 'code', lang: '', code: 'if x:\n    y' }]);
  });

  it('nests lists, keeps ordered start numbers and task boxes', () => {
    expect(parseMarkdown('1. one\n   - a\n     - b\n2. two\n\n- [ ] todo\n- [x] done')).toEqual<Block[]>([
      {
        kind: 'list',
        ordered: true,
        start: 1,
        items: [
          [
            { kind: 'paragraph', text: 'one' },
            {
              kind: 'list',
              ordered: false,
              start: 1,
              items: [[{ kind: 'paragraph', text: 'a' }, { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'paragraph', text: 'b' }]] }]],
            },
          ],
          [{ kind: 'paragraph', text: 'two' }],
        ],
      },
      { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'paragraph', text: '\\[ \\] todo' }], [{ kind: 'paragraph', text: '\\[x\\] done' }]] },
    ]);
  });

  it('reads block quotes with lazy lines and nested blocks', () => {
    expect(parseMarkdown('> quote\nlazy\n>\n> - item')).toEqual<Block[]>([
      { kind: 'quote', blocks: [{ kind: 'paragraph', text: 'quote\nlazy' }, { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'paragraph', text: 'item' }]] }] },
    ]);
  });

  it('reads GFM tables: alignment, escaped pipes, rows cut or padded to the header', () => {
    expect(parseMarkdown('| a | b | c |\n|:--|:-:|--:|\n| `x\\|y` | 2 | 3 | 4 |\n| 1 |')).toEqual([
      { kind: 'table', head: ['a', 'b', 'c'], align: ['left', 'center', 'right'], rows: [['`x|y`', '2', '3'], ['1', '', '']] },
    ]);
  });

  it('strips the indentation of paragraph lines', () => {
    expect(parseMarkdown('   indented start\n      and more')).toEqual([{ kind: 'paragraph', text: 'indented start\nand more' }]);
  });

  it('keeps HTML as text: tags, HTML-looking lines and comments do not open HTML blocks', () => {
    expect(parseMarkdown('Use a\n<form> tag\n\n<div>\n**hi**\n</div>\n\n<!-- note -->')).toEqual([
      { kind: 'paragraph', text: 'Use a\n<form> tag' },
      { kind: 'paragraph', text: '<div>\n**hi**\n</div>' },
      { kind: 'paragraph', text: '<!-- note -->' },
    ]);
    // A <script> line would start an HTML block that runs past blank lines; here it is a paragraph.
    expect(parseMarkdown('<script>\nx()\n\n# Heading')).toEqual([
      { kind: 'paragraph', text: '<script>\nx()' },
      { kind: 'heading', level: 1, text: 'Heading' },
    ]);
  });

  it('leaves reference links and their definitions as text', () => {
    expect(parseMarkdown('[docs][1]\n\n[1]: https://x.org')).toEqual([
      { kind: 'paragraph', text: '[docs][1]' },
      { kind: 'paragraph', text: '[1]: https://x.org' },
    ]);
  });
});

describe('parseInline', () => {
  it('never italicises intraword underscores', () => {
    expect(parseInline('author__name__icontains, select_related_field and 2 * 3 * 4')).toEqual([
      text('author__name__icontains, select_related_field and 2 * 3 * 4'),
    ]);
    expect(parseInline('_em_ and *em*')).toEqual([{ kind: 'em', children: [text('em')] }, text(' and '), { kind: 'em', children: [text('em')] }]);
  });

  it('reads strikethrough, code spans, escapes and hard breaks', () => {
    expect(parseInline('~~old~~ `` a`b `` \\*x\\*  \nnext\\\nlast')).toEqual([
      { kind: 'strike', children: [text('old')] },
      text(' '),
      { kind: 'code', text: 'a`b' },
      text(' *x*'),
      { kind: 'break' },
      text('next'),
      { kind: 'break' },
      text('last'),
    ]);
  });

  it('shows HTML tags and entities as the text they are', () => {
    expect(parseInline('has_<perm>_permission, <b>x</b> &amp; <!-- c -->')).toEqual([text('has_<perm>_permission, <b>x</b> &amp; <!-- c -->')]);
  });

  it('reads links, images and autolinks', () => {
    expect(parseInline('[the *docs*](https://d.org "T") ![a *b*](i.png) <https://x.org> www.y.org a@b.co')).toEqual([
      { kind: 'link', url: 'https://d.org', children: [text('the '), { kind: 'em', children: [text('docs')] }] },
      text(' '),
      { kind: 'image', url: 'i.png', alt: 'a b' },
      text(' '),
      { kind: 'link', url: 'https://x.org', children: [text('https://x.org')] },
      text(' '),
      { kind: 'link', url: 'http://www.y.org', children: [text('www.y.org')] },
      text(' '),
      { kind: 'link', url: 'mailto:a@b.co', children: [text('a@b.co')] },
    ]);
  });
});

describe('rendered', () => {
  it('shows GFM autolinks once, without the scheme marked adds', async () => {
    expect(await plain('See www.djangoproject.com, https://x.org and a@b.co.')).toBe('See www.djangoproject.com, https://x.org and a@b.co.');
  });

  it('shows task boxes as written', async () => {
    expect(await plain('- [ ] todo\n- [x] done')).toBe('• [ ] todo\n• [x] done');
  });

  it('escapes HTML from the text in Anki fields', () => {
    expect(markdownToHtml('<div>\n**hi** <img src=x onerror=alert(1)>\n</div>')).toBe(
      '<div>&lt;div&gt;<br><b>hi</b> &lt;img src=x onerror=alert(1)&gt;<br>&lt;/div&gt;</div>',
    );
  });
});

describe('global marked settings', () => {
  afterEach(() => {
    marked.setOptions(getDefaults());
  });

  it('do not reach our lexer', () => {
    marked.use({ gfm: false, breaks: true, pedantic: true });
    expect(parseMarkdown('| a |\n|---|\n| 1 |')).toEqual([{ kind: 'table', head: ['a'], align: ['left'], rows: [['1']] }]);
    expect(parseInline('a\nb ~~c~~')).toEqual([text('a\nb '), { kind: 'strike', children: [text('c')] }]);
  });
});

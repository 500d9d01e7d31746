import chalk from 'chalk';
import { describe, expect, it } from 'vitest';
import { stripAnsi, visibleWidth } from '../../src/render/format.js';
import { highlightLanguage, renderMarkdown } from '../../src/render/markdown.js';
import { withChalkLevel } from '../helpers.js';

const ANSI = /\x1b/;
withChalkLevel(1);

const fence = '```';
const doc = `# select_related vs prefetch_related

Explain **when** to use \`select_related()\` and *when* \`prefetch_related()\`. See [the docs](https://docs.djangoproject.com/).

## Key facts

- one query with a JOIN
- one extra query per relation
  - joined in Python

1. First
2. Second

> Interviewers love this one.

${fence}python
books = Book.objects.select_related("author")  # one query
${fence}
`;

const plain = (md: string, width?: number) => renderMarkdown(md, { color: false, width });
const coloured = (md: string, width?: number) => renderMarkdown(md, { color: true, width });

describe('renderMarkdown without colour', () => {
  it('prints no ANSI at all, even with chalk enabled', async () => {
    expect(await plain(doc)).not.toMatch(ANSI);
  });

  it('keeps headings visible with setext-style rules under the top levels', async () => {
    const lines = (await plain(doc)).split('\n');
    const h1 = lines.indexOf('select_related vs prefetch_related');
    expect(h1).toBeGreaterThanOrEqual(0);
    expect(lines[h1 + 1]).toBe('='.repeat('select_related vs prefetch_related'.length));
    expect(lines[lines.indexOf('Key facts') + 1]).toBe('---------');
  });

  it('renders bullet, nested and numbered lists', async () => {
    const out = await plain(doc);
    expect(out).toContain('• one query with a JOIN\n• one extra query per relation\n  ◦ joined in Python');
    expect(out).toContain('1. First\n2. Second');
  });

  it('marks inline code with backticks, drops emphasis markers, shows links as text (url)', async () => {
    const out = await plain(doc, 200);
    expect(out).toContain('Explain when to use `select_related()` and when `prefetch_related()`.');
    expect(out).toContain('the docs (https://docs.djangoproject.com/)');
  });

  it('prefixes block quotes', async () => {
    expect(await plain(doc)).toContain('│ Interviewers love this one.');
  });

  it('indents code by two spaces and keeps it verbatim', async () => {
    expect(await plain(doc)).toContain('  books = Book.objects.select_related("author")  # one query');
  });

  it('leaves snake_case and ORM lookups alone (no accidental italics)', async () => {
    const out = await plain('Use author__name__icontains or select_related_field, and 2 * 3 * 4.');
    expect(out).toBe('Use author__name__icontains or select_related_field, and 2 * 3 * 4.');
  });

  it('handles escapes, strikethrough and CRLF input', async () => {
    expect(await plain('\\*not italic\\* and ~~old~~\r\nnext')).toBe('*not italic* and ~~old~~ next');
  });

  it('renders GFM tables as aligned columns', async () => {
    const out = await plain('| lookup | sql |\n|---|--:|\n| `exact` | = |\n| `icontains` | ILIKE |');
    expect(out.split('\n')).toEqual(['lookup         sql', '`exact`          =', '`icontains`  ILIKE']);
  });
});

describe('wrapping', () => {
  const long =
    'The queryset is evaluated lazily, which means that the database is not hit until the results are needed by the template or the view code.';

  it('wraps paragraphs to the width, 80 by default', async () => {
    for (const width of [undefined, 40]) {
      const lines = (await plain(long, width)).split('\n');
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(width ?? 80);
    }
  });

  it('keeps inline code whole when it fits the line', async () => {
    const md = `Words words words words words \`Book.objects.filter(author__name="x", year=2020)\` more words after it here.`;
    const out = await plain(md, 60);
    expect(out).toContain('`Book.objects.filter(author__name="x", year=2020)`');
  });

  it('breaks inline code wider than the line at its own spaces, never mid-token', async () => {
    const span = 'FieldError: Expression contains mixed types: DecimalField, IntegerField. You must set output_field.';
    const out = await plain(`It raises \`${span}\` here.`, 40);
    const lines = out.split('\n');
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(`\`${span}\``);
    for (const token of span.split(' ')) expect(lines.some((line) => line.includes(token))).toBe(true);
  });

  it('wraps list items with a hanging indent', async () => {
    const lines = (await plain(`- ${long}`, 40)).split('\n');
    expect(lines[0]?.startsWith('• ')).toBe(true);
    for (const line of lines.slice(1)) expect(line.startsWith('  ')).toBe(true);
  });

  it('wraps a code line wider than the text with a ↪ on each continuation, losing no character', async () => {
    const code = `x = ${'"a", '.repeat(30)}`;
    const out = await plain(`${fence}python\n${code}\n${fence}`, 40);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
    expect(lines.slice(1).every((l) => l.startsWith('  ↪ '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l.slice(2) : l.slice(4))).join('')).toBe(code);
    // A line that fits is left alone.
    expect(await plain(`${fence}python\nx = 1\n${fence}`, 40)).toBe('  x = 1');
  });

  it('wraps coloured code by visible width, keeping every colour code', async () => {
    const out = await coloured(`${fence}python\nvalue = compute("${'abc '.repeat(20)}")\n${fence}`, 40);
    for (const line of out.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(40);
  });

  it('measures width without the colour codes', async () => {
    for (const line of (await coloured(`**${long}** \`code span\` ${long}`, 50)).split('\n')) {
      expect(visibleWidth(line)).toBeLessThanOrEqual(50);
    }
  });
});

describe('renderMarkdown with colour', () => {
  it('styles headings bold and underlined', async () => {
    const out = await coloured('# Title');
    expect(out).toContain('\x1b[1m');
    expect(out).toContain('\x1b[4m');
    expect(stripAnsi(out)).toBe('Title');
  });

  it('styles bold, italic and colours inline code', async () => {
    const out = await coloured('**bold** *it* `code`');
    expect(out).toContain(chalk.bold('bold'));
    expect(out).toContain(chalk.italic('it'));
    expect(out).toContain(chalk.cyan('code'));
  });

  it('highlights known languages', async () => {
    const out = await coloured(`${fence}python\ndef f(x):\n    return "a"\n${fence}`);
    expect(out).toMatch(ANSI);
    expect(stripAnsi(out)).toBe('  def f(x):\n      return "a"');
  });

  it('highlights Django templates and SQL', async () => {
    expect(await coloured(`${fence}django\n{% if user %}{{ user.name }}{% endif %}\n${fence}`)).toMatch(ANSI);
    expect(await coloured(`${fence}sql\nSELECT id FROM book WHERE id = 1;\n${fence}`)).toMatch(ANSI);
  });

  it('prints unknown languages plain', async () => {
    const out = await coloured(`${fence}brainfuck\n++[>+<-]\n${fence}`);
    expect(out).toBe('  ++[>+<-]');
  });
});

describe('untrusted input', () => {
  const evil = `# Title\x1b]0;pwned\x07\n\nText\x1b[2J\x1b[H with \`code\x1b[31m\` and \x9b2J\r\n\n${fence}python\nprint(1)\x1b]8;;http://x\x1b\\\n${fence}`;

  it('strips every control sequence from a pack before rendering, without colour', async () => {
    const out = await plain(evil);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(out).toContain('Text with `code` and');
  });

  it('leaves only SGR styling with colour on', async () => {
    const out = await coloured(evil);
    const sequences = out.match(/\x1b[^m]*m?/g) ?? [];
    for (const sequence of sequences) expect(sequence).toMatch(/^\x1b\[[0-9;]*m$/);
    expect(out).not.toMatch(/[\x9b\x9d\r\x07]/);
  });
});

describe('highlightLanguage', () => {
  it.each([
    ['python', 'python'],
    ['py', 'python'],
    ['sql', 'sql'],
    ['bash', 'bash'],
    ['sh', 'bash'],
    ['shell', 'bash'],
    ['console', 'bash'],
    ['html', 'django'],
    ['django', 'django'],
    ['jinja', 'django'],
    ['htmldjango', 'django'],
    ['js', 'javascript'],
    ['javascript', 'javascript'],
    ['json', 'json'],
    ['ini', 'ini'],
    ['toml', 'ini'],
    ['yaml', 'yaml'],
    ['yml', 'yaml'],
    ['Python', 'python'],
    ['cobol', undefined],
    ['', undefined],
    ['constructor', undefined],
  ])('%s → %s', (lang, expected) => {
    expect(highlightLanguage(lang)).toBe(expected);
  });
});

describe('hostile nesting', () => {
  it('200,000 nested quotes or list markers render (capped nesting) instead of overflowing the stack', async () => {
    const { renderMarkdown: render } = await import('../../src/render/markdown.js');
    const { markdownToHtml } = await import('../../src/render/html.js');
    for (const md of [`${'> '.repeat(200_000)}deep`, `${'- '.repeat(100_000)}deep`, `${'['.repeat(100_000)} ${'*'.repeat(100_000)}`]) {
      const out = await render(md, { color: false, width: 80 });
      expect(out.length).toBeGreaterThan(0);
      expect(markdownToHtml(md).length).toBeGreaterThan(0);
    }
  });
});

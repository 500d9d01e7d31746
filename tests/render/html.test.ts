import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml } from '../../src/render/html.js';
import { parseInline, parseMarkdown } from '../../src/render/mdparse.js';

describe('markdownToHtml (Anki fields)', () => {
  it('never emits a raw tab or newline', () => {
    const html = markdownToHtml('# Title\n\npara\tgraph\nline two\n\n```\ncode\n\tindented\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n> more\n\n1. one\n2. two\n');
    expect(html).not.toMatch(/[\t\n\r]/);
    expect(html).toContain('<table>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<ol>');
  });

  it('escapes HTML in text and code', () => {
    expect(markdownToHtml('<script>alert(1)</script> & `<b>`')).toBe('<div>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <code>&lt;b&gt;</code></div>');
    expect(escapeHtml(`a"b'c\nd\te`)).toBe('a&quot;b&#39;c<br>d&#9;e');
  });

  it('links only web and mail addresses', () => {
    expect(markdownToHtml('[docs](https://djangoproject.com)')).toBe('<div><a href="https://djangoproject.com">docs</a></div>');
    expect(markdownToHtml('[click](javascript:alert(1))')).toBe('<div>click (javascript:alert(1))</div>');
  });

  it('drops terminal control sequences from pack text', () => {
    expect(markdownToHtml('a\x1b[2Jb\x9b1m')).toBe('<div>ab</div>');
  });
});

describe('parser edge cases', () => {
  it('parses nested emphasis and links with parentheses in the URL', () => {
    expect(parseInline('***both***')).toEqual([{ kind: 'em', children: [{ kind: 'strong', children: [{ kind: 'text', text: 'both' }] }] }]);
    expect(parseInline('[wiki](https://en.wikipedia.org/wiki/Django_(web_framework))')).toEqual([
      { kind: 'link', url: 'https://en.wikipedia.org/wiki/Django_(web_framework)', children: [{ kind: 'text', text: 'wiki' }] },
    ]);
  });

  it('treats an unclosed code span as text', () => {
    expect(parseInline('a `b c')).toEqual([{ kind: 'text', text: 'a `b c' }]);
  });

  it('runs an unclosed fence to the end', () => {
    expect(parseMarkdown('```python\nx = 1\n\ny = 2')).toEqual([{ kind: 'code', lang: 'python', code: 'x = 1\n\ny = 2' }]);
  });

  it('keeps a list going across blank lines and honours its start number', () => {
    const [list] = parseMarkdown('3. three\n\n4. four\n\nafter');
    expect(list).toMatchObject({ kind: 'list', ordered: true, start: 3 });
    expect(list?.kind === 'list' && list.items).toHaveLength(2);
  });

  it('does not start a list inside a paragraph from a wrapped number', () => {
    expect(parseMarkdown('Django was released in\n2005. It is mature.')).toEqual([
      { kind: 'paragraph', text: 'Django was released in\n2005. It is mature.' },
    ]);
  });
});

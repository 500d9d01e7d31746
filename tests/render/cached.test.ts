import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdownCached } from '../../src/render/cached.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { tempDir } from '../helpers.js';

const md = '# Title\n\nSome `code` and a list:\n\n- one\n- two\n\n```python\nx = 1\n```\n';

describe('rendered-Markdown cache', () => {
  it('renders exactly what renderMarkdown renders, then serves it from the cache', async () => {
    const dir = join(tempDir(), 'render');
    const cache = { dir, id: 'test-1' };
    const first = await renderMarkdownCached(md, { color: false, width: 60 }, cache);
    expect(first).toBe(await renderMarkdown(md, { color: false, width: 60 }));
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^[0-9a-f]{40}\.txt$/);
    // Proof that the second call reads the file instead of rendering.
    writeFileSync(join(dir, file as string), 'FROM CACHE');
    expect(await renderMarkdownCached(md, { color: false, width: 60 }, cache)).toBe('FROM CACHE');
  });

  it('keys on text, width, colour and renderer id', async () => {
    const dir = join(tempDir(), 'render');
    const variants: [string, number, boolean, string][] = [
      [md, 60, false, 'a'],
      [`${md}\nmore`, 60, false, 'a'],
      [md, 70, false, 'a'],
      [md, 60, true, 'a'],
      [md, 60, false, 'b'],
    ];
    for (const [text, width, color, id] of variants) await renderMarkdownCached(text, { color, width }, { dir, id });
    expect(readdirSync(dir)).toHaveLength(variants.length);
  });

  it('caches nothing without a renderer id (tests, dev builds) and survives an unwritable folder', async () => {
    const home = tempDir();
    const dir = join(home, 'render');
    expect(await renderMarkdownCached(md, { color: false }, { dir })).toBe(await renderMarkdown(md, { color: false }));
    expect(existsSync(dir)).toBe(false);
    const blocked = join(home, 'file');
    writeFileSync(blocked, 'x');
    expect(await renderMarkdownCached(md, { color: false }, { dir: join(blocked, 'render'), id: 'x' })).toBe(await renderMarkdown(md, { color: false }));
  });
});

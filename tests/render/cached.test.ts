import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../src/binary-file.js';
import { describe, expect, it } from 'vitest';
import { renderMarkdownCached } from '../../src/render/cached.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { tempDir } from '../helpers.js';

/** The renderings in a cache folder (not its housekeeping marker). */
const renderings = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.txt'));

const md = '# Title\n\nSome `code` and a list:\n\n- one\n- two\n\n```python\nx = 1\n```\n';

describe('rendered-Markdown cache', () => {
  it('renders exactly what renderMarkdown renders, then serves it from the cache', async () => {
    const dir = join(tempDir(), 'render');
    const cache = { dir, id: 'test-1' };
    const first = await renderMarkdownCached(md, { color: false, width: 60 }, cache);
    expect(first).toBe(await renderMarkdown(md, { color: false, width: 60 }));
    const [file] = renderings(dir);
    expect(file).toMatch(/^[0-9a-f]{40}\.txt$/);
    // Proof that the second call reads the file instead of rendering (with a valid checksum).
    const body = Buffer.from('FROM CACHE');
    writeFileSync(join(dir, file as string), `${crc32(body).toString(16).padStart(8, '0')}\nFROM CACHE`);
    expect(await renderMarkdownCached(md, { color: false, width: 60 }, cache)).toBe('FROM CACHE');
  });

  it('a truncated or damaged entry is rendered again, never shown', async () => {
    const dir = join(tempDir(), 'render');
    const cache = { dir, id: 'test-1' };
    const fresh = await renderMarkdownCached(md, { color: false, width: 60 }, cache);
    const path = join(dir, renderings(dir)[0] as string);
    const stored = readFileSync(path);
    for (const damaged of [stored.subarray(0, stored.length - 5), Buffer.concat([stored.subarray(0, 20), Buffer.from('X'), stored.subarray(21)]), Buffer.alloc(0)]) {
      writeFileSync(path, damaged);
      expect(await renderMarkdownCached(md, { color: false, width: 60 }, cache)).toBe(fresh);
    }
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
    expect(renderings(dir)).toHaveLength(variants.length);
  });

  it('drops renderings not written for 30 days and orphaned temp files, once a day', async () => {
    const dir = join(tempDir(), 'render');
    mkdirSync(dir);
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    const file = (name: string, days: number) => {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), ago(days), ago(days));
    };
    file(`${'a'.repeat(40)}.txt`, 40); // an old build's rendering
    file(`${'b'.repeat(40)}.txt`, 3);
    file(`${'c'.repeat(40)}.txt.123.tmp`, 1); // left by a writer killed mid-write
    file(`${'d'.repeat(40)}.txt.456.tmp`, 0); // being written right now
    await renderMarkdownCached(md, { color: false, width: 60 }, { dir, id: 'test-3' });
    const left = readdirSync(dir);
    expect(left).toHaveLength(4);
    expect(left).toEqual(expect.arrayContaining(['.swept', `${'b'.repeat(40)}.txt`, `${'d'.repeat(40)}.txt.456.tmp`]));
    expect(renderings(dir).filter((f) => !/^(.)\1+\.txt$/.test(f))).toHaveLength(1); // the new rendering
    // Not again the same day: a file that became old meanwhile stays until tomorrow's sweep.
    file(`${'e'.repeat(40)}.txt`, 40);
    await renderMarkdownCached(`${md}\nagain`, { color: false, width: 60 }, { dir, id: 'test-3' });
    expect(readdirSync(dir)).toContain(`${'e'.repeat(40)}.txt`);
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

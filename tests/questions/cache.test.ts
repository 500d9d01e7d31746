import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBankCached } from '../../src/questions/cache.js';
import { crc32 } from '../../src/binary-file.js';
import { ctimeReliable } from '../../src/file-stamp.js';
import { decodeIndex, encodeIndex, PARSER_ID } from '../../src/questions/cache-index.js';
import { loadBank } from '../../src/questions/load.js';
import type { Question } from '../../src/types.js';
import { questionFile, tempDir, writeBank } from '../helpers.js';

const titles = async (root: string, home: string, bodies = false) =>
  (await loadBankCached([root], home, { bodies })).bank.questions.map((q) => `${q.id}:${q.title}`).sort();

describe('bank cache', () => {
  it('serves the same bank as a fresh parse, with and without bodies', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b', type: 'choice' }], views: [{ id: 'views-a' }] });
    const home = tempDir();
    const direct = await loadBank([root]);
    const first = await loadBankCached([root], home, { bodies: true });
    const second = await loadBankCached([root], home, { bodies: true });
    expect(first).toEqual(direct);
    expect(second).toEqual(direct);
    const index = await loadBankCached([root], home, { bodies: false });
    expect(index.bank.questions.map((q) => q.id)).toEqual(direct.bank.questions.map((q) => q.id));
    expect(index.bank.questions[0]?.answer).toBe('');
    expect(readdirSync(join(home, 'cache')).sort()).toEqual([expect.stringMatching(/^bank-\w+\.bodies\.json$/), expect.stringMatching(/^bank-\w+\.idx$/)]);
  });

  it('sees an edited, an added and a deleted file on the next load', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', title: 'Old title' }, { id: 'orm-b' }] });
    const home = tempDir();
    expect(await titles(root, home)).toEqual(['orm-a:Old title', 'orm-b:Title of orm-b']);

    writeFileSync(join(root, 'orm', 'orm-a.md'), questionFile({ id: 'orm-a', title: 'New title' }));
    writeFileSync(join(root, 'orm', 'orm-c.md'), questionFile({ id: 'orm-c', title: 'Added' }));
    rmSync(join(root, 'orm', 'orm-b.md'));
    expect(await titles(root, home)).toEqual(['orm-a:New title', 'orm-c:Added']);
    expect(await titles(root, home, true)).toEqual(['orm-a:New title', 'orm-c:Added']);
  });

  it('re-reads a file whose size is unchanged but whose mtime moved', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', title: 'AAAA' }] });
    const home = tempDir();
    expect(await titles(root, home, true)).toEqual(['orm-a:AAAA']);
    const file = join(root, 'orm', 'orm-a.md');
    writeFileSync(file, questionFile({ id: 'orm-a', title: 'BBBB' }));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(await titles(root, home, true)).toEqual(['orm-a:BBBB']);
  });

  it('keeps reporting a broken file from the cache, and sees it fixed', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }] });
    const home = tempDir();
    writeFileSync(join(root, 'orm', 'bad.md'), 'no frontmatter');
    for (let i = 0; i < 2; i++) {
      const { problems } = await loadBankCached([root], home, { bodies: false });
      expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('missing YAML frontmatter')]);
    }
    writeFileSync(join(root, 'orm', 'bad.md'), questionFile({ id: 'orm-fixed' }));
    expect((await loadBankCached([root], home, { bodies: false })).problems).toEqual([]);
  });

  it('works when the home folder cannot be written', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }] });
    const home = join(tempDir(), 'file-not-dir');
    writeFileSync(home, 'x');
    expect(await titles(root, home)).toEqual(['orm-a:Title of orm-a']);
    expect(existsSync(join(home, 'cache'))).toBe(false);
  });

  it('re-reads only what changed when names shift (a file added in the middle)', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-c' }, { id: 'orm-e' }] });
    const home = tempDir();
    const parsed: number[] = [];
    const load = () => loadBankCached([root], home, { bodies: false, onParse: (n) => void parsed.push(n) });
    await load();
    expect(parsed).toEqual([3]);
    writeFileSync(join(root, 'orm', 'orm-b.md'), questionFile({ id: 'orm-b' }));
    rmSync(join(root, 'orm', 'orm-e.md'));
    const { bank } = await load();
    expect(parsed).toEqual([3, 1]);
    expect(bank.questions.map((q) => q.id)).toEqual(['orm-a', 'orm-b', 'orm-c']);
    await load();
    expect(parsed).toEqual([3, 1]);
  });

  const indexPath = (home: string) => join(home, 'cache', readdirSync(join(home, 'cache')).find((f) => f.endsWith('.idx')) as string);

  it('compares content hashes where a stamp cannot be trusted (no real ctime)', async () => {
    expect(ctimeReliable({ mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_500 })).toBe(true);
    expect(ctimeReliable({ mtimeMs: 1_700_000_000_000, ctimeMs: 0 })).toBe(false); // not kept (FAT)
    expect(ctimeReliable({ mtimeMs: 1_700_000_000_000, ctimeMs: 1_600_000_000_000 })).toBe(false); // before the mtime
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b' }] });
    const home = tempDir();
    await loadBankCached([root], home, { bodies: false });
    const parsed = async (verifyContent: boolean) => {
      const counts: number[] = [];
      await loadBankCached([root], home, { bodies: false, verifyContent, onParse: (n) => void counts.push(n) });
      return counts;
    };
    expect(await parsed(true)).toEqual([]); // every hash matches
    // A stamp that matches while the content does not (what a FAT volume cannot show): forged
    // here by changing the stored hash of one file.
    const index = decodeIndex(readFileSync(indexPath(home)))!;
    const folder = Object.values(index.dirs)[0]!;
    const hashes = folder.cols.h as Float64Array;
    hashes[1] = (hashes[1] ?? 0) + 1;
    writeFileSync(indexPath(home), encodeIndex(index));
    expect(await parsed(false)).toEqual([]); // the stamp alone is trusted where ctime is real
    expect(await parsed(true)).toEqual([1]); // the hash catches it, and only that file is parsed
    expect(await parsed(true)).toEqual([]); // and the cache is right again
  });

  it('ignores a damaged index (its checksum no longer matches) and parses the bank again', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', tags: ['x'] }, { id: 'orm-b', tags: ['x'] }], views: [{ id: 'views-a' }] });
    const home = tempDir();
    const direct = await loadBank([root]);
    await loadBankCached([root], home, { bodies: false });
    const path = indexPath(home);
    const bytes = readFileSync(path);
    const header = JSON.parse(bytes.toString('latin1', 8, 8 + bytes.readUInt32LE(4))) as { dirs: { dir: string; meta: { tagSets: string[][] } }[] };
    // Two questions with the same tags share one stored list.
    expect(header.dirs.find((d) => d.dir.endsWith('orm'))?.meta.tagSets).toEqual([['x']]);
    // One id where the orm folder has two: that entry no longer adds up.
    const at = bytes.indexOf('orm-a\0orm-b');
    expect(at).toBeGreaterThan(0);
    bytes[at + 5] = 'x'.charCodeAt(0);
    writeFileSync(path, bytes);
    const parsed: number[] = [];
    const { bank } = await loadBankCached([root], home, { bodies: false, onParse: (n) => void parsed.push(n) });
    // A flipped byte anywhere fails the CRC-32 of the whole file: every folder is read again.
    expect(parsed).toEqual([3]);
    expect(bank.questions.map((q) => [q.id, q.tags])).toEqual(direct.bank.questions.map((q) => [q.id, q.tags]));
  });

  it('parses everything again when the index is cut short or not an index', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b' }], views: [{ id: 'views-a' }] });
    const home = tempDir();
    const direct = await loadBank([root]);
    await loadBankCached([root], home, { bodies: false });
    const path = indexPath(home);
    const whole = readFileSync(path);
    for (const damaged of [whole.subarray(0, whole.length - 8), whole.subarray(0, 12), Buffer.from('{"v":4,"dirs":{},"topics":{}}'), Buffer.alloc(0)]) {
      writeFileSync(path, damaged);
      const parsed: number[] = [];
      const result = await loadBankCached([root], home, { bodies: false, onParse: (n) => void parsed.push(n) });
      expect(parsed).toEqual([3]);
      expect(result.bank.questions.map((q) => q.id)).toEqual(direct.bank.questions.map((q) => q.id));
    }
  });

  it('does not use a cache written by another build', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b' }] });
    const home = tempDir();
    await loadBankCached([root], home, { bodies: true });
    const path = indexPath(home);
    const index = decodeIndex(readFileSync(path))!;
    const bodiesPath = join(home, 'cache', readdirSync(join(home, 'cache')).find((f) => f.endsWith('.bodies.json')) as string);
    const bodies = readFileSync(bodiesPath, 'latin1');
    const load = async () => {
      const parsed: number[] = [];
      const { bank } = await loadBankCached([root], home, { bodies: true, onParse: (n) => void parsed.push(n) });
      expect(bank.questions.map((q) => q.answer)).toEqual(['The answer of orm-a.', 'The answer of orm-b.']);
      return parsed;
    };
    // Re-encoded by this build: used as it is, nothing parsed.
    writeFileSync(path, encodeIndex(index, PARSER_ID));
    expect(await load()).toEqual([]);
    // What another build (an older release, changed code) cached came from its own parser.
    writeFileSync(path, encodeIndex(index, 'another-build'));
    expect(await load()).toEqual([2]);
    // The bodies likewise (their file is JSON with a CRC line first).
    await load();
    const json = bodies.slice(bodies.indexOf('\n') + 1).replace(`"build":"${PARSER_ID}"`, '"build":"another-build"');
    writeFileSync(bodiesPath, `${crc32(Buffer.from(json, 'latin1')).toString(16).padStart(8, '0')}\n${json}`, 'latin1');
    expect(await load()).toEqual([2]);
  });

  it('keeps numbers of every size exactly: big files, times, fractional mtimes', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', time: 3600, body: `What?\n\n## Answer\n${'word '.repeat(15_000)}\n` }, { id: 'orm-b', time: 45 }, { id: 'orm-c' }] });
    const home = tempDir();
    const file = join(root, 'orm', 'orm-b.md');
    utimesSync(file, new Date(1_700_000_000_123.5), new Date(1_700_000_000_123.5));
    const direct = await loadBank([root]);
    await loadBankCached([root], home, { bodies: true });
    const parsed: number[] = [];
    const cached = await loadBankCached([root], home, { bodies: true, onParse: (n) => void parsed.push(n) });
    expect(parsed).toEqual([]);
    expect(cached).toEqual(direct);
    expect(cached.bank.questions.map((q) => q.time)).toEqual([3600, 45, undefined]);
  });

  it('drops the JSON cache files of earlier versions, and orphaned temp files, when it writes its own', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }] });
    const home = tempDir();
    mkdirSync(join(home, 'cache'));
    for (const name of ['bank-0123456789abcdef.json', 'bank-0123456789abcdef.bodies.json', 'history.bin', 'notes.json', 'history.bin.77.tmp', 'bank-x.idx.78.tmp']) writeFileSync(join(home, 'cache', name), '{}');
    // A writer killed between write and rename left the first; the second is being written now.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(home, 'cache', 'history.bin.77.tmp'), old, old);
    await titles(root, home);
    expect(readdirSync(join(home, 'cache')).filter((f) => !f.startsWith('bank-')).sort()).toEqual(['history.bin', 'notes.json']);
    expect(readdirSync(join(home, 'cache'))).toContain('bank-x.idx.78.tmp');
    expect(readdirSync(join(home, 'cache')).filter((f) => f.startsWith('bank-') && !f.endsWith('.tmp')).every((f) => /^bank-[0-9a-f]{14}\.(idx|bodies\.json)$/.test(f))).toBe(true);
  });

  it('gives the same problems and questions from the cache as a fresh parse: duplicates, broken files', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'shared' }], views: [{ id: 'views-a' }, { id: 'shared' }] });
    writeFileSync(join(root, 'views', 'broken.md'), '---\nid: [unclosed\n---\n');
    const home = tempDir();
    const direct = await loadBank([root]);
    expect(direct.problems.map((p) => p.message)).toEqual([expect.stringContaining('frontmatter does not parse'), expect.stringContaining('duplicate id "shared"')]);
    await loadBankCached([root], home, { bodies: true }); // a cold load parses everything
    for (const bodies of [false, true, false, true]) {
      const cached = await loadBankCached([root], home, { bodies });
      expect(cached.problems).toEqual(direct.problems);
      expect(cached.bank.topics).toEqual(direct.bank.topics);
      const refs = cached.bank.refs;
      expect(refs?.ids).toEqual(direct.bank.questions.map((q) => q.id));
      expect(refs?.topics).toEqual(direct.bank.questions.map((q) => q.topic));
      const strip = (q: Question) => (bodies ? q : { ...q, prompt: '', answer: '', keypoints: [], choices: [], followUps: [] });
      expect(refs?.question(1)).toEqual(strip(direct.bank.questions[1] as Question));
      expect(cached.bank.questions).toEqual(direct.bank.questions.map(strip));
    }
  });

  it('keeps non-ASCII text intact (the cache is written as ASCII and read as latin1)', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', title: 'Café — naïve façade 🚀 “quotes”', tags: ['ünïcode'] }] });
    const home = tempDir();
    const direct = await loadBank([root]);
    await loadBankCached([root], home, { bodies: true });
    for (const file of readdirSync(join(home, 'cache')).filter((f) => f.endsWith('.json'))) {
      expect(/^[\x00-\x7f]*$/.test(readFileSync(join(home, 'cache', file), 'latin1'))).toBe(true);
    }
    expect((await loadBankCached([root], home, { bodies: true })).bank.questions).toEqual(direct.bank.questions);
    const indexOnly = await loadBankCached([root], home, { bodies: false });
    expect(indexOnly.bank.questions.map((q) => [q.title, q.tags])).toEqual([['Café — naïve façade 🚀 “quotes”', ['ünïcode']]]);
  });

  it('lists every folder on every run: a file added behind a folder mtime put back is seen', async () => {
    // (Remembering listings while a folder's mtime stood still saved 7 % of a 10k list; it was
    // removed with the other speed-ups under 10 %: README "Performance".)
    const root = writeBank({ orm: [{ id: 'orm-a' }] });
    const home = tempDir();
    const dir = join(root, 'orm');
    const then = new Date(Date.now() - 60_000);
    utimesSync(dir, then, then);
    await titles(root, home);
    writeFileSync(join(dir, 'orm-b.md'), questionFile({ id: 'orm-b' }));
    utimesSync(dir, then, then);
    expect(await titles(root, home)).toEqual(['orm-a:Title of orm-a', 'orm-b:Title of orm-b']);
  });
});

describe('a question file edited with its mtime put back', () => {
  it('is read again: a same-size edit with utimes restored never shows the old text', async () => {
    const { utimesSync, statSync: st } = await import('node:fs');
    const root = writeBank({ orm: [{ id: 'orm-a', title: 'Cache me' }] });
    const home = tempDir();
    const file = join(root, 'orm', 'orm-a.md');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    await new Promise((r) => setTimeout(r, 20));
    await loadBankCached([root], home, { bodies: true });
    const before = st(file);
    // A typo fixed letter for letter: same size; then the old mtime restored (cp -p, rsync -a).
    writeFileSync(file, readFileSync(file, 'utf8').replace('Cache me', 'Cache us'));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(st(file).size).toBe(before.size);
    expect(st(file).mtimeMs).toBe(before.mtimeMs);
    const { bank } = await loadBankCached([root], home, { bodies: true });
    expect(bank.questions[0]?.title).toBe('Cache us');
  });
});

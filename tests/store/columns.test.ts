/** The history in columns: same stats as the full history, and a cache that is never stale. */
import { existsSync } from 'node:fs';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeColumns, encodeColumns, historyColumns } from '../../src/session/history.js';
import { questionProgress } from '../../src/session/progress.js';
import { computeStats } from '../../src/session/stats.js';
import { readCachedColumns } from '../../src/store/columns-cache.js';
import { fileStamp } from '../../src/file-stamp.js';
import { ScoresStore } from '../../src/store/index.js';
import type { Bank } from '../../src/types.js';
import { attempt, removeTempDirs, session, tempDir } from './helpers.js';

afterEach(removeTempDirs);

const bank: Bank = {
  topics: [
    { name: 'orm', title: 'ORM', description: '', order: 1 },
    { name: 'views', title: 'Views', description: '', order: 2 },
  ],
  questions: ['orm-a', 'orm-b', 'views-a'].map((id) => ({
    id,
    topic: id.split('-')[0] as string,
    title: id,
    difficulty: 'mid' as const,
    tags: [],
    type: 'open' as const,
    keypoints: ['a'],
    choices: [],
    prompt: '',
    answer: '',
    followUps: [],
    file: `/${id}.md`,
  })),
};

describe('history columns', () => {
  it('give exactly the stats and progress of the full history, also after a binary round trip', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({
      attempts: [
        attempt({ questionId: 'orm-a', topic: 'orm', score: 0.5, rating: 'hard', sessionId: 's1' }),
        attempt({ questionId: 'orm-b', topic: 'orm', score: 1, rating: 'easy', sessionId: 's1' }),
        attempt({ questionId: 'views-a', topic: 'views', score: 0, rating: 'again', sessionId: 's2' }),
        attempt({ questionId: 'orm-a', topic: 'orm', score: 1, rating: 'easy', sessionId: 's2' }),
        // A question that left the bank still counts under the topic it was answered in.
        attempt({ questionId: 'gone-q', topic: 'views', score: 1, rating: 'easy', sessionId: 's3', durationMs: 7000 }),
      ],
    });
    const scores = await store.read();
    const now = new Date(Date.UTC(2026, 10, 26, 12));
    const input = { bank, now, timeZone: 'Asia/Tokyo' };
    const full = computeStats({ ...input, scores });
    const decoded = decodeColumns(encodeColumns(historyColumns(scores), { size: 1 }));
    expect(decoded?.stamp).toEqual({ size: 1 });
    const cols = decoded!.columns;
    expect(computeStats({ ...input, scores: cols })).toEqual(full);
    expect(questionProgress(bank, cols, now)).toEqual(questionProgress(bank, scores, now));
    expect(computeStats({ ...input, scores: cols, topics: ['views'] })).toEqual(computeStats({ ...input, scores, topics: ['views'] }));
    expect(full.totals).toMatchObject({ attempts: 5, sessions: 3 });
  });

  it('are cached by the size and mtime of scores.json and rebuilt after every save', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    expect((await store.readColumns()).q.length).toBe(0);
    expect(existsSync(join(home, 'cache'))).toBe(false); // no history, nothing written

    await store.record({ attempts: [attempt({ questionId: 'orm-a' })] });
    expect((await store.readColumns()).ids).toEqual(['orm-a']);
    const cachePath = join(home, 'cache', 'history.bin');
    const cached = decodeColumns(await readFile(cachePath));
    // Proof that an unchanged scores.json is served from the cache.
    cached!.columns.ids = ['from-cache'];
    await writeFile(cachePath, encodeColumns(cached!.columns, cached!.stamp));
    expect((await new ScoresStore({ home, warn: vi.fn() }).readColumns()).ids).toEqual(['from-cache']);
    // The same cache from another build (another release, or changed code) is not used.
    await writeFile(cachePath, encodeColumns(cached!.columns, cached!.stamp, 'another-build'));
    expect((await new ScoresStore({ home, warn: vi.fn() }).readColumns()).ids).toEqual(['orm-a']);

    await store.record({ attempts: [attempt({ questionId: 'orm-b' })] });
    expect((await store.readColumns()).ids).toEqual(['orm-a', 'orm-b']);
  });

  it('round-trip indexes of every width (1, 2 and 4 bytes by table size)', () => {
    for (const sessions of [3, 300, 70_000]) {
      const attempts = Array.from({ length: sessions }, (_, i) => attempt({ questionId: `q-${i % 5}`, sessionId: `s${i}` }));
      const cols = historyColumns({ version: 2, attempts, cards: {}, sessions: [] });
      const decoded = decodeColumns(encodeColumns(cols, null))!.columns;
      expect(decoded.s.BYTES_PER_ELEMENT).toBe(sessions <= 256 ? 1 : sessions <= 65_536 ? 2 : 4);
      expect(Array.from(decoded.s)).toEqual(Array.from(cols.s));
      expect(Array.from(decoded.q)).toEqual(Array.from(cols.q));
      expect(decoded.sessions).toBe(sessions);
    }
  });

  it('keep ids and topics outside ASCII exactly (the header is written as ASCII, read as latin1)', () => {
    const cols = historyColumns({
      version: 2,
      attempts: [attempt({ questionId: 'orm-café-naïve', topic: 'ünïcode' }), attempt({ questionId: 'orm-🚀', topic: 'orm' })],
      cards: {},
      sessions: [],
    });
    const bytes = encodeColumns(cols, { size: 1 });
    expect(/^[\x00-\x7f]*$/.test(bytes.toString('latin1', 8, 8 + bytes.readUInt32LE(4)))).toBe(true);
    const decoded = decodeColumns(bytes)!.columns;
    expect(decoded.ids).toEqual(['orm-café-naïve', 'orm-🚀']);
    expect(decoded.topics).toEqual(['ünïcode', 'orm']);
  });

  it('reject bytes that are not a whole, consistent cache', () => {
    const cols = historyColumns({
      version: 2,
      attempts: [attempt({ questionId: 'orm-a' }), attempt({ questionId: 'orm-b', sessionId: 's9' })],
      cards: {},
      sessions: [],
    });
    const bytes = encodeColumns(cols, null);
    expect(decodeColumns(bytes)?.columns.ids).toEqual(['orm-a', 'orm-b']);
    expect(decodeColumns(bytes.subarray(0, bytes.length - 8))).toBeUndefined();
    expect(decodeColumns(Buffer.concat([bytes, Buffer.alloc(8)]))).toBeUndefined();
    expect(decodeColumns(Buffer.from('{"v":1}'))).toBeUndefined();
    // Indexes past their tables (a damaged cache) are skipped by the stats, not trusted.
    const broken = decodeColumns(encodeColumns(Object.assign(cols, { q: Uint32Array.from([0, 7]), s: Uint32Array.from([0, 9]) }), null));
    const stats = computeStats({ bank, scores: broken!.columns, now: new Date(), timeZone: 'UTC' });
    expect(stats.totals).toMatchObject({ attempts: 1, sessions: 1 });
  });

  it('are written when a session ends, so the next stats does not parse the history', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    const stampOf = async () => fileStamp(await stat(join(home, 'scores.json')));
    // An answer in the middle of a session: the columns wait for the end of it.
    await store.record({ attempts: [attempt({ questionId: 'orm-a' })], session: session({ id: 's1' }) });
    expect(readCachedColumns(home, await stampOf())).toBeUndefined();
    await store.record({ attempts: [attempt({ questionId: 'orm-b', score: 0.5 })], session: session({ id: 's1', endedAt: new Date().toISOString() }) });
    const cached = readCachedColumns(home, await stampOf());
    expect(cached).toBeDefined();
    const now = new Date();
    expect(computeStats({ bank, scores: cached!, now, timeZone: 'UTC' })).toEqual(computeStats({ bank, scores: await store.read(), now, timeZone: 'UTC' }));
  });

  it('ignore a broken cache file', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt({ questionId: 'orm-a' })] });
    await store.readColumns();
    await writeFile(join(home, 'cache', 'history.bin'), '{ not json');
    expect((await store.readColumns()).ids).toEqual(['orm-a']);
  });
});

describe('last attempts', () => {
  it('treat any question id as a plain key, even "constructor"', async () => {
    const { lastAttempts } = await import('../../src/session/history.js');
    const last = lastAttempts([attempt({ questionId: 'constructor', score: 0.5 }), attempt({ questionId: 'constructor', score: 1 })]);
    expect(last.constructor).toEqual({ count: 2, score: 1, at: expect.any(String) });
  });
});

describe('history cache integrity', () => {
  it('a same-size scores.json put back with the old mtime (a restored backup) is never served from the cache', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt({ questionId: 'orm-a', score: 1 })], session: session({ id: 's1', endedAt: new Date().toISOString() }) });
    const path = join(home, 'scores.json');
    // A whole-second mtime, so that putting it back below restores it exactly.
    await utimes(path, 1_700_000_000, 1_700_000_000);
    await new ScoresStore({ home, warn: vi.fn() }).readColumns();
    const before = await stat(path);
    expect(readCachedColumns(home, fileStamp(before))).toBeDefined();
    // A file system without a real ctime (FAT, exFAT: reported as 0) could not tell a restored
    // backup from the original: the cache is not used there at all.
    expect(readCachedColumns(home, { ...fileStamp(before), ctimeMs: 0 })).toBeUndefined();
    // The same bytes but one digit: same size; then the old mtime restored, as cp -p or rsync -a do.
    const text = await readFile(path, 'utf8');
    const edited = text.replace('"score":1,', '"score":0,');
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(path, edited);
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const after = await stat(path);
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(readCachedColumns(home, fileStamp(after))).toBeUndefined();
    const columns = await new ScoresStore({ home, warn: vi.fn() }).readColumns();
    expect(Array.from(columns.score)).toEqual([0]);
  });

  it('a flipped byte or a cut in history.bin means rebuild, never wrong numbers', async () => {
    const { encodeColumns, decodeColumns, historyColumns } = await import('../../src/session/history.js');
    const attempts = Array.from({ length: 20 }, (_, i) => ({
      questionId: `q${i % 5}`, topic: 'orm', at: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(), score: (i % 4) / 3 > 1 ? 1 : (i % 4) / 3,
      rating: 'good' as const, keypointsHit: [], durationMs: 1000 + i, sessionId: `s${i % 3}`, mode: 'drill' as const,
    }));
    const bytes = encodeColumns(historyColumns({ version: 2, attempts, cards: {}, sessions: [] }), 'stamp');
    expect(decodeColumns(bytes)).toBeDefined();
    for (let at = 0; at < bytes.length; at += 7) {
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] as number) ^ 0x10;
      expect(decodeColumns(damaged), `byte ${at}`).toBeUndefined();
    }
    expect(decodeColumns(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
  });
});

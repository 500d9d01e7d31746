import { existsSync } from 'node:fs';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { replay, replayAll } from '../../src/srs/index.js';
import { emptyScores, ScoresStore } from '../../src/store/index.js';
import { SCORES_VERSION } from '../../src/types.js';
import { attempt, extraFiles, removeTempDirs, session, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('ScoresStore basics', () => {
  it('read() of a missing home is an empty history and creates nothing', async () => {
    const home = join(await tempDir(), 'not-yet', '.django-drill');
    const warn = vi.fn();
    const store = new ScoresStore({ home, warn });
    expect(store.path).toBe(join(home, 'scores.json'));
    expect(await store.read()).toEqual(emptyScores());
    expect(existsSync(join(home, '..'))).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it('the first record() creates the home 0700 and scores.json 0600, and leaves no lock behind', async () => {
    const home = join(await tempDir(), '.django-drill');
    const store = new ScoresStore({ home, warn: vi.fn() });
    const a = attempt();
    const data = await store.record({ attempts: [a], session: session() });
    expect(await mode(home)).toBe(0o700);
    expect(await mode(store.path)).toBe(0o600);
    expect(await extraFiles(home)).toEqual([]);
    expect(data.version).toBe(SCORES_VERSION);
    expect(data.attempts).toEqual([a]);
    expect(data.sessions).toEqual([session()]);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual(data);
    expect(await store.read()).toEqual(data);
  });

  it('keeps 0600 when it replaces an existing file', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    await store.record({ attempts: [attempt()] });
    expect(await mode(store.path)).toBe(0o600);
  });

  it('appends attempts in order and never stores one identity (session, question, time) twice', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    const first = attempt({ score: 0.5, rating: 'hard' });
    const second = attempt({ questionId: 'orm-n-plus-one' });
    await store.record({ attempts: [first] });
    // A retry of the same save, even carrying other numbers, must not rewrite history.
    await store.record({ attempts: [{ ...first, score: 1, rating: 'easy' }, second, second] });
    // Same question and time in another session is a different attempt.
    const other = { ...first, sessionId: 'session-2' };
    const data = await store.record({ attempts: [other] });
    expect(data.attempts).toEqual([first, second, other]);
    expect((await store.read()).attempts).toEqual([first, second, other]);
  });

  it('recomputes the card of every touched question from all its attempts', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    const q = 'orm-select-related-vs-prefetch-related';
    const a1 = attempt({ questionId: q, rating: 'again', score: 0 });
    const a2 = attempt({ questionId: q, rating: 'good', score: 0.75 });
    const b1 = attempt({ questionId: 'orm-n-plus-one', topic: 'orm', rating: 'easy', score: 1 });
    await store.record({ attempts: [a1, b1] });
    const before = (await store.read()).cards['orm-n-plus-one'];
    const data = await store.record({ attempts: [a2] });
    expect(data.cards[q]).toEqual(replay([a1, a2]));
    expect(data.cards[q]?.reps).toBe(2);
    expect(data.cards['orm-n-plus-one']).toEqual(before);
    expect(data.cards).toEqual(replayAll(data.attempts));
  });

  it('upserts the session record by id', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    await store.record({ attempts: [attempt()], session: session({ asked: 1, answered: 1 }) });
    await store.record({ session: session({ id: 'session-2', mode: 'warmup' }) });
    const ended = session({ asked: 10, answered: 9, score: 0.74, endedAt: '2026-11-25T09:30:00.000Z' });
    const data = await store.record({ session: ended });
    expect(data.sessions).toEqual([ended, session({ id: 'session-2', mode: 'warmup' })]);
    expect(data.attempts).toHaveLength(1);
  });

  it('writes only the fields of an attempt, not whatever else the caller object carries', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    const a = { ...attempt(), question: { huge: 'object' } };
    await store.record({ attempts: [a] });
    expect(await readFile(store.path, 'utf8')).not.toContain('huge');
  });

  it('saves text with JSON punctuation, quotes and newlines in it exactly', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    // Strings ending in `},{` or `},` look like the boundary between two entries.
    const odd = attempt({ questionId: 'q},', topic: 'a},{', sessionId: 'line\nbreak "quoted" },{"é 🙂' });
    await store.record({ attempts: [odd, attempt()], session: session({ id: 'x},{', topics: ['},{"'] }) });
    const data = JSON.parse(await readFile(store.path, 'utf8'));
    expect(data.attempts[0]).toEqual(odd);
    expect(Object.keys(data.cards)).toContain('q},');
    expect(data.sessions[0]).toMatchObject({ id: 'x},{', topics: ['},{"'] });
  });

  it('refuses to write an attempt its own reader would reject, and writes nothing', async () => {
    const home = join(await tempDir(), 'h');
    const store = new ScoresStore({ home, warn: vi.fn() });
    await expect(store.record({ attempts: [attempt({ score: Number.NaN })] })).rejects.toThrow(/attempts\[0\]\.score/);
    await expect(store.record({ session: session({ mode: 'exam' as 'drill' }) })).rejects.toThrow(/session\.mode/);
    expect(existsSync(home)).toBe(false);
  });

  it('record() with nothing to record creates nothing', async () => {
    const home = join(await tempDir(), 'h');
    const store = new ScoresStore({ home, warn: vi.fn() });
    expect(await store.record({ attempts: [] })).toEqual(emptyScores());
    expect(existsSync(home)).toBe(false);
  });

  it('leaves an existing home folder with the permissions the user gave it', async () => {
    const home = await tempDir();
    await (await import('node:fs/promises')).chmod(home, 0o750);
    await new ScoresStore({ home, warn: vi.fn() }).record({ attempts: [attempt()] });
    expect(await mode(home)).toBe(0o750);
  });

  it('clears temp files left by a writer killed mid-write, and nothing else', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    await writeFile(join(home, 'scores.json.3141592653'), '{"version":1,"attem');
    await writeFile(join(home, 'scores.json.bak-2026-11-25T09-14-03-120Z'), 'keep me');
    await writeFile(join(home, 'notes.txt'), 'keep me');
    await store.record({ attempts: [attempt()] });
    expect(await extraFiles(home)).toEqual(['notes.txt', 'scores.json.bak-2026-11-25T09-14-03-120Z']);
  });

  it('runs concurrent calls on one store one after another, losing none', async () => {
    const store = new ScoresStore({ home: await tempDir(), warn: vi.fn() });
    const batch = Array.from({ length: 20 }, (_, i) => attempt({ questionId: `q-${i % 3}` }));
    await Promise.all(batch.map((a) => store.record({ attempts: [a] })));
    const data = await store.read();
    expect(data.attempts).toHaveLength(20);
    expect(data.cards).toEqual(replayAll(data.attempts));
  });

  it('two stores in one process on the same home keep every attempt (the file lock, not only the queue)', async () => {
    const home = await tempDir();
    const one = new ScoresStore({ home, warn: vi.fn() });
    const two = new ScoresStore({ home, warn: vi.fn() });
    const writes = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? one : two).record({ attempts: [attempt({ sessionId: `s-${i % 2}` })] }),
    );
    await Promise.all(writes);
    expect((await one.read()).attempts).toHaveLength(30);
  });

  describe('saving again what this store just wrote', () => {
    // JSON.parse calls on a whole scores.json (the history is longer than any other JSON here).
    const parsesOf = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.filter(([text]) => typeof text === 'string' && text.includes('"attempts"')).length;

    it('does not read the file back while it is still the one it wrote, and the file stays exact', async () => {
      const home = await tempDir();
      const store = new ScoresStore({ home, warn: vi.fn() });
      await store.record({ attempts: [attempt(), attempt()], session: session() });
      const spy = vi.spyOn(JSON, 'parse');
      try {
        for (let i = 0; i < 3; i++) await store.record({ attempts: [attempt({ topic: 'views' })], session: session({ answered: 3 + i }) });
        expect(parsesOf(spy)).toBe(0);
      } finally {
        spy.mockRestore();
      }
      const onDisk = JSON.parse(await readFile(store.path, 'utf8'));
      expect(onDisk.attempts).toHaveLength(5);
      expect(onDisk).toEqual(await new ScoresStore({ home, warn: vi.fn() }).read());
      expect(onDisk.cards).toEqual(replayAll(onDisk.attempts));
    });

    it('reads the file again once anything else wrote it: another store, an editor, a touch', async () => {
      const home = await tempDir();
      const mine = new ScoresStore({ home, warn: vi.fn() });
      const other = new ScoresStore({ home, warn: vi.fn() });
      await mine.record({ attempts: [attempt({ sessionId: 'mine' })] });
      await other.record({ attempts: [attempt({ sessionId: 'other' })] });
      await mine.record({ attempts: [attempt({ sessionId: 'mine' })] });
      expect((await mine.read()).attempts.map((a) => a.sessionId)).toEqual(['mine', 'other', 'mine']);

      // An edit in place that keeps the size (a changed rating) and even the mtime.
      const text = await readFile(mine.path, 'utf8');
      const edited = text.replace('"rating":"good"', '"rating":"easy"');
      expect(edited).not.toBe(text);
      const { mtime } = await stat(mine.path);
      await writeFile(mine.path, edited);
      await utimes(mine.path, mtime, mtime);
      const data = await mine.record({ attempts: [attempt({ sessionId: 'mine' })] });
      expect(data.attempts.map((a) => a.rating)).toContain('easy');
      expect(data.attempts).toHaveLength(4);
    });
  });

  it('keeps the history of one question whose card cache went missing or bad: rebuilt, not thrown away', async () => {
    const home = await tempDir();
    const warn = vi.fn();
    const store = new ScoresStore({ home, warn });
    const a = attempt();
    const b = attempt({ questionId: 'orm-n-plus-one' });
    await store.record({ attempts: [a, b] });
    const doc = JSON.parse(await readFile(store.path, 'utf8'));
    delete doc.cards[a.questionId];
    doc.cards[b.questionId] = { due: 'tomorrow' };
    await writeFile(store.path, JSON.stringify(doc));
    const data = await store.read();
    expect(warn).not.toHaveBeenCalled();
    expect(data.cards).toEqual(replayAll([a, b]));
  });

  it('reads a file saved by an editor with a BOM', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    const text = await readFile(store.path, 'utf8');
    await writeFile(store.path, `\ufeff${text}`);
    expect((await store.read()).attempts).toHaveLength(1);
  });

  it('reads a history of 100,000 attempts whole (speed is measured by npm run bench, not here)', async () => {
    const home = await tempDir();
    const attempts = Array.from({ length: 100_000 }, (_, i) =>
      attempt({ questionId: `q-${i % 500}`, sessionId: `s-${Math.floor(i / 10)}`, at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString() }),
    );
    // Any valid card will do here; replaying the whole history would only slow the test.
    const cards = Object.fromEntries(attempts.slice(0, 500).map((a) => [a.questionId, replay([a])]));
    const store = new ScoresStore({ home, warn: vi.fn() });
    await writeFile(store.path, JSON.stringify({ version: 1, attempts, cards, sessions: [] }));
    const data = await store.read();
    expect(data.attempts).toHaveLength(100_000);
    expect(data.attempts[99_999]).toEqual(attempts[99_999]);
  }, 30_000);
});

describe('record() hands back a copy', () => {
  it('the history it returned is not changed by the next save', async () => {
    const { ScoresStore: Store } = await import('../../src/store/index.js');
    const { tempDir: dir, attempt: make } = await import('./helpers.js');
    const store = new Store({ home: await dir(), warn: () => undefined });
    const first = await store.record({ attempts: [make({ questionId: 'orm-a' })] });
    const cardBefore = first.cards['orm-a'];
    await store.record({ attempts: [make({ questionId: 'orm-a' })] });
    expect(first.attempts).toHaveLength(1);
    expect(first.cards['orm-a']).toBe(cardBefore);
    expect((await store.read()).attempts).toHaveLength(2);
  });
});

import { existsSync } from 'node:fs';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { replayAll } from '../../src/srs/index.js';
import { emptyScores, ScoresStore } from '../../src/store/index.js';
import { FIXTURES, homeFiles, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const NOW = new Date('2026-11-25T10:00:00.000Z');
const BACKUP = 'scores.json.bak-2026-11-25T10-00-00-000Z';

async function homeWith(fixture: string) {
  const home = await tempDir();
  await copyFile(join(FIXTURES, fixture), join(home, 'scores.json'));
  const warn = vi.fn();
  return { home, warn, store: new ScoresStore({ home, warn, now: () => NOW }), original: await readFile(join(home, 'scores.json')) };
}

describe('reset', () => {
  it('of everything keeps a 0600 copy first, then empties attempts, cards and sessions', async () => {
    const { home, store, original } = await homeWith('valid-v1.json');
    const result = await store.reset();
    expect(result).toEqual({ backup: join(home, BACKUP), removedAttempts: 4 });
    expect(await readFile(join(home, BACKUP))).toEqual(original);
    expect((await stat(join(home, BACKUP))).mode & 0o777).toBe(0o600);
    expect(await store.read()).toEqual(emptyScores());
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await homeFiles(home)).toEqual(['scores.json', BACKUP]);
  });

  it('of some topics removes only their attempts and cards; other topics and the sessions stay', async () => {
    const { home, store } = await homeWith('valid-v1.json');
    const before = await store.read();
    const result = await store.reset(['models']);
    expect(result).toEqual({ backup: join(home, BACKUP), removedAttempts: 1 });
    const after = await store.read();
    expect(after.attempts).toEqual(before.attempts.filter((a) => a.topic !== 'models'));
    expect(Object.keys(after.cards).sort()).toEqual(['orm-n-plus-one', 'orm-select-related-vs-prefetch-related']);
    expect(after.cards).toEqual(replayAll(after.attempts));
    expect(after.sessions).toEqual(before.sessions);
  });

  it('treats an empty topic list as everything', async () => {
    const { store } = await homeWith('valid-v1.json');
    expect((await store.reset([])).removedAttempts).toBe(4);
    expect((await store.read()).attempts).toEqual([]);
  });

  it('with no file returns no backup and creates nothing', async () => {
    const home = join(await tempDir(), 'never-used');
    const result = await new ScoresStore({ home, warn: vi.fn() }).reset();
    expect(result).toEqual({ backup: null, removedAttempts: 0 });
    expect(existsSync(home)).toBe(false);
  });

  it('of a topic with no attempts changes nothing and keeps no copy', async () => {
    const { home, store, original } = await homeWith('valid-v1.json');
    expect(await store.reset(['templates'])).toEqual({ backup: null, removedAttempts: 0 });
    expect(await readFile(store.path)).toEqual(original);
    expect(await homeFiles(home)).toEqual(['scores.json']);
  });

  it('twice in one millisecond keeps both copies', async () => {
    const { home, store, original } = await homeWith('valid-v1.json');
    await store.reset(['models']);
    const between = await readFile(store.path);
    await store.reset();
    expect(await readFile(join(home, BACKUP))).toEqual(original);
    expect(await readFile(join(home, `${BACKUP}-1`))).toEqual(between);
  });

  it('of a version-0 file keeps the original bytes in the copy and writes the current version', async () => {
    const { home, store, original } = await homeWith('version-0.json');
    const result = await store.reset(['models']);
    expect(result.removedAttempts).toBe(1);
    expect(await readFile(join(home, BACKUP))).toEqual(original);
    const after = JSON.parse(await readFile(store.path, 'utf8'));
    expect(after.version).toBe(2);
    expect(after.attempts).toHaveLength(4);
  });

  it('of an unreadable file only moves it aside and returns where', async () => {
    const { home, store, warn, original } = await homeWith('truncated.json');
    const result = await store.reset();
    const aside = join(home, 'scores.json.corrupt-2026-11-25T10-00-00-000Z');
    expect(result).toEqual({ backup: aside, removedAttempts: 0 });
    expect(await readFile(aside)).toEqual(original);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(existsSync(store.path)).toBe(false);
  });
});

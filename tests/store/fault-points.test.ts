/**
 * A writer stopped at each named point of a save, deterministically (the random kill -9 run is
 * npm run test:stress): the file on disk is always the old one or the new one, whole; nothing
 * reported saved is lost; the next save finishes the job and leaves no temp file.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScores, ScoresStore } from '../../src/store/index.js';
import { attempt, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

class Crash extends Error {}

async function onDisk(home: string) {
  const parsed = parseScores(await readFile(join(home, 'scores.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.data;
}

describe('a save stopped at a named point', () => {
  it('before the write: the old file stays whole, the lock is released, the next save keeps both answers', async () => {
    const home = await tempDir();
    const a = attempt({ questionId: 'orm-a' });
    await new ScoresStore({ home }).record({ attempts: [a] });
    const crashing = new ScoresStore({ home, faultPoint: (p) => { if (p === 'before-write') throw new Crash(p); } });
    const b = attempt({ questionId: 'orm-b' });
    await expect(crashing.record({ attempts: [b] })).rejects.toThrow(Crash);
    expect((await onDisk(home)).attempts).toEqual([a]);
    expect((await readdir(home)).filter((n) => n.endsWith('.lock'))).toEqual([]);
    const next = await new ScoresStore({ home }).record({ attempts: [b] });
    expect(next.attempts).toEqual([a, b]);
  });

  it('after the rename, before the folder is fsynced: the new file is whole and complete', async () => {
    const home = await tempDir();
    const a = attempt({ questionId: 'orm-a' });
    const crashing = new ScoresStore({ home, faultPoint: (p) => { if (p === 'after-rename') throw new Crash(p); } });
    await expect(crashing.record({ attempts: [a] })).rejects.toThrow(Crash);
    expect((await onDisk(home)).attempts).toEqual([a]);
  });

  it('mid-write (the temp file half written, never renamed): the old file is read, and the next save removes the temp file', async () => {
    const home = await tempDir();
    const a = attempt({ questionId: 'orm-a' });
    await new ScoresStore({ home }).record({ attempts: [a] });
    // What write-file-atomic leaves when killed between writing its temp file and the rename.
    await writeFile(join(home, 'scores.json.123456'), '{"version": 2, "attempts": [{"questionId": "orm-b", "to');
    expect((await new ScoresStore({ home }).read()).attempts).toEqual([a]);
    const b = attempt({ questionId: 'orm-b' });
    expect((await new ScoresStore({ home }).record({ attempts: [b] })).attempts).toEqual([a, b]);
    expect((await readdir(home)).filter((n) => /^scores\.json\.\d+$/.test(n))).toEqual([]);
  });

  it('a session whose save failed at a point keeps the answer pending and writes it with the next one', async () => {
    const home = await tempDir();
    let fail = true;
    const store = new ScoresStore({ home, faultPoint: (p) => { if (fail && p === 'before-write') throw Object.assign(new Error('disk full'), { code: 'ENOSPC' }); } });
    const a = attempt({ questionId: 'orm-a' });
    await expect(store.record({ attempts: [a] })).rejects.toThrow(/no space left/);
    fail = false;
    const b = attempt({ questionId: 'orm-b' });
    expect((await store.record({ attempts: [a, b] })).attempts).toEqual([a, b]);
    expect((await onDisk(home)).attempts).toEqual([a, b]);
  });
});

import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as files from '../../src/store/files.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DrillError } from '../../src/errors.js';
import { ScoresStore } from '../../src/store/index.js';
import { attempt, buildChild, homeFiles, removeTempDirs, startChild, tempDir } from './helpers.js';

vi.mock('../../src/store/files.js', async (importOriginal) => {
  const actual = await importOriginal<typeof files>();
  return { ...actual, atomicWrite: vi.fn(actual.atomicWrite) };
});
const writeFileAtomic = files.atomicWrite;

afterAll(removeTempDirs);
afterEach(() => {
  vi.mocked(writeFileAtomic).mockClear();
});

function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, write`), { code, errno: -1, syscall: 'write' });
}

describe('a failed write', () => {
  it.each([
    ['ENOSPC', 'no space left on device', 'no space left on the device (ENOSPC)'],
    ['EACCES', 'permission denied', 'permission denied (EACCES)'],
    ['EROFS', 'read-only file system', 'the file system is read-only (EROFS)'],
  ])('%s: a DrillError saying so with a hint; the old file intact; the lock released', async (code, raw, reason) => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    const kept = attempt();
    await store.record({ attempts: [kept] });
    const before = await readFile(store.path);

    // As a writer killed mid-write leaves it: its temp file half written; then the error.
    vi.mocked(writeFileAtomic).mockImplementationOnce(async (path: string) => {
      await writeFile(`${path}.123456`, '{"version":1,"attem');
      throw fsError(code, raw);
    });

    const err = await store.record({ attempts: [attempt()] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DrillError);
    expect((err as DrillError).message).toBe(`Could not save your answer to ${store.path}: ${reason}`);
    expect((err as DrillError).hint).toMatch(/--home/);
    expect((err as DrillError).exitCode).toBe(1);
    expect(await readFile(store.path)).toEqual(before);
    expect(await homeFiles(home)).not.toContain('scores.json.lock');

    // The next save goes through and the orphaned temp file is cleared.
    const after = await store.record({ attempts: [attempt()] });
    expect(after.attempts).toHaveLength(2);
    expect(after.attempts[0]).toEqual(kept);
    expect(await homeFiles(home)).toEqual(['scores.json']);
  });

  it('after a failed write the store starts again from the file, not from what it failed to write', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    const kept = attempt();
    await store.record({ attempts: [kept] });
    const lost = attempt();
    vi.mocked(writeFileAtomic).mockRejectedValueOnce(fsError('ENOSPC', 'no space left on device'));
    await expect(store.record({ attempts: [lost] })).rejects.toThrow(/Could not save/);
    // The runner sends the unsaved answer again with the next one: both must be written, which
    // they would not be if the store took its failed version for the file's content.
    const next = attempt();
    const data = await store.record({ attempts: [lost, next] });
    expect(data.attempts).toEqual([kept, lost, next]);
    expect((await new ScoresStore({ home, warn: vi.fn() }).read()).attempts).toEqual([kept, lost, next]);
  });

  it('a failed reset says so, removes nothing and releases the lock', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    const before = await readFile(store.path);
    vi.mocked(writeFileAtomic).mockRejectedValueOnce(fsError('ENOSPC', 'no space left on device'));
    await expect(store.reset()).rejects.toThrow(`Could not reset ${store.path}: no space left on the device (ENOSPC)`);
    expect(await readFile(store.path)).toEqual(before);
    expect(await homeFiles(home)).not.toContain('scores.json.lock');
  });
});

describe('a home folder the user cannot write to', () => {
  let script: string;
  let base: string;
  const asRoot = process.getuid?.() === 0;
  // root writes through any permission bits, so as root the saving process drops to nobody.
  const NOBODY = 65534;

  beforeAll(async () => {
    base = await tempDir();
    await chmod(base, 0o755);
    script = await buildChild(base);
  });

  it('gives the clear error from a real EACCES and leaves the file as it was', async () => {
    const home = join(base, 'home');
    await mkdir(home);
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    const before = await readFile(store.path);
    if (asRoot) {
      await chown(home, NOBODY, NOBODY);
      await chown(store.path, NOBODY, NOBODY);
    }
    await chmod(home, 0o500);
    try {
      const child = startChild(script, ['once', home], asRoot ? { uid: NOBODY, gid: NOBODY, cwd: base } : {});
      const line = await child.waitFor(/^\{/);
      await child.closed;
      const outcome = JSON.parse(line) as { ok: boolean; message?: string; hint?: string; exitCode?: number };
      expect(outcome).toMatchObject({
        ok: false,
        message: `Could not save your answer to ${store.path}: permission denied (EACCES)`,
        exitCode: 1,
      });
      expect(outcome.hint).toMatch(/writable/);
      expect(await readFile(store.path)).toEqual(before);
      expect(await homeFiles(home)).toEqual(['scores.json']);
    } finally {
      await chmod(home, 0o700);
    }
  });
});

describe('atomicWrite on a nearly full disk', () => {
  it('a short write is continued, and a write that then fails leaves the old file and no temp file', async () => {
    const home = await tempDir();
    const path = join(home, 'scores.json');
    await writeFile(path, 'OLD CONTENT');
    const real = await import('node:fs/promises');
    // A file system with room for 10 bytes: the first write is short, the next one fails.
    let room = 10;
    const tight = async (p: string, flags: string, mode: number) => {
      const handle = await real.open(p, flags, mode);
      return {
        write: async (buffer: Uint8Array, offset: number, length: number) => {
          if (room === 0) throw fsError('ENOSPC', 'no space left on device');
          const n = Math.min(room, length);
          room -= n;
          return handle.write(buffer, offset, n);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    };
    const actual = await vi.importActual<typeof files>('../../src/store/files.js');
    await expect(actual.atomicWrite(path, 'NEW CONTENT THAT DOES NOT FIT', 0o600, tight as never)).rejects.toThrow(/ENOSPC/);
    expect(await readFile(path, 'utf8')).toBe('OLD CONTENT');
    expect(await homeFiles(home)).toEqual(['scores.json']);
    // With room for all of it in pieces, every byte is written.
    room = 1000;
    const pieces = async (p: string, flags: string, mode: number) => {
      const handle = await real.open(p, flags, mode);
      return { write: (b: Uint8Array, o: number, l: number) => handle.write(b, o, Math.min(4, l)), sync: () => handle.sync(), close: () => handle.close() };
    };
    await actual.atomicWrite(path, 'NEW CONTENT IN PIECES', 0o600, pieces as never);
    expect(await readFile(path, 'utf8')).toBe('NEW CONTENT IN PIECES');
  });
});

import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DrillError } from '../../src/errors.js';
import { ScoresStore } from '../../src/store/index.js';
import { attempt, buildChild, homeFiles, removeTempDirs, startChild, tempDir } from './helpers.js';

vi.mock('write-file-atomic', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof writeFileAtomic }>();
  return { default: vi.fn(actual.default) };
});

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

    // As write-file-atomic fails for real: its temp file half written, then the error.
    vi.mocked(writeFileAtomic).mockImplementationOnce((async (path: string) => {
      await writeFile(`${path}.123456`, '{"version":1,"attem');
      throw fsError(code, raw);
    }) as unknown as typeof writeFileAtomic);

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

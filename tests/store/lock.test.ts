import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DrillError } from '../../src/errors.js';
import { ScoresStore } from '../../src/store/index.js';
import { STALE_LOCK_MS } from '../../src/store/lock.js';
import { attempt, buildChild, removeTempDirs, startChild, tempDir, type Child } from './helpers.js';

let script: string;
const children: Child[] = [];

beforeAll(async () => {
  script = await buildChild(await tempDir());
});
afterEach(() => {
  for (const child of children.splice(0)) child.proc.kill('SIGKILL');
});
afterAll(removeTempDirs);

/** A live django-drill holding the lock of `home`. */
async function holder(home: string): Promise<Child> {
  const child = startChild(script, ['hold', home]);
  children.push(child);
  await child.waitFor(/^locked$/);
  return child;
}

async function failure(promise: Promise<unknown>): Promise<DrillError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DrillError);
  return err as DrillError;
}

/** A pid that is certainly not running: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = startChild(script, ['no-such-mode', '/nonexistent']);
  await child.closed;
  return child.proc.pid ?? 0;
}

describe('the scores lock', () => {
  it('of a process killed with -9 is broken at once, without waiting for it to go stale', async () => {
    const home = await tempDir();
    const child = await holder(home);
    child.proc.kill('SIGKILL');
    await child.closed;
    const lockPath = join(home, 'scores.json.lock');
    expect(existsSync(lockPath)).toBe(true);
    expect(JSON.parse(await readFile(join(lockPath, 'owner.json'), 'utf8'))).toMatchObject({ pid: child.proc.pid });

    // A wait shorter than the stale limit: waiting for the lock to go stale would fail the save.
    const data = await new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: STALE_LOCK_MS / 6 }).record({ attempts: [attempt()] });
    expect(data.attempts).toHaveLength(1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('without an owner note (another machine, a crash mid-lock) is broken once its mtime is stale', async () => {
    const home = await tempDir();
    const lockPath = join(home, 'scores.json.lock');
    await mkdir(lockPath);
    const old = new Date(Date.now() - STALE_LOCK_MS - 5000);
    await utimes(lockPath, old, old);
    const data = await new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 1000 }).record({ attempts: [attempt()] });
    expect(data.attempts).toHaveLength(1);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('held by a live process past the timeout gives the clear error, never hangs, and is left alone', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 300 });
    await store.record({ attempts: [attempt()] });
    const before = await readFile(store.path);
    await holder(home);

    const started = Date.now();
    const err = await failure(store.record({ attempts: [attempt()] }));
    const waited = Date.now() - started;
    const lockPath = join(home, 'scores.json.lock');
    expect(err.message).toBe(`Another django-drill is saving scores (lock held: ${lockPath})`);
    expect(err.hint).toContain(lockPath);
    expect(err.exitCode).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(290); // it waited for the lock (timers never fire early)
    expect(await readFile(store.path)).toEqual(before);
    expect(existsSync(join(lockPath, 'owner.json'))).toBe(true);
  });

  it('of a live holder is not taken as stale even after the stale limit: the holder keeps it fresh', async () => {
    const home = await tempDir();
    await holder(home);
    const err = await failure(new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: STALE_LOCK_MS + 1500 }).record({ attempts: [attempt()] }));
    expect(err.message).toMatch(/^Another django-drill is saving scores/);
    expect(existsSync(join(home, 'scores.json'))).toBe(false);
  }, 15_000);

  it('noted by a pid on another machine is not broken by that pid, only by its mtime', async () => {
    const home = await tempDir();
    const lockPath = join(home, 'scores.json.lock');
    await mkdir(lockPath);
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid: await deadPid(), host: `not-${hostname()}` }));
    const store = new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 300 });
    await failure(store.record({ attempts: [attempt()] }));
    const old = new Date(Date.now() - STALE_LOCK_MS - 5000);
    await utimes(lockPath, old, old);
    expect((await store.record({ attempts: [attempt()] })).attempts).toHaveLength(1);
  });

  it('of a live owner on this machine is never broken, however old its mtime (a holder busy writing)', async () => {
    const home = await tempDir();
    const lockPath = join(home, 'scores.json.lock');
    await mkdir(lockPath);
    // A live process that never refreshes the lock: a holder stuck writing a huge history.
    const busy = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = busy.pid as number;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      const start = stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] : undefined;
      await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid, host: hostname(), ...(start ? { start } : {}) }));
      const old = new Date(Date.now() - 3_600_000);
      await utimes(lockPath, old, old);
      const warn = vi.fn();
      const err = await failure(new ScoresStore({ home, warn, lockTimeoutMs: STALE_LOCK_MS + 500 }).record({ attempts: [attempt()] }));
      expect(err.message).toMatch(/^Another django-drill is saving scores/);
      expect(existsSync(join(lockPath, 'owner.json'))).toBe(true);
      expect(warn).toHaveBeenCalledWith(`waiting for django-drill pid ${pid}, which is saving scores…`);
    } finally {
      busy.kill('SIGKILL');
    }
  }, 15_000);

  it('noted by a live pid whose start time differs (a reused pid) is broken at once', async () => {
    const home = await tempDir();
    const lockPath = join(home, 'scores.json.lock');
    await mkdir(lockPath);
    const stat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
    if (!stat) return; // no /proc here: start times cannot be compared
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid: process.ppid, host: hostname(), start: '1' }));
    const data = await new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 300 }).record({ attempts: [attempt()] });
    expect(data.attempts).toHaveLength(1);
  });

  it('noted by a dead pid on this machine is broken at once', async () => {
    const home = await tempDir();
    const lockPath = join(home, 'scores.json.lock');
    await mkdir(lockPath);
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid: await deadPid(), host: hostname() }));
    const data = await new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 300 }).record({ attempts: [attempt()] });
    expect(data.attempts).toHaveLength(1);
  });

  it('is released after a save, and a read() never takes it', async () => {
    const home = await tempDir();
    const store = new ScoresStore({ home, warn: vi.fn() });
    await store.record({ attempts: [attempt()] });
    expect(existsSync(join(home, 'scores.json.lock'))).toBe(false);
    await holder(home);
    expect((await new ScoresStore({ home, warn: vi.fn(), lockTimeoutMs: 100 }).read()).attempts).toHaveLength(1);
  });
});

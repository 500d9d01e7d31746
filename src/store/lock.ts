/**
 * The cross-process lock around every write of scores.json: proper-lockfile's mkdir lock on
 * `<file>.lock`, kept fresh by its mtime timer, plus an owner note inside the lock folder.
 *
 * A lock is broken when its holder is gone: on this machine, by the owner note (pid, host,
 * process start time); a live holder's lock is never broken, however old its mtime. A lock with
 * no note, or from another machine, is broken once its mtime is older than STALE_LOCK_MS.
 *
 * proper-lockfile alone only breaks a lock once its mtime is older than `stale`, so after a
 * `kill -9` or a crash every other django-drill would wait that long. The owner note (pid and
 * host) lets a waiter on the same machine see at once that the holder is gone.
 */
import * as fs from 'node:fs';
import { rm, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * A holder refreshes the lock's mtime every second; a lock untouched for this long belongs to
 * a process that is stuck or on another machine. Well below the default wait of 5 s, so a
 * dead lock is broken before a waiter gives up; proper-lockfile's floor is 2 s.
 */
export const STALE_LOCK_MS = 3000;
/** What proper-lockfile is told: its own mtime rule never fires (see acquireLock). */
const NEVER_STALE_MS = 365 * 24 * 3600 * 1000;
const UPDATE_LOCK_MS = 1000;

const OWNER_FILE = 'owner.json';

interface Owner {
  pid: number;
  host: string;
  /**
   * The process's start time as the kernel counts it (field 22 of /proc/<pid>/stat), where
   * there is a /proc: a live pid with another start time is a reused pid, not our holder.
   */
  start?: string;
}

/** Field 22 (starttime) of /proc/<pid>/stat, or undefined without /proc. */
function procStart(pid: number | 'self'): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may hold spaces and parentheses; fields resume after the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const OWN_START = procStart('self');

// proper-lockfile takes its file system as an option. Writing the owner note inside mkdir keeps
// it ahead of the mtime probe that follows: a write into the folder after the probe would
// change the folder's mtime and proper-lockfile would report its own lock as compromised.
// Removal must be recursive now that the folder is not empty.
const lockFs = {
  mkdir(path: string, callback: (err: NodeJS.ErrnoException | null) => void): void {
    // Synchronous, so a kill between the folder and its note is a matter of microseconds:
    // a lock without a note can only be broken by the slow mtime rule. A few bytes on a local
    // disk do not hold up the event loop.
    try {
      fs.mkdirSync(path);
    } catch (err) {
      process.nextTick(callback, err as NodeJS.ErrnoException);
      return;
    }
    try {
      const owner: Owner = { pid: process.pid, host: hostname(), ...(OWN_START ? { start: OWN_START } : {}) };
      fs.writeFileSync(join(path, OWNER_FILE), JSON.stringify(owner));
    } catch {
      // Without the note waiters fall back on the mtime rule; the lock itself is ours.
    }
    process.nextTick(callback, null);
  },
  rmdir(path: string, callback: (err: NodeJS.ErrnoException | null) => void): void {
    fs.rm(path, { recursive: true }, callback);
  },
  rmdirSync(path: string): void {
    fs.rmSync(path, { recursive: true });
  },
  stat: fs.stat,
  utimes: fs.utimes,
  realpath: fs.realpath,
};

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string) {
    super(`lock held: ${lockPath}`);
    this.name = 'LockTimeoutError';
  }
}

export interface HeldLock {
  readonly lockPath: string;
  /** Set when proper-lockfile found the lock taken over (e.g. after the event loop stalled past STALE_LOCK_MS). */
  readonly compromised: Error | undefined;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Holder = { kind: 'gone' } | { kind: 'alive'; pid: number } | { kind: 'unknown' };

/**
 * Who holds the lock. On this machine the owner note decides: a dead pid (or a pid reused by
 * another process) is gone, a live one is alive however old the lock's mtime (a holder busy
 * writing a big history for seconds cannot refresh it). Without a note, or from another
 * machine, it is unknown: only the mtime rule applies.
 */
async function holder(lockPath: string): Promise<Holder> {
  let owner: Partial<Owner>;
  try {
    owner = JSON.parse(await readFile(join(lockPath, OWNER_FILE), 'utf8')) as Partial<Owner>;
  } catch {
    return { kind: 'unknown' };
  }
  // A pid means nothing on another machine (a home folder on a network share).
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return { kind: 'unknown' };
  if (owner.pid === process.pid) return { kind: 'alive', pid: owner.pid };
  if (!isAlive(owner.pid)) return { kind: 'gone' };
  if (owner.start !== undefined) {
    const start = procStart(owner.pid);
    if (start !== undefined && start !== owner.start) return { kind: 'gone' };
  }
  return { kind: 'alive', pid: owner.pid };
}

async function mtimeIsStale(lockPath: string): Promise<boolean> {
  try {
    const { mtimeMs } = await fs.promises.stat(lockPath);
    return Date.now() - mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}

/** After this long on a live holder's lock, the waiter says who it waits for. */
export const WAIT_NOTICE_MS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lock `file` (which need not exist) or throw LockTimeoutError after `timeoutMs`. Other errors
 * (a read-only folder) are thrown as they are.
 */
export async function acquireLock(file: string, timeoutMs: number, onWait?: (pid: number) => void): Promise<HeldLock> {
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  let compromised: Error | undefined;
  let pause = 5;
  const waitStart = Date.now();
  let noticed = false;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        lockfilePath: lockPath,
        realpath: false,
        // Stale locks are broken below, by their owner note first: proper-lockfile's own rule
        // (mtime only) would break the lock of a live holder that is busy for seconds.
        stale: NEVER_STALE_MS,
        update: UPDATE_LOCK_MS,
        retries: 0,
        fs: lockFs,
        // The default throws from a timer, which would crash the process.
        onCompromised: (err) => {
          compromised = err;
        },
      });
      return {
        lockPath,
        get compromised() {
          return compromised;
        },
        async release() {
          // Already released or taken over: nothing of ours is left to remove.
          await release().catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      // Two waiters may both see the same dead holder; `force` makes the second removal a no-op.
      // A third process taking the lock in the microseconds between the check and the removal
      // would lose it, as with proper-lockfile's own stale breaking.
      const who = await holder(lockPath);
      if (who.kind === 'gone' || (who.kind === 'unknown' && (await mtimeIsStale(lockPath)))) {
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      if (who.kind === 'alive' && !noticed && Date.now() - waitStart >= WAIT_NOTICE_MS) {
        noticed = true;
        onWait?.(who.pid);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(lockPath);
      // Jitter keeps two waiters from polling in step.
      await sleep(Math.min(left, pause * (0.5 + Math.random())));
      pause = Math.min(pause * 2, 50);
    }
  }
}

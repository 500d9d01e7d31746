/** File-system helpers of the store: names for kept copies, error wording, directory fsync. */
import { constants } from 'node:fs';
import { copyFile, chmod, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `2026-11-25T09-14-03-120Z`: an ISO time without the characters Windows and shells dislike. */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

function isCode(err: unknown, ...codes: string[]): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code !== undefined && codes.includes(code);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isCode(err, 'ENOENT')) return false;
    throw err;
  }
}

/**
 * Move `path` to `<path>.<label>-<timestamp>`. rename() replaces an existing target without a
 * word, so a name already taken (two moves in one millisecond) gets a counter instead.
 * Only called under the lock, which keeps the check and the rename together.
 */
export async function moveAside(path: string, label: string, now: Date): Promise<string> {
  const base = `${path}.${label}-${fileTimestamp(now)}`;
  let target = base;
  for (let n = 1; await exists(target); n++) target = `${base}-${n}`;
  await rename(path, target);
  return target;
}

/** Copy `path` to `<path>.<label>-<timestamp>`, mode 0600, never over an existing file. */
export async function copyAside(path: string, label: string, now: Date): Promise<string> {
  const base = `${path}.${label}-${fileTimestamp(now)}`;
  for (let n = 0; ; n++) {
    const target = n === 0 ? base : `${base}-${n}`;
    try {
      await copyFile(path, target, constants.COPYFILE_EXCL);
    } catch (err) {
      if (isCode(err, 'EEXIST')) continue;
      throw err;
    }
    await chmod(target, 0o600);
    return target;
  }
}

/**
 * Make a finished rename survive a power cut: atomicWrite fsyncs the data but not the
 * folder entry. Some file systems refuse to fsync a folder; that only loses the extra safety.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * atomicWrite's temp files are `<file>.<number>`. Writers only write under the lock, so
 * when we hold it every such file was left by a process killed mid-write (or one whose lock was
 * broken, whose rename must then fail rather than overwrite newer data).
 */
export async function removeOrphanTempFiles(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) {
      await unlink(join(dirname(file), name)).catch(() => undefined);
    }
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a parent of it is not a folder',
  EISDIR: 'it is a folder',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** One short clause for a failed file operation, for "Could not save ... to <path>: <reason>". */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

export { isCode };

let tempCounter = 0;

/**
 * Write `data` to `path` atomically: a temp file in the same folder (`<file>.<digits>`, mode
 * `mode`), every byte written (a short write, as a nearly full disk gives, is continued, and a
 * failed one throws), fsync, then rename over `path`. Until the rename, `path` is untouched;
 * after it, `path` is the whole new file. write-file-atomic was used before: it does one
 * write() and does not check how much of it was written, so on a disk with a little space left
 * it renamed a truncated file over scores.json (found with a 100 KB tmpfs).
 * `openFile` is for tests (a handle whose writes fail part-way).
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  mode: number,
  openFile: (path: string, flags: string, mode: number) => Promise<Pick<FileHandle, 'write' | 'sync' | 'close'>> = open,
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  tempCounter = (tempCounter + 1) % 1_000_000;
  const temp = `${path}.${process.pid}${String(tempCounter).padStart(6, '0')}`;
  const file = await openFile(temp, 'wx', mode);
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
      offset += bytesWritten;
    }
    await file.sync();
    await file.close();
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

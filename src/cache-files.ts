/**
 * Housekeeping of `<home>/cache/`: temp files that a writer killed between its write and its
 * rename leaves behind (`*.tmp`, up to the size of a whole cache file), cache files of earlier
 * builds, and renderings not written for a long time. Best effort, and only done while a cache
 * is being written anyway, so reading stays as cheap as it was.
 */
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a cache file whole or not at all: a temp file beside it (named as `sweep` knows it),
 * then a rename. The temp file is removed if the write fails; the error is the caller's.
 */
export function writeCacheFile(path: string, data: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * JSON with everything outside ASCII as a \u escape: a cache file read as latin1 (no UTF-8 to
 * decode) then gives back the same text.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A write and its rename take well under a second; a temp file this old is an orphan. */
export const TEMP_MAX_AGE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Removes from `dir` the temp files older than TEMP_MAX_AGE_MS, and the files `stale` picks.
 * Folders are left alone.
 */
export function sweep(dir: string, stale: (name: string, mtimeMs: number) => boolean, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      const drop = name.endsWith('.tmp') ? now - st.mtimeMs > TEMP_MAX_AGE_MS : stale(name, st.mtimeMs);
      if (drop) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: never a reason to fail.
    }
  }
}

/** `sweep`, at most once a day per folder (a `.swept` file remembers when). */
export function sweepDaily(dir: string, stale: (name: string, mtimeMs: number) => boolean, now = Date.now()): void {
  const marker = join(dir, '.swept');
  try {
    if (now - statSync(marker).mtimeMs < DAY_MS) return;
  } catch {
    // Never swept yet.
  }
  try {
    writeFileSync(marker, '', { mode: 0o600 });
  } catch {
    return;
  }
  sweep(dir, (name, mtimeMs) => name !== '.swept' && stale(name, mtimeMs), now);
}

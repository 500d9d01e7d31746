/**
 * How every cache recognises the version of a file it was built from, as git's index does:
 * size, mtime, and ctime, which no user-space tool can set (`touch`, `cp -p`, `rsync -a` and
 * `tar x` restore the mtime of an edited file, never its ctime); the inode where one cache
 * keeps whole-file stamps (a file replaced by a rename is another file).
 */
import type { Stats } from 'node:fs';

/** The stamp of scores.json and other whole-file caches. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function fileStamp(st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

export function sameFileStamp(a: FileStamp, b: unknown): boolean {
  const o = b as Partial<FileStamp> | null | undefined;
  return o?.size === a.size && o.mtimeMs === a.mtimeMs && o.ctimeMs === a.ctimeMs && o.ino === a.ino;
}

/**
 * One number for caches that keep one time per file (the bank index): the later of mtime and
 * ctime. Any edit moves ctime forward, so an edit with the old mtime restored still shows.
 */
export function changeTime(st: Pick<Stats, 'mtimeMs' | 'ctimeMs'>): number {
  return Math.max(st.mtimeMs, st.ctimeMs);
}

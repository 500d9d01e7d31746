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

/**
 * Whether a file system keeps a real ctime for this file. Any write or utimes() moves ctime to
 * now, so a ctime of 0 or one before the mtime means it is not kept (FAT and exFAT, some
 * network shares; Windows reports NTFS's ChangeTime, which is kept). Without it, an edit with
 * the mtime put back leaves the stamp unchanged: the bank cache then compares a hash of the
 * file's content, and the history cache is not used.
 */
export function ctimeReliable(st: Pick<Stats, 'mtimeMs' | 'ctimeMs'>): boolean {
  return st.ctimeMs > 0 && st.ctimeMs >= st.mtimeMs;
}

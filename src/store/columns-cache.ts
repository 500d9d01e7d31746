/**
 * The history columns of `<home>/scores.json`, cached in `<home>/cache/history.bin` and keyed by
 * the file stamp of scores.json (size, mtime, ctime, inode: file-stamp.ts), so a backup restored
 * over it with its old mtime and size is never taken for the file the cache was built from. Reading is synchronous on purpose: `list` and `stats` then
 * never hand control back to the event loop on their way to the output, so the garbage
 * collector's deferred tasks do not run in a process that is about to exit anyway.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ablated } from '../ablate.js';
import { writeCacheFile } from '../cache-files.js';
import { join } from 'node:path';
import { decodeColumns, encodeColumns, type HistoryColumns } from '../session/history.js';
import { ctimeReliable, sameFileStamp, type FileStamp } from '../file-stamp.js';

export type ScoresStamp = FileStamp;

const cachePath = (home: string) => join(home, 'cache', 'history.bin');

const sameStamp = sameFileStamp;

/** The cached columns if they were built from scores.json as `stamp` describes it, else undefined. */
export function readCachedColumns(home: string, stamp: ScoresStamp): HistoryColumns | undefined {
  // Without a real ctime, a restored backup of the same size and mtime would look unchanged.
  if (ablated('history-cache') || !ctimeReliable(stamp)) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(cachePath(home));
  } catch {
    return undefined;
  }
  const cached = decodeColumns(bytes);
  return cached && sameStamp(stamp, cached.stamp) ? cached.columns : undefined;
}

/** Best effort: a read-only or full home only costs speed. */
export function writeCachedColumns(home: string, columns: HistoryColumns, stamp: ScoresStamp): void {
  if (ablated('history-cache')) return;
  try {
    mkdirSync(join(home, 'cache'), { recursive: true, mode: 0o700 });
    writeCacheFile(cachePath(home), encodeColumns(columns, stamp));
    // The JSON form of this cache, from builds before the binary one.
    rmSync(join(home, 'cache', 'history.json'), { force: true });
  } catch {
    // Best effort (see above).
  }
}

/**
 * Rendered Markdown, cached on disk by what it depends on: the text, the width, the colour level
 * and the renderer itself (a build id). A warm `show` or drill question then loads neither the
 * Markdown parser nor the highlighter. Best effort: any cache problem just renders again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
import { ablated } from '../ablate.js';
import { crc32 } from '../binary-file.js';
import { BUILD_ID, IS_BUILT } from '../build-id.js';
import { sweepDaily, writeCacheFile } from '../cache-files.js';
import type { MarkdownOptions } from './markdown.js';

const RENDER_MAX_AGE_MS = 30 * 86_400_000;

// The build id (build-id.ts): a new renderer never serves an old rendering. Outside a build
// nothing is cached (a test passes its own id).
const RENDER_ID = IS_BUILT ? BUILD_ID : undefined;

export interface RenderCache {
  dir: string;
  /** Identifies the renderer; defaults to the build's id. No id, no caching. */
  id?: string;
}

async function render(md: string, opts: MarkdownOptions): Promise<string> {
  const { renderMarkdown } = await import('./markdown.js');
  return renderMarkdown(md, opts);
}

export async function renderMarkdownCached(md: string, opts: MarkdownOptions, cache?: RenderCache): Promise<string> {
  const id = cache?.id ?? RENDER_ID;
  if (!cache || !id || ablated('render-cache')) return render(md, opts);
  // Colour on at level 0 still renders differently from colour off (no heading rules).
  const level = opts.color ? `c${chalk.level}` : 'plain';
  const key = createHash('sha1').update(`${id}\0${level}\0${Math.floor(opts.width ?? 80)}\0${md}`).digest('hex');
  const file = join(cache.dir, `${key}.txt`);
  try {
    // The first line is a CRC-32 of the rest: a truncated or damaged entry is rendered again.
    const stored = readFileSync(file);
    const newline = stored.indexOf(10);
    const body = stored.subarray(newline + 1);
    if (newline === 8 && stored.toString('latin1', 0, 8) === crc32(body).toString(16).padStart(8, '0')) return body.toString('utf8');
  } catch {
    // Not cached yet.
  }
  const out = await render(md, opts);
  try {
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
    const body = Buffer.from(out, 'utf8');
    writeCacheFile(file, Buffer.concat([Buffer.from(`${crc32(body).toString(16).padStart(8, '0')}\n`, 'latin1'), body]));
    // Renderings of older builds and widths are never read again; a file is written once, so
    // its mtime is its age, and one still in use is only rendered again.
    const now = Date.now();
    sweepDaily(cache.dir, (name, mtimeMs) => name.endsWith('.txt') && now - mtimeMs > RENDER_MAX_AGE_MS, now);
  } catch {
    // A read-only or full home only costs speed.
  }
  return out;
}

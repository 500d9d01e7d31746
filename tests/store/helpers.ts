/** Shared by the store tests: temp folders, attempt factory, and the bundled child process. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Attempt, SessionRecord } from '../../src/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures', 'scores');

const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drill-store-'));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

let clock = Date.UTC(2026, 10, 25, 9, 0, 0);

export function attempt(over: Partial<Attempt> = {}): Attempt {
  clock += 60_000;
  return {
    questionId: 'orm-select-related-vs-prefetch-related',
    topic: 'orm',
    at: new Date(clock).toISOString(),
    score: 0.67,
    rating: 'good',
    keypointsHit: [0, 1],
    durationMs: 48_210,
    sessionId: 'session-1',
    mode: 'drill',
    ...over,
  };
}

export function session(over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 'session-1',
    mode: 'drill',
    topics: ['orm'],
    startedAt: '2026-11-25T09:00:00.000Z',
    asked: 1,
    answered: 1,
    score: 0.67,
    ...over,
  };
}

/**
 * Names in a home folder, sorted, without its `cache/` (the history columns written with every
 * save): what "nothing else was left behind" checks look at.
 */
export async function homeFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== 'cache').sort();
}

/** Names in `dir` other than scores.json (and the cache folder). */
export async function extraFiles(dir: string): Promise<string[]> {
  return (await homeFiles(dir)).filter((name) => name !== 'scores.json');
}

export const CHILD_BANNER =
  "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';" +
  'const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);';

/**
 * Bundle saver-child.ts into `outDir` and return the script path. The store's CommonJS
 * dependencies call require() for Node built-ins, and write-file-atomic hashes __filename into
 * its temp names: an ESM bundle has neither, so the banner provides both.
 */
export async function buildChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'saver-child.mjs');
  await build({
    entryPoints: [join(here, 'saver-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: CHILD_BANNER },
    logLevel: 'error',
  });
  return outfile;
}

export interface Child {
  proc: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first line matching, rejects if the child ends first or after `ms`. */
  waitFor: (match: RegExp, ms?: number) => Promise<string>;
  /** Resolves once the process has exited and its output is fully read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(script: string, args: string[], options: SpawnOptions = {}): Child {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.match.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const closed = once(proc, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const waitFor = (match: RegExp, ms = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const found = lines.find((line) => match.test(line));
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`child: no line ${match} after ${ms} ms; stderr: ${err}`)), ms);
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void closed.then(() => {
        clearTimeout(timer);
        reject(new Error(`child ended without ${match}; stderr: ${err}`));
      });
    });
  return { proc, lines, stderr: () => err, waitFor, closed };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

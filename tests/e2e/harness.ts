/** Runs the built bin as a user would: as a child process, or inside a pseudo-terminal. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'django-drill.js');

/** Environment of a fresh user: temp HOME, no colour forcing, no inherited drill settings. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // CI=true makes chalk drop colour even on a terminal; a user's shell has none of these.
    if (v === undefined || k.startsWith('DJANGO_DRILL') || ['NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'GITHUB_ACTIONS', 'PAGER', 'LESS'].includes(k) || k.startsWith('VITEST')) continue;
    env[k] = v;
  }
  // No pager in tests (a test that checks paging sets its own).
  return { ...env, HOME: home, USERPROFILE: home, TERM: 'xterm-256color', DJANGO_DRILL_PAGER: 'cat', ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bin with pipes (no terminal). */
export function run(args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env, cwd: env.HOME, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>()][0-9A-Za-z]?/g, '');

export interface Terminal {
  write(data: string): void;
  /** Waits until the plain output after the last match matches; returns that output (ANSI stripped). */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Everything printed so far (ANSI stripped). */
  text(): string;
  raw(): string;
  exited: Promise<number>;
  pid: number;
}

export function spawnTerminal(args: string[], env: Record<string, string>, size = { cols: 100, rows: 40 }): Terminal {
  const term = pty.spawn(process.execPath, [BIN, ...args], { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd: env.HOME, env });
  let output = '';
  let mark = 0;
  const listeners = new Set<() => void>();
  term.onData((data) => {
    output += data;
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    write: (data) => term.write(data),
    text: () => stripAnsi(output),
    raw: () => output,
    exited,
    pid: term.pid,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          // Match on the plain text after the previous match, and consume only up to the end of
          // this match: what follows it in the same chunk is still there for the next wait.
          const plain = stripAnsi(output);
          const recent = plain.slice(mark);
          let end = -1;
          if (typeof pattern === 'string') {
            const at = recent.indexOf(pattern);
            if (at !== -1) end = at + pattern.length;
          } else {
            const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(recent);
            if (m) end = m.index + m[0].length;
          }
          if (end !== -1) {
            listeners.delete(check);
            clearTimeout(timer);
            mark += end;
            resolve(recent);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`Timed out waiting for ${String(pattern)}. Screen so far:\n${stripAnsi(output).slice(mark).slice(-3000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

export const KEY = { enter: '\r', space: ' ', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03' };

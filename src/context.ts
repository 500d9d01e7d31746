/**
 * What every command gets: the global options, where output goes, the clock, and lazy access to
 * the bank and the scores store. Built once in cli.ts.
 */
import type { LoadResult } from './questions/load.js';
import type { ScoresStore } from './store/index.js';
import type { HistoryColumns } from './session/history.js';
import type { ScoresFile } from './types.js';

export interface GlobalOptions {
  /** Bank roots: `--questions` / DJANGO_DRILL_QUESTIONS, or the built-in bank. */
  questions: string[];
  /** True when the roots are the built-in bank. */
  builtInBank: boolean;
  /** `--home` / DJANGO_DRILL_HOME / ~/.django-drill */
  home: string;
  json: boolean;
  /** Colour decided once at start-up (TTY, NO_COLOR, FORCE_COLOR, --no-color). */
  color: boolean;
}

export interface Context {
  opts: GlobalOptions;
  /** stdout: results only. */
  out: (text: string) => void;
  /** stderr: warnings, progress. */
  err: (text: string) => void;
  /** One-line warning on stderr. */
  warn: (text: string) => void;
  now: () => Date;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Terminal width (80 when unknown). */
  columns: number;
  /**
   * Loads the bank (cached by file mtime/size); bad files become LoadResult.problems. With
   * `bodies: false` questions come without prompt, answer, key points and choices: enough for
   * list, stats and the picker, and much faster on a big bank.
   */
  loadBank: (options?: { bodies?: boolean }) => Promise<LoadResult>;
  /** The scores store for opts.home. */
  store: () => Promise<ScoresStore>;
  /** The history, for commands that only read it (no file yet: an empty one, store not loaded). */
  readScores: () => Promise<ScoresFile>;
  /** The history in columns, from a cache when scores.json has not changed (stats). */
  readHistory: () => Promise<HistoryColumns>;
}

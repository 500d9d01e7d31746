/**
 * The one seam to the interactive terminal: every prompt and spinner of the program is here, so
 * commands and the session runner stay testable with a fake UI.
 */
import { checkbox, confirm } from '@inquirer/prompts';
import { Writable } from 'node:stream';
import { wrapText } from '../render/format.js';
import { keyPrompt, listPrompt, multilineInput, type Clock, type MultilineAnswer } from './prompts.js';

export type { Clock, MultilineAnswer } from './prompts.js';

export type RevealAction = 'reveal' | 'skip' | 'quit' | 'timeout';
/** `skip`: move on and drop this question's re-ask, if one was queued. */
export type NextAction = 'next' | 'followups' | 'skip' | 'quit';

export interface TopicRow {
  name: string;
  label: string;
  description?: string;
}

export interface DrillUI {
  /** "Answer aloud, then press Enter to reveal" (with an optional clock). */
  waitForReveal(clock?: Clock): Promise<RevealAction>;
  /** `--type`: the typed answer before the reveal. */
  typeAnswer(clock?: Clock): Promise<MultilineAnswer>;
  /** Self-grading: which key points were covered; `s` skips the question, `q` quits. */
  gradeKeypoints(keypoints: readonly string[], preticked: readonly number[]): Promise<number[] | 'skip' | 'quit'>;
  /** Choice question: index of the picked choice, -1 when the clock ran out; `s` skips, `q` quits. */
  choose(choices: readonly string[], clock?: Clock): Promise<number | 'skip' | 'quit'>;
  /** "Select all that apply": indexes of the ticked choices, [] when the clock ran out; `s` skips, `q` quits. */
  chooseAll(choices: readonly string[], clock?: Clock): Promise<number[] | 'skip' | 'quit'>;
  /** After an answer: Enter next, f follow-ups, s skip, q quit. `saved: false` says it is not on disk yet. */
  afterAnswer(options: { followUps: boolean; last: boolean; saved?: boolean }): Promise<NextAction>;
  pickTopics(rows: readonly TopicRow[]): Promise<string[]>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  /**
   * Cancels the prompt on screen and every later one: they reject as if Ctrl-C had been
   * pressed in them (for a SIGINT that arrives as a signal, not as a key).
   */
  interrupt(): void;
}

/** Prompts throw this (by name) on Ctrl-C, a closed terminal, or after interrupt(). */
export function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'InterruptedPromptError');
}

class InterruptedPromptError extends Error {
  override name = 'InterruptedPromptError';
}

// Inquirer colours with node:util styleText, which on Node 20 ignores NO_COLOR. Without colour,
// its output goes through this filter that drops SGR (colour) sequences and keeps cursor moves.
// A plain Writable that writes to the terminal itself, not a pipe: Inquirer ends its output
// when a prompt is done, which must not end stdout, and a pipe per prompt would add listeners
// to stdout each time (MaxListenersExceededWarning after ten prompts).
function colourlessOutput(target: NodeJS.WriteStream): NodeJS.WritableStream {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(chunk.toString().replace(/\x1b\[[0-9;]*m/g, ''));
      callback();
    },
  });
  Object.defineProperty(stream, 'columns', { get: () => target.columns });
  Object.defineProperty(stream, 'rows', { get: () => target.rows });
  Object.defineProperty(stream, 'isTTY', { get: () => target.isTTY });
  return stream;
}

export interface UIOptions {
  color: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** The terminal stream prompts draw on (default stdout; stderr for `interview --json`). */
  target?: NodeJS.WriteStream;
}

/** A choice's text wrapped to `width`, its later lines under the text (after "❯ A. "). */
export function wrapChoice(label: string, text: string, width: number): string {
  const lines = wrapText(text, Math.max(20, width - label.length - 3));
  return lines.map((line, i) => (i === 0 ? `${label}${line}` : `${' '.repeat(label.length)}${line}`)).join('\n');
}

export function createTerminalUI(options: UIOptions): DrillUI {
  const width = () => (options.target ?? process.stdout).columns || 80;
  const interrupted = new AbortController();
  const contextFor = (signal: AbortSignal = interrupted.signal) => ({
    input: options.input,
    output: options.output ?? (options.color ? options.target : colourlessOutput(options.target ?? process.stdout)),
    clearPromptOnDone: false,
    signal,
  });
  /** Runs a prompt; one cancelled by interrupt() rejects as an exit, like Ctrl-C in it. */
  async function run<T>(prompt: Promise<T>): Promise<T> {
    try {
      return await prompt;
    } catch (error) {
      if (interrupted.signal.aborted) throw new InterruptedPromptError('Interrupted.');
      throw error;
    }
  }

  return {
    async waitForReveal(clock) {
      return run(keyPrompt(
        {
          // A message wider than the terminal would wrap and break the prompt's redraw.
          message: width() >= 64 ? 'Answer aloud (or in your head), then press Enter to reveal' : 'Answer, then press Enter',
          keys: [
            { key: 'enter', label: 'reveal', value: 'reveal' as RevealAction },
            { key: 's', label: 'skip', value: 'skip' as RevealAction },
            { key: 'q', label: 'quit', value: 'quit' as RevealAction },
          ],
          clock,
          onTimeout: 'timeout' as RevealAction,
        },
        contextFor(),
      ));
    },
    async typeAnswer(clock) {
      return run(multilineInput({ message: 'Your answer', clock }, contextFor()));
    },
    async gradeKeypoints(keypoints, preticked) {
      const items = keypoints.map((point) => wrapChoice('', point, width() - 3));
      const answer = await run(listPrompt({ message: 'Which key points did you cover?', items, multiple: true, checked: preticked }, contextFor()));
      return answer.action === 'submit' ? answer.picked : answer.action === 'timeout' ? [] : answer.action;
    },
    async choose(choices, clock) {
      const items = choices.map((text, index) => wrapChoice(`${String.fromCharCode(65 + index)}. `, text, width()));
      const answer = await run(listPrompt({ message: 'Your answer', items, multiple: false, ...(clock ? { clock } : {}) }, contextFor()));
      // The clock running out counts as a wrong answer.
      if (answer.action === 'timeout') return -1;
      return answer.action === 'submit' ? (answer.picked[0] ?? -1) : answer.action;
    },
    async chooseAll(choices, clock) {
      const items = choices.map((text, index) => wrapChoice(`${String.fromCharCode(65 + index)}. `, text, width() - 3));
      const answer = await run(
        listPrompt({ message: 'Select all that apply', items, multiple: true, selectAll: false, choices: true, ...(clock ? { clock } : {}) }, contextFor()),
      );
      if (answer.action === 'timeout') return [];
      return answer.action === 'submit' ? answer.picked : answer.action;
    },
    async afterAnswer({ followUps, last, saved = true }) {
      const keys = [
        { key: 'enter', label: last ? 'finish' : 'next', value: 'next' as NextAction },
        { key: 's', label: 'skip', value: 'skip' as NextAction },
        ...(followUps ? [{ key: 'f', label: 'follow-ups', value: 'followups' as NextAction }] : []),
        { key: 'q', label: 'quit', value: 'quit' as NextAction },
      ];
      const message = saved ? 'Saved.' : width() >= 52 ? 'Not saved yet — retried with your next answer.' : 'Not saved yet (retried next).';
      return run(keyPrompt({ message, keys }, contextFor()));
    },
    async pickTopics(rows) {
      return run(checkbox(
        {
          message: 'Which topics do you want to drill?',
          choices: rows.map((row) => ({ name: row.label, value: row.name, description: row.description })),
          pageSize: Math.min(20, Math.max(8, rows.length)),
          loop: false,
          required: true,
        },
        contextFor(),
      ));
    },
    async confirm(message, defaultValue) {
      return run(confirm({ message, default: defaultValue }, contextFor()));
    },
    interrupt() {
      interrupted.abort();
    },
  };
}

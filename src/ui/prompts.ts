/**
 * Prompts of our own, on @inquirer/core so they share Inquirer's terminal handling (raw mode,
 * redraws, Ctrl-C → ExitPromptError) and its test harness. A countdown is part of the prompt's
 * own render, so ticking never corrupts what the user types.
 */
import { createPrompt, isDownKey, isEnterKey, isSpaceKey, isUpKey, makeTheme, useEffect, useKeypress, usePrefix, useState, type Status } from '@inquirer/core';
import chalk from 'chalk';

export interface Clock {
  /** Seconds allowed. */
  limitSec: number;
  /** Epoch ms when the question was shown. */
  startedAt: number;
  /** What the time is left for, after "left": "in the interview". */
  label?: string;
}

/** "1:05 left" / "time's up", coloured by urgency. */
export function formatCountdown(clock: Clock, now: number): string {
  const left = Math.ceil(clock.limitSec - (now - clock.startedAt) / 1000);
  if (left <= 0) return chalk.red.bold("⏱ time's up");
  const text = `⏱ ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left${clock.label ? ` ${clock.label}` : ''}`;
  if (left <= 10) return chalk.red(text);
  if (left <= 30) return chalk.yellow(text);
  return chalk.dim(text);
}

/** Re-renders once a second while a clock runs; calls onTimeout once when it runs out. */
function useClock(clock: Clock | undefined, onTimeout: () => void): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!clock) return undefined;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t - clock.startedAt >= clock.limitSec * 1000) {
        clearInterval(timer);
        onTimeout();
      }
    }, 250);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export interface KeyChoice<T> {
  /** Key name as readline reports it: 'enter', 'f', 's', 'q'. */
  key: string;
  label: string;
  value: T;
}

export interface KeyPromptConfig<T> {
  message: string;
  keys: KeyChoice<T>[];
  clock?: Clock;
  /** Value resolved when the clock runs out. */
  onTimeout?: T;
}

/** One keystroke chooses: "Enter reveal · s skip · q quit". */
export const keyPrompt = createPrompt(<T>(config: KeyPromptConfig<T>, done: (value: T) => void): string => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<Status>('idle');
  const [picked, setPicked] = useState('');
  const prefix = usePrefix({ status, theme });
  const finish = (choice: KeyChoice<T> | undefined, value: T) => {
    setPicked(choice?.label ?? "time's up");
    setStatus('done');
    done(value);
  };
  const now = useClock(config.clock, () => {
    if (status === 'idle' && config.onTimeout !== undefined) finish(undefined, config.onTimeout);
  });
  useKeypress((key) => {
    if (status !== 'idle') return;
    const name = isEnterKey(key) ? 'enter' : (key.name ?? '').toLowerCase();
    const choice = config.keys.find((k) => k.key === name);
    if (choice) finish(choice, choice.value);
  });
  const message = theme.style.message(config.message, status);
  // Done: the message alone for the Enter key (no "reveal reveal"), or the key's label for another.
  if (status === 'done') return picked === config.keys[0]?.label ? `${prefix} ${message}` : `${prefix} ${message} ${theme.style.answer(picked)}`;
  const help = config.keys.map((k) => `${chalk.bold(k.key === 'enter' ? 'Enter' : k.key)} ${k.label}`).join(chalk.dim(' · '));
  // The clock goes on the keys' line: on the message's line it would make it wrap in a
  // terminal of 80-90 columns, and a wrapped line breaks the prompt's redraw.
  const clock = config.clock ? `   ${formatCountdown(config.clock, now)}` : '';
  return `${prefix} ${message}\n${chalk.dim('  ')}${help}${clock}`;
});

export interface MultilineConfig {
  message: string;
  clock?: Clock;
}

export interface MultilineAnswer {
  text: string;
  /** The clock ran out while typing. */
  timedOut: boolean;
}

/**
 * Multi-line answer: Enter starts a new line, Enter on an empty line finishes. Works in any
 * terminal, unlike an external editor, and can show the clock while the user types.
 */
export const multilineInput = createPrompt((config: MultilineConfig, done: (value: MultilineAnswer) => void): string => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<Status>('idle');
  const [lines, setLines] = useState<string[]>([]);
  const [line, setLine] = useState('');
  const prefix = usePrefix({ status, theme });
  const finish = (all: string[], timedOut: boolean) => {
    setLines(all);
    setStatus('done');
    done({ text: all.join('\n').trim(), timedOut });
  };
  const now = useClock(config.clock, () => {
    if (status === 'idle') finish(line ? [...lines, line] : lines, true);
  });
  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      if (line.trim() === '' && (lines.length > 0 || line === '')) {
        if (lines.length === 0 && line === '') {
          finish([], false);
          return;
        }
        finish(lines, false);
        return;
      }
      setLines([...lines, line]);
      setLine('');
    } else {
      setLine(rl.line);
    }
  });
  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const count = lines.filter((l) => l.trim()).length;
    return `${prefix} ${message} ${theme.style.answer(count === 0 ? '(no answer)' : `${count} line${count === 1 ? '' : 's'}`)}`;
  }
  const clock = config.clock ? `  ${formatCountdown(config.clock, now)}` : '';
  const typed = lines.map((l) => `  ${l}`).join('\n');
  return [
    `${prefix} ${message}${clock}`,
    chalk.dim('  Type your answer. Enter for a new line, Enter on an empty line to finish.'),
    ...(typed ? [typed] : []),
    `  ${line}`,
  ].join('\n');
});

export type ListAnswer = { action: 'submit'; picked: number[] } | { action: 'skip' } | { action: 'quit' } | { action: 'timeout' };

export interface ListConfig {
  message: string;
  /** What each item shows (may span lines: wrapped by the caller). */
  items: string[];
  /** Tick any number (key points) or pick one (choices). */
  multiple: boolean;
  /** `a` ticks all (multiple); off for "select all that apply", where it would be a free guess. */
  selectAll?: boolean;
  /** Choices, not key points (multiple): Enter needs a tick, and the result reads "A, C". */
  choices?: boolean;
  checked?: readonly number[];
  clock?: Clock;
}

/**
 * A list to pick from, with the session's keys: ↑↓ move, Space tick (multiple), `a` all,
 * Enter done; a letter picks a choice directly (single); `s` skips the question and `q` quits
 * the session, as at every prompt of a session.
 */
export const listPrompt = createPrompt((config: ListConfig, done: (value: ListAnswer) => void): string => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<Status>('idle');
  const [cursor, setCursor] = useState(0);
  const [ticked, setTicked] = useState<number[]>([...(config.checked ?? [])]);
  const [summary, setSummary] = useState('');
  const [hint, setHint] = useState('');
  const prefix = usePrefix({ status, theme });
  const count = config.items.length;
  const finish = (answer: ListAnswer, text: string) => {
    setSummary(text);
    setStatus('done');
    done(answer);
  };
  const now = useClock(config.clock, () => {
    if (status === 'idle') finish({ action: 'timeout' }, "time's up");
  });
  useKeypress((key) => {
    if (status !== 'idle') return;
    const name = (key.name ?? '').toLowerCase();
    if (isUpKey(key)) setCursor((cursor - 1 + count) % count);
    else if (isDownKey(key)) setCursor((cursor + 1) % count);
    else if (isEnterKey(key)) {
      if (config.multiple) {
        const picked = [...ticked].sort((a, b) => a - b);
        if (config.choices && picked.length === 0) setHint('Tick one or more with Space.');
        else finish({ action: 'submit', picked }, config.choices ? picked.map(letter).join(', ') : `${picked.length} of ${count}`);
      } else {
        finish({ action: 'submit', picked: [cursor] }, letter(cursor));
      }
    } else if (name === 's') finish({ action: 'skip' }, 'skip');
    else if (name === 'q') finish({ action: 'quit' }, 'quit');
    else if (config.multiple && isSpaceKey(key)) {
      setHint('');
      setTicked(ticked.includes(cursor) ? ticked.filter((i) => i !== cursor) : [...ticked, cursor]);
    }
    else if (config.multiple && config.selectAll !== false && name === 'a') setTicked(ticked.length === count ? [] : config.items.map((_, i) => i));
    else if (!config.multiple && /^[a-z]$/.test(name) && name.charCodeAt(0) - 97 < count) finish({ action: 'submit', picked: [name.charCodeAt(0) - 97] }, name.toUpperCase());
  });
  const message = theme.style.message(config.message, status);
  if (status === 'done') return `${prefix} ${message} ${theme.style.answer(summary)}`;
  const rows = config.items.map((item, i) => {
    const pointer = i === cursor ? chalk.cyan('❯') : ' ';
    const box = config.multiple ? (ticked.includes(i) ? chalk.green('◉') : '◯') : '';
    const [first = '', ...rest] = item.split('\n');
    const pad = ' '.repeat(config.multiple ? 2 : 1);
    return [`${pointer}${box}${config.multiple ? ' ' : ' '}${i === cursor ? chalk.cyan(first) : first}`, ...rest.map((l) => `${pad} ${l}`)].join('\n');
  });
  const b = chalk.bold;
  const all = config.selectAll !== false ? ` · ${b('a')} all` : '';
  const long = config.multiple
    ? `${b('↑↓')} move · ${b('Space')} tick${all} · ${b('Enter')} done · ${b('s')} skip · ${b('q')} quit`
    : `${b('↑↓')} move · ${b('Enter')} or a letter picks · ${b('s')} skip · ${b('q')} quit`;
  const short = config.multiple ? `${b('Space')} tick · ${b('Enter')} done · ${b('s')} skip · ${b('q')} quit` : `${b('Enter')} picks · ${b('s')} skip · ${b('q')} quit`;
  const clock = config.clock ? `   ${formatCountdown(config.clock, now)}` : '';
  // The keys' line must not wrap: a wrapped line breaks the prompt's redraw.
  const columns = process.stdout.columns || 80;
  const help = [long, short].find((h) => stripSgr(h + clock).length + 2 < columns) ?? short;
  const warning = hint ? `\n${chalk.yellow(`  ${hint}`)}` : '';
  return `${prefix} ${message}\n${rows.join('\n')}\n${chalk.dim('  ')}${help}${clock}${warning}`;
});

const letter = (i: number) => String.fromCharCode(65 + i);
const stripSgr = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * The command-line program. The only place that turns errors into exit codes. Command modules
 * (and their heavy dependencies: prompts, highlighter, YAML) are imported only when they run,
 * so `--help` costs commander and little else.
 */
import { homedir, userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isatty } from 'node:tty';
import chalk from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Context, GlobalOptions } from './context.js';
import { DrillError, EXIT, UsageError } from './errors.js';
import { builtInQuestionsDir, packageRoot } from './paths.js';
import type { LoadResult } from './questions/load.js';
import type { ScoresStore } from './store/index.js';
import { historyColumns } from './session/history.js';
import { readCachedColumns } from './store/columns-cache.js';
import { fileStamp } from './file-stamp.js';
import { DIFFICULTIES, emptyScores } from './types.js';
import { terminalSafe } from './render/sanitize.js';

const ORDERS = ['smart', 'random', 'file'];
const EXPORT_FORMATS = ['json', 'csv', 'anki'];

/** Colour once, at start-up: --no-color and NO_COLOR win, then FORCE_COLOR, then the TTY. */
export function colorLevel(argv: readonly string[], env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (argv.includes('--no-color') || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return Math.max(1, chalk.level) as 1 | 2 | 3;
  }
  if (!isTTY) return 0;
  // chalk's own detection: TERM=dumb and the like stay uncoloured on a terminal too.
  return chalk.level;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more.');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 5 || n > 3600) throw new InvalidArgumentError('must be a number of seconds between 5 and 3600.');
  return n;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number.');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The user's home folder. An empty HOME counts as unset (os.homedir() would return "" and put
 * the data folder in the current directory): the account's home from the system is used.
 */
function userHome(): string {
  const home = homedir();
  if (home) return home;
  try {
    const fromSystem = userInfo().homedir;
    if (fromSystem) return fromSystem;
  } catch {
    // no account entry
  }
  throw new UsageError('Cannot find your home folder (HOME is empty).', 'Set HOME, or choose a data folder with --home or DJANGO_DRILL_HOME.');
}

function globalOptions(program: Command): GlobalOptions {
  const o = program.opts<{ questions?: string[]; pack?: string[]; home?: string; json?: boolean }>();
  const env = process.env;
  let questions: string[];
  let builtInBank = false;
  if (o.questions && o.questions.length > 0) questions = o.questions.map((p) => resolve(p));
  else if (env.DJANGO_DRILL_QUESTIONS) questions = env.DJANGO_DRILL_QUESTIONS.split(delimiter).filter(Boolean).map((p) => resolve(p));
  else {
    questions = [builtInQuestionsDir()];
    builtInBank = true;
  }
  // Packs come after the bank: on an id both have, the bank's question wins (assemble()).
  const packs = (o.pack && o.pack.length > 0 ? o.pack : (env.DJANGO_DRILL_PACKS ?? '').split(delimiter)).filter(Boolean).map((p) => resolve(p));
  for (const dir of [...questions, ...packs]) {
    const st = existsSync(dir) ? statSync(dir) : undefined;
    if (!st?.isDirectory()) {
      const hint = packs.includes(dir)
        ? 'Pass a folder of <topic>/*.md files with --pack, or fix DJANGO_DRILL_PACKS.'
        : 'Pass a folder of <topic>/*.md files with --questions, or unset DJANGO_DRILL_QUESTIONS.';
      throw new UsageError(`Question folder not found: ${dir}`, hint);
    }
  }
  questions = [...questions, ...packs.filter((p) => !questions.includes(p))];
  const home = resolve(o.home ?? (env.DJANGO_DRILL_HOME || join(userHome(), '.django-drill')));
  return { questions, builtInBank, home, json: o.json === true, color: chalk.level > 0 };
}

/**
 * A big bank read for the first time takes seconds: a spinner on stderr says so. ora is loaded
 * only then, while the files are being parsed.
 */
function slowParseSpinner(files: number, color: boolean): (() => void) | undefined {
  if (files < 300 || !process.stderr.isTTY) return undefined;
  let stop: (() => void) | undefined;
  let finished = false;
  void import('./ui/spinner.js').then(({ startSpinner }) => {
    if (!finished) stop = startSpinner(`Reading ${files} question files (cached for next time)…`, color);
  });
  return () => {
    finished = true;
    stop?.();
  };
}

/**
 * The clock: now, or DJANGO_DRILL_NOW (an ISO date-time) as a testing aid for plans and
 * schedules (README "Testing aids"). The fake clock starts at that time and runs on, so answer
 * durations stay real.
 */
function clock(): () => Date {
  const fake = process.env.DJANGO_DRILL_NOW;
  if (!fake) return () => new Date();
  const at = Date.parse(fake);
  if (Number.isNaN(at)) throw new UsageError(`DJANGO_DRILL_NOW is not a date: "${fake}"`, 'Use an ISO date-time such as 2026-12-10T09:00:00, or unset it.');
  const offset = at - Date.now();
  return () => new Date(Date.now() + offset);
}

function makeContext(program: Command): Context {
  const opts = globalOptions(program);
  const now = clock();
  const banks = new Map<boolean, Promise<LoadResult>>();
  let store: Promise<ScoresStore> | undefined;
  // Every line printed goes through terminalSafe (render/sanitize.ts): names and paths from a
  // pack cannot drive the terminal, whichever message prints them.
  const err = (text: string) => process.stderr.write(`${terminalSafe(text)}\n`);
  const storeOf = () => {
    store ??= import('./store/index.js').then((m) => new m.ScoresStore({ home: opts.home, now, warn: (line) => err(`${chalk.yellow('warning:')} ${line}`) }));
    return store;
  };
  return {
    opts,
    out: (text) => process.stdout.write(`${terminalSafe(text)}\n`),
    err,
    warn: (text) => err(`${chalk.yellow('warning:')} ${text}`),
    now,
    // isatty(0), not process.stdin.isTTY: touching process.stdin builds the stream (a few ms
    // on every command, `list` included) though most commands never read it.
    stdinIsTTY: isatty(0),
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns || 80,
    loadBank: (options) => {
      const bodies = options?.bodies !== false;
      let bank = banks.get(bodies);
      if (!bank) {
        bank = import('./questions/cache.js').then(({ loadBankCached }) =>
          loadBankCached(opts.questions, opts.home, { bodies, onParse: (files) => slowParseSpinner(files, opts.color) }),
        );
        banks.set(bodies, bank);
      }
      return bank;
    },
    store: storeOf,
    // A new user has no history yet: skip loading the store (and its schema code) for it.
    readScores: async () => (existsSync(join(opts.home, 'scores.json')) ? (await storeOf()).read() : emptyScores()),
    readHistory: async () => {
      // The usual cases stay synchronous: no history yet, or columns cached for this scores.json.
      let st;
      try {
        st = statSync(join(opts.home, 'scores.json'), { throwIfNoEntry: false });
        if (!st) return historyColumns(emptyScores());
      } catch {
        // Unreadable: the store reports it properly.
      }
      return (st && readCachedColumns(opts.home, fileStamp(st))) ?? (await storeOf()).readColumns();
    },
  };
}

function buildProgram(): Command {
  const program = new Command('django-drill');
  // Before any subcommand is added: subcommands copy these settings when created.
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => process.stdout.write(text),
    // Commander's own error lines are reformatted in main(); help text for errors still shows.
    writeErr: (text) => {
      if (!text.startsWith('error:')) process.stderr.write(text);
    },
    outputError: () => undefined,
  });
  program
    .description('Drill Django interview questions in the terminal, with spaced repetition.')
    .version(version(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--questions <dir>', 'question bank folder, replaces the built-in bank (repeatable; env DJANGO_DRILL_QUESTIONS)', collect)
    .option('--pack <dir>', 'a question pack added to the bank in use (repeatable; env DJANGO_DRILL_PACKS)', collect)
    .option('--home <dir>', 'where scores.json lives (env DJANGO_DRILL_HOME; default ~/.django-drill)')
    .option('--json', 'machine-readable output on stdout (list, stats, validate, show, plan, doctor, interview)')
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  $ django-drill                  pick topics, then drill
  $ django-drill orm              drill one topic (same as: django-drill drill orm)
  $ django-drill warmup           five quick questions before an interview
  $ django-drill interview        a 30-minute mock interview with follow-ups and a scorecard
  $ django-drill plan --date 2w   a study plan toward an interview in two weeks; then: django-drill today
  $ django-drill list orm         the questions of a topic
  $ django-drill stats            progress per topic

Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted.`,
    );

  addSessionCommands(program);
  addPlanCommands(program);
  addInfoCommands(program);
  return program;
}

function printError(message: string, hint?: string): void {
  process.stderr.write(`${chalk.red('error:')} ${message}\n`);
  if (hint) process.stderr.write(`${chalk.dim('hint:')} ${hint}\n`);
}

export async function main(argv: string[]): Promise<number> {
  chalk.level = colorLevel(argv, process.env, process.stdout.isTTY === true);
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      const lines = error.message.replace(/^error:\s*/, '').split('\n');
      // Keep commander's "(Did you mean --count?)" on the same line as the error.
      const guess = lines.find((l) => /^\(Did you mean/.test(l.trim()));
      printError([lines[0] ?? '', guess?.trim()].filter(Boolean).join(' '), 'Run django-drill --help for commands and flags.');
      return EXIT.usage;
    }
    if (error instanceof DrillError) {
      // Already reported by the command (validate's list) or a plain Ctrl-C: no extra line.
      if (error.message && error.exitCode !== EXIT.interrupted) printError(error.message, error.hint);
      if (process.env.DEBUG?.split(',').includes('django-drill') && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    printError(`unexpected error: ${message}`, 'Run with DEBUG=django-drill for details, and report it if it repeats.');
    if (process.env.DEBUG?.split(',').includes('django-drill') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

// stdout closed early (`django-drill list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

// Not a top-level await: the build ships this module as CommonJS (see scripts/build.mjs).
void main(process.argv).then((code) => {
  process.exitCode = code;
  // Everything is awaited by now (answers saved, caches written); what is left on the event
  // loop is the garbage collector's deferred work on a heap about to be freed, 10-20 ms after a
  // big `list` or `stats`. Exit at once, unless some output is still queued (a pipe on macOS).
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
});


/** drill and warmup, with the flags they share. */
function addSessionCommands(program: Command): void {
  const sessionFlags = (cmd: Command, defaultCount: number) =>
    cmd
      .option('-n, --count <n>', `how many questions (default ${defaultCount})`, positiveInt)
      .option('--due', 'only questions due for review')
      .option('--weak', 'lowest mastery first')
      .option('--new', 'only questions never answered')
      .addOption(new Option('--difficulty <level>', 'only this difficulty').choices([...DIFFICULTIES]))
      .option('--tag <tag>', 'only questions with this tag (repeatable)', collect)
      .option('--timed [seconds]', "interview clock per question (default: the question's time or 120)", seconds)
      .option('--type', 'type your answer before the reveal')
      .option('--no-pager', 'print long answers instead of paging them')
      .addOption(new Option('--order <order>', 'question order').choices(ORDERS).default('smart'))
      .option('--seed <n>', 'seed for --order random and the order of choices (same seed, same order)', seedValue)
      .option('--id <id>', 'only this question (repeatable; a follow-up id drills its question)', collect);

  sessionFlags(
    program.command('drill [topics...]', { isDefault: true }).description('drill a topic (no topic: pick from a list)'),
    10,
  ).action(async (topics: string[], options) => {
    const { drillCommand } = await import('./commands/drill.js');
    await drillCommand(makeContext(program), topics, options, program.commands.map((c) => c.name()));
  });

  sessionFlags(
    program.command('warmup').description('short pre-interview round: due first, then weakest; ends with readiness per topic'),
    5,
  )
    .option('--topic <topic>', 'only this topic (repeatable)', collect)
    .action(async (options) => {
      const { warmupCommand } = await import('./commands/warmup.js');
      await warmupCommand(makeContext(program), options);
    });

}

/** interview, plan and today. */
function addPlanCommands(program: Command): void {
  program
    .command('interview [topics...]')
    .description('mock interview: questions at a level, chained follow-ups, one clock, a scorecard and a report')
    .addOption(new Option('--level <level>', 'interview level').choices([...DIFFICULTIES]).default('mid'))
    .option('--minutes <n>', 'length of the interview in minutes, 10-90', positiveInt, 30)
    .option('--type', 'type your answers before the reveal')
    .option('--seed <n>', 'seed for a reproducible interview', seedValue)
    .option('--report <path>', 'write the Markdown report here (default <home>/reports/interview-<time>.md)')
    .option('--no-pager', 'print long answers instead of paging them')
    .action(async (topics: string[], options: { level: 'junior' | 'mid' | 'senior'; minutes: number; type?: boolean; seed?: number; report?: string; pager?: boolean }) => {
      const { interviewCommand } = await import('./commands/interview.js');
      await interviewCommand(makeContext(program), topics, options);
    });

  program
    .command('plan [topics...]')
    .description('a study plan toward your interview day, with a readiness forecast')
    .option('--date <day>', 'the interview day: YYYY-MM-DD, "in 5d", "2w", today')
    .option('--daily <minutes>', 'minutes a day you can give (default 20)', positiveInt)
    .option('--show', 'print the current plan (the default without --date)')
    .option('--clear', 'remove the plan (asks first; scores stay)')
    .option('-y, --yes', 'with --clear: do not ask')
    .action(async (topics: string[], options: { date?: string; daily?: number; show?: boolean; clear?: boolean; yes?: boolean }) => {
      const { planCommand } = await import('./commands/plan.js');
      await planCommand(makeContext(program), topics, options);
    });

  program
    .command('today')
    .description("today's share of the study plan, then the updated forecast")
    .option('--type', 'type your answers before the reveal')
    .option('--seed <n>', 'seed for the order of choices', seedValue)
    .option('--no-pager', 'print long answers instead of paging them')
    .action(async (options: { type?: boolean; seed?: number; pager?: boolean }) => {
      const { todayCommand } = await import('./commands/today.js');
      await todayCommand(makeContext(program), options);
    });
}

/** list, show, stats, validate, doctor, reset, export. */
function addInfoCommands(program: Command): void {
  program
    .command('list [topics...]')
    .description('topics with counts, or the questions of the given topics')
    .action(async (topics: string[]) => {
      const { listCommand } = await import('./commands/list.js');
      await listCommand(makeContext(program), topics);
    });

  program
    .command('show <id>')
    .description('print one question and its model answer (no prompts)')
    .action(async (id: string) => {
      const { showCommand } = await import('./commands/show.js');
      await showCommand(makeContext(program), id);
    });

  program
    .command('stats [topics...]')
    .description('mastery per topic, streak, activity heatmap, weakest questions')
    .action(async (topics: string[]) => {
      const { statsCommand } = await import('./commands/stats.js');
      await statsCommand(makeContext(program), topics);
    });

  program
    .command('validate [paths...]')
    .description('check question files: files, topic folders or bank roots (default: the bank in use)')
    .action(async (paths: string[]) => {
      const { validateCommand } = await import('./commands/validate.js');
      await validateCommand(makeContext(program), paths);
    });

  program
    .command('doctor')
    .description('read-only check of your data folder, caches and bank, with fixes (exit 1 if something needs attention)')
    .action(async () => {
      const { doctorCommand } = await import('./commands/doctor.js');
      await doctorCommand(makeContext(program));
    });

  program
    .command('reset [topics...]')
    .description('forget progress (all or some topics), keeping a backup copy')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (topics: string[], options: { yes?: boolean }) => {
      const { resetCommand } = await import('./commands/reset.js');
      await resetCommand(makeContext(program), topics, options);
    });

  program
    .command('export')
    .description('history and questions to stdout')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('json'))
    .action(async (options: { format: 'json' | 'csv' | 'anki' }) => {
      const { exportCommand } = await import('./commands/export.js');
      await exportCommand(makeContext(program), options);
    });
}

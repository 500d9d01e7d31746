import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeBank } from '../helpers.js';
import { cleanEnv, KEY, run, spawnTerminal } from './harness.js';

let home: string;
let env: Record<string, string>;
let bank: string;

beforeEach(() => {
  home = tempDir('home-');
  env = cleanEnv(home);
  bank = writeBank({
    orm: [
      { id: 'orm-first', title: 'First ORM question', difficulty: 'junior' },
      { id: 'orm-second', title: 'Second ORM question', difficulty: 'mid' },
      { id: 'orm-third', title: 'Third ORM question', difficulty: 'senior' },
    ],
    views: [{ id: 'views-one', title: 'A views question' }],
  });
});

const scoresPath = () => join(home, '.django-drill', 'scores.json');
const readScores = () => JSON.parse(readFileSync(scoresPath(), 'utf8'));

describe('non-interactive commands', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await run(['--help'], env);
    expect(r.code).toBe(0);
    for (const command of ['drill', 'warmup', 'list', 'show', 'stats', 'validate', 'reset', 'export']) expect(r.stdout).toContain(command);
    expect(r.stderr).toBe('');
  });

  it('starts without Node\'s ES module loader (the bundle is CommonJS: see scripts/build.mjs)', async () => {
    const dir = tempDir();
    const out = join(dir, 'modules.json');
    const preload = join(dir, 'modules.cjs');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`);
    for (const args of [['--help'], ['list'], ['stats']]) {
      const r = await run(args, { ...env, NODE_OPTIONS: `--require ${preload}` });
      expect(r.code).toBe(0);
      const modules = JSON.parse(readFileSync(out, 'utf8')) as string[];
      expect(modules).toContain('NativeModule fs');
      expect(modules.filter((m) => m.includes('internal/modules/esm/loader'))).toEqual([]);
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const r = await run(['--version'], env);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('an unknown topic exits 2 with a suggestion and the topic list', async () => {
    const r = await run(['drill', 'ormm', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown topic "ormm". Did you mean "orm"?');
    expect(r.stderr).toContain('Topics: orm, views');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a mistyped command as the default command suggests the command', async () => {
    const r = await run(['lsit', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean the command "list"?');
  });

  it('an unknown flag exits 2', async () => {
    const r = await run(['list', '--colour'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--colour'/);
  });

  it('drill without a terminal says so in one line and exits 2', async () => {
    const r = await run(['drill', 'orm', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: drill needs an interactive terminal: stdin and stdout are not terminals\.\n/);
    expect(existsSync(scoresPath())).toBe(false);
  });

  it('validate on a broken file prints file:line: message and exits 1', async () => {
    writeFileSync(join(bank, 'orm', 'broken.md'), '---\nid: orm-broken\ntitle: Broken\ndifficulty: expert\nkeypoints: [a]\n---\nQ\n## Answer\nA\n');
    const r = await run(['validate', bank], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/orm[\\/]broken\.md:4: difficulty "expert" must be one of junior, mid, senior/);
    const good = await run(['validate', join(bank, 'views')], env);
    expect(good.code).toBe(0);
  });

  it('list --json is clean JSON on stdout even when a file is skipped', async () => {
    writeFileSync(join(bank, 'orm', 'broken.md'), 'no frontmatter');
    const r = await run(['list', 'orm', '--json', '--questions', bank], env);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.questions.map((q: { id: string }) => q.id)).toEqual(['orm-first', 'orm-second', 'orm-third']);
    expect(r.stderr).toMatch(/warning: skipped .*broken\.md:1: missing YAML frontmatter/);
  });

  it('show works in a pipe with no colour codes', async () => {
    const r = await run(['show', 'orm-second', '--questions', bank], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Second ORM question');
    expect(r.stdout).toContain('The answer of orm-second.');
    expect(r.stdout).not.toContain('\u001b');
  });

  it('reads the built-in bank by default', async () => {
    const r = await run(['list', '--json'], env);
    expect(r.code).toBe(0);
    const topics = JSON.parse(r.stdout).topics.map((t: { topic: string }) => t.topic);
    expect(topics).toContain('orm');
  });
});

describe('warmup in a pseudo-terminal', () => {
  it('with a prepared history: the due question first, then the readiness table', async () => {
    mkdirSync(join(home, '.django-drill'), { recursive: true });
    const old = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const attempt = (questionId: string, topic: string, at: string, rating: string, score: number) =>
      ({ questionId, topic, at, score, rating, keypointsHit: [], durationMs: 30_000, sessionId: 'old', mode: 'drill' });
    writeFileSync(
      scoresPath(),
      JSON.stringify({
        version: 1,
        // orm-third was failed a month ago (due); views-one was aced an hour ago (not due).
        attempts: [attempt('orm-third', 'orm', old(30), 'again', 0), attempt('views-one', 'views', old(1 / 24), 'easy', 1)],
        cards: {},
        sessions: [],
      }),
    );
    const t = spawnTerminal(['warmup', '-n', '2', '--questions', bank], env);
    await t.waitFor('[1/2] orm · senior · Third ORM question');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write('a' + KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    await t.waitFor('[2/2]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    const end = await t.waitFor(/Review last: .*/);
    expect(end).toContain('Readiness');
    expect(end).toMatch(/orm\s+\S+\s+\d+%\s+\d+\s+(weak|shaky|ready)/);
    expect(end).toMatch(/views\s+\S+\s+\d+%\s+0\s+(weak|shaky|ready)/);
    expect(await t.exited).toBe(0);
    const scores = readScores();
    expect(scores.attempts).toHaveLength(4);
    expect(scores.sessions[0]).toMatchObject({ mode: 'warmup', answered: 2 });
    expect(scores.attempts[2]).toMatchObject({ questionId: 'orm-third', rating: 'easy', mode: 'warmup' });
  });
});

describe('drill in a pseudo-terminal', () => {
  it('answers two orm questions, quits, and saves both attempts', async () => {
    const t = spawnTerminal(['drill', 'orm', '-n', '2', '--order', 'file', '--questions', bank], env);
    await t.waitFor('[1/2] orm · junior · First ORM question');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.space);
    t.write(KEY.enter);
    await t.waitFor(/Score 33%.*again/);
    await t.waitFor('Saved.');
    expect(readScores().attempts).toHaveLength(1);
    t.write(KEY.enter);
    await t.waitFor('[2/2] orm · mid · Second ORM question');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('The answer of orm-second.');
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.space + KEY.down + KEY.space);
    t.write(KEY.enter);
    await t.waitFor(/Score 67%.*good/);
    await t.waitFor('Saved.');
    t.write('q');
    const summary = await t.waitFor('Next due:');
    expect(summary).toContain('Session summary');
    expect(summary).toContain('First ORM question');
    expect(summary).toContain('To reread');
    expect(await t.exited).toBe(0);

    const scores = readScores();
    expect(scores.version).toBe(2);
    expect(scores.attempts.map((a: { questionId: string; score: number; rating: string }) => [a.questionId, a.score, a.rating])).toEqual([
      ['orm-first', 0.33, 'again'],
      ['orm-second', 0.67, 'good'],
    ]);
    expect(Object.keys(scores.cards).sort()).toEqual(['orm-first', 'orm-second']);
    expect(scores.sessions).toHaveLength(1);
    expect(scores.sessions[0]).toMatchObject({ mode: 'drill', topics: ['orm'], answered: 2 });
  });

  it('Ctrl-C mid-question exits 130 and keeps the earlier answer', async () => {
    const t = spawnTerminal(['orm', '--order', 'file', '--questions', bank], env);
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.space + KEY.down + KEY.space + KEY.down + KEY.space + KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    await t.waitFor('[2/3]');
    await t.waitFor('press Enter to reveal');
    t.write(KEY.ctrlC);
    await t.waitFor('Session interrupted');
    // The table of the answers so far follows the heading, maybe in a later chunk of output.
    await t.waitFor('First ORM question');
    expect(await t.exited).toBe(130);
    const scores = readScores();
    expect(scores.attempts).toHaveLength(1);
    expect(scores.attempts[0]).toMatchObject({ questionId: 'orm-first', score: 1, rating: 'easy' });
  });

  it('with NO_COLOR a whole drill runs (every prompt shows) and prints no colour codes', async () => {
    const t = spawnTerminal(['drill', 'orm', '-n', '2', '--order', 'file', '--questions', bank], { ...env, NO_COLOR: '1' });
    for (const n of [1, 2]) {
      await t.waitFor(`[${n}/2]`);
      await t.waitFor('press Enter to reveal');
      t.write(KEY.enter);
      await t.waitFor('Which key points did you cover?');
      t.write(KEY.space + KEY.enter);
      await t.waitFor('Saved.');
      t.write(KEY.enter);
    }
    await t.waitFor('Session summary');
    expect(await t.exited).toBe(0);
    expect(t.raw()).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(readScores().attempts).toHaveLength(2);
  });

  it('a SIGINT signal (kill -INT, not a key) stops the session with the summary and 130', async () => {
    const t = spawnTerminal(['orm', '--order', 'file', '--questions', bank], env);
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write('a' + KEY.enter);
    await t.waitFor('Saved.');
    process.kill(t.pid, 'SIGINT');
    await t.waitFor('Session interrupted');
    expect(await t.exited).toBe(130);
    expect(readScores().attempts).toHaveLength(1);
  });

  it('--order random --seed gives the same order twice; --difficulty and --tag filter', async () => {
    const firstOf = async (args: string[]) => {
      const t = spawnTerminal(['drill', ...args, '--questions', bank], env);
      const screen = await t.waitFor('press Enter to reveal');
      t.write('q');
      await t.exited;
      return /\[1\/\d+\] (.*)/.exec(screen)?.[1];
    };
    const a = await firstOf(['orm', '--order', 'random', '--seed', '7']);
    const b = await firstOf(['orm', '--order', 'random', '--seed', '7']);
    expect(a).toBeDefined();
    expect(a).toBe(b);
    expect(await firstOf(['orm', '--difficulty', 'senior'])).toBe('orm · senior · Third ORM question');
    const none = spawnTerminal(['drill', 'orm', '--tag', 'nope', '--tag', 'missing', '--questions', bank], env);
    // Tags no question has are a usage error (issue 18), not an empty session.
    await none.waitFor('No question has the tag "nope"');
    expect(await none.exited).toBe(2);
    const empty = spawnTerminal(['drill', 'orm', '--difficulty', 'senior', '--new', '--due', '--questions', bank], env);
    await empty.waitFor('Nothing to drill in orm with these filters.');
    expect(await empty.exited).toBe(0);
  });

  it('q before the first answer ends cleanly and writes nothing', async () => {
    const t = spawnTerminal(['orm', '--questions', bank], env);
    await t.waitFor('press Enter to reveal');
    t.write('q');
    await t.waitFor('No answers this session.');
    expect(await t.exited).toBe(0);
    expect(existsSync(scoresPath())).toBe(false);
  });

  it('colours on a terminal, and none with NO_COLOR', async () => {
    const coloured = spawnTerminal(['show', 'orm-first', '--questions', bank], env);
    expect(await coloured.exited).toBe(0);
    expect(coloured.raw()).toMatch(/\x1b\[[0-9;]*m/);
    const plain = spawnTerminal(['show', 'orm-first', '--questions', bank], { ...env, NO_COLOR: '1' });
    expect(await plain.exited).toBe(0);
    expect(plain.raw()).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(plain.text()).toContain('First ORM question');
  });
});

describe('usage errors that help', () => {
  it('a mistyped flag keeps commander\'s suggestion on the error line', async () => {
    const r = await run(['drill', 'orm', '--cuont', '3', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--cuont' (Did you mean --count?)");
  });

  it('drill with stdout piped says that stdout is not a terminal', async () => {
    const r = await run(['drill', 'orm', '--questions', bank], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin and stdout are not terminals|stdout is not a terminal/);
  });

  it('an unknown --tag is a usage error with the tags that exist', async () => {
    const t = spawnTerminal(['drill', 'orm', '--tag', 'nonexistent', '--questions', bank], env);
    const out = await t.waitFor('hint:');
    expect(out).toContain('No question has the tag "nonexistent"');
    expect(await t.exited).toBe(2);
  });
});

describe('the session keys work at every prompt', () => {
  it('s at the key-point list skips without saving; q at the choice list quits with the summary', async () => {
    const keysBank = writeBank({
      orm: [
        { id: 'orm-open-one', title: 'Open one', difficulty: 'junior' },
        { id: 'orm-open-two', title: 'Open two', difficulty: 'junior' },
        { id: 'orm-pick', title: 'Pick one', difficulty: 'mid', type: 'choice' },
      ],
    });
    const t = spawnTerminal(['drill', 'orm', '--order', 'file', '--questions', keysBank], env);
    await t.waitFor('[1/3]');
    t.write(KEY.enter);
    const list = await t.waitFor('Which key points did you cover?');
    t.write('s');
    await t.waitFor('[2/3]');
    expect(list).toBeDefined();
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('Which key points did you cover?');
    t.write(KEY.space + KEY.enter);
    await t.waitFor('Saved.');
    t.write(KEY.enter);
    // 1 of 3 key points is rated again: it comes back at the end, so the total is now 4.
    await t.waitFor(/\[3\/\d\]/);
    await t.waitFor('Enter or a letter picks');
    t.write('q');
    const end = await t.waitFor('Session summary');
    expect(end).toBeDefined();
    expect(await t.exited).toBe(0);
    const scores = readScores();
    expect(scores.attempts.map((a: { questionId: string }) => a.questionId)).toEqual(['orm-open-two']);
  });
});

/** Names, sizes and file kinds a hostile pack or an odd environment brings. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/render/sanitize.js';
import { questionFile, tempDir, writeBank } from '../helpers.js';
import { cleanEnv, run } from './harness.js';

let home: string;
let env: Record<string, string>;
let bank: string;

beforeEach(() => {
  home = tempDir('home-');
  env = cleanEnv(home);
  bank = writeBank({ orm: [{ id: 'orm-one', title: 'One' }] });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(bank, { recursive: true, force: true });
});

const RAW = /\x1b\](?!\d*;?\x07)|\x1b\[2J|\x1b\]52/;

describe('hostile names and files', () => {
  it('a folder and a file named with escape sequences reach neither stdout nor stderr raw', async () => {
    const evilTopic = join(bank, 't2\x1b[2J');
    mkdirSync(evilTopic);
    writeFileSync(join(evilTopic, 'q.md'), questionFile({ id: 'evil-q' }));
    // A broken file whose name carries an OSC 52 clipboard write: its warning names it.
    writeFileSync(join(bank, 'orm', 'x\x1b]52;c;cHduZWQ=\x07.md'), '---\nid: [\n---\n');
    for (const args of [['list'], ['stats'], ['show', 'evil-q'], ['validate']]) {
      const r = await run([...args, '--questions', bank], env);
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(RAW);
    }
    const list = await run(['list', '--questions', bank], env);
    expect(list.stdout).toMatch(/^t2\s/m);
  });

  it('terminalSafe keeps colour and drops every other control', () => {
    expect(terminalSafe('\x1b[1mbold\x1b[22m \x1b[2Jclear \x1b]0;title\x07x\r')).toBe('\x1b[1mbold\x1b[22m clear x');
  });

  it('a question file over 1 MB is a validate error, and the rest of the bank loads', async () => {
    writeFileSync(join(bank, 'orm', 'huge.md'), questionFile({ id: 'orm-huge' }) + 'x'.repeat(1.2 * 1024 * 1024));
    const v = await run(['validate', '--questions', bank], env);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toMatch(/huge\.md:1: the file is 1\.2 MB; a question file may be at most 1 MB/);
    const show = await run(['show', 'orm-one', '--questions', bank], env);
    expect(show.code).toBe(0);
  });

  it('validate of a FIFO says it skipped something that is not a regular file', async () => {
    const fifo = join(bank, 'orm', 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const r = await run(['validate', fifo], env);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('not a regular file or a folder');
  });

  it('an empty HOME counts as unset: no data folder in the current directory', async () => {
    const cwd = tempDir('cwd-');
    const r = await run(['stats', '--questions', bank], { ...env, HOME: '', DJANGO_DRILL_HOME: '', PWD: cwd });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, '.django-drill'))).toBe(false);
    expect(existsSync(join(home, '.django-drill'))).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe('--pack beside the built-in bank', () => {
  it('adds its questions; a topic of the same name merges; a colliding id is skipped with a warning, the built-in one wins', async () => {
    const pack = writeBank({
      orm: [
        { id: 'orm-my-own', title: 'My own ORM question' },
        { id: 'orm-n-plus-one', title: 'A pack question reusing a built-in id' },
      ],
      mine: [{ id: 'mine-first', title: 'First of mine' }],
    });
    const builtIn = await run(['list', '--json'], env);
    const builtInCount = (JSON.parse(builtIn.stdout) as { topics: { questions: number }[] }).topics.reduce((s, t) => s + t.questions, 0);
    const r = await run(['list', '--json', '--pack', pack], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { topics: { topic: string; questions: number }[] };
    expect(doc.topics.reduce((s, t) => s + t.questions, 0)).toBe(builtInCount + 2);
    expect(doc.topics.map((t) => t.topic)).toContain('mine');
    expect(r.stderr).toMatch(/duplicate id "orm-n-plus-one" \(already used by .*questions[\\/]orm[\\/]n-plus-one\.md:\d+\); this question is skipped/);
    const shown = await run(['show', 'orm-n-plus-one', '--pack', pack], env);
    expect(shown.stdout).not.toContain('A pack question reusing a built-in id');
    const viaEnv = await run(['show', 'mine-first'], { ...env, DJANGO_DRILL_PACKS: pack });
    expect(viaEnv.code).toBe(0);
    const v = await run(['validate', '--pack', pack], env);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('duplicate id "orm-n-plus-one"');
    rmSync(pack, { recursive: true, force: true });
  });
});

describe('a 40-column terminal', () => {
  it('list shows whole ids (show needs them) and whole topic names', async () => {
    const t = (await import('./harness.js')).spawnTerminal(['list', 'orm', '--questions', bank], env, { cols: 40, rows: 40 });
    const out = await t.waitFor('orm-one');
    expect(await t.exited).toBe(0);
    expect(out).toMatch(/^orm-one\s*$/m);
  });
});

describe('the pager', () => {
  it('pages an answer taller than the terminal, with the question above it; --no-pager prints it', async () => {
    const { spawnTerminal, KEY } = await import('./harness.js');
    const long = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of a long model answer.`).join('\n\n');
    const pagerBank = writeBank({ orm: [{ id: 'orm-long', title: 'Long answer', body: `What is the long story?\n\n## Answer\n${long}\n` }] });
    const paged = join(home, 'paged.txt');
    const t = spawnTerminal(['drill', 'orm', '--questions', pagerBank], { ...env, DJANGO_DRILL_PAGER: `cat > '${paged}'` }, { cols: 80, rows: 24 });
    await t.waitFor('press Enter to reveal');
    t.write(KEY.enter);
    await t.waitFor('(model answer shown in the pager)');
    await t.waitFor('Which key points did you cover?');
    t.write('q');
    await t.exited;
    const text = (await import('node:fs')).readFileSync(paged, 'utf8');
    expect(text).toMatch(/── Question[\s\S]*What is the long story\?[\s\S]*── Model answer[\s\S]*Line 60 of a long model answer\./);

    const u = spawnTerminal(['drill', 'orm', '--no-pager', '--questions', pagerBank], { ...env, DJANGO_DRILL_PAGER: `cat > '${paged}.2'` }, { cols: 80, rows: 24 });
    await u.waitFor('press Enter to reveal');
    u.write(KEY.enter);
    await u.waitFor('Which key points did you cover?');
    u.write('q');
    await u.exited;
    expect(existsSync(`${paged}.2`)).toBe(false);
    expect(u.text()).toContain('Line 60 of a long model answer.');
    rmSync(pagerBank, { recursive: true, force: true });
  });
});

/**
 * What `npx django-drill` does: pack the package, install the tarball into an empty folder, run
 * the installed bin. Catches files missing from `files` and dependencies missing from the bundle.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { cleanEnv, ROOT } from '../e2e/harness.js';

let installed: string;
let tarballFiles: string[];

beforeAll(() => {
  const packDir = tempDir('pack-');
  // dist/ is built by `npm test` (pretest); building it again here would rewrite it under
  // the other test files running the bin. The clone below checks prepack.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
  const info = JSON.parse(out)[0] as { filename: string; files: { path: string }[] };
  tarballFiles = info.files.map((f) => f.path);
  const app = tempDir('app-');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(packDir, info.filename)], { cwd: app, stdio: 'pipe' });
  installed = join(app, 'node_modules', '.bin', 'django-drill');
}, 120_000);

describe('npm package', () => {
  it('ships dist, bin and the question bank, and no sources or tests', () => {
    expect(tarballFiles).toContain('bin/django-drill.js');
    expect(tarballFiles).toContain('dist/cli.js');
    // Both mark their folder as CommonJS (see scripts/build.mjs); without them the bin would not start.
    expect(tarballFiles).toEqual(expect.arrayContaining(['bin/package.json', 'dist/package.json']));
    expect(tarballFiles.some((f) => /^questions\/orm\/.+\.md$/.test(f))).toBe(true);
    expect(tarballFiles.some((f) => f.startsWith('src/') || f.startsWith('tests/'))).toBe(false);
  });

  it('installs with no runtime dependencies: everything is bundled', () => {
    const modules = readdirSync(join(installed, '..', '..'));
    expect(modules.filter((m) => !m.startsWith('.'))).toEqual(['django-drill']);
    expect(existsSync(installed)).toBe(true);
  });

  it('the installed bin prints help and lists the built-in bank', () => {
    const home = tempDir('home-');
    const env = cleanEnv(home);
    const help = runInstalled(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: django-drill');
    const list = runInstalled(['list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/orm\s+ORM/);
    const show = runInstalled(['show', 'orm-select-related-vs-prefetch-related'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('LEFT OUTER JOIN');
  });

  it('ships the bank parsed (dist/bank-seed*.json), and never serves it for an edited file', () => {
    expect(tarballFiles).toEqual(expect.arrayContaining(['dist/bank-seed.json', 'dist/bank-seed-bodies.json']));
    // npm pack gives every file the same old mtime; only the content can tell an edit.
    const file = join(installed, '..', '..', 'django-drill', 'questions', 'orm', 'select-related-vs-prefetch-related.md');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('LEFT OUTER JOIN', 'LEFT OUTER J0IN');
    expect(edited.length).toBe(text.length);
    const { mtime } = statSync(file);
    writeFileSync(file, edited);
    utimesSync(file, mtime, mtime);
    try {
      const show = runInstalled(['show', 'orm-select-related-vs-prefetch-related'], cleanEnv(tempDir('home-')));
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('LEFT OUTER J0IN');
    } finally {
      writeFileSync(file, text);
    }
  });
});

describe('npm pack from a fresh clone', () => {
  it('builds first (prepack): the tarball has dist/ although the clone had none', () => {
    // A clone: the tracked files only (no dist/), with the dependencies linked in.
    const clone = tempDir('clone-');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(ROOT, file))) continue;
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(clone, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const out = execFileSync('npm', ['pack', '--json', '--dry-run'], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const packed = (JSON.parse(out)[0] as { files: { path: string }[] }).files.map((f) => f.path);
    expect(packed).toContain('dist/cli.js');
    rmSync(clone, { recursive: true, force: true });
  }, 120_000);
});

function runInstalled(args: string[], env: Record<string, string>): { code: number; stdout: string } {
  try {
    return { code: 0, stdout: execFileSync(installed, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, stdout: e.stdout };
  }
}

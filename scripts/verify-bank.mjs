#!/usr/bin/env node
// npm run verify-bank [-- [--require] [--backend sqlite|postgres] [paths...]]
//
// Proves the bank's checked snippets (```python verify blocks, see CONTRIBUTING.md) by running
// them against Django 5.2: on SQLite always, and on PostgreSQL when its binaries are installed
// (a throwaway cluster in a temp folder, always stopped and removed). Python is used here only,
// never by the CLI or `npm test`. Without python3 or the Django wheel it prints
// "verify-bank skipped: <why>" and exits 0 (1 with --require); any failing snippet exits 1.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runner = join(root, 'scripts', 'verify-bank', 'run.py');
const REQUIREMENTS = { django: 'django==5.2.*', psycopg: 'psycopg[binary]' };
const BACKEND_TIMEOUT_MS = 20 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// arguments

const argv = process.argv.slice(2);
const opts = { require: false, backends: ['sqlite', 'postgres'], paths: [] };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--require') opts.require = true;
  else if (a === '--backend') opts.backends = [argv[++i]];
  else if (a.startsWith('--backend=')) opts.backends = [a.slice('--backend='.length)];
  else if (a === '-h' || a === '--help') {
    console.log('usage: npm run verify-bank -- [--require] [--backend sqlite|postgres] [question files or folders...]');
    process.exit(0);
  } else if (a.startsWith('-')) {
    console.error(`verify-bank: unknown option ${a}`);
    process.exit(2);
  } else opts.paths.push(resolve(a));
}
if (!opts.backends.every((b) => b === 'sqlite' || b === 'postgres')) {
  console.error('verify-bank: --backend is sqlite or postgres');
  process.exit(2);
}

function skipAll(why) {
  console.log(`verify-bank skipped: ${why}`);
  process.exit(opts.require ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// cleanup: the PostgreSQL cluster and the temp folder go, whatever happens

let work = null; // temp folder
let pg = null; // { bindir, data, asPostgres }
let cleaned = false;
let child = null;

function runSync(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...options });
}

function pgCommand(cmd, args) {
  // initdb and postgres refuse to run as root: run them as the `postgres` user then.
  return pg?.asPostgres ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (pg?.started) {
    const [cmd, args] = pgCommand(join(pg.bindir, 'pg_ctl'), ['-D', pg.data, '-m', 'immediate', '-w', 'stop']);
    runSync(cmd, args, { stdio: 'ignore' });
  }
  if (work) rmSync(work, { recursive: true, force: true });
}

process.on('exit', cleanup);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    console.error(`\nverify-bank: ${signal}, stopping PostgreSQL and removing ${work ?? 'the temp folder'}`);
    cleanup();
    process.exit(code);
  });
}

function run(cmd, args, options = {}) {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    const p = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    const timer = options.timeoutMs ? setTimeout(() => p.kill('SIGKILL'), options.timeoutMs) : null;
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', (err) => {
      if (timer) clearTimeout(timer);
      done({ code: -1, stdout, stderr: stderr + String(err.message) });
    });
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code: code ?? -1, signal, stdout, stderr });
    });
  });
}

const lastLine = (text) => text.trim().split('\n').filter(Boolean).pop() ?? '';

// ---------------------------------------------------------------------------------------------
// python3 and the venv

function findPython() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3'];
  for (const cmd of candidates) {
    const r = runSync(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
    if (r.status === 0) return { cmd, version: r.stdout.trim() };
  }
  return null;
}

async function ensureVenv(python) {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'django-drill-verify');
  const venv = join(cache, `venv-py${python.version}`);
  const py = join(venv, 'bin', 'python');
  const marker = join(venv, 'django-drill-verify.json');
  let state = {};
  try {
    state = JSON.parse(readFileSync(marker, 'utf8'));
  } catch {
    state = {};
  }
  const fresh = !existsSync(py) || state.django !== REQUIREMENTS.django;
  if (fresh) {
    rmSync(venv, { recursive: true, force: true });
    console.log(`verify-bank: creating ${venv} (once)`);
    const made = await run(python.cmd, ['-m', 'venv', venv]);
    if (made.code !== 0) {
      rmSync(venv, { recursive: true, force: true });
      return { skip: `python3 -m venv failed (${lastLine(made.stderr) || 'no venv module'})` };
    }
    state = {};
  }
  const pip = (spec) => run(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '--timeout', '20', '--retries', '1', spec]);
  if (state.django !== REQUIREMENTS.django) {
    const r = await pip(REQUIREMENTS.django);
    if (r.code !== 0) return { skip: `the ${REQUIREMENTS.django} wheel is not reachable (pip: ${lastLine(r.stderr)})` };
    state.django = REQUIREMENTS.django;
    writeFileSync(marker, JSON.stringify(state));
  }
  let psycopgWhy = null;
  if (state.psycopg !== REQUIREMENTS.psycopg) {
    const r = await pip(REQUIREMENTS.psycopg);
    if (r.code === 0) {
      state.psycopg = REQUIREMENTS.psycopg;
      writeFileSync(marker, JSON.stringify(state));
    } else psycopgWhy = `psycopg could not be installed (pip: ${lastLine(r.stderr)})`;
  }
  return { py, psycopgWhy };
}

// ---------------------------------------------------------------------------------------------
// a throwaway PostgreSQL cluster

function findPgBindir() {
  const dirs = [];
  if (process.env.PG_BINDIR) dirs.push(process.env.PG_BINDIR);
  const r = runSync('pg_config', ['--bindir']);
  if (r.status === 0) dirs.push(r.stdout.trim());
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(join('/usr/lib/postgresql', v, 'bin'));
  } catch {
    // no Debian-style PostgreSQL
  }
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function startPostgres() {
  const bindir = findPgBindir();
  if (!bindir) return { skip: 'no PostgreSQL binaries (no initdb via pg_config --bindir or /usr/lib/postgresql/*/bin)' };
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asPostgres) {
    const id = runSync('id', ['-u', 'postgres']);
    const gid = runSync('id', ['-g', 'postgres']);
    if (id.status !== 0) return { skip: "running as root and there is no 'postgres' user to run initdb" };
    if (!existsSync('/usr/sbin/runuser') && runSync('runuser', ['--help']).error) return { skip: 'running as root without runuser' };
    chownSync(work, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(work, 'data');
  pg = { bindir, data, asPostgres, started: false };
  const port = await freePort();
  let [cmd, args] = pgCommand(join(bindir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const init = await run(cmd, args);
  if (init.code !== 0) return { error: `initdb failed: ${lastLine(init.stderr)}` };
  [cmd, args] = pgCommand(join(bindir, 'pg_ctl'), [
    '-D', data, '-l', join(work, 'postgres.log'), '-w', '-t', '60',
    '-o', `-F -k ${work} -p ${port} -c listen_addresses=''`, 'start',
  ]);
  pg.started = true; // from here on, cleanup stops it (a no-op if it never came up)
  const start = await run(cmd, args, { detached: true });
  if (start.code !== 0) {
    let log = '';
    try {
      log = lastLine(readFileSync(join(work, 'postgres.log'), 'utf8'));
    } catch {
      log = lastLine(start.stderr);
    }
    return { error: `pg_ctl start failed: ${log}` };
  }
  const version = lastLine(runSync(join(bindir, 'postgres'), ['--version']).stdout);
  return { host: work, port, version };
}

// ---------------------------------------------------------------------------------------------
// the runs

async function runBackend(py, backend, extra) {
  const out = join(work, `${backend}.json`);
  const args = [runner, '--backend', backend, '--root', join(root, 'questions'), '--out', out, ...extra, ...opts.paths];
  const r = await run(py, args, {
    cwd: root,
    timeoutMs: BACKEND_TIMEOUT_MS,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', PYTHONWARNINGS: 'ignore' },
  });
  if (r.code !== 0 || !existsSync(out)) {
    const why = r.signal === 'SIGKILL' ? `timed out after ${BACKEND_TIMEOUT_MS / 60000} min` : lastLine(r.stderr) || `exit ${r.code}`;
    return { backend, crashed: `the runner failed: ${why}`, stderr: r.stderr };
  }
  return JSON.parse(readFileSync(out, 'utf8'));
}

function summarise(report) {
  const rows = report.results ?? [];
  const count = (s) => rows.filter((r) => r.status === s).length;
  const whys = new Map();
  for (const r of rows.filter((x) => x.status === 'skipped')) whys.set(r.why, (whys.get(r.why) ?? 0) + 1);
  return {
    checked: count('passed') + count('failed'),
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    sql: rows.filter((r) => r.info === 'sql comparison' && r.status === 'passed').length,
    why: [...whys].map(([w, n]) => `${n} ${w}`).join('; '),
  };
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const python = findPython();
  if (!python) skipAll('no python3');
  const [major, minor] = python.version.split('.').map(Number);
  if (major < 3 || (major === 3 && minor < 10)) skipAll(`python3 is ${python.version}; Django 5.2 needs 3.10+`);
  const venv = await ensureVenv(python);
  if (venv.skip) skipAll(venv.skip);

  work = mkdtempSync(join(tmpdir(), 'django-drill-verify-'));
  const reports = [];
  if (opts.backends.includes('sqlite')) reports.push({ label: 'SQLite', report: await runBackend(venv.py, 'sqlite', []) });
  if (opts.backends.includes('postgres')) {
    let why = venv.psycopgWhy;
    let server = null;
    if (!why) {
      server = await startPostgres();
      why = server.skip ?? null;
    }
    if (why) reports.push({ label: 'PostgreSQL', skippedWhy: why });
    else if (server.error) reports.push({ label: 'PostgreSQL', report: { crashed: server.error } });
    else {
      const report = await runBackend(venv.py, 'postgres', ['--pg-host', server.host, '--pg-port', String(server.port), '--pg-user', 'postgres', '--pg-name', 'postgres']);
      reports.push({ label: 'PostgreSQL', report });
    }
  }
  cleanup();

  const first = reports.find((r) => r.report && !r.report.crashed)?.report;
  const files = new Set(reports.flatMap((r) => (r.report?.results ?? []).map((x) => x.file)));
  console.log(`\nverify-bank: Django ${first?.django ?? '?'}, Python ${first?.python ?? python.version}, ${files.size} question files with checked snippets\n`);
  const rows = [];
  const failures = [];
  let exit = 0;
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const { label, report, skippedWhy } of reports) {
    if (skippedWhy) {
      rows.push([label, '-', '-', '-', 'all', skippedWhy]);
      if (opts.require) exit = 1;
      continue;
    }
    if (report.crashed) {
      rows.push([label, '-', '-', '-', '-', report.crashed]);
      failures.push(`${label}: ${report.crashed}${report.stderr ? `\n${report.stderr.trim().split('\n').slice(-15).map((l) => `    ${l}`).join('\n')}` : ''}`);
      exit = 1;
      continue;
    }
    const s = summarise(report);
    totals.passed += s.passed;
    totals.failed += s.failed;
    totals.skipped += s.skipped;
    rows.push([report.database, s.checked, s.passed, s.failed, s.skipped, s.why || '']);
    for (const r of report.results.filter((x) => x.status === 'failed')) {
      const where = `${r.file}:${r.errorLine ?? r.line}`;
      const what = r.info === 'sql comparison' ? 'SQL differs' : `\`\`\`${r.info} block at line ${r.line}`;
      const error = String(r.error ?? '').split('\n').map((l, i) => (i === 0 ? l : `      ${l}`)).join('\n');
      failures.push(`${report.database}  ${where}  (${what})\n      ${error}`);
    }
    if (s.failed) exit = 1;
  }
  console.log(table(['backend', 'checked', 'passed', 'failed', 'skipped', 'why skipped'], rows));
  const sqlCompared = reports.reduce((n, r) => n + (r.report?.results ? summarise(r.report).sql : 0), 0);
  console.log(`\nchecked = snippets run + SQL comparisons (${sqlCompared} questions' SQL matched what Django ran)`);
  if (failures.length) {
    console.log(`\nFailures (${failures.length}):`);
    for (const f of failures) console.log(`  ${f}`);
  }
  console.log(`\nverify-bank: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return exit;
}

main().then(
  (code) => {
    cleanup();
    process.exit(code);
  },
  (err) => {
    console.error(`verify-bank: ${err?.stack ?? err}`);
    cleanup();
    process.exit(1);
  },
);


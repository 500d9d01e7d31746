#!/usr/bin/env node
// Start-up benchmark: each case against a bare `node -e 0` run right beside it, as median ratios,
// plus peak RSS. Usage: npm run bench [-- --runs 15] [-- --smoke] [-- --check] [-- --ablate]
//   --smoke  one run of each case, no warm-up (CI: keeps the script from rotting)
//   --check  exit 1 when a target is missed
//   --only   run only the cases whose name contains the text (and the baseline)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTEMPTS, PER_TOPIC, TOPICS, writeBank, writeScores } from './fixtures.mjs';
import { median } from './median.mjs';

// --ablate: every speed-up measured on and off (bench/ablate.mjs), instead of the targets.
if (process.argv.includes('--ablate')) {
  const ablation = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'ablate.mjs'), ...process.argv.slice(2).filter((a) => a !== '--ablate')], { stdio: 'inherit' });
  process.exit(ablation.status ?? 1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const check = args.includes('--check');
const runsArg = args.indexOf('--runs');
const runs = smoke ? 1 : Math.max(10, Number(runsArg >= 0 ? args[runsArg + 1] : 15));
const warmups = smoke ? 0 : 2;

const work = join(root, '.bench');
const bank10k = join(work, 'bank-10k');
const home100k = join(work, 'home-100k');
const homeBuiltIn = join(work, 'home-builtin');
const homeDrill = join(work, 'home-drill');
const homeCold = join(work, 'home-cold');
const homeSummary = join(work, 'home-summary');
const rssFile = join(work, 'rss.txt');
mkdirSync(work, { recursive: true });
process.stderr.write('Preparing fixtures (first run only: 10,000 questions, 100,000 attempts)…\n');
writeBank(bank10k);
writeScores(home100k);
mkdirSync(homeBuiltIn, { recursive: true });

const bin = join(root, 'bin', 'django-drill.js');
const preload = join(root, 'bench', 'rss.cjs');
const baseEnv = Object.fromEntries(
  Object.entries({ ...process.env, DJANGO_DRILL_HOME: homeBuiltIn }).filter(([k, v]) => v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'DJANGO_DRILL_QUESTIONS'].includes(k)),
);

const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
const allCases = [
  { name: 'node -e 0', argv: ['-e', '0'], baseline: true },
  { name: '--help', argv: [bin, '--help'], target: 1.5 },
  { name: 'list (built-in bank)', argv: [bin, 'list'], target: 1.8 },
  // A fresh install's first run: no cache at all (the shipped seed of the bank is all it has).
  { name: 'list (first run, no cache)', argv: [bin, 'list'], env: { DJANGO_DRILL_HOME: homeCold }, fresh: homeCold, target: 2 },
  { name: 'show <id> (highlighted)', argv: [bin, 'show', 'orm-select-related-vs-prefetch-related'], env: { FORCE_COLOR: '1' }, target: 2.5 },
  { name: 'list (10k-question bank)', argv: [bin, 'list', '--questions', bank10k], target: 3 },
  { name: 'stats (100k attempts)', argv: [bin, 'stats', '--questions', bank10k, '--home', home100k], target: 3.5, rssTarget: 200 },
];
// --only <text>: the baseline plus the cases whose name contains <text> (for quick iterations).
const cases = allCases.filter((c) => c.baseline || !only || c.name.includes(only));

function runOnce(c) {
  rmSync(rssFile, { force: true });
  if (c.fresh) rmSync(c.fresh, { recursive: true, force: true });
  const env = { ...baseEnv, ...c.env, BENCH_RSS_OUT: rssFile };
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', preload, ...c.argv], { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}: ${String(result.stderr).slice(0, 500)}`);
  const rss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
  return { ms, rss };
}

/** Time until the first question is on screen in a pseudo-terminal, and the same for a bare node. */
async function ptyCase() {
  let pty;
  try {
    pty = (await import('@lydell/node-pty')).default;
  } catch {
    return undefined;
  }
  const once = (argv, env, marker) =>
    new Promise((resolve, reject) => {
      rmSync(rssFile, { force: true });
      const start = process.hrtime.bigint();
      const term = pty.spawn(process.execPath, ['-r', preload, ...argv], { cols: 100, rows: 40, cwd: root, env: { ...baseEnv, ...env, BENCH_RSS_OUT: rssFile } });
      let seen = '';
      let done = false;
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`no "${marker}" on screen after 20 s: ${seen.slice(-300)}`));
      }, 20_000);
      term.onData((data) => {
        seen += data;
        if (!done && seen.includes(marker)) {
          done = true;
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          clearTimeout(timer);
          term.kill();
          resolve(ms);
        }
      });
    });
  /**
   * The end of a session on a big history: time from the last key to the summary on screen
   * (summarize() once looked every card up in every question: 10⁸ checks at this size).
   */
  const summary = () =>
    new Promise((resolve, reject) => {
      const term = pty.spawn(process.execPath, [bin, 'drill', 'topic00', '--questions', bank10k, '--home', homeSummary, '-n', '1', '--order', 'file'], { cols: 100, rows: 40, cwd: root, env: baseEnv });
      let seen = '';
      let step = 0;
      let start = 0n;
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`summary case stuck at step ${step}: ${seen.slice(-300)}`));
      }, 60_000);
      // reveal → tick all (no re-ask) → submit → finish → the summary
      const steps = [
        ['press Enter to reveal', '\r'],
        ['Which key points', 'a\r'],
        ['Enter finish', '\r'],
      ];
      term.onData((data) => {
        seen += data.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
        const [marker, keys] = steps[step] ?? [];
        if (marker && seen.includes(marker)) {
          seen = '';
          step += 1;
          if (step === steps.length) start = process.hrtime.bigint();
          term.write(keys);
        } else if (step === steps.length && seen.includes('Session summary')) {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          step += 1;
          clearTimeout(timer);
          term.kill();
          resolve(ms);
        }
      });
    });
  rmSync(homeSummary, { recursive: true, force: true });
  mkdirSync(homeSummary, { recursive: true });
  copyFileSync(join(home100k, 'scores.json'), join(homeSummary, 'scores.json'));
  rmSync(homeDrill, { recursive: true, force: true });
  const drill = () => once([bin, 'drill', 'orm', '--home', homeDrill], {}, 'press Enter to reveal');
  const interview = () => once([bin, 'interview', '--minutes', '10', '--seed', '1', '--home', homeDrill], {}, 'left in the interview');
  const bare = () => once(['-e', "process.stdout.write('ready\\n')"], {}, 'ready');
  for (let i = 0; i < warmups; i++) {
    await bare();
    await drill();
    await interview();
  }
  const a = [];
  const b = [];
  const c = [];
  const d = [];
  for (let i = 0; i < runs; i++) {
    a.push(await bare());
    b.push(await drill());
    c.push(await interview());
    if (i < 5) d.push(await summary()); // each run saves to a 23 MB history: 5 are plenty
  }
  return { bare: median(a), drill: median(b), interview: median(c), summary: median(d) };
}

const baseline = cases.find((c) => c.baseline);
const samples = new Map(cases.map((c) => [c.name, { ms: [], rss: [], base: [] }]));
const measured = cases.filter((c) => !c.baseline);
for (let i = 0; i < warmups; i++) {
  for (const c of measured) {
    runOnce(baseline);
    runOnce(c);
  }
}
// Round after round, every case once, each run paired with its own `node -e 0`: the ratio
// compares runs made moments apart, and a busy minute of the machine (this VM has them) falls
// on every case alike instead of on whichever case happened to be running.
for (let i = 0; i < runs; i++) {
  for (const c of measured) {
    const s = samples.get(c.name);
    const b = runOnce(baseline);
    s.base.push(b.ms);
    samples.get(baseline.name).ms.push(b.ms);
    samples.get(baseline.name).rss.push(b.rss);
    const { ms, rss } = runOnce(c);
    s.ms.push(ms);
    s.rss.push(rss);
  }
}
const pty = !only || 'drill orm interview'.includes(only) ? await ptyCase() : undefined;

const rows = cases.map((c) => {
  const s = samples.get(c.name);
  const ms = median(s.ms);
  const ratio = c.baseline ? 1 : ms / median(s.base);
  const rss = Math.max(...s.rss);
  const ok = (c.target === undefined || ratio <= c.target) && (c.rssTarget === undefined || rss <= c.rssTarget);
  return { name: c.name, ms, ratio, target: c.target, rss, rssTarget: c.rssTarget, ok };
});
if (pty) {
  const ratio = pty.drill / pty.bare;
  rows.push({ name: 'drill orm: first question (pty)', ms: pty.drill, ratio, target: 3, rss: NaN, ok: ratio <= 3, note: `vs ${pty.bare.toFixed(0)} ms for node in a pty` });
  const iv = pty.interview / pty.bare;
  rows.push({ name: 'interview: first question (pty)', ms: pty.interview, ratio: iv, target: 3, rss: NaN, ok: iv <= 3, note: `vs ${pty.bare.toFixed(0)} ms for node in a pty` });
  rows.push({ name: 'summary, 10k bank+cards (pty)', ms: pty.summary, ratio: NaN, rss: NaN, ok: true, note: 'ms from the last key to the summary on screen' });
}

const pad = (s, n) => String(s).padEnd(n);
const lines = [
  ...(smoke ? ['SMOKE RUN (one cold run per case, caches empty): checks that the benchmark works; not a measurement.'] : []),
  `django-drill start-up, ${runs} run${runs === 1 ? '' : 's'} per case (median), ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  `fixtures: ${TOPICS * PER_TOPIC} questions in ${TOPICS} topics, ${ATTEMPTS} attempts`,
  '',
  `| ${pad('case', 33)} | median ms | × node -e 0 | target | peak RSS MB | ok |`,
  `|${'-'.repeat(35)}|-----------|-------------|--------|-------------|----|`,
  ...rows.map((r) =>
    `| ${pad(r.name, 33)} | ${pad(r.ms.toFixed(0), 9)} | ${pad(Number.isNaN(r.ratio) ? '' : r.ratio.toFixed(2) + '×', 11)} | ${pad(r.target ? `≤ ${r.target}×` : '', 6)} | ${pad(Number.isNaN(r.rss) ? '' : r.rss.toFixed(0) + (r.rssTarget ? ` (≤ ${r.rssTarget})` : ''), 11)} | ${r.target === undefined ? '' : r.ok ? 'yes' : 'NO'} |${r.note ? ` ${r.note}` : ''}`,
  ),
];
console.log(lines.join('\n'));
writeFileSync(join(work, 'last-run.md'), `${lines.join('\n')}\n`);
if (check && rows.some((r) => !r.ok)) process.exitCode = 1;

// Then the time to save one answer on long histories (bench/save.mjs).
if (!only || 'save one answer'.includes(only)) {
  const save = spawnSync(process.execPath, [join(root, 'bench', 'save.mjs'), ...(smoke ? ['--smoke'] : [])], { stdio: 'inherit' });
  if (save.status !== 0) process.exitCode = 1;
}

#!/usr/bin/env node
// `npm run bench -- --ablate`: each speed-up measured on and off in one run. For every
// mechanism, a package is built with that one speed-up turned off (scripts/build.mjs --outdir
// with --esm, --full-hljs or --ablate <name>), and the cases it should
// speed up run round after round: a bare `node -e 0`, the release build, the build without it.
// Prints a Markdown table (medians, ratios to `node -e 0`) with a verdict per mechanism: keep
// it when it saves at least 10 % of a measure, or when a README target fails without it.
// Usage: node bench/ablate.mjs [--runs 10] [--smoke] [--only <text>]
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBank, writeScores } from './fixtures.mjs';
import { median } from './median.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const runsArg = args.indexOf('--runs');
const runs = smoke ? 1 : Math.max(5, Number(runsArg >= 0 ? args[runsArg + 1] : 10));
const warmups = smoke ? 1 : 2;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const work = join(root, '.bench');
const bank10k = join(work, 'bank-10k');
const home100k = join(work, 'home-100k');
const variants = join(work, 'ablate');
mkdirSync(work, { recursive: true });
writeBank(bank10k);
writeScores(home100k);

/** The measures, as in bench/run.mjs; `cold` runs each time with an empty data folder. */
const CASES = {
  '--help': { argv: ['--help'], target: 1.5 },
  list: { argv: ['list'], target: 1.8 },
  'list, first run': { argv: ['list'], cold: true, target: 2 },
  show: { argv: ['show', 'orm-select-related-vs-prefetch-related'], env: { FORCE_COLOR: '1' }, target: 2.5 },
  'show, first run': { argv: ['show', 'orm-select-related-vs-prefetch-related'], env: { FORCE_COLOR: '1' }, cold: true },
  'list 10k': { argv: ['list', '--questions', bank10k], target: 3 },
  'stats 100k': { argv: ['stats', '--questions', bank10k], scores: true, target: 3.5 },
};

const MECHANISMS = [
  { name: 'CommonJS bundle (build)', build: ['--esm'], cases: ['--help', 'list', 'show'] },
  { name: 'highlight.js subset (build)', build: ['--full-hljs'], cases: ['show, first run'] },
  { name: 'shipped bank seed', build: ['--ablate', 'seed'], cases: ['list, first run'] },
  { name: 'bank index cache', build: ['--ablate', 'bank-cache'], cases: ['list', 'list 10k'] },
  { name: 'history columns cache', build: ['--ablate', 'history-cache'], cases: ['stats 100k'] },
  { name: 'render cache', build: ['--ablate', 'render-cache'], cases: ['show'] },
].filter((m) => !only || m.name.includes(only));

/** A package folder like the installed one: bin, dist, questions (linked), package.json. */
function variantPackage(name, buildArgs) {
  const dir = join(variants, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(root, 'questions'), join(dir, 'questions'), 'dir');
  const esm = buildArgs.includes('--esm');
  writeFileSync(join(dir, 'bin', 'package.json'), '{"type":"commonjs"}\n');
  writeFileSync(join(dir, 'bin', 'django-drill.js'), esm ? "import('../dist/cli.js');\n" : "require('../dist/cli.js');\n");
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', join(dir, 'dist'), ...buildArgs], { stdio: 'inherit' });
  return join(dir, 'bin', 'django-drill.js');
}

/** A data folder per (build, case), so two builds never invalidate each other's caches. */
function homeFor(label, caseName, spec) {
  const home = join(variants, 'homes', `${label}-${caseName}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  if (spec.cold) return home;
  if (spec.scores && !existsSync(join(home, 'scores.json'))) {
    mkdirSync(home, { recursive: true });
    copyFileSync(join(home100k, 'scores.json'), join(home, 'scores.json'));
  }
  return home;
}

const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => v !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'DJANGO_DRILL_QUESTIONS', 'DJANGO_DRILL_HOME'].includes(k)),
);

function timeRun(argv, env, fresh) {
  if (fresh) rmSync(fresh, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 400)}`);
  return ms;
}

const releaseBin = join(root, 'bin', 'django-drill.js');
const rows = [];
for (const mechanism of MECHANISMS) {
  process.stderr.write(`Building without: ${mechanism.name}…\n`);
  const offBin = variantPackage(mechanism.name, mechanism.build);
  for (const caseName of mechanism.cases) {
    const spec = CASES[caseName];
    const run = (bin, label) => {
      const home = homeFor(label, caseName, spec);
      return timeRun([bin, ...spec.argv], { ...spec.env, DJANGO_DRILL_HOME: home }, spec.cold ? home : undefined);
    };
    const samples = { base: [], on: [], off: [] };
    for (let i = 0; i < warmups + runs; i++) {
      // Paired rounds: a busy moment of the machine falls on all three alike.
      const base = timeRun(['-e', '0'], {});
      const on = run(releaseBin, 'on');
      const off = run(offBin, mechanism.name);
      if (i < warmups) continue;
      samples.base.push(base);
      samples.on.push(on);
      samples.off.push(off);
    }
    const base = median(samples.base);
    const on = median(samples.on);
    const off = median(samples.off);
    rows.push({ mechanism: mechanism.name, caseName, on: on / base, off: off / base, saves: 1 - on / off, target: spec.target });
  }
  rmSync(dirname(dirname(offBin)), { recursive: true, force: true });
}
rmSync(join(variants, 'homes'), { recursive: true, force: true });

const verdict = (name) => {
  const mine = rows.filter((r) => r.mechanism === name);
  if (mine.some((r) => r.saves >= 0.1)) return 'keep (saves ≥ 10 %)';
  if (mine.some((r) => r.target !== undefined && r.off > r.target && r.on <= r.target)) return 'keep (a target fails without it)';
  return 'REMOVE';
};
const pad = (s, n) => String(s).padEnd(n);
const lines = [
  ...(smoke ? ['SMOKE RUN (one run per case): checks that the ablation works; not a measurement.'] : []),
  `Speed-ups on and off, ${runs} paired run${runs === 1 ? '' : 's'} per case (median), ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`,
  '',
  `| ${pad('speed-up', 29)} | ${pad('measure', 15)} | on (× node) | off (× node) | saves | target | verdict |`,
  `|${'-'.repeat(31)}|${'-'.repeat(17)}|-------------|--------------|-------|--------|---------|`,
  ...rows.map(
    (r) =>
      `| ${pad(r.mechanism, 29)} | ${pad(r.caseName, 15)} | ${pad(r.on.toFixed(2) + '×', 11)} | ${pad(r.off.toFixed(2) + '×', 12)} | ${pad(Math.round(r.saves * 100) + ' %', 5)} | ${pad(r.target ? `≤ ${r.target}×` : '', 6)} | ${verdict(r.mechanism)} |`,
  ),
];
console.log(lines.join('\n'));
writeFileSync(join(work, 'last-ablation.md'), `${lines.join('\n')}\n`);

#!/usr/bin/env node
// Time to save one answer on a long history: 10,000, 100,000 and 1,000,000 attempts (the last
// is about 200 MB). Each size: the first save of a session (reads and parses scores.json under
// the lock, merges, writes) and the next ones (the store starts from what it last wrote).
// Usage: node bench/save.mjs [--smoke]   (smoke: 10,000 only)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke');
const work = join(root, '.bench', 'save');
mkdirSync(work, { recursive: true });

// The store as the CLI ships it: bundled, with the same require/__filename shims as the tests.
const bundle = join(work, 'store.mjs');
await build({
  entryPoints: [join(root, 'src', 'store', 'index.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  banner: { js: "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);" },
});
const { ScoresStore } = await import(pathToFileURL(bundle).href);

function history(n) {
  const now = Date.now();
  const lines = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(now - (n - i) * 60_000).toISOString();
    lines.push(JSON.stringify({ questionId: `t${i % 50}-q${i % 200}`, topic: `t${i % 50}`, at, score: 0.5, rating: 'hard', keypointsHit: [0], durationMs: 30_000, sessionId: `s${Math.floor(i / 10)}`, mode: 'drill' }));
  }
  // No cards: the store rebuilds them on the first read, as it would for a hand-made file.
  return `{\n  "version": 2,\n  "attempts": [\n    ${lines.join(',\n    ')}\n  ],\n  "cards": {},\n  "sessions": []\n}\n`;
}

const sizes = smoke ? [10_000] : [10_000, 100_000, 1_000_000];
const rows = [];
for (const n of sizes) {
  const home = join(work, `home-${n}`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'scores.json'), history(n), { mode: 0o600 });
  // First read fills the cards (a one-off after import); then a session: first save, then more.
  await new ScoresStore({ home }).record({ attempts: [], session: { id: 'warm', mode: 'drill', topics: ['t0'], startedAt: new Date().toISOString(), asked: 0, answered: 0, score: 0 } });
  const store = new ScoresStore({ home });
  const answer = (k) => ({ questionId: 't0-q0', topic: 't0', at: new Date(Date.now() + k).toISOString(), score: 1, rating: 'easy', keypointsHit: [0], durationMs: 1000, sessionId: 'bench', mode: 'drill' });
  let t = performance.now();
  await store.record({ attempts: [answer(1)] });
  const first = performance.now() - t;
  const next = [];
  for (let k = 2; k < 7; k++) {
    t = performance.now();
    await store.record({ attempts: [answer(k)] });
    next.push(performance.now() - t);
  }
  next.sort((a, b) => a - b);
  rows.push({ n, first, next: next[2] });
  rmSync(home, { recursive: true, force: true });
}
const pad = (s, w) => String(s).padEnd(w);
console.log(`\nSaving one answer (median of the next 5 saves of a session; the first save reads the file):\n`);
console.log(`| ${pad('attempts in history', 20)} | first save ms | each next save ms |`);
console.log(`|${'-'.repeat(22)}|---------------|-------------------|`);
for (const r of rows) console.log(`| ${pad(r.n.toLocaleString('en-US'), 20)} | ${pad(r.first.toFixed(0), 13)} | ${pad(r.next.toFixed(0), 17)} |`);

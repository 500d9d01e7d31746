#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild. `--if-stale` skips the build when dist/ is newer than
// every source file, so `npm start` and `npm test` build only when they need to.
// For `npm run bench -- --ablate` only: `--outdir <dir>` builds elsewhere, `--ablate a,b` turns
// run-time speed-ups off (src/ablate.ts), and `--esm` and `--full-hljs` turn off the build's
// own (see below). A release build never has any of them.
import { build, transformSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const valueOf = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const distDir = valueOf('--outdir') ?? join(root, 'dist');
const ablate = valueOf('--ablate') ?? '';
const esm = args.includes('--esm');
const fullHljs = args.includes('--full-hljs');
const out = join(distDir, 'cli.js');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

if (args.includes('--if-stale') && existsSync(out)) {
  const inputs = [join(root, 'src'), join(root, 'questions'), join(root, 'scripts', 'build.mjs'), join(root, 'package.json'), join(root, 'package-lock.json')];
  const built = statSync(out).mtimeMs;
  if (inputs.every((p) => newestMtime(p) <= built)) process.exit(0);
}

// cli-highlight requires the whole of highlight.js; point it at src/render/hljs.cjs instead.
const hljsSubset = {
  name: 'hljs-subset',
  setup(b) {
    b.onResolve({ filter: /^highlight\.js$/ }, () => ({ path: join(root, 'src', 'render', 'hljs.cjs') }));
  },
};

// The build id (src/build-id.ts): a hash of every source file, this script and the lockfile.
// Every cache carries it, so a new build (a release or a change in development) never reads a
// cache an older build wrote.
function sourceId(paths) {
  const hash = createHash('sha1');
  const walk = (path) => {
    if (!statSync(path).isDirectory()) {
      hash.update(path.slice(root.length)).update(readFileSync(path));
      return;
    }
    for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  for (const path of paths) walk(path);
  return hash.digest('hex').slice(0, 16);
}
const buildId = sourceId([join(root, 'src'), join(root, 'scripts', 'build.mjs'), join(root, 'package-lock.json')]);

const minify = process.env.BUILD_MINIFY !== '0';

// Stale chunks from an earlier build would ship in the package otherwise.
rmSync(distDir, { recursive: true, force: true });

// esbuild splits code into lazily loaded chunks only for ES modules; the chunks are then turned
// into CommonJS one by one. Node starts a CommonJS program without its ES module loader, and
// require() of a chunk or of a built-in is cheaper than import(): about 15 ms off every command
// here (--help: 1.32× → 1.17× of a bare `node -e 0`). dist/package.json marks dist/ as CommonJS.
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir: distDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  plugins: fullHljs ? [] : [hljsSubset],
  // --esm: bundled CommonJS dependencies call require(), which an ES module has not got.
  ...(esm ? { banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" } } : {}),
  define: { __BUILD_ID__: JSON.stringify(buildId), __ABLATE__: JSON.stringify(ablate), ...(esm ? {} : { 'import.meta.url': '__importMetaUrl' }) },
  logLevel: 'warning',
});

// The built-in bank parsed by this build's parser, shipped as dist/bank-seed*.json
// (src/questions/shipped.ts): the first run of a fresh install reads it instead of parsing.
// Bundled from src/questions/seed-build.ts and run once, here.
const seedScript = join(tmpdir(), `django-drill-seed-${process.pid}.cjs`);
try {
  await build({
    absWorkingDir: root,
    stdin: {
      contents: "import { writeSeed } from './src/questions/seed-build.ts'; writeSeed(process.argv[2], process.argv[3]).then((n) => { if (n === 0) process.exit(1); }, (e) => { console.error(e); process.exit(1); });",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: seedScript,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: { __BUILD_ID__: JSON.stringify(buildId), 'import.meta.url': '"file:///"' },
    logLevel: 'warning',
  });
  mkdirSync(distDir, { recursive: true });
  execFileSync(process.execPath, [seedScript, join(root, 'questions'), distDir], { stdio: 'inherit' });
} finally {
  rmSync(seedScript, { force: true });
}

// dist/package.json first and dist/cli.js last: `--if-stale` goes by cli.js, so a build cut short
// is never taken for a complete one.
mkdirSync(distDir, { recursive: true });
writeFileSync(join(distDir, 'package.json'), `${JSON.stringify({ type: esm ? 'module' : 'commonjs' })}\n`);
const entry = result.outputFiles.filter((file) => file.path === out);
for (const file of [...result.outputFiles.filter((f) => f.path !== out), ...entry]) {
  mkdirSync(dirname(file.path), { recursive: true });
  if (esm) {
    writeFileSync(file.path, file.text);
    continue;
  }
  // import() of a chunk becomes require() (`supported`): Node's import() would start the ES
  // module loader after all, and hand a CommonJS chunk over wrapped in a second `default`.
  const { code } = transformSync(file.text, { format: 'cjs', platform: 'node', target: 'node20', minify, legalComments: 'none', logLevel: 'warning', supported: { 'dynamic-import': false } });
  // ES modules are strict; so stay their CommonJS forms. import.meta.url (src/paths.ts) is the
  // file's own URL.
  const meta = code.includes('__importMetaUrl') ? 'const __importMetaUrl=require("node:url").pathToFileURL(__filename).href;' : '';
  const text = code.startsWith('#!') ? code.replace(/^#!.*\n/, (line) => `${line}"use strict";${meta}`) : `"use strict";${meta}${code}`;
  writeFileSync(file.path, text);
}

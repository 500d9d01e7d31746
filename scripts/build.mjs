#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild. `--if-stale` skips the build when dist/ is newer than
// every source file, so `npm start` and `npm test` build only when they need to.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli.js');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(out)) {
  const inputs = [join(root, 'src'), join(root, 'scripts', 'build.mjs'), join(root, 'package.json'), join(root, 'package-lock.json')];
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

// commander's child_process, loaded only when used (see src/child-process-lazy.cjs).
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: join(root, 'src', 'child-process-lazy.cjs') } : undefined,
    );
  },
};

// Identifies the renderer in the rendered-Markdown cache (src/render/cached.ts): any change to
// the render sources or the dependencies' versions makes a new id.
function renderId() {
  const hash = createHash('sha1');
  const dir = join(root, 'src', 'render');
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

// Stale chunks from an earlier build would ship in the package otherwise.
rmSync(join(root, 'dist'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: process.env.BUILD_MINIFY !== "0",
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM still use require() for Node built-ins, and
  // write-file-atomic hashes __filename into its temp names.
  banner: {
    js: "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);",
  },
  plugins: [hljsSubset, lazyChildProcess],
  define: { __RENDER_ID__: JSON.stringify(renderId()) },
  logLevel: 'warning',
});

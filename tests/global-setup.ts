/**
 * Before the suite: build when the sources changed (as `npm test` does: end-to-end tests run the
 * built bin), and point TMPDIR at a folder the suite owns. After it: that folder must be empty —
 * every test removes what it made (tests/setup.ts removes the folders of helpers' tempDir()) —
 * or the run fails, naming what was left.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const owned = mkdtempSync(join(tmpdir(), 'django-drill-tests-'));
  // Traversable (not listable by others' standards: 0711): one test runs a child as `nobody`.
  chmodSync(owned, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = owned;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(owned);
    rmSync(owned, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`tests left ${left.length} entries in the temp folder: ${left.slice(0, 10).join(', ')}`);
  };
}

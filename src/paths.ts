/** Files shipped with the package, found from this module's location, never the working directory. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function isPackageRoot(dir: string): boolean {
  try {
    return typeof (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'string';
  } catch {
    return false;
  }
}

/**
 * The package root: the nearest folder above this module whose package.json has a name (the
 * built `dist/` and `bin/` have a package.json of their own that only says they are CommonJS).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isPackageRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('django-drill: cannot find its package folder');
    dir = parent;
  }
  root = dir;
  return dir;
}

export function builtInQuestionsDir(): string {
  return join(packageRoot(), 'questions');
}

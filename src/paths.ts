/** Files shipped with the package, found from this module's location, never the working directory. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest folder above this module with a package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
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

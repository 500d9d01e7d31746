// End-to-end tests run the built bin: build first when the sources changed (as `npm test` does).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}

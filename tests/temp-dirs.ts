/**
 * Temp folders of the tests, removed by tests/setup.ts when each test file is done. A module of
 * its own, importing nothing of src/: the setup file loads it before any test's vi.mock().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new temp folder; tests/setup.ts removes it when the test file is done. */
export function tempDir(prefix = 'drill-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeMadeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

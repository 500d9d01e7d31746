/**
 * Real processes against one file: two saving at once.
 * The children run the store bundled by esbuild, as the shipped CLI does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayAll } from '../../src/srs/index.js';
import { parseScores } from '../../src/store/index.js';
import type { ScoresFile } from '../../src/types.js';
import { buildChild, removeTempDirs, startChild, tempDir } from './helpers.js';

let script: string;

beforeAll(async () => {
  script = await buildChild(await tempDir());
});
afterAll(removeTempDirs);


/** The file as another django-drill would find it: it must parse and pass the schema. */
async function readBack(home: string): Promise<ScoresFile> {
  const text = await readFile(join(home, 'scores.json'), 'utf8');
  JSON.parse(text);
  const parsed = parseScores(text);
  if (!parsed.ok) throw new Error(`scores.json unreadable after a kill: ${parsed.reason}`);
  return parsed.data;
}

describe('two processes at once', () => {
  it('two processes saving 50 attempts each at the same time: all 100 kept, cards reflect both', async () => {
    const home = await tempDir();
    const a = startChild(script, ['batch', home, 'a', '50', 'q-shared']);
    const b = startChild(script, ['batch', home, 'b', '50', 'q-shared']);
    let doneA: string;
    let doneB: string;
    try {
      await Promise.all([a.waitFor(/^ready$/), b.waitFor(/^ready$/)]);
      a.proc.stdin?.write('go\n');
      b.proc.stdin?.write('go\n');
      [doneA, doneB] = await Promise.all([a.waitFor(/^done /, 30_000), b.waitFor(/^done /, 30_000)]);
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
      await Promise.all([a.closed, b.closed]);
    }

    // The two batches really ran at the same time.
    const [, a0, a1] = doneA.split(' ').map(Number);
    const [, b0, b1] = doneB.split(' ').map(Number);
    expect(Math.max(a0!, b0!)).toBeLessThan(Math.min(a1!, b1!));

    const data = await readBack(home);
    expect(data.attempts).toHaveLength(100);
    expect(data.attempts.filter((x) => x.sessionId === 'a')).toHaveLength(50);
    expect(data.attempts.filter((x) => x.sessionId === 'b')).toHaveLength(50);
    expect(data.cards['q-shared']?.reps).toBe(50);
    expect(data.cards['q-a']?.reps).toBe(25);
    expect(data.cards['q-b']?.reps).toBe(25);
    expect(data.cards).toEqual(replayAll(data.attempts));
    expect(a.stderr() + b.stderr()).toBe('');
  }, 60_000);
});

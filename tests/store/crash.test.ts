/**
 * Real processes against one file: killed with -9 at random instants, and two saving at once.
 * The children run the store bundled by esbuild, as the shipped CLI does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayAll } from '../../src/srs/index.js';
import { parseScores, ScoresStore } from '../../src/store/index.js';
import type { ScoresFile } from '../../src/types.js';
import { attempt, buildChild, homeFiles, removeTempDirs, sleep, startChild, tempDir } from './helpers.js';

let script: string;

beforeAll(async () => {
  script = await buildChild(await tempDir());
});
afterAll(removeTempDirs);

const identity = (a: { sessionId: string; questionId: string; at: string }): string => `${a.sessionId}|${a.questionId}|${a.at}`;

/** The file as another django-drill would find it: it must parse and pass the schema. */
async function readBack(home: string): Promise<ScoresFile> {
  const text = await readFile(join(home, 'scores.json'), 'utf8');
  JSON.parse(text);
  const parsed = parseScores(text);
  if (!parsed.ok) throw new Error(`scores.json unreadable after a kill: ${parsed.reason}`);
  return parsed.data;
}

describe('crash safety', () => {
  it('200 kill -9 at random instants: the file always parses and holds every attempt reported saved', async () => {
    const LANES = 8;
    const KILLS_PER_LANE = 25;
    let kills = 0;
    let killedMidSave = 0;
    let killedMidWrite = 0;
    // One failing lane stops the others, so no child is still saving once the test is over.
    let failed = false;

    async function lane(n: number): Promise<void> {
      const home = await tempDir();
      const saved = new Set<string>();
      for (let k = 0; k < KILLS_PER_LANE && !failed; k++) {
        const tag = `lane${n}-kill${k}`;
        const child = startChild(script, ['loop', home, tag]);
        // From the first save on, the child is always somewhere in a save: locking, reading,
        // writing the temp file, fsync, rename, unlocking.
        try {
          await child.waitFor(/^saved /);
          await sleep(Math.random() * 20);
        } finally {
          child.proc.kill('SIGKILL');
        }
        const { signal } = await child.closed;
        expect(signal, child.stderr()).toBe('SIGKILL');
        kills++;
        const reported = child.lines.filter((line) => line.startsWith('saved ')).map((line) => line.slice('saved '.length));
        for (const key of reported) saved.add(key);

        const data = await readBack(home);
        const onDisk = new Set(data.attempts.map(identity));
        for (const key of saved) expect(onDisk.has(key), `lost ${key}`).toBe(true);
        if (data.attempts.filter((a) => a.sessionId === tag).length > reported.length) killedMidSave++;
        const names = await homeFiles(home);
        if (names.some((name) => /^scores\.json\.\d+$/.test(name))) killedMidWrite++;
        expect(names).not.toContainEqual(expect.stringMatching(/corrupt/));
      }

      // A normal save afterwards: cards match the history and the litter of the kills is gone.
      const data = await new ScoresStore({ home, warn: vi.fn() }).record({ attempts: [attempt({ sessionId: `lane${n}-after` })] });
      expect(data.attempts.length).toBeGreaterThanOrEqual(saved.size + 1);
      expect(data.cards).toEqual(replayAll(data.attempts));
      expect(await homeFiles(home)).toEqual(['scores.json']);
    }

    const lanes = Array.from({ length: LANES }, (_, n) =>
      lane(n).catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    );
    const failure = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    expect(kills).toBe(200);
    // Some kills must land while the temp file was being written, and some after the rename but
    // before the child could report it: otherwise the test never reached the instants that matter.
    expect(killedMidWrite).toBeGreaterThan(0);
    expect(killedMidSave).toBeGreaterThan(0);
    // About 40 s of CPU, mostly Node starting 200 times: ~20 s on two idle cores. The limit
    // allows for a machine busy with other work.
  }, 150_000);

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

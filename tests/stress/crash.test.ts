/**
 * Stress (npm run test:stress, run by .ci/run): real processes against one file, killed with -9
 * at random instants. Where the kills land is random, so this is not in the unit suite; the
 * named fault points are tested deterministically in tests/store/fault-points.test.ts.
 * The children run the store bundled by esbuild, as the shipped CLI does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayAll } from '../../src/srs/index.js';
import { parseScores, ScoresStore } from '../../src/store/index.js';
import type { ScoresFile } from '../../src/types.js';
import { attempt, buildChild, homeFiles, removeTempDirs, sleep, startChild, tempDir } from '../store/helpers.js';

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
});

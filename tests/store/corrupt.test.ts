import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DrillError } from '../../src/errors.js';
import { replayAll } from '../../src/srs/index.js';
import { emptyScores, ScoresStore, V0_SESSION_ID } from '../../src/store/index.js';
import { FIXTURES, attempt, extraFiles, homeFiles, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const NOW = new Date('2026-11-25T09:14:03.120Z');
const STAMP = '2026-11-25T09-14-03-120Z';

/** A home holding a copy of one fixture as scores.json. */
async function homeWith(fixture: string): Promise<{ home: string; store: ScoresStore; warn: ReturnType<typeof vi.fn>; original: Buffer }> {
  const home = await tempDir();
  await copyFile(join(FIXTURES, fixture), join(home, 'scores.json'));
  const warn = vi.fn();
  const store = new ScoresStore({ home, warn, now: () => NOW });
  return { home, store, warn, original: await readFile(join(home, 'scores.json')) };
}

const unreadable: [string, RegExp][] = [
  ['corrupt.json', /^not valid JSON: /],
  ['truncated.json', /^the file ends in the middle \(truncated JSON\)$/],
  ['empty.json', /^the file is empty$/],
  ['schema-invalid.json', /^attempts\[1\]\.score is not a number from 0 to 1$/],
];

describe('an unreadable scores.json', () => {
  it.each(unreadable)('%s: read() moves it aside, says where and why, and starts fresh', async (fixture, reason) => {
    const { home, store, warn, original } = await homeWith(fixture);
    const aside = join(home, `scores.json.corrupt-${STAMP}`);
    expect(await store.read()).toEqual(emptyScores());
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    const match = /^scores\.json was unreadable \((.*)\); moved it to (.*)\. Starting a fresh history\.$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(match?.[1]).toMatch(reason);
    expect(match?.[2]).toBe(aside);
    expect(await readFile(aside)).toEqual(original);
    expect(await homeFiles(home)).toEqual([`scores.json.corrupt-${STAMP}`]);
  });

  it.each(unreadable)('%s: record() never overwrites it: moved aside first, then a fresh file', async (fixture) => {
    const { home, store, warn, original } = await homeWith(fixture);
    const a = attempt();
    const data = await store.record({ attempts: [a] });
    expect(data.attempts).toEqual([a]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`moved it to ${join(home, `scores.json.corrupt-${STAMP}`)}.`));
    expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`))).toEqual(original);
    expect(JSON.parse(await readFile(join(home, 'scores.json'), 'utf8'))).toEqual(data);
    expect(await extraFiles(home)).toEqual([`scores.json.corrupt-${STAMP}`]);
  });

  it('never replaces an earlier copy moved aside in the same millisecond', async () => {
    const { home, store, original } = await homeWith('corrupt.json');
    await store.read();
    await copyFile(join(FIXTURES, 'empty.json'), join(home, 'scores.json'));
    await store.read();
    expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`))).toEqual(original);
    expect(await readFile(join(home, `scores.json.corrupt-${STAMP}-1`), 'utf8')).toBe('');
  });

  const broken: [string, (doc: Record<string, unknown> & { attempts: Record<string, unknown>[] }) => void, string][] = [
    ['a rating outside the four', (d) => void (d.attempts[0]!.rating = 'perfect'), 'attempts[0].rating'],
    ['key points that are not indexes', (d) => void (d.attempts[0]!.keypointsHit = ['a']), 'attempts[0].keypointsHit[0]'],
    ['an unknown mode', (d) => void (d.attempts[2]!.mode = 'exam'), 'attempts[2].mode'],
    ['a missing session id', (d) => void delete d.attempts[3]!.sessionId, 'attempts[3].sessionId'],
    ['a time that is not a date', (d) => void (d.attempts[0]!.at = 'yesterday'), 'attempts[0].at'],
    ['a duration that is not a number', (d) => void (d.attempts[1]!.durationMs = '48s'), 'attempts[1].durationMs'],
    ['attempts that are not a list', (d) => void (d.attempts = {} as never), 'attempts is not a list'],
    ['cards that are a list', (d) => void (d.cards = []), 'cards is not an object'],
    ['no sessions', (d) => void delete d.sessions, 'sessions is not a list'],
    ['a session without an id', (d) => void delete (d.sessions as Record<string, unknown>[])[0]!.id, 'sessions[0].id'],
    ['a version that is a string', (d) => void (d.version = '1'), 'version is not a whole number'],
    ['no version and no history', (d) => void delete d.version, 'version is missing'],
  ];

  it.each(broken)('fails the schema with %s: moved aside, reason names the spot', async (_, mutate, where) => {
    const home = await tempDir();
    const doc = JSON.parse(await readFile(join(FIXTURES, 'valid-v1.json'), 'utf8'));
    mutate(doc);
    await writeFile(join(home, 'scores.json'), JSON.stringify(doc));
    const warn = vi.fn();
    expect(await new ScoresStore({ home, warn }).read()).toEqual(emptyScores());
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`unreadable (${where}`));
    expect((await homeFiles(home)).filter((n) => n.startsWith('scores.json.corrupt-'))).toHaveLength(1);
  });

  it('a valid file is read as it is, with nothing moved or written', async () => {
    const { home, store, warn } = await homeWith('valid-v1.json');
    const before = await stat(join(home, 'scores.json'));
    const data = await store.read();
    expect(warn).not.toHaveBeenCalled();
    expect(data.attempts).toHaveLength(4);
    expect(data.sessions).toHaveLength(3);
    expect(data.cards).toEqual(replayAll(data.attempts));
    expect(await homeFiles(home)).toEqual(['scores.json']);
    expect((await stat(join(home, 'scores.json'))).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('a scores.json from a newer django-drill', () => {
  it('is refused by read(), record() and reset() with exit 1 and an upgrade hint, and left untouched', async () => {
    const { home, store, warn, original } = await homeWith('newer-version.json');
    const before = await stat(join(home, 'scores.json'));
    const message = 'scores.json was written by a newer django-drill (version 3); this one knows version 2.';
    for (const call of [() => store.read(), () => store.record({ attempts: [attempt()] }), () => store.reset()]) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DrillError);
      expect((err as DrillError).message).toBe(message);
      expect((err as DrillError).exitCode).toBe(1);
      expect((err as DrillError).hint).toMatch(/upgrade/i);
    }
    expect(warn).not.toHaveBeenCalled();
    expect(await readFile(join(home, 'scores.json'))).toEqual(original);
    expect((await stat(join(home, 'scores.json'))).mtimeMs).toBe(before.mtimeMs);
    expect(await homeFiles(home)).toEqual(['scores.json']);
  });
});

describe('a version-0 scores.json', () => {
  it('read() migrates it in memory: ratings from the score thresholds, cards rebuilt, file untouched', async () => {
    const { home, store, warn, original } = await homeWith('version-0.json');
    const data = await store.read();
    expect(data.version).toBe(2);
    expect(data.attempts.map((a) => [a.questionId, a.score, a.rating])).toEqual([
      ['orm-select-related-vs-prefetch-related', 0, 'again'],
      ['orm-select-related-vs-prefetch-related', 0.5, 'hard'],
      ['orm-n-plus-one', 0.67, 'good'],
      ['models-abstract-vs-proxy', 1, 'easy'],
      ['orm-select-related-vs-prefetch-related', 0.33, 'again'],
    ]);
    expect(data.attempts[3]).toMatchObject({ at: '2025-10-04T00:00:00.000Z', topic: 'models', sessionId: V0_SESSION_ID, mode: 'drill' });
    expect(data.cards).toEqual(replayAll(data.attempts));
    expect(data.cards['orm-select-related-vs-prefetch-related']?.reps).toBe(3);
    expect(data.sessions).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(await readFile(join(home, 'scores.json'))).toEqual(original);
    expect(await homeFiles(home)).toEqual(['scores.json']);
  });

  it('the first record() keeps the old file as scores.json.bak-v0-<time>, then writes the current version with everything', async () => {
    const { home, store, warn, original } = await homeWith('version-0.json');
    const a = attempt();
    const data = await store.record({ attempts: [a] });
    const backup = join(home, `scores.json.bak-v0-${STAMP}`);
    expect(await readFile(backup)).toEqual(original);
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledWith(`Upgraded scores.json from version 0 to 2; the old file is kept at ${backup}.`);
    const onDisk = JSON.parse(await readFile(join(home, 'scores.json'), 'utf8'));
    expect(onDisk).toEqual(data);
    expect(onDisk.version).toBe(2);
    expect(onDisk.attempts).toHaveLength(6);
    expect(onDisk.attempts[5]).toEqual(a);
    expect(onDisk.cards).toEqual(replayAll(onDisk.attempts));
    // Once migrated, later saves make no more backups.
    await store.record({ attempts: [attempt()] });
    expect(await extraFiles(home)).toEqual([`scores.json.bak-v0-${STAMP}`]);
  });

  it('a version-0 file with a bad entry is set aside like any unreadable file', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'scores.json'), JSON.stringify({ history: [{ id: 'x', topic: 'orm', date: 'soon', score: 1 }] }));
    const warn = vi.fn();
    expect(await new ScoresStore({ home, warn }).read()).toEqual(emptyScores());
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unreadable (history[0].date is not a date)'));
  });
});

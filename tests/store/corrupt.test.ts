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

// Nothing in these can be salvaged (issue 17: only then does a fresh history start).
const unreadable: [string, RegExp][] = [
  ['corrupt.json', /^not valid JSON: /],
  ['empty.json', /^the file is empty$/],
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

  // A bad record costs that record only (issue 17): the rest is kept, the bad one goes to
  // scores.json.rejected-<time> with its reason, and the original is copied aside untouched.
  const badRecord: [string, (doc: Record<string, unknown> & { attempts: Record<string, unknown>[] }) => void, string, number, number][] = [
    ['a rating outside the four', (d) => void (d.attempts[0]!.rating = 'perfect'), 'attempts[0].rating', 3, 3],
    ['key points that are not indexes', (d) => void (d.attempts[0]!.keypointsHit = ['a']), 'attempts[0].keypointsHit[0]', 3, 3],
    ['an unknown mode', (d) => void (d.attempts[2]!.mode = 'exam'), 'attempts[2].mode', 3, 3],
    ['a missing session id', (d) => void delete d.attempts[3]!.sessionId, 'attempts[3].sessionId', 3, 3],
    ['a time that is not a date', (d) => void (d.attempts[0]!.at = 'yesterday'), 'attempts[0].at', 3, 3],
    ['a far-future time', (d) => void (d.attempts[0]!.at = '+100000-01-01T00:00:00.000Z'), 'attempts[0].at', 3, 3],
    ['a string score', (d) => void (d.attempts[1]!.score = '1'), 'attempts[1].score', 3, 3],
    ['a duration that is not a number', (d) => void (d.attempts[1]!.durationMs = '48s'), 'attempts[1].durationMs', 3, 3],
    ['attempts that are not a list', (d) => void (d.attempts = {} as never), 'attempts is not a list', 0, 3],
    ['a session without an id', (d) => void delete (d.sessions as Record<string, unknown>[])[0]!.id, 'sessions[0].id', 4, 2],
  ];

  it.each(badRecord)('a record with %s: kept the rest, rejected that one with its reason', async (_, mutate, where, attempts, sessions) => {
    const home = await tempDir();
    const doc = JSON.parse(await readFile(join(FIXTURES, 'valid-v1.json'), 'utf8'));
    mutate(doc);
    const text = JSON.stringify(doc);
    await writeFile(join(home, 'scores.json'), text);
    const warn = vi.fn();
    const data = await new ScoresStore({ home, warn, now: () => NOW }).read();
    expect(data.attempts).toHaveLength(attempts);
    expect(data.sessions).toHaveLength(sessions);
    expect(data.cards).toEqual(replayAll(data.attempts));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(new RegExp(`^scores\\.json had 1 bad record \\(.*\\): kept ${attempts} answers and ${sessions} sessions\\. The rejected records`));
    const rejected = JSON.parse(await readFile(join(home, `scores.json.rejected-${STAMP}`), 'utf8'));
    expect(rejected.rejected).toHaveLength(1);
    expect(rejected.rejected[0].reason).toContain(where);
    expect((await stat(join(home, `scores.json.rejected-${STAMP}`))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`), 'utf8')).toBe(text);
    // The file is clean now: the next read warns no more.
    expect((await new ScoresStore({ home, warn }).read()).attempts).toHaveLength(attempts);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  const broken: [string, (doc: Record<string, unknown> & { attempts: Record<string, unknown>[] }) => void, string][] = [
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

  it('cards that are a list or a card with NaN stability are rebuilt from the attempts, with no warning', async () => {
    const home = await tempDir();
    const doc = JSON.parse(await readFile(join(FIXTURES, 'valid-v1.json'), 'utf8'));
    doc.cards['orm-n-plus-one'].stability = 'NaN';
    await writeFile(join(home, 'scores.json'), JSON.stringify(doc));
    const warn = vi.fn();
    const data = await new ScoresStore({ home, warn }).read();
    expect(data.attempts).toHaveLength(4);
    expect(data.cards).toEqual(replayAll(data.attempts));
    expect(warn).not.toHaveBeenCalled();
  });

  describe('a file that is not JSON any more is salvaged line by line', () => {
    const lines = async () => (await readFile(join(FIXTURES, 'valid-v1.json'), 'utf8')).split('\n');
    const cases: [string, (l: string[]) => string[], number, number, number][] = [
      // [name, edit, attempts kept, sessions kept, lines rejected]
      ['a broken attempt line', (l) => l.map((x, i) => (i === 4 ? x.slice(0, 40) : x)), 3, 3, 1],
      ['a broken first attempt line', (l) => l.map((x, i) => (i === 3 ? `${x}}}` : x)), 3, 3, 1],
      ['a broken last session line', (l) => l.map((x, i) => (i === l.length - 4 ? x.replace('"id"', 'id') : x)), 4, 2, 1],
      ['a file cut off mid-line (truncated)', (l) => [...l.slice(0, 6), l[6]!.slice(0, 50)], 3, 0, 1],
    ];
    it.each(cases)('%s', async (_, edit, attempts, sessions, rejectedLines) => {
      const home = await tempDir();
      const text = edit(await lines()).join('\n');
      await writeFile(join(home, 'scores.json'), text);
      const warn = vi.fn();
      const data = await new ScoresStore({ home, warn, now: () => NOW }).read();
      expect(data.attempts).toHaveLength(attempts);
      expect(data.sessions).toHaveLength(sessions);
      expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`), 'utf8')).toBe(text);
      const rejected = JSON.parse(await readFile(join(home, `scores.json.rejected-${STAMP}`), 'utf8'));
      expect(rejected.rejected).toHaveLength(rejectedLines);
      expect(rejected.rejected[0].where).toMatch(/^line \d+$/);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`kept ${attempts} answers and ${sessions} sessions`));
    });

    it('an all-garbage file is moved aside and a fresh history starts', async () => {
      const home = await tempDir();
      await writeFile(join(home, 'scores.json'), '\x00\x01garbage\n{{{\n');
      const warn = vi.fn();
      expect(await new ScoresStore({ home, warn, now: () => NOW }).read()).toEqual(emptyScores());
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Starting a fresh history'));
      expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`), 'utf8')).toBe('\x00\x01garbage\n{{{\n');
    });

    it('record() on a salvageable file keeps the valid records and adds the new answer', async () => {
      const home = await tempDir();
      await copyFile(join(FIXTURES, 'schema-invalid.json'), join(home, 'scores.json'));
      const warn = vi.fn();
      const a = attempt();
      const data = await new ScoresStore({ home, warn, now: () => NOW }).record({ attempts: [a] });
      expect(data.attempts).toHaveLength(4);
      expect(data.attempts.at(-1)).toEqual(a);
      expect(JSON.parse(await readFile(join(home, 'scores.json'), 'utf8'))).toEqual(data);
      expect(await readFile(join(home, `scores.json.corrupt-${STAMP}`))).toEqual(await readFile(join(FIXTURES, 'schema-invalid.json')));
    });
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

/**
 * Whole drill flows driven through Inquirer's test screen: real prompts, simulated keys, a real
 * store in a temp folder.
 */
import { screen, wrapPrompt } from '@inquirer/testing/vitest';
import { describe, expect, it, vi } from 'vitest';
import { runSession, summarize } from '../../src/runner.js';
import { ScoresStore } from '../../src/store/index.js';
import { createTerminalUI } from '../../src/ui/index.js';
import { DrillError } from '../../src/errors.js';
import { warmupCommand } from '../../src/commands/warmup.js';
import { replayAll } from '../../src/srs/index.js';
import { attempt, fakeContext, makeBank, makeQuestion } from '../helpers.js';

vi.mock('../../src/ui/prompts.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/ui/prompts.js')>();
  return { ...actual, keyPrompt: wrapPrompt(actual.keyPrompt), multilineInput: wrapPrompt(actual.multilineInput), listPrompt: wrapPrompt(actual.listPrompt) };
});

const open = makeQuestion('orm-open', {
  title: 'Open one',
  keypoints: ['select_related uses a SQL JOIN', 'prefetch_related runs a second query', 'nullable FK gives LEFT OUTER JOIN'],
  followUps: [{ question: 'What about GenericForeignKey?', keypoints: [] }],
});
const choice = makeQuestion('orm-choice', {
  title: 'Choice one',
  type: 'choice',
  keypoints: [],
  choices: [
    { text: 'It returns None', correct: false, why: 'get() never returns None.' },
    { text: 'It raises DoesNotExist', correct: true, why: 'That is the contract.' },
  ],
});

/** Waits until the active prompt shows `text` (prompts appear after async work in between). */
async function until(text: string | RegExp): Promise<string> {
  await vi.waitFor(() => expect(screen.getScreen()).toMatch(text), { timeout: 5000, interval: 10 });
  return screen.getScreen();
}

const planOf = (questions: typeof open[], extra = {}) => ({ mode: 'drill' as const, topics: ['orm'], questions, limit: 10, type: false, ...extra });

describe('drill flow (simulated keys)', () => {
  it('answers an open and a choice question and saves both', async () => {
    const bank = makeBank([open, choice]);
    const ctx = fakeContext(bank);
    const store = (await ctx.store()) as ScoresStore;
    const ui = createTerminalUI({ color: false });
    const done = runSession(ctx, ui, store, await store.read(), planOf([open, choice]));

    await until('press Enter to reveal');
    screen.keypress('enter');
    await until('Which key points did you cover?');
    screen.keypress('space'); // first key point
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('space'); // third key point
    screen.keypress('enter');
    await until('f follow-ups');
    screen.keypress('f');
    await until(/Saved\.[\s\S]*Enter finish|Enter next/);
    await vi.waitFor(() => expect(ctx.stdout.join('\n')).toContain('What about GenericForeignKey?'));
    screen.keypress('enter');
    await until('It raises DoesNotExist');
    screen.keypress('down');
    screen.keypress('enter');
    await until('Enter finish');
    screen.keypress('enter');

    const outcome = await done;
    expect(outcome.interrupted).toBe(false);
    expect(outcome.results.map((r) => [r.question.id, r.grade.score, r.grade.rating])).toEqual([
      ['orm-open', 0.67, 'good'],
      ['orm-choice', 1, 'good'],
    ]);
    const text = ctx.stdout.join('\n');
    expect(text).toContain('[1/2] orm · mid · Open one');
    expect(text).toContain('What about GenericForeignKey?');
    expect(text).toContain('✓ Correct.');
    const saved = await store.read();
    expect(saved.attempts.map((a) => a.keypointsHit)).toEqual([[0, 2], [1]]);
    expect(saved.sessions[0]).toMatchObject({ asked: 2, answered: 2, endedAt: expect.any(String) });

    const summary = summarize(ctx, bank, outcome);
    expect(summary).toContain('Session summary');
    expect(summary).toContain('prefetch_related runs a second query'); // the missed key point
  });

  it('"select all that apply": Enter needs a tick, grading is all or nothing, a missed right choice is named', async () => {
    const multi = makeQuestion('orm-multi', {
      title: 'Multi one',
      type: 'choice',
      multiple: true,
      keypoints: [],
      choices: [
        { text: 'update() skips save()', correct: true, why: 'It is one UPDATE statement.' },
        { text: 'update() sends post_save', correct: false, why: 'No signals are sent.' },
        { text: 'bulk_create() skips save()', correct: true, why: 'It builds INSERTs directly.' },
        { text: 'delete() on a queryset calls each delete()', correct: false, why: 'It deletes in bulk.' },
      ],
    });
    const bank = makeBank([multi]);
    /** Ticks the choices whose text is given, by moving the cursor to each row on screen. */
    const tick = (screenText: string, texts: string[]) => {
      const rows = screenText.split('\n').filter((line) => /^[❯ ][◯◉] [A-D]\. /.test(line));
      let cursor = 0;
      for (const text of texts) {
        const row = rows.findIndex((line) => line.includes(text));
        expect(row, text).toBeGreaterThanOrEqual(0);
        for (; cursor < row; cursor++) screen.keypress('down');
        for (; cursor > row; cursor--) screen.keypress('up');
        screen.keypress('space');
      }
    };
    const run = async (texts: string[]) => {
      const ctx = fakeContext(bank);
      const store = (await ctx.store()) as ScoresStore;
      const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf([multi], { limit: 1 }));
      const shown = await until('Select all that apply');
      expect(shown).not.toMatch(/\ba\b all/); // no "tick all" key for choices
      screen.keypress('enter');
      await until('Tick one or more with Space.');
      tick(shown, texts);
      screen.keypress('enter');
      await until(/Enter (finish|next)/);
      screen.keypress(texts.length === 2 ? 'enter' : 's'); // a wrong answer would be re-asked
      const outcome = await done;
      return { grade: outcome.results[0]?.grade, text: ctx.stdout.join('\n'), saved: (await store.read()).attempts[0] };
    };

    const right = await run(['update() skips save()', 'bulk_create() skips save()']);
    expect(right.grade).toEqual({ score: 1, rating: 'good', keypointsHit: [0, 2] });
    expect(right.text).toContain('✓ Correct.');
    expect(right.saved?.keypointsHit).toEqual([0, 2]);

    const partial = await run(['update() skips save()']);
    expect(partial.grade).toMatchObject({ score: 0, rating: 'again', keypointsHit: [0] });
    expect(partial.text).toContain('✗ Not quite.');
    expect(partial.text).toMatch(/✓ [A-D]\. bulk_create\(\) skips save\(\) \(missed\)/);
  });

  it("times an answer on the context's clock, so a fake clock gives an exact duration", async () => {
    const bank = makeBank([open]);
    let t = Date.parse('2026-12-01T09:00:00Z');
    const ctx = fakeContext(bank, { now: () => new Date(t) });
    const store = (await ctx.store()) as ScoresStore;
    const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf([open], { limit: 1 }));
    await until('press Enter to reveal');
    t += 95_000; // the candidate talks for 1 min 35 s
    screen.keypress('enter');
    await until('Which key points');
    screen.keypress('a');
    screen.keypress('enter');
    await until('Enter finish');
    screen.keypress('enter');
    const outcome = await done;
    expect(outcome.results[0]?.durationMs).toBe(95_000);
    expect((await store.read()).attempts[0]).toMatchObject({ durationMs: 95_000, at: '2026-12-01T09:01:35.000Z' });
  });

  it('wraps missed key points to the terminal under their bullet', () => {
    const long = makeQuestion('orm-long', {
      title: 'Long points',
      keypoints: ['A unique=True, blank=True CharField needs null=True, because NULLs never clash with each other while empty strings do'],
    });
    const bank = makeBank([long]);
    const ctx = { ...fakeContext(bank), columns: 50 };
    const now = new Date().toISOString();
    const outcome = {
      record: { id: 's', mode: 'drill' as const, topics: ['orm'], startedAt: now, endedAt: now, asked: 1, answered: 1, score: 0 },
      results: [{ question: long, grade: { score: 0, rating: 'again' as const, keypointsHit: [] }, durationMs: 1000, overtime: false, reask: false }],
      interrupted: false,
      unsaved: 0,
      before: { version: 2 as const, attempts: [], cards: {}, sessions: [] },
      after: { version: 2 as const, attempts: [], cards: {}, sessions: [] },
    };
    const lines = summarize(ctx, bank, outcome).split('\n');
    const at = lines.findIndex((line) => line.startsWith('    • A unique=True'));
    expect(at).toBeGreaterThan(0);
    const point = lines.slice(at, at + 3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(50);
    expect(point[1]).toMatch(/^ {6}\S/);
    expect(point.map((line) => line.trim()).join(' ')).toContain('NULLs never clash with each other while empty strings do');
  });

  it('re-asks a question rated again at the end, once', async () => {
    const bank = makeBank([open]);
    const ctx = fakeContext(bank);
    const store = (await ctx.store()) as ScoresStore;
    const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf([open], { limit: 3 }));
    for (let round = 0; round < 2; round++) {
      await until('press Enter to reveal');
      screen.keypress('enter');
      await until('Which key points did you cover?');
      screen.keypress('enter'); // no key point covered → again
      await until(round === 0 ? 'Enter next' : 'Enter finish');
      screen.keypress('enter');
    }
    const outcome = await done;
    expect(outcome.results.map((r) => [r.reask, r.grade.rating])).toEqual([[false, 'again'], [true, 'again']]);
    expect(ctx.stdout.join('\n')).toContain('[2/2] orm · mid · Open one (again)');
  });

  it('--timed: the clock running out reveals the answer and caps easy at good', async () => {
    const bank = makeBank([open]);
    const ctx = fakeContext(bank);
    const store = (await ctx.store()) as ScoresStore;
    const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf([open], { timed: 1 }));
    await until(/⏱ 0:0\d left/);
    await until('Which key points'); // time ran out: the answer was revealed without a key
    screen.keypress('a'); // tick all
    screen.keypress('enter');
    await until('Enter finish');
    screen.keypress('enter');
    const outcome = await done;
    expect(outcome.results[0]).toMatchObject({ overtime: true, grade: { score: 1, rating: 'good' } });
    expect(outcome.results[0]?.durationMs).toBeGreaterThanOrEqual(1000);
    expect((await store.read()).attempts[0]).toMatchObject({ overtime: true, rating: 'good' });
  });

  it('--type: the typed answer is shown and the key points it mentions are pre-ticked', async () => {
    const bank = makeBank([open]);
    const ctx = fakeContext(bank);
    const store = (await ctx.store()) as ScoresStore;
    const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf([open], { type: true }));
    await until('Your answer');
    screen.type('select_related does a JOIN in SQL');
    screen.keypress('enter');
    screen.type('a nullable foreign key gives an outer join');
    screen.keypress('enter');
    screen.keypress('enter'); // empty line: done
    const grading = await until('Which key points');
    expect(grading).toMatch(/◉ select_related uses a SQL JOIN/);
    expect(grading).toMatch(/◯ prefetch_related runs a second query/);
    expect(grading).toMatch(/◉ nullable FK gives LEFT OUTER JOIN/);
    screen.keypress('enter');
    await until('Enter finish');
    screen.keypress('enter');
    const outcome = await done;
    expect(outcome.results[0]?.grade).toMatchObject({ score: 0.67, keypointsHit: [0, 2] });
    expect(ctx.stdout.join('\n')).toContain('select_related does a JOIN in SQL');
  });

  it('a failed save is reported once; the session goes on and the answer is saved with the next one', async () => {
    const bank = makeBank([open, makeQuestion('orm-second', { title: 'Second one' })]);
    const ctx = fakeContext(bank);
    const store = (await ctx.store()) as ScoresStore;
    const realRecord = store.record.bind(store);
    let calls = 0;
    store.record = async (change) => {
      calls += 1;
      if (calls === 1) throw new DrillError('Could not save your answer to scores.json: disk full', { hint: 'Free some space.' });
      return realRecord(change);
    };
    const done = runSession(ctx, createTerminalUI({ color: false }), store, await store.read(), planOf(bank.questions));
    for (let i = 0; i < 2; i++) {
      await until('press Enter to reveal');
      screen.keypress('enter');
      await until('Which key points');
      screen.keypress('a'); // all covered: no re-ask
      screen.keypress('enter');
      await until(i === 0 ? 'Enter next' : 'Enter finish');
      screen.keypress('enter');
    }
    const outcome = await done;
    expect(outcome.results).toHaveLength(2);
    expect(ctx.stderr.filter((l) => l.includes('disk full'))).toHaveLength(1);
    expect((await store.read()).attempts.map((a) => a.questionId)).toEqual(['orm-open', 'orm-second']);
  });

  it('warmup ends with a readiness table and what to review last', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const views = makeQuestion('views-a', { topic: 'views', title: 'Views A' });
    const bank = makeBank([open, choice, views]);
    const ctx = fakeContext(bank, { now: () => now });
    const store = (await ctx.store()) as ScoresStore;
    await store.record({ attempts: [attempt('orm-open', '2026-10-01T10:00:00Z', 'again'), attempt('views-a', '2026-11-25T11:00:00Z', 'easy', { topic: 'views' })] });
    expect(Object.keys(replayAll((await store.read()).attempts))).toHaveLength(2);

    const done = warmupCommand(ctx, { order: 'smart', count: 1 });
    await until('press Enter to reveal');
    expect(ctx.stdout.join('\n')).toContain('Open one'); // the due question comes first
    screen.keypress('enter');
    await until('Which key points');
    screen.keypress('space');
    screen.keypress('enter');
    await until('Enter finish');
    screen.keypress('enter');
    await done;
    const text = ctx.stdout.join('\n');
    expect(text).toContain('Readiness');
    expect(text).toMatch(/orm\s.*\d+%\s+\d+\s+(weak|shaky|ready)/);
    expect(text).toMatch(/views\s.*(weak|shaky|ready)/);
    expect(text).toMatch(/Review last: orm is your weakest topic/);
  });
});

import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCommand } from '../../src/commands/export.js';
import { UsageError } from '../../src/errors.js';
import type { Bank } from '../../src/types.js';
import { attempt, captureContext, emptyScores, makeBank, makeScores, question, topic } from './fixtures.js';

const fence = '```';

function trickyBank(): Bank {
  return {
    topics: [topic('orm'), topic('templates')],
    questions: [
      question('orm-select', 'orm', {
        title: 'select_related, "prefetch" & <joins>',
        tags: ['query sets', 'performance'],
        prompt: `Which is faster for **FK**?\nSecond line with \`a < b\`.\n\n${fence}python\nfor b in Book.objects.all():\n\tprint(b.author)  # <N+1>\n${fence}`,
        answer: `Use \`select_related\` — one JOIN.\n\n- a\n- b`,
      }),
      question('templates-escape', 'templates', {
        title: 'Auto\x1b]0;pwned\x07escaping',
        type: 'choice',
        choices: [
          { text: 'It is off', correct: false },
          { text: 'It is on by default', correct: true, why: 'Django escapes {{ var }} output.' },
        ],
        prompt: `What does ${fence}{{ x }}${fence} do?`,
        answer: '',
      }),
    ],
  };
}

/** RFC 4180 reader: quoted fields, doubled quotes, CRLF and line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const history = [
  attempt('orm-select', '2026-11-24T09:00:00.000Z', 0.5, { keypointsHit: [0, 2], sessionId: 's,1 "quoted"' }),
  attempt('templates-escape', '2026-11-24T09:05:00.000Z', 1, { keypointsHit: [1], mode: 'warmup' }),
  attempt('gone-question', '2026-11-25T08:00:00.000Z', 0),
];

describe('export --format anki', () => {
  async function anki(): Promise<string[]> {
    const ctx = captureContext(trickyBank(), emptyScores());
    await exportCommand(ctx, { format: 'anki' });
    return ctx.stdout().replace(/\n$/, '').split('\n');
  }

  it('starts with the header lines Anki reads', async () => {
    expect((await anki()).slice(0, 3)).toEqual(['#separator:tab', '#html:true', '#tags column:3']);
  });

  it('writes one note a line with exactly 3 tab-separated fields', async () => {
    const notes = (await anki()).slice(3);
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      expect(note.split('\t')).toHaveLength(3);
      expect(note).not.toMatch(/[\r\x1b\x07]/);
    }
  });

  it('escapes HTML, turns line breaks into <br> and code blocks into <pre><code>', async () => {
    const [front, back, tags] = ((await anki())[3] ?? '').split('\t');
    expect(front).toContain('<b>select_related, &quot;prefetch&quot; &amp; &lt;joins&gt;</b>');
    expect(front).toContain('Which is faster for <b>FK</b>?<br>Second line with <code>a &lt; b</code>.');
    // The tab in the code became spaces: a raw tab would start a new field.
    expect(front).toContain('<pre><code class="language-python">for b in Book.objects.all():<br>    print(b.author)  # &lt;N+1&gt;</code></pre>');
    expect(back).toContain('Use <code>select_related</code> — one JOIN.');
    expect(back).toContain('<ul><li><div>a</div></li><li><div>b</div></li></ul>');
    expect(tags).toBe('orm query_sets performance');
  });

  it('puts the choices on the front and the correct one on the back of a choice question', async () => {
    const [front, back, tags] = ((await anki())[4] ?? '').split('\t');
    expect(front).toContain('<b>Autoescaping</b>');
    expect(front).toContain('<li>It is on by default</li>');
    expect(back).toContain('B. It is on by default');
    expect(back).toContain('Django escapes {{ var }} output.');
    expect(tags).toBe('templates');
  });
});

describe('export --format csv', () => {
  it('writes an RFC 4180 file that parses back to the attempts', async () => {
    const ctx = captureContext(trickyBank(), makeScores(history));
    await exportCommand(ctx, { format: 'csv' });
    const text = ctx.stdout();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n'); // every record ends in CRLF
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + history.length);
    expect(rows[1]).toEqual([
      '2026-11-24T09:00:00.000Z',
      'orm-select',
      'orm',
      'select_related, "prefetch" & <joins>',
      '0.5',
      'hard',
      '0;2',
      '60000',
      's,1 "quoted"',
      'drill',
    ]);
    expect(rows[2]?.[3]).toBe('Autoescaping');
    expect(rows[2]?.[9]).toBe('warmup');
    // A question no longer in the bank keeps its row, with an empty title.
    expect(rows[3]?.slice(0, 4)).toEqual(['2026-11-25T08:00:00.000Z', 'gone-question', 'gone', '']);
  });

  it('defuses text a spreadsheet would run as a formula (CSV injection), and only that', async () => {
    const titles = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)', '\tTab', 'Plain - title', 'x=1'];
    const bank: Bank = { topics: [topic('orm')], questions: titles.map((title, i) => question(`orm-q${i}`, 'orm', { title })) };
    const ctx = captureContext(bank, makeScores(titles.map((_, i) => attempt(`orm-q${i}`, '2026-11-24T09:00:00.000Z', 0.5))));
    await exportCommand(ctx, { format: 'csv' });
    const rows = parseCsv(ctx.stdout()).slice(1);
    expect(rows.map((r) => r[3])).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      `'+1+1`,
      `'-2+3`,
      `'@SUM(A1)`,
      `'\tTab`,
      'Plain - title',
      'x=1',
    ]);
    // Numbers stay numbers.
    expect(rows[0]?.[4]).toBe('0.5');
  });

  it('writes just the header for an empty history', async () => {
    const ctx = captureContext(trickyBank(), emptyScores());
    await exportCommand(ctx, { format: 'csv' });
    expect(ctx.stdout()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('export --format json', () => {
  it('prints history and question metadata as one document', async () => {
    const scores = makeScores(history);
    const ctx = captureContext(trickyBank(), scores, { now: new Date('2026-11-25T12:00:00Z') });
    await exportCommand(ctx, { format: 'json' });
    expect(ctx.outCalls).toBe(1);
    const doc = JSON.parse(ctx.stdout());
    expect(Object.keys(doc)).toEqual(['version', 'exportedAt', 'attempts', 'cards', 'sessions', 'questions']);
    expect(doc.version).toBe(2);
    expect(doc.exportedAt).toBe('2026-11-25T12:00:00.000Z');
    expect(doc.attempts).toEqual(scores.attempts);
    expect(doc.cards).toEqual(scores.cards);
    expect(doc.questions[1]).toEqual({
      id: 'templates-escape',
      topic: 'templates',
      title: 'Auto\x1b]0;pwned\x07escaping',
      difficulty: 'mid',
      tags: [],
      type: 'choice',
      followUps: [],
    });
    expect(ctx.stdout()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('export format', () => {
  it('rejects an unknown format with a usage error listing the formats', async () => {
    const ctx = captureContext(makeBank(), emptyScores());
    const error = await exportCommand(ctx, { format: 'xml' as 'json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(`${(error as UsageError).message} ${(error as UsageError).hint}`).toMatch(/json.*csv.*anki/);
    expect(ctx.stdout()).toBe('');
  });
});

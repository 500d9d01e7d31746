import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTopics } from '../../src/questions/bank.js';
import { loadBank, loadPaths } from '../../src/questions/load.js';
import { loadFrontmatterParser, parseQuestion } from '../../src/questions/parse.js';
import { questionFile, tempDir, writeBank } from '../helpers.js';

beforeAll(loadFrontmatterParser);

const parse = (text: string, folder = 'orm') => parseQuestion(text, 'orm/q.md', folder);
const messages = (text: string, folder = 'orm') => parse(text, folder).problems.map((p) => `${p.line}: ${p.message}`);

describe('parseQuestion', () => {
  it('parses a valid open question into prompt, answer, key points and follow-ups', () => {
    const { question, problems } = parse(questionFile({ id: 'orm-a', tags: ['queryset', 'perf'], time: 90 }));
    expect(problems).toEqual([]);
    expect(question).toMatchObject({
      id: 'orm-a',
      topic: 'orm',
      difficulty: 'mid',
      type: 'open',
      tags: ['queryset', 'perf'],
      time: 90,
      keypoints: ['first point about joins', 'second point about queries', 'third point about caching'],
      followUps: [{ question: 'Why?', keypoints: [] }],
    });
    expect(question?.prompt).toContain('What about orm-a?');
    expect(question?.prompt).toContain('```python');
    expect(question?.answer).toBe('The answer of orm-a.');
  });

  it('accepts CRLF line ends and a UTF-8 BOM', () => {
    const text = '\uFEFF' + questionFile({ id: 'orm-crlf' }).replace(/\n/g, '\r\n');
    const { question, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(question?.id).toBe('orm-crlf');
    expect(question?.answer).toBe('The answer of orm-crlf.');
    expect(question?.prompt).not.toContain('\r');
  });

  it('reports a missing frontmatter at line 1', () => {
    expect(messages('# just markdown\n')).toEqual(['1: missing YAML frontmatter (the file must start with a --- line)']);
  });

  it('reports a YAML syntax error on the line where it is', () => {
    const text = '---\nid: orm-x\ntitle: ok\nkeypoints: [unclosed\n---\nQ\n## Answer\nA\n';
    const [problem] = parse(text).problems;
    expect(problem?.message).toMatch(/frontmatter does not parse/);
    expect(problem?.line).toBeGreaterThanOrEqual(4);
  });

  it('refuses non-YAML frontmatter and never runs it', () => {
    const marker = `__drill_pwned_${Date.now()}`;
    const text = `---js\n{ id: (globalThis.${marker} = 'ran', 'orm-js'), title: 'x' }\n---\nQ\n## Answer\nA\n`;
    expect(messages(text)).toEqual(['1: frontmatter language "js" is not allowed; only YAML is']);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('requires id and title, with the line of the key when present', () => {
    const text = '---\ndifficulty: mid\nkeypoints: [a]\n---\nQ\n## Answer\nA\n';
    expect(messages(text)).toEqual(['1: missing required field "id"', '1: missing required field "title"']);
  });

  it('rejects an id that is not kebab-case, on the id line', () => {
    const text = questionFile({ id: 'Orm_Bad' });
    expect(messages(text)).toContain('2: id "Orm_Bad" must be kebab-case (lowercase letters, digits and single dashes)');
  });

  it('checks difficulty and type against their sets', () => {
    expect(messages(questionFile({ id: 'orm-d', difficulty: 'expert' }))).toEqual(['4: difficulty "expert" must be one of junior, mid, senior']);
    const text = questionFile({ id: 'orm-t' }).replace('type: open', 'type: essay');
    expect(messages(text)).toEqual(['5: type "essay" must be one of open, choice']);
  });

  it('accepts difficulty and type in any case, and still rejects unknown values', () => {
    const text = questionFile({ id: 'orm-case', difficulty: 'Senior' }).replace('type: open', 'type: OPEN');
    expect(parse(text).question).toMatchObject({ difficulty: 'senior', type: 'open' });
    expect(messages(questionFile({ id: 'orm-case', difficulty: 'Expert' }))).toEqual(['4: difficulty "Expert" must be one of junior, mid, senior']);
  });

  it('checks the topic matches the folder', () => {
    const text = questionFile({ id: 'orm-topic', extra: 'topic: models' });
    expect(parse(text).problems.map((p) => p.message)).toEqual(['topic "models" does not match its folder "orm"']);
    expect(parse(questionFile({ id: 'orm-topic', extra: 'topic: orm' })).problems).toEqual([]);
  });

  it('requires key points and a non-empty answer for open questions', () => {
    const noKeypoints = '---\nid: orm-k\ntitle: K\n---\nQ\n\n## Answer\nA\n';
    expect(messages(noKeypoints)).toEqual(['1: an open question needs "keypoints": a list of the points a good answer covers']);
    const noAnswer = '---\nid: orm-k\ntitle: K\nkeypoints: [a, b]\n---\nQ\n';
    expect(messages(noAnswer)).toEqual(['1: missing "## Answer" section']);
    const emptyAnswer = '---\nid: orm-k\ntitle: K\nkeypoints: [a, b]\n---\nQ\n\n## Answer\n\n## Follow-ups\n- x\n';
    expect(messages(emptyAnswer)).toEqual(['8: "## Answer" section is empty']);
  });

  it('requires exactly one correct choice', () => {
    const none = questionFile({ id: 'orm-c', type: 'choice' }).replace('correct: true', 'correct: false');
    expect(messages(none)).toEqual(['6: a choice question needs exactly one correct choice (found 0)']);
    const two = questionFile({ id: 'orm-c', type: 'choice' }).replace('    why: "No."', '    correct: true\n    why: "No."');
    expect(messages(two)).toEqual(['6: a choice question needs exactly one correct choice (found 2); for "select all that apply", add "multiple: true"']);
    expect(parse(questionFile({ id: 'orm-c', type: 'choice' })).problems).toEqual([]);
  });

  it('"multiple: true" makes a select-all-that-apply question with one or more correct choices', () => {
    const third = '  - text: "Also right"\n    correct: true\n    why: "Yes."';
    const two = questionFile({ id: 'orm-m', type: 'choice', extra: `${third}\nmultiple: true` });
    const parsed = parse(two);
    expect(parsed.problems).toEqual([]);
    expect(parsed.question).toMatchObject({ multiple: true, choices: [{ correct: true }, { correct: false }, { correct: true }] });
    // One correct is allowed (the question must not give away how many), none is not.
    expect(parse(questionFile({ id: 'orm-m', type: 'choice', extra: '  - text: "Third"\n    why: "No."\nmultiple: true' })).problems).toEqual([]);
    const none = questionFile({ id: 'orm-m', type: 'choice', extra: '  - text: "Third"\n    why: "No."\nmultiple: true' }).replace('correct: true', 'correct: false');
    expect(messages(none)).toEqual(['6: a "select all that apply" question needs at least one correct choice']);
    expect(messages(questionFile({ id: 'orm-m', type: 'choice', extra: 'multiple: true' }))).toEqual(['6: a "select all that apply" question needs 3–6 choices']);
    expect(messages(questionFile({ id: 'orm-m', extra: 'multiple: true' }))).toEqual(['10: "multiple: true" needs "type: choice"']);
    expect(messages(questionFile({ id: 'orm-m', type: 'choice', extra: 'multiple: "yes"' }))).toEqual(['12: multiple must be true or false']);
    expect(parse(questionFile({ id: 'orm-c', type: 'choice' })).question?.multiple).toBeUndefined();
  });

  it('reports an unclosed code fence at the line it opens', () => {
    const text = '---\nid: orm-f\ntitle: F\nkeypoints: [a]\n---\nQ\n\n```python\nx = 1\n\n## Answer\nA\n';
    expect(messages(text)).toContain('8: code block is not closed (missing closing ```)');
  });

  it('does not treat headings inside code blocks as sections', () => {
    const body = 'Q\n\n```text\n## Answer\n```\n\n## Answer\nReal answer.\n';
    const { question } = parse(questionFile({ id: 'orm-h', body }));
    expect(question?.prompt).toContain('## Answer');
    expect(question?.answer).toBe('Real answer.');
  });

  it('strips terminal escape sequences from every text field', () => {
    const esc = '\u001b';
    const body = `Clear${esc}[2J me${esc}]0;pwned\u0007\n\n## Answer\nA${esc}[31m red\n\n## Follow-ups\n- F${esc}[H\n`;
    // Raw ESC is not valid inside YAML scalars, but YAML's own \e escape produces one.
    const text = questionFile({ id: 'orm-esc', body, keypoints: ['k\\e[1A up', 'two', 'three'] }).replace('title: Title of orm-esc', 'title: "T\\e[5n"');
    const { question, problems } = parse(text);
    expect(problems).toEqual([]);
    const all = JSON.stringify(question);
    expect(all).not.toMatch(/\\u001b|\\u0007/);
    expect(question?.title).toBe('T');
    expect(question?.prompt).toBe('Clear me');
  });
});

describe('loadBank', () => {
  it('loads every good file and skips a broken one with a file:line problem', async () => {
    const root = writeBank({ orm: [{ id: 'orm-one' }, { id: 'orm-two' }], models: [{ id: 'models-one' }] });
    writeFileSync(join(root, 'orm', 'broken.md'), '---\nid: orm-broken\ntitle: [oops\n---\n');
    const { bank, problems } = await loadBank([root]);
    expect(bank.questions.map((q) => q.id).sort()).toEqual(['models-one', 'orm-one', 'orm-two']);
    expect(bank.topics.map((t) => t.name).sort()).toEqual(['models', 'orm']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toMatch(/orm[\\/]broken\.md$/);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });

  it('reports duplicate ids across topics and keeps the first', async () => {
    const root = writeBank({ orm: [{ id: 'shared-id' }], models: [{ id: 'other' }] });
    writeFileSync(join(root, 'models', 'dupe.md'), questionFile({ id: 'shared-id' }));
    const { bank, problems } = await loadBank([root]);
    expect(bank.questions.filter((q) => q.id === 'shared-id')).toHaveLength(1);
    // Topics load in name order, so models/dupe.md keeps the id and orm's copy is the duplicate.
    expect(bank.questions.find((q) => q.id === 'shared-id')?.file).toMatch(/models[\\/]dupe\.md$/);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^duplicate id "shared-id" \(already used by .*models[\\/]dupe\.md:2\); this question is skipped$/)]);
    expect(problems[0]?.file).toMatch(/orm[\\/]shared-id\.md$/);
    expect(problems[0]?.line).toBe(2);
  });

  it('merges several roots and reads _topic.md titles', async () => {
    const a = writeBank({ orm: [{ id: 'orm-a' }] });
    const b = writeBank({ caching: [{ id: 'caching-b' }] });
    const { bank } = await loadBank([a, b]);
    expect(bank.topics.map((t) => t.title)).toEqual(['CACHING topic', 'ORM topic']);
    expect(bank.questions).toHaveLength(2);
  });
});

describe('resolveTopics', () => {
  it('matches folder names case-insensitively and suggests close ones', async () => {
    const root = writeBank({ ORM: [{ id: 'orm-x' }], views: [{ id: 'views-x' }] });
    const { bank } = await loadBank([root]);
    expect(resolveTopics(bank, ['orm']).map((t) => t.name)).toEqual(['ORM']);
    expect(resolveTopics(bank, ['Views', 'views']).map((t) => t.name)).toEqual(['views']);
    expect(() => resolveTopics(bank, ['viewz'])).toThrow('Unknown topic "viewz". Did you mean "views"?');
  });
});

describe('loadPaths (validate)', () => {
  it('takes files, topic folders and roots', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b' }], views: [{ id: 'views-a' }] });
    expect((await loadPaths([root])).bank.questions).toHaveLength(3);
    expect((await loadPaths([join(root, 'orm')])).bank.questions).toHaveLength(2);
    expect((await loadPaths([join(root, 'views', 'views-a.md')])).bank.questions).toHaveLength(1);
    const missing = await loadPaths([join(root, 'nope')]);
    expect(missing.missing).toEqual([join(root, 'nope')]);
  });

  it('follows symbolic links to question files and topic folders', async () => {
    const real = writeBank({ orm: [{ id: 'orm-real' }] });
    const root = tempDir();
    symlinkSync(join(real, 'orm'), join(root, 'orm'));
    mkdirSync(join(root, 'views'));
    writeFileSync(join(real, 'view.md'), questionFile({ id: 'views-linked' }));
    symlinkSync(join(real, 'view.md'), join(root, 'views', 'linked.md'));
    const { bank, problems } = await loadBank([root]);
    expect(problems).toEqual([]);
    expect(bank.questions.map((q) => q.id).sort()).toEqual(['orm-real', 'views-linked']);
  });

  it('ignores README.md and files starting with _ or .', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'orm'));
    writeFileSync(join(root, 'orm', 'README.md'), 'not a question');
    writeFileSync(join(root, 'orm', '.draft.md'), 'not a question');
    writeFileSync(join(root, 'orm', 'q.md'), questionFile({ id: 'orm-q' }));
    const { bank, problems } = await loadPaths([root]);
    expect(problems).toEqual([]);
    expect(bank.questions.map((q) => q.id)).toEqual(['orm-q']);
  });
});

describe('follow-ups', () => {
  const withFollowUps = (section: string) =>
    questionFile({ id: 'orm-f', body: `What about it?\n\n## Answer\nThe answer.\n\n## Follow-ups\n${section}` });

  const rich = [
    '- A plain one, never asked?',
    '',
    '### And if the FK is nullable?',
    'You get a `LEFT OUTER JOIN`.',
    '',
    '```python',
    '### not a heading inside code',
    'Book.objects.select_related("author")',
    '```',
    '',
    'Key points:',
    '- A nullable FK gives a LEFT OUTER JOIN',
    '- Rows without an author are kept',
    '',
    '### What SQL runs? {#sql}',
    'One query with a JOIN.',
    '',
    'Key points:',
    '- One query',
    '',
    '### How would you test it?',
    'assertNumQueries(1).',
    '',
    'Key points:',
    '- assertNumQueries',
    '  wraps the block',
    '',
  ].join('\n');

  it('reads plain bullets and answered ### follow-ups with their key points and ids', () => {
    const { question, problems } = parse(withFollowUps(rich));
    expect(problems).toEqual([]);
    expect(question?.followUps).toEqual([
      { question: 'A plain one, never asked?', keypoints: [] },
      {
        question: 'And if the FK is nullable?',
        id: 'orm-f#1',
        answer: 'You get a `LEFT OUTER JOIN`.\n\n```python\n### not a heading inside code\nBook.objects.select_related("author")\n```',
        keypoints: ['A nullable FK gives a LEFT OUTER JOIN', 'Rows without an author are kept'],
      },
      { question: 'What SQL runs?', id: 'orm-f#sql', answer: 'One query with a JOIN.', keypoints: ['One query'] },
      { question: 'How would you test it?', id: 'orm-f#3', answer: 'assertNumQueries(1).', keypoints: ['assertNumQueries wraps the block'] },
    ]);
  });

  it('keeps ids when text elsewhere changes: the answer, the prompt, a follow-up question reworded', () => {
    const ids = (text: string) => parse(text).question?.followUps.map((f) => f.id);
    const before = ids(withFollowUps(rich));
    const edited = withFollowUps(rich.replace('And if the FK is nullable?', 'And when author is NULL-able?').replace('One query with a JOIN.', 'Exactly one query, with a JOIN.\n\nMore prose.'))
      .replace('What about it?', 'What about it, in production?');
    expect(ids(edited)).toEqual(before);
    // A new follow-up added at the end takes the next number; the others keep theirs.
    const added = ids(withFollowUps(`${rich}\n### One more?\nYes.\n\nKey points:\n- yes\n`));
    expect(added).toEqual([...(before ?? []), 'orm-f#4']);
  });

  it('reports a malformed follow-up as path:line: message', () => {
    const body = [
      '### No answer at all?',
      'Key points:',
      '- x',
      '### No key points?',
      'An answer.',
      '### Empty key points?',
      'An answer.',
      'Key points:',
      '',
      '### Prose after points?',
      'Answer.',
      'Key points:',
      '- a',
      'stray sentence',
      '###   ',
    ].join('\n');
    const text = withFollowUps(body);
    const start = text.split('\n').indexOf('## Follow-ups') + 2;
    expect(messages(text)).toEqual([
      `${start}: follow-up "No answer at all?": has no answer (write it under the ### heading, before "Key points:")`,
      `${start + 3}: follow-up "No key points?": needs a "Key points:" line followed by a bulleted list`,
      `${start + 5}: follow-up "Empty key points?": "Key points:" needs at least one "- point" bullet`,
      `${start + 13}: only "- point" bullets may follow "Key points:" (start the next follow-up with "###")`,
      `${start + 14}: a "###" follow-up heading needs the question after it`,
    ]);
  });

  it('refuses two follow-ups with the same {#name}', () => {
    const body = '### One? {#same}\nA.\n\nKey points:\n- a\n\n### Two? {#same}\nB.\n\nKey points:\n- b\n';
    expect(messages(withFollowUps(body)).join('\n')).toContain('id "orm-f#same" is used twice in this file');
  });
});

/**
 * The built-in bank is product: every file valid, the promised spread of topics and levels, code
 * that parses, and none of the seed's known errors.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInQuestionsDir } from '../../src/questions/bank.js';
import { loadBank, type LoadResult } from '../../src/questions/load.js';
import { loadFrontmatterParser, parseTopicInfo } from '../../src/questions/parse.js';
import { answeredFollowUps } from '../../src/questions/follow-ups.js';
import type { Question } from '../../src/types.js';

const REQUIRED_TOPICS = [
  'orm', 'models', 'migrations', 'transactions', 'requests', 'middleware', 'views', 'signals', 'settings',
  'caching', 'forms', 'templates', 'auth', 'security', 'testing', 'async', 'drf', 'tasks', 'admin',
];

let result: LoadResult;
let questions: Question[];

beforeAll(async () => {
  await loadFrontmatterParser();
  result = await loadBank([builtInQuestionsDir()]);
  questions = result.bank.questions;
});

interface CodeBlock {
  id: string;
  lang: string;
  code: string;
}

/** Fenced blocks of a Markdown text (the loader already checked they are closed). */
function codeBlocks(id: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const re = /^ {0,3}(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)^ {0,3}\1[ \t]*$/gm;
  for (const m of markdown.matchAll(re)) blocks.push({ id, lang: (m[2] ?? '').trim().split(/\s+/)[0] ?? '', code: m[3] ?? '' });
  return blocks;
}

const allBlocks = () =>
  questions.flatMap((q) => [
    ...codeBlocks(q.id, q.prompt),
    ...codeBlocks(q.id, q.answer),
    ...answeredFollowUps(q).flatMap((f) => codeBlocks(f.id, f.answer)),
  ]);

describe('built-in bank', () => {
  it('every file validates', () => {
    expect(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });

  it('has 260+ questions in 26+ topics, 6+ per topic, 15+ on the ORM, every required topic', () => {
    expect(questions.length).toBeGreaterThanOrEqual(260);
    expect(result.bank.topics.length).toBeGreaterThanOrEqual(26);
    for (const topic of REQUIRED_TOPICS) expect(result.bank.topics.map((t) => t.name)).toContain(topic);
    for (const topic of result.bank.topics) {
      const n = questions.filter((q) => q.topic === topic.name).length;
      expect(n, topic.name).toBeGreaterThanOrEqual(topic.name === 'orm' ? 15 : 6);
    }
  });

  it('has 20+ "What SQL" and 20+ "spot the bug" questions, and 60+ with a checked snippet', () => {
    const tagged = (tag: string) => questions.filter((q) => q.tags.includes(tag));
    expect(tagged('sql').length).toBeGreaterThanOrEqual(20);
    expect(tagged('spot-the-bug').length).toBeGreaterThanOrEqual(20);
    // A "What SQL" question shows the SQL; a "spot the bug" one shows the fixed code.
    for (const q of tagged('sql')) expect(codeBlocks(q.id, q.answer).some((b) => b.lang === 'sql'), q.id).toBe(true);
    for (const q of tagged('spot-the-bug')) {
      expect(codeBlocks(q.id, q.prompt).some((b) => b.lang === 'python'), q.id).toBe(true);
      expect(codeBlocks(q.id, q.answer).some((b) => b.lang === 'python'), q.id).toBe(true);
    }
    const verified = questions.filter((q) => /^ {0,3}(`{3,}|~{3,})python verify\b/m.test(q.answer));
    expect(verified.length).toBeGreaterThanOrEqual(60);
  });

  it('every topic folder has a _topic.md with a title and a description', () => {
    const root = builtInQuestionsDir();
    for (const folder of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const text = readFileSync(join(root, folder.name, '_topic.md'), 'utf8');
      const { info, problems } = parseTopicInfo(text, folder.name);
      expect(problems, folder.name).toEqual([]);
      expect(info.title, folder.name).not.toBe(folder.name);
      expect(info.description.length, folder.name).toBeGreaterThan(10);
    }
  });

  it('ids are unique, kebab-case and start with their topic', () => {
    const ids = questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const q of questions) expect(q.id.startsWith(`${q.topic}-`), q.id).toBe(true);
  });

  it('mixes levels about 30/40/30 and has 25 %+ choice questions', () => {
    const share = (d: string) => questions.filter((q) => q.difficulty === d).length / questions.length;
    expect(share('junior')).toBeGreaterThanOrEqual(0.2);
    expect(share('junior')).toBeLessThanOrEqual(0.4);
    expect(share('mid')).toBeGreaterThanOrEqual(0.3);
    expect(share('mid')).toBeLessThanOrEqual(0.5);
    expect(share('senior')).toBeGreaterThanOrEqual(0.2);
    expect(share('senior')).toBeLessThanOrEqual(0.4);
    expect(questions.filter((q) => q.type === 'choice').length / questions.length).toBeGreaterThanOrEqual(0.25);
  });

  it('open questions have 3–7 key points; choices have a why each', () => {
    for (const q of questions) {
      if (q.type === 'open') {
        expect(q.keypoints.length, q.id).toBeGreaterThanOrEqual(3);
        expect(q.keypoints.length, q.id).toBeLessThanOrEqual(7);
        for (const k of q.keypoints) expect(k.length, `${q.id}: ${k}`).toBeLessThanOrEqual(120);
      } else {
        for (const c of q.choices) expect(c.why, `${q.id}: ${c.text}`).toBeTruthy();
      }
      expect(q.answer.trim().length, q.id).toBeGreaterThan(0);
    }
  });

  it('every question has 2–4 answered follow-ups (3+ when senior), each with 2–4 key points of one line', () => {
    for (const q of questions) {
      const answered = answeredFollowUps(q);
      expect(answered.length, q.id).toBe(q.followUps.length);
      expect(answered.length, q.id).toBeGreaterThanOrEqual(q.difficulty === 'senior' ? 3 : 2);
      expect(answered.length, q.id).toBeLessThanOrEqual(4);
      for (const f of answered) {
        expect(f.question.trim(), f.id).toMatch(/\?$/);
        expect(f.answer.trim().length, f.id).toBeGreaterThan(0);
        expect(f.keypoints.length, f.id).toBeGreaterThanOrEqual(2);
        expect(f.keypoints.length, f.id).toBeLessThanOrEqual(4);
        for (const k of f.keypoints) expect(k.length, `${f.id}: ${k}`).toBeLessThanOrEqual(120);
      }
    }
  });

  it('key points can be ticked honestly: one fact each (no ";"), and no version numbers unless the version is the point', () => {
    // A version ("4.1+", "since 5.0") belongs in the answer; in a key point it is a second fact
    // to tick. Allowed where the question is about versions (topic `modern`, tag `versions`).
    const VERSION = /\b\d\.\d+\+|\b(since|in|from|before|until|as of) (Django )?\d\.\d/i;
    const bad: string[] = [];
    for (const q of questions) {
      const aboutVersions = q.topic === 'modern' || q.tags.includes('versions');
      const points = [...q.keypoints.map((k) => [q.id, k]), ...answeredFollowUps(q).flatMap((f) => f.keypoints.map((k) => [f.id, k]))];
      for (const [id, k] of points) {
        if (k!.includes(';')) bad.push(`${id}: two facts joined by ";": ${k}`);
        if (!aboutVersions && VERSION.test(k!)) bad.push(`${id}: a version number: ${k}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no more than half of the choice questions put the correct answer in the same position', () => {
    const choice = questions.filter((q) => q.type === 'choice');
    const counts = new Map<number, number>();
    for (const q of choice) {
      const at = q.choices.findIndex((c) => c.correct);
      counts.set(at, (counts.get(at) ?? 0) + 1);
    }
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(choice.length / 2);
  });

  it('at least half of the questions have code in the answer or the prompt', () => {
    const withCode = questions.filter((q) => codeBlocks(q.id, q.prompt + '\n' + q.answer).length > 0);
    expect(withCode.length / questions.length).toBeGreaterThanOrEqual(0.5);
  });

  it('every ```python block parses with python3 ast', () => {
    const python = allBlocks().filter((b) => ['python', 'py'].includes(b.lang.toLowerCase()));
    expect(python.length).toBeGreaterThan(50);
    const script = [
      'import ast, json, sys, textwrap',
      'bad = []',
      'for b in json.load(sys.stdin):',
      '    try: ast.parse(textwrap.dedent(b["code"]))',
      '    except SyntaxError as e: bad.append(f\'{b["id"]}: {e}\')',
      'print(json.dumps(bad))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], { input: JSON.stringify(python), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  it('the checker really rejects broken Python', () => {
    const run = (code: string) =>
      execFileSync('python3', ['-c', "import ast,sys\ntry:\n    ast.parse(sys.stdin.read()); print('ok')\nexcept SyntaxError: print('bad')"], { input: code, encoding: 'utf8' }).trim();
    expect(run('def f(:\n    pass')).toBe('bad');
    expect(run('x = 1')).toBe('ok');
  });

  it('sql, bash, html and template blocks are non-empty and use known languages', () => {
    const known = new Set(['python', 'py', 'sql', 'bash', 'sh', 'shell', 'console', 'html', 'django', 'jinja', 'js', 'javascript', 'json', 'text', 'ini', 'toml', 'yaml', 'yml', '']);
    for (const b of allBlocks()) {
      expect(known.has(b.lang.toLowerCase()), `${b.id}: \`\`\`${b.lang}`).toBe(true);
      expect(b.code.trim().length, `${b.id}: empty ${b.lang} block`).toBeGreaterThan(0);
    }
  });
});

/**
 * Claims the seed got wrong (see shared/reference/django-seed-corrections.md). A sentence of an
 * answer, key point or correct choice that makes one of these claims without negating it fails.
 */
const FORBIDDEN: { claim: string; pattern: RegExp; unless?: RegExp; negated?: boolean }[] = [
  { claim: 'URL resolution runs before request middleware', pattern: /\b(url (routing|resolution|resolving|is resolved)|resolv\w* the url)\b[^.]*\b(before|prior to)\b[^.]*\bmiddleware/i },
  { claim: 'select_related always uses an INNER JOIN', pattern: /select_related\b[^.]*\b(always|only)\b[^.]*\binner join\b/i },
  { claim: 'select_related uses an INNER JOIN (for a nullable FK)', pattern: /nullable(?:(?!\bleft\b)[^.,;])*\binner join\b|\binner join\b(?:(?!\bleft\b)[^.,;])*\bnullable\b(?![^.,;]*\bleft (outer )?join\b)/i },
  { claim: 'bulk_create/update() send save signals', pattern: /\b(bulk_create|bulk_update|update)\(\)[^.]*\b(sends?|fires?|triggers?|emits?)\b[^.]*\b(pre_save|post_save)\b/i },
  { claim: 'select_for_update locks rows on SQLite', pattern: /select_for_update[^.]*\b(locks?|works)\b[^.]*\bsqlite\b/i },
  { claim: 'select_for_update works outside a transaction', pattern: /select_for_update[^.]*\b(outside|without)\b[^.]*\b(transaction|atomic)\b/i },
  // QuerySet.get(); cache.get() and dict.get() do return None on a miss.
  { claim: 'get() returns None', pattern: /\bget\(\)(?![^.]*\b(cache|miss|dict|sentinel)\b)[^.]*\breturns? None\b/ },
  { claim: 'Django emits SELECT *', pattern: /\b(django|the orm|it)\b[^.]*\b(emits|generates|issues|runs|produces)\b[^.]*select \*/i },
  { claim: 'MIDDLEWARE_CLASSES is the setting', pattern: /\bMIDDLEWARE_CLASSES\b/ },
  { claim: 'django.conf.urls.url() is current', pattern: /from django\.conf\.urls import (url|[^\n]*\burl\b)/ },
  { claim: 'pytz is Django’s time zone library', pattern: /\bimport pytz\b|\bdjango\b[^.]*\buses pytz\b/i },
  { claim: 'index_together is current', pattern: /\buse index_together\b/i },
  // Bank 2.0 topics: time zones, multiple databases, DRF, PostgreSQL, Channels, signals, 5.x.
  { claim: 'USE_TZ defaults to False', pattern: /\bUSE_TZ\b[^.]*\bdefaults? (is |to )?False\b/i, negated: true, unless: /\bbefore 5\.0\b|\b4\.\d\b/ },
  { claim: 'DEFAULT_AUTO_FIELD defaults to BigAutoField', pattern: /\bDEFAULT_AUTO_FIELD\b[^.]*\bdefaults? (is |to )BigAutoField\b/i },
  { claim: 'timezone.now() returns local time', pattern: /\btimezone\.now\(\)[^.]*\b(returns?|gives?)\b[^.]*\b(the )?(local|server'?s?) time\b/i },
  { claim: 'DRF requires authentication by default', pattern: /\b(DEFAULT_PERMISSION_CLASSES|default permission( class)?)\b[^.]*\b(is|defaults? to)\b[^.]*\bIsAuthenticated\b/i },
  { claim: 'atomic() spans several databases', pattern: /\batomic\(\)[^.]*\b(covers|spans|wraps)\b[^.]*\b(all|every|both|several|multiple) (of the )?databases\b/i },
  { claim: 'signals run asynchronously', pattern: /\bsignals?\b[^.]*\b(run|runs|are (sent|dispatched|executed|handled)|execute)\b[^.]*\b(asynchronously|in the background|in a (separate|background|another) thread)\b/i },
  { claim: 'PostgreSQL-only features work on other databases', pattern: /\b(ArrayField|SearchVector|SearchQuery|TrigramSimilarity|ExclusionConstraint|GinIndex)\b[^.]*\b(works?|available|supported)\b[^.]*\b(on|with|in) (SQLite|MySQL|every database|all databases|any database)\b/i },
  { claim: 'transaction pooling is fine with server-side cursors', pattern: /\btransaction pooling\b[^.]*\b(works|is (fine|safe)|supports)\b[^.]*\bserver-side cursors\b/i },
  { claim: 'the built-in pool works with psycopg2', pattern: /\b(connection )?pool(ing)?\b[^.]*\b(works|available|supported)\b[^.]*\bpsycopg2\b/i },
  { claim: 'InMemoryChannelLayer is fit for production', pattern: /\bInMemoryChannelLayer\b[^.]*\b(fine|ok|okay|suitable|good|safe|ready)\b[^.]*\bproduction\b/i },
  { claim: 'LoginRequiredMiddleware is on by default', pattern: /\bLoginRequiredMiddleware\b[^.]*\b(is )?(on|enabled|active|installed) by default\b/i },
  { claim: 'a ForeignKey can point at a composite primary key', pattern: /\bForeignKey\b[^.]*\b(can|may|does) (point|reference|target|refer)\b[^.]*\bcomposite\b/i },
  // Claims that are themselves a negation: checked without the negation escape.
  { claim: 'window functions cannot be filtered', pattern: /\b(cannot|can't|can ?not|no way to)\b[^.]*\bfilter\b[^.]*\bwindow (function|expression)s?\b/i, negated: true, unless: /\b(before|prior to|until|pre-?)\s*4\.2\b|\bolder Django\b/i },
  { claim: 'bulk_create() cannot return primary keys on PostgreSQL', pattern: /\bbulk_create\(\)[^.]*\b(does not|doesn't|cannot|can't|never)\b[^.]*\b(set|return|fill)s?\b[^.]*\b(pk|pks|primary keys?|ids?)\b[^.]*\bPostgreSQL\b/i, negated: true },
];

const NEGATION = /\b(not|cannot|never|no|n't|nor|raises|error|without a transaction error|removed|deprecated|instead of|wrong|myth|misconception|unlike|rather than|outdated|old|false)\b|n't\b|\bbefore\s+5\.|\bpre-4/i;

function sentences(text: string): string[] {
  // Code blocks are checked separately; sentences split on . ! ? and line breaks of list items.
  return text
    .replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1[ \t]*$/gm, ' ')
    .split(/(?<=[.!?])\s+|\n\s*[-*•]\s+|\n{2,}/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function forbiddenClaims(q: Question): string[] {
  const followUps = (q.followUps ?? []).flatMap((f) => [f.answer ?? '', ...f.keypoints]);
  const texts = [q.answer, ...q.keypoints, ...q.choices.filter((c) => c.correct).flatMap((c) => [c.text, c.why ?? '']), ...followUps];
  const found: string[] = [];
  for (const text of texts) {
    for (const sentence of sentences(text)) {
      for (const { claim, pattern, unless, negated } of FORBIDDEN) {
        if (!pattern.test(sentence) || unless?.test(sentence)) continue;
        if (negated || !NEGATION.test(sentence)) found.push(`${q.id}: ${claim}: "${sentence}"`);
      }
    }
  }
  for (const block of codeBlocks(q.id, [q.answer, ...(q.followUps ?? []).map((f) => f.answer ?? '')].join('\n'))) {
    if (/^\s*MIDDLEWARE_CLASSES\s*=/m.test(block.code)) found.push(`${q.id}: MIDDLEWARE_CLASSES in answer code`);
    if (/from django\.conf\.urls import .*\burl\b/.test(block.code)) found.push(`${q.id}: url() import in answer code`);
    if (/^\s*(DEFAULT_FILE_STORAGE|STATICFILES_STORAGE)\s*=/m.test(block.code) && !/removed|old|before|pre-?4\.2/i.test(block.code)) {
      found.push(`${q.id}: old storage setting in answer code`);
    }
    if (/^\s*import pytz|^\s*from pytz/m.test(block.code)) found.push(`${q.id}: pytz in answer code`);
  }
  return found;
}

describe('seed errors stay corrected', () => {
  it('no answer repeats a known error', () => {
    expect(questions.flatMap(forbiddenClaims)).toEqual([]);
  });

  it('the forbidden-claims check catches each wrong claim', () => {
    const wrong = [
      'Django resolves the URL before the request middleware runs.',
      'select_related always performs an INNER JOIN.',
      'bulk_create() sends post_save for every object.',
      'select_for_update locks the selected rows on SQLite too.',
      'get() returns None when nothing matches.',
      'The ORM generates SELECT * for every query.',
      'Add it to MIDDLEWARE_CLASSES.',
      'USE_TZ defaults to False, so datetimes are naive.',
      'DEFAULT_AUTO_FIELD defaults to BigAutoField in every project.',
      'timezone.now() returns the local time of the server.',
      'DRF is safe out of the box: the default permission class is IsAuthenticated.',
      'transaction.atomic() covers all databases the view touches.',
      'Django signals are dispatched in a background thread, so the save returns at once.',
      'ArrayField works on SQLite as well, as a JSON column.',
      'PgBouncer transaction pooling works fine with server-side cursors.',
      'Django 5.1 connection pooling is supported with psycopg2 too.',
      'InMemoryChannelLayer is fine for production on one server.',
      'LoginRequiredMiddleware is enabled by default in new projects.',
      'A ForeignKey can point at a model with a composite primary key.',
      "You can't filter on a window function in Django, so wrap it in a subquery.",
      'bulk_create() does not set the primary keys on PostgreSQL.',
    ];
    for (const sentence of wrong) {
      const q = { id: 'x', answer: sentence, keypoints: [], choices: [] } as unknown as Question;
      expect(forbiddenClaims(q), sentence).not.toEqual([]);
    }
    const right = {
      id: 'y',
      answer: [
        'Middleware runs first; the URL is resolved afterwards. get() never returns None.',
        'Before 4.2 you could not filter on a window function; now Django wraps the query for you.',
        'DRF does not require authentication by default: the default permission class is AllowAny, not IsAuthenticated.',
        'Django signals are not run in a background thread: receivers run synchronously.',
        'ArrayField is not available on SQLite.',
        'USE_TZ defaults to True since 5.0.',
      ].join(' '),
      keypoints: [],
      choices: [],
    } as unknown as Question;
    expect(forbiddenClaims(right)).toEqual([]);
  });

  it('the corrected facts are in the bank', () => {
    const text = questions.map((q) => `${q.answer}\n${q.keypoints.join('\n')}`).join('\n');
    expect(text).toMatch(/LEFT OUTER JOIN/);
    expect(text).toMatch(/DoesNotExist/);
    expect(text).toMatch(/MultipleObjectsReturned/);
    expect(text).toMatch(/select_for_update[\s\S]{0,400}SQLite|SQLite[\s\S]{0,400}select_for_update/);
    expect(text).toMatch(/bulk_create[\s\S]{0,300}(no|not|never)[\s\S]{0,100}(pre_save|post_save|signal)/);
  });
});

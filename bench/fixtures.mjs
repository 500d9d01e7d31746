// Generates the benchmark's fixtures: a 10,000-question bank (valid files over 50 topics, with
// code blocks) and a scores file with 100,000 attempts over it. Deterministic (seeded).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOPICS = 50;
export const PER_TOPIC = 200;
export const ATTEMPTS = 100_000;
const RATINGS = ['again', 'hard', 'good', 'easy'];
const SCORE = { again: 0, hard: 0.5, good: 0.75, easy: 1 };

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const topicName = (t) => `topic${String(t).padStart(2, '0')}`;
const questionId = (t, q) => `${topicName(t)}-question-${String(q).padStart(3, '0')}`;

function questionText(t, q) {
  const difficulty = ['junior', 'mid', 'senior'][q % 3];
  return `---
id: ${questionId(t, q)}
topic: ${topicName(t)}
title: "Generated question ${q} about querysets in topic ${t}"
difficulty: ${difficulty}
tags: [bench, generated, t${t % 7}]
time: 90
keypoints:
  - "select_related joins foreign keys in one query"
  - "prefetch_related runs one extra query per relation"
  - "a nullable foreign key gives a LEFT OUTER JOIN"
---
Explain what this code does and how many queries it runs (question ${q}).

\`\`\`python
books = Book.objects.select_related("author").filter(price__gt=${q})
for book in books:
    print(book.title, book.author.name)
\`\`\`

## Answer
It runs **one** query: \`select_related\` adds a JOIN on the author table, and the loop reads
the related object from the row it already has.

\`\`\`sql
SELECT book.id, book.title, author.id, author.name FROM book
INNER JOIN author ON book.author_id = author.id WHERE book.price > ${q};
\`\`\`

## Follow-ups
- What if the foreign key were nullable?
`;
}

export function writeBank(dir) {
  if (existsSync(join(dir, '.complete'))) return;
  rmSync(dir, { recursive: true, force: true });
  for (let t = 0; t < TOPICS; t++) {
    const folder = join(dir, topicName(t));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '_topic.md'), `---\ntitle: Topic ${t}\ndescription: Generated topic ${t}.\n---\n`);
    for (let q = 0; q < PER_TOPIC; q++) writeFileSync(join(folder, `question-${String(q).padStart(3, '0')}.md`), questionText(t, q));
  }
  writeFileSync(join(dir, '.complete'), '');
}

export function writeScores(home, now = Date.now()) {
  const path = join(home, 'scores.json');
  if (existsSync(path)) return;
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const rnd = random(42);
  const day = 86_400_000;
  const attempts = [];
  const cards = {};
  const sessions = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    const t = Math.floor(rnd() * TOPICS);
    const q = Math.floor(rnd() * PER_TOPIC);
    const rating = RATINGS[Math.floor(rnd() * 4)];
    const at = new Date(now - Math.floor((1 - i / ATTEMPTS) * 200 * day) - Math.floor(rnd() * 3600_000)).toISOString();
    const sessionId = `session-${Math.floor(i / 10)}`;
    attempts.push({ questionId: questionId(t, q), topic: topicName(t), at, score: SCORE[rating], rating, keypointsHit: rating === 'again' ? [] : [0, 1], durationMs: 20_000 + Math.floor(rnd() * 90_000), sessionId, mode: 'drill' });
    if (i % 10 === 0) sessions.push({ id: sessionId, mode: 'drill', topics: [topicName(t)], startedAt: at, endedAt: at, asked: 10, answered: 10, score: 0.6 });
    const stability = 1 + rnd() * 40;
    cards[questionId(t, q)] = {
      due: new Date(Date.parse(at) + stability * day).toISOString(),
      stability, difficulty: 1 + rnd() * 9, elapsed_days: 0, scheduled_days: Math.round(stability),
      learning_steps: 0, reps: 3, lapses: 1, state: 2, last_review: at,
    };
  }
  writeFileSync(path, JSON.stringify({ version: 1, attempts, cards, sessions }), { mode: 0o600 });
}

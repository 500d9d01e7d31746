/** How command-line topic names and ids map onto the bank. */
export { builtInQuestionsDir, packageRoot } from '../paths.js';
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../errors.js';
import type { Bank, Question, TopicInfo } from '../types.js';

/** "did you mean" for a mistyped name, if one is close enough. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = name.toLowerCase();
  const prefix = candidates.find((c) => c.startsWith(lower) || lower.startsWith(c));
  if (prefix) return prefix;
  const best = closest(lower, [...candidates]);
  return distance(lower, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Topic names → topics of the bank; no names → every topic. Unknown names are a usage error. */
export function resolveTopics(bank: Bank, names: readonly string[]): TopicInfo[] {
  if (names.length === 0) return bank.topics;
  // Folder names are matched case-insensitively: `django-drill orm` finds a folder named ORM.
  const byName = new Map(bank.topics.map((t) => [t.name.toLowerCase(), t]));
  const result: TopicInfo[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    const topic = byName.get(name);
    if (!topic) {
      const names = bank.topics.map((t) => t.name);
      const guess = suggest(name, names);
      throw new UsageError(
        `Unknown topic "${raw}".${guess ? ` Did you mean "${guess}"?` : ''}`,
        names.length > 0 ? `Topics: ${names.join(', ')}` : 'The question bank has no topics; check --questions.',
      );
    }
    if (!result.includes(topic)) result.push(topic);
  }
  return result;
}

export function questionsOf(bank: Bank, topics: readonly TopicInfo[]): Question[] {
  const names = new Set(topics.map((t) => t.name));
  return bank.questions.filter((q) => names.has(q.topic));
}

export function findQuestion(bank: Bank, id: string): Question {
  const question = bank.questions.find((q) => q.id === id);
  if (question) return question;
  const guess = suggest(id, bank.questions.map((q) => q.id));
  throw new UsageError(
    `Unknown question id "${id}".${guess ? ` Did you mean "${guess}"?` : ''}`,
    'List ids with: django-drill list <topic>',
  );
}

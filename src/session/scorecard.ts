/**
 * The interview's scorecard from its answers: per topic, overall, the signal and the answers
 * to rework. Pure data (the terminal and the Markdown report render it: render/report.ts), and
 * the schema of `interview --json`.
 */
import { parentIdOf } from '../questions/follow-ups.js';
import type { Level } from './interview.js';
import { compositeScore, signalOf, type Signal } from './interview.js';
import type { InterviewEntry } from './policies/interview.js';

export interface TopicCard {
  topic: string;
  /** Main questions answered. */
  questions: number;
  /** Mean score of the main questions, 0..1. */
  score: number;
  followUps: { asked: number; /** answered at ≥ 67 %: the interviewer could dig deeper */ deep: number };
  usedSec: number;
  allottedSec: number;
}

export interface ReworkItem {
  id: string;
  title: string;
  topic: string;
  score: number;
  /** The command that drills it again. */
  command: string;
}

export interface Scorecard {
  version: 1;
  level: Level;
  minutes: number;
  seed: number;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  /** The clock ran out before the last question. */
  timeUp: boolean;
  /** Ended with `q` before the last question. */
  endedEarly: boolean;
  topics: TopicCard[];
  overall: { questions: number; followUps: number; score: number; followUpScore: number | null; composite: number };
  signal: Signal;
  rework: ReworkItem[];
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round2 = (n: number) => Math.round(n * 100) / 100;

export interface ScorecardInput {
  entries: readonly InterviewEntry[];
  level: Level;
  minutes: number;
  seed: number;
  startedAt: string;
  endedAt: string;
  interrupted: boolean;
  timeUp: boolean;
  endedEarly: boolean;
}

export function scorecardOf(input: ScorecardInput): Scorecard {
  const { entries } = input;
  const byTopic = new Map<string, InterviewEntry[]>();
  for (const e of entries) {
    const list = byTopic.get(e.result.question.topic) ?? [];
    list.push(e);
    byTopic.set(e.result.question.topic, list);
  }
  const topics: TopicCard[] = [...byTopic].map(([topic, list]) => {
    const main = list.filter((e) => !e.result.parent);
    const follow = list.filter((e) => e.result.parent);
    return {
      topic,
      questions: main.length,
      score: round2(mean(main.map((e) => e.result.grade.score))),
      followUps: { asked: follow.length, deep: follow.filter((e) => e.result.grade.score >= 0.67).length },
      usedSec: Math.round(list.reduce((s, e) => s + e.result.durationMs, 0) / 1000),
      allottedSec: list.reduce((s, e) => s + e.allottedSec, 0),
    };
  });
  const main = entries.filter((e) => !e.result.parent).map((e) => e.result.grade.score);
  const follow = entries.filter((e) => e.result.parent).map((e) => e.result.grade.score);
  // The 3 weakest answers below 100 %, main questions and follow-ups alike, one per question
  // (a follow-up stands for its question: drilling that question asks it again).
  const seen = new Set<string>();
  const rework = [...entries]
    .filter((e) => e.result.grade.score < 1)
    .sort((a, b) => a.result.grade.score - b.result.grade.score)
    .filter((e) => {
      const parent = parentIdOf(e.result.question.id);
      if (seen.has(parent)) return false;
      seen.add(parent);
      return true;
    })
    .slice(0, 3)
    .map((e): ReworkItem => {
      const q = e.result.question;
      return { id: q.id, title: q.title, topic: q.topic, score: e.result.grade.score, command: `django-drill drill ${q.topic} --id ${parentIdOf(q.id)}` };
    });
  return {
    version: 1,
    level: input.level,
    minutes: input.minutes,
    seed: input.seed,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    interrupted: input.interrupted,
    timeUp: input.timeUp,
    endedEarly: input.endedEarly,
    topics,
    overall: {
      questions: main.length,
      followUps: follow.length,
      score: round2(mean(main)),
      followUpScore: follow.length > 0 ? round2(mean(follow)) : null,
      composite: round2(compositeScore(main, follow)),
    },
    signal: signalOf(main, follow),
    rework,
  };
}

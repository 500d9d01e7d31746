/**
 * Answered follow-ups as questions of their own: asked, graded, saved and scheduled like any
 * question, under the id `<parent id>#<n>` (see parse.ts parseFollowUps).
 */
import type { FollowUp, Question } from '../types.js';

export type AnsweredFollowUp = FollowUp & { id: string; answer: string };

export function answeredFollowUps(question: Question): AnsweredFollowUp[] {
  return question.followUps.filter((f): f is AnsweredFollowUp => f.id !== undefined && f.answer !== undefined);
}

/** Seconds a follow-up gets under a clock: half its question's time, at least 45. */
export function followUpSeconds(parent: Question): number {
  return Math.max(45, Math.round((parent.time ?? 120) / 2));
}

/** The follow-up as an open question of its parent's topic and level. */
export function followUpQuestion(parent: Question, followUp: AnsweredFollowUp): Question {
  return {
    id: followUp.id,
    topic: parent.topic,
    title: followUp.question,
    difficulty: parent.difficulty,
    tags: parent.tags,
    type: 'open',
    time: followUpSeconds(parent),
    keypoints: followUp.keypoints,
    choices: [],
    prompt: followUp.question,
    answer: followUp.answer,
    followUps: [],
    file: parent.file,
  };
}

/** `a#2` → `a`; an id without `#` is its own parent. */
export function parentIdOf(id: string): string {
  const at = id.indexOf('#');
  return at === -1 ? id : id.slice(0, at);
}

/**
 * The mock interview's policy: the picked questions in order, each followed by 0–2 chained
 * follow-ups (session/interview.ts firstFollowUp / nextFollowUp), one clock for the whole
 * interview shown in every prompt, and an end when that clock runs out: the question on screen
 * is revealed and graded, then the scorecard follows.
 */
import { answeredFollowUps, followUpQuestion, followUpSeconds } from '../../questions/follow-ups.js';
import type { Question } from '../../types.js';
import type { Clock, NextAction } from '../../ui/index.js';
import { firstFollowUp, nextFollowUp } from '../interview.js';
import type { AnswerResult, SessionPolicy, Turn } from '../loop.js';
import { DEFAULT_SECONDS } from './queue.js';

/** One answer of the interview with the time it was given (for the scorecard and the report). */
export interface InterviewEntry {
  result: AnswerResult;
  allottedSec: number;
  /** Place of the follow-up among its question's answered follow-ups (0-based), for a follow-up. */
  followUpIndex?: number;
}

interface Pending {
  turn: Turn;
  index: number;
  /** How many follow-ups of this question have been asked, this one included. */
  asked: number;
}

export class InterviewPolicy implements SessionPolicy {
  readonly mode = 'interview' as const;
  readonly entries: InterviewEntry[] = [];
  private position = 0;
  private presented = 0;
  private pending: Pending | undefined;
  private current: Pending | undefined;
  /** The clock ran out: no new question or follow-up. */
  timeUp = false;

  constructor(
    private readonly questions: readonly Question[],
    readonly topics: readonly string[],
    private readonly totalSec: number,
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every picked question was asked (and no follow-up is waiting). */
  get finished(): boolean {
    return this.position >= this.questions.length && this.pending === undefined;
  }

  get asked(): number {
    return this.presented;
  }

  /** Seconds left on the interview clock. */
  secondsLeft(): number {
    return Math.max(0, this.totalSec - (this.now() - this.startedAt) / 1000);
  }

  next(): Turn | undefined {
    if (this.secondsLeft() <= 0) this.timeUp = true;
    if (this.timeUp) return undefined;
    this.current = this.pending;
    this.pending = undefined;
    if (this.current) {
      this.presented += 1;
      return this.current.turn;
    }
    const question = this.questions[this.position];
    if (!question) return undefined;
    this.position += 1;
    this.presented += 1;
    return { question, reask: false, counter: `${this.position}/${this.questions.length}` };
  }

  clock(): Clock {
    return { limitSec: this.totalSec, startedAt: this.startedAt, label: 'in the interview' };
  }

  answered(turn: Turn, result: AnswerResult): string[] {
    const parent = turn.parent ?? turn.question;
    const followUps = answeredFollowUps(parent);
    const allottedSec = turn.parent ? followUpSeconds(parent) : (turn.question.time ?? DEFAULT_SECONDS);
    const entry: InterviewEntry = { result, allottedSec };
    if (turn.parent && this.current) entry.followUpIndex = this.current.index;
    this.entries.push(entry);
    const lines: string[] = [];
    if (result.durationMs > allottedSec * 1000) lines.push(`Over pace: ${Math.round(result.durationMs / 1000)}s of about ${allottedSec}s.`);
    const score = result.grade.score;
    const nextIndex = turn.parent && this.current
      ? nextFollowUp(this.current.index, score, this.current.asked, followUps.length)
      : firstFollowUp(score, followUps.length);
    const asked = turn.parent && this.current ? this.current.asked + 1 : 1;
    if (nextIndex === undefined || this.secondsLeft() <= 0) {
      if (!turn.parent && followUps.length > 0 && score < 0.34) lines.push('The interviewer moves on.');
      return lines;
    }
    const followUp = followUps[nextIndex];
    if (followUp) {
      const main = turn.parent ? this.mainCounter() : turn.counter;
      this.pending = { turn: { question: followUpQuestion(parent, followUp), parent, reask: false, counter: `${main} · follow-up` }, index: nextIndex, asked };
    }
    return lines;
  }

  private mainCounter(): string {
    return `${this.position}/${this.questions.length}`;
  }

  afterKeys(): { followUps: boolean; last: boolean } {
    return { followUps: false, last: this.pending === undefined && this.position >= this.questions.length };
  }

  after(_turn: Turn, action: NextAction): undefined {
    // s: skip the follow-ups of this question and go to the next one.
    if (action === 'skip') this.pending = undefined;
    return undefined;
  }
}

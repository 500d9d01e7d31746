/**
 * The policy of drill, warmup and today: a fixed list of questions, one re-ask at the end for
 * an answer rated `again` (SessionQueue), and `f` after an answer asks that question's answered
 * follow-ups one by one (and lists the ones without an answer).
 */
import { answeredFollowUps, followUpQuestion, followUpSeconds } from '../../questions/follow-ups.js';
import type { Mode, Question } from '../../types.js';
import type { Clock, NextAction } from '../../ui/index.js';
import { SessionQueue } from '../engine.js';
import type { AnswerResult, SessionPolicy, Turn } from '../loop.js';

export const DEFAULT_SECONDS = 120;

export interface QueuePlan {
  mode: Mode;
  topics: readonly string[];
  questions: readonly Question[];
  /** Most questions to present, re-asks included. */
  limit: number;
  /** `--timed`: seconds per question, or 'question' to use each question's `time` (120 s default). */
  timed?: number | 'question';
}

export class QueuePolicy implements SessionPolicy {
  readonly mode: Mode;
  readonly topics: readonly string[];
  private readonly queue: SessionQueue;
  private readonly followUps: Turn[] = [];
  private requeued = false;

  constructor(private readonly plan: QueuePlan) {
    this.mode = plan.mode;
    this.topics = plan.topics;
    this.queue = new SessionQueue(plan.questions, plan.limit);
  }

  get asked(): number {
    return this.queue.asked;
  }

  next(): Turn | undefined {
    const followUp = this.followUps.shift();
    if (followUp) return followUp;
    const question = this.queue.next();
    if (!question) return undefined;
    return { question, reask: this.queue.isReask(question), counter: `${this.queue.asked}/${this.queue.total}` };
  }

  clock(turn: Turn, startedAt: number): Clock | undefined {
    const { timed } = this.plan;
    if (timed === undefined) return undefined;
    if (turn.parent) return { limitSec: followUpSeconds(turn.parent), startedAt };
    return { limitSec: timed === 'question' ? (turn.question.time ?? DEFAULT_SECONDS) : timed, startedAt };
  }

  answered(turn: Turn, result: AnswerResult): string[] {
    this.requeued = false;
    if (turn.parent) return [];
    this.requeued = this.queue.graded(turn.question, result.grade.rating);
    return this.requeued ? ['It will come back once more at the end of this session.'] : [];
  }

  afterKeys(turn: Turn): { followUps: boolean; last: boolean } {
    return { followUps: !turn.parent && turn.question.followUps.length > 0, last: this.followUps.length === 0 && this.queue.remaining === 0 };
  }

  after(turn: Turn, action: NextAction): { list?: string; queued: number } | undefined {
    if (action === 'skip' && this.requeued) this.queue.drop(turn.question);
    if (action !== 'followups' || turn.parent) return undefined;
    const parent = turn.question;
    const plain = parent.followUps.filter((f) => f.answer === undefined);
    const answered = answeredFollowUps(parent);
    answered.forEach((f, i) => {
      this.followUps.push({ question: followUpQuestion(parent, f), parent, reask: false, counter: `${turn.counter} · follow-up ${i + 1}/${answered.length}` });
    });
    const list = plain.length > 0 ? plain.map((f) => `- ${f.question}`).join('\n') : undefined;
    return { ...(list ? { list } : {}), queued: answered.length };
  }
}

/**
 * `<home>/plan.json`: the interview date, daily minutes and topics. Kept beside scores.json, not
 * inside it, so that the plan is written whole on its own (it is tiny) and a django-drill that
 * knows nothing of plans never reads or rewrites it. Same guarantees as scores.json: written
 * atomically (temp file, fsync, rename) under the store's lock, mode 0600; a file that does not
 * parse is moved aside as `plan.json.corrupt-<time>`, never overwritten; a plan from a newer
 * django-drill is refused and left untouched.
 */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DrillError } from '../errors.js';
import { atomicWrite, fsyncDir, isCode, moveAside, removeOrphanTempFiles } from '../store/files.js';

export const PLAN_VERSION = 1;

export interface Plan {
  version: typeof PLAN_VERSION;
  /** The interview day, `YYYY-MM-DD` (local). */
  date: string;
  dailyMinutes: number;
  /** Topic names; the bank's topics at the time the plan was made. */
  topics: string[];
  /** When the plan was made (ISO): days since then without an answer are missed days. */
  createdAt: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The plan in `raw`, or why it is not one. */
export function checkPlan(raw: unknown): { plan: Plan } | { problem: string; newer?: number } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: 'not a JSON object' };
  const p = raw as Record<string, unknown>;
  if (typeof p.version === 'number' && p.version > PLAN_VERSION) return { problem: `version ${p.version}`, newer: p.version };
  if (p.version !== PLAN_VERSION) return { problem: 'version is not 1' };
  if (typeof p.date !== 'string' || !DAY.test(p.date)) return { problem: 'date is not YYYY-MM-DD' };
  if (typeof p.dailyMinutes !== 'number' || !Number.isInteger(p.dailyMinutes) || p.dailyMinutes < 1 || p.dailyMinutes > 600) return { problem: 'dailyMinutes is not 1-600' };
  if (!Array.isArray(p.topics) || !p.topics.every((t) => typeof t === 'string')) return { problem: 'topics is not a list of names' };
  if (typeof p.createdAt !== 'string' || Number.isNaN(Date.parse(p.createdAt))) return { problem: 'createdAt is not a date' };
  return { plan: { version: PLAN_VERSION, date: p.date, dailyMinutes: p.dailyMinutes, topics: [...(p.topics as string[])], createdAt: p.createdAt } };
}

export class PlanStore {
  readonly path: string;

  constructor(
    private readonly home: string,
    private readonly warn: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
    private readonly lockTimeoutMs = 5000,
  ) {
    this.path = join(home, 'plan.json');
  }

  private async locked<T>(task: () => Promise<T>): Promise<T> {
    await mkdir(this.home, { recursive: true, mode: 0o700 });
    const { acquireLock } = await import('../store/lock.js');
    let lock;
    try {
      lock = await acquireLock(this.path, this.lockTimeoutMs);
    } catch (error) {
      if ((error as Error).name === 'LockTimeoutError') {
        throw new DrillError(`Another django-drill is writing the plan (lock held: ${this.path}.lock)`, { hint: 'Try again in a moment.' });
      }
      throw error;
    }
    try {
      return await task();
    } finally {
      await lock.release();
    }
  }

  private newer(version: number): DrillError {
    return new DrillError(`plan.json was written by a newer django-drill (version ${version}); this one knows version ${PLAN_VERSION}.`, {
      hint: 'Upgrade django-drill (npx django-drill@latest). The file was left untouched.',
    });
  }

  /** The plan, or undefined when there is none (a corrupt file is moved aside with a warning). */
  async read(): Promise<Plan | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw new DrillError(`Could not read ${this.path}: ${(error as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const checked = raw === undefined ? { problem: 'not valid JSON' } : checkPlan(raw);
    if ('plan' in checked) return checked.plan;
    if (checked.newer !== undefined) throw this.newer(checked.newer);
    return this.locked(async () => {
      const target = await moveAside(this.path, 'corrupt', this.now()).catch((error: unknown) => {
        if (isCode(error, 'ENOENT')) return undefined;
        throw error;
      });
      if (target) this.warn(`plan.json was unreadable (${checked.problem}); moved it to ${target}. Make a new plan with: django-drill plan --date YYYY-MM-DD`);
      return undefined;
    });
  }

  async write(plan: Plan): Promise<void> {
    await this.locked(async () => {
      // Never replace a plan this version cannot read, nor a broken one (it is moved aside).
      const current = await readFile(this.path, 'utf8').catch(() => undefined);
      if (current !== undefined) {
        let raw: unknown;
        try {
          raw = JSON.parse(current);
        } catch {
          raw = undefined;
        }
        const checked = raw === undefined ? { problem: 'not valid JSON' } : checkPlan(raw);
        if ('newer' in checked && checked.newer !== undefined) throw this.newer(checked.newer);
        if (!('plan' in checked)) {
          const target = await moveAside(this.path, 'corrupt', this.now());
          this.warn(`plan.json was unreadable (${checked.problem}); moved it to ${target}.`);
        }
      }
      await removeOrphanTempFiles(this.path);
      await atomicWrite(this.path, `${JSON.stringify(plan, null, 2)}\n`, 0o600);
      await fsyncDir(this.home);
    });
  }

  /** Removes the plan; false when there was none. */
  async clear(): Promise<boolean> {
    return this.locked(async () => {
      try {
        await unlink(this.path);
        return true;
      } catch (error) {
        if (isCode(error, 'ENOENT')) return false;
        throw error;
      }
    });
  }
}

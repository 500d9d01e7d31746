/**
 * A second django-drill, for the tests that need real processes: bundled by child.ts with
 * esbuild and run with node. Usage: saver-child <mode> <home> [args...]
 *
 *   loop <home> <tag>              save one attempt after another forever; print
 *                                  `saved <identity>` once each record() has resolved
 *   batch <home> <tag> <n> <qid>   print `ready`, wait for `go` on stdin, save n attempts
 *                                  (alternating <qid> and one of its own), print `done <t0> <t1>`
 *   hold <home>                    take the store's lock, print `locked`, keep it until killed
 *   once <home>                    save one attempt, print the outcome as JSON
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { DrillError } from '../../src/errors.js';
import { ScoresStore } from '../../src/store/index.js';
import { acquireLock } from '../../src/store/lock.js';
import type { Attempt } from '../../src/types.js';

const [mode, home, ...args] = process.argv.slice(2);
if (!mode || !home) throw new Error('usage: saver-child <mode> <home> [args...]');

const out = (line: string): void => {
  // stdout is a pipe: synchronous on Linux, so the line is out before the next save starts.
  process.stdout.write(`${line}\n`);
};

function attempt(sessionId: string, questionId: string, at: Date, i: number): Attempt {
  return {
    questionId,
    topic: 'orm',
    at: at.toISOString(),
    score: [0, 0.4, 0.7, 1][i % 4] ?? 0,
    rating: (['again', 'hard', 'good', 'easy'] as const)[i % 4] ?? 'again',
    keypointsHit: [0],
    durationMs: 1000 + i,
    sessionId,
    mode: 'drill',
  };
}

const store = (): ScoresStore =>
  new ScoresStore({ home, lockTimeoutMs: 20_000, warn: (line) => process.stderr.write(`${line}\n`) });

switch (mode) {
  case 'loop': {
    const tag = args[0] ?? 'loop';
    const s = store();
    const t0 = Date.now();
    for (let i = 0; ; i++) {
      const a = attempt(tag, `q-${i % 5}`, new Date(t0 + i * 1000), i);
      await s.record({
        attempts: [a],
        session: { id: tag, mode: 'drill', topics: ['orm'], startedAt: new Date(t0).toISOString(), asked: i + 1, answered: i + 1, score: 0.5 },
      });
      out(`saved ${a.sessionId}|${a.questionId}|${a.at}`);
    }
  }
  case 'batch': {
    const [tag = 'batch', count = '50', shared = 'q-shared'] = args;
    const s = store();
    out('ready');
    process.stdin.setEncoding('utf8');
    await once(process.stdin, 'data');
    const t0 = Date.now();
    for (let i = 0; i < Number(count); i++) {
      const questionId = i % 2 === 0 ? shared : `q-${tag}`;
      await s.record({ attempts: [attempt(tag, questionId, new Date(Date.UTC(2026, 0, 1) + i * 60_000), i)] });
      // A person pauses between answers; without it one process could take every turn.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
    }
    out(`done ${t0} ${Date.now()}`);
    process.stdin.destroy();
    break;
  }
  case 'hold': {
    await acquireLock(join(home, 'scores.json'), 5000);
    out('locked');
    setInterval(() => undefined, 60_000);
    break;
  }
  case 'once': {
    try {
      const data = await store().record({ attempts: [attempt('once', 'q-once', new Date(), 0)] });
      out(JSON.stringify({ ok: true, attempts: data.attempts.length }));
    } catch (err) {
      if (!(err instanceof DrillError)) throw err;
      out(JSON.stringify({ ok: false, message: err.message, hint: err.hint, exitCode: err.exitCode }));
    }
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}

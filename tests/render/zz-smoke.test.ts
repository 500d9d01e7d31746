import { test } from 'vitest';
import { computeStats, localDayCounter } from '../../src/session/stats.js';
import { attempt, makeBank } from '../stats/fixtures.js';
test('x', () => {
  const bank = makeBank(); const ids = bank.questions.map(q=>q.id);
  const NOW = new Date('2026-11-25T12:00:00Z');
  const attempts:any[] = []; const start = NOW.getTime() - 2*365*86400000;
  for (let i = 0; i < 100000; i++) attempts.push(attempt(ids[i % ids.length]!, new Date(start + i*631000).toISOString(), (i%4)/3, { sessionId: `s${Math.floor(i/10)}` }));
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    computeStats({ bank, scores: { version: 1, attempts, cards: {}, sessions: [] }, now: NOW, timeZone: 'Europe/Berlin' });
    console.log('compute', performance.now() - t);
    t = performance.now(); let x = 0; for (const a of attempts) x += Date.parse(a.at); console.log('parse', performance.now() - t);
    t = performance.now(); const f = localDayCounter('Europe/Berlin'); for (const a of attempts) x += f(Date.parse(a.at)); console.log('days', performance.now() - t);
  }
});

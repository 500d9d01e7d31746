import { test } from 'vitest';
import { computeStats } from '../../src/session/stats.js';
import { renderStats } from '../../src/render/stats.js';
import { attempt, makeBank, makeScores } from '../stats/fixtures.js';
test('x', async () => {
  const at: any[] = [];
  const base = Date.parse('2026-11-25T10:00:00Z');
  for (let d = 0; d < 80; d += (d % 5 === 0 ? 2 : 1)) {
    for (let k = 0; k < (d * 7) % 5; k++) at.push(attempt(['orm-one','orm-two','models-one','views-one'][k % 4]!, new Date(base - d * 86400000 - k * 60000).toISOString(), (k % 3) / 2));
  }
  const s = computeStats({ bank: makeBank(), scores: makeScores(at), now: new Date(base + 3600000), timeZone: 'Europe/Paris' });
  console.log(renderStats(s, { color: false }));
  const chalk = (await import('chalk')).default; chalk.level = 1;
  console.log(renderStats(s, { color: true }));
});

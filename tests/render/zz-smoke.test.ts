import { test } from 'vitest';
import { renderStats } from '../../src/render/stats.js';
import { computeStats } from '../../src/session/stats.js';
import { attempt, makeBank, makeScores, question, topic } from '../stats/fixtures.js';
test('x', () => {
  const NOW = new Date('2026-11-25T12:00:00Z');
  const bank = makeBank();
  bank.topics.push(topic('authentication-and-permissions', 'Authentication and permissions'));
  bank.questions.push(question('authentication-and-permissions-custom-user-model-swappable-settings', 'authentication-and-permissions', { title: 'Why should every new project start with a custom user model, and what breaks if you switch later?' }));
  const ids = bank.questions.map((q) => q.id); const history: any[] = [];
  for (let day = 0; day < 90; day++) for (let k = 0; k < (day * 7) % 6; k++) history.push(attempt(ids[(day + k) % ids.length]!, new Date(NOW.getTime() - day * 86400000 - k * 600000).toISOString(), ((day + k) % 4) / 3, { durationMs: 1234567 }));
  console.log(renderStats(computeStats({ bank, scores: makeScores(history), now: NOW, timeZone: 'UTC' }), { color: false }));
  console.log(renderStats(computeStats({ bank, scores: makeScores(history), now: NOW, timeZone: 'UTC' }), { color: false, width: 60 }));
});

/** Writes the plan again and again until killed (for the kill-mid-write test). Usage: <home> */
import { PlanStore } from '../../src/plan/store.js';

const home = process.argv[2];
if (!home) throw new Error('usage: plan-writer-child <home>');
const store = new PlanStore(home, () => undefined);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  await store.write({ version: 1, date: '2026-12-10', dailyMinutes: 1 + (i % 500), topics: ['orm'], createdAt: new Date().toISOString() });
}

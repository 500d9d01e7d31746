/** doctor: a read-only report on a healthy, a salvageable and a newer-version data folder. */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeBank } from '../helpers.js';
import { cleanEnv, ROOT, run } from './harness.js';

let home: string;
let data: string;
let env: Record<string, string>;
let bank: string;
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'scores');

beforeEach(() => {
  home = tempDir('home-');
  data = join(home, '.django-drill');
  mkdirSync(data, { mode: 0o700 });
  env = cleanEnv(home);
  bank = writeBank({ orm: [{ id: 'orm-one' }] });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(bank, { recursive: true, force: true });
});

interface Report {
  healthy: boolean;
  findings: { area: string; level: string; message: string; fix?: string }[];
}

const doctor = async () => {
  const r = await run(['doctor', '--json', '--questions', bank], env);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};

describe('doctor', () => {
  it('a healthy folder: exit 0, every finding ok or info', async () => {
    copyFileSync(join(FIXTURES, 'valid-v1.json'), join(data, 'scores.json'));
    const { code, report } = await doctor();
    expect(code).toBe(0);
    expect(report.healthy).toBe(true);
    expect(report.findings.find((f) => f.area === 'scores')?.message).toMatch(/^scores\.json: 4 answers, 3 cards, 3 sessions; .*version 1 \(upgraded on the next save/);
    const human = await run(['doctor', '--questions', bank], env);
    expect(human.stdout).toContain('Nothing needs your attention.');
  });

  it('a folder with a bad record: exit 1, the fix named, and nothing written', async () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'valid-v1.json'), 'utf8'));
    doc.attempts[1].score = 'high';
    writeFileSync(join(data, 'scores.json'), JSON.stringify(doc));
    const before = readdirSync(data).sort();
    const { code, report } = await doctor();
    expect(code).toBe(1);
    const finding = report.findings.find((f) => f.level === 'attention');
    expect(finding?.message).toMatch(/1 bad record .*3 answers can be kept/);
    expect(finding?.fix).toContain('stats');
    expect(readdirSync(data).sort()).toEqual(before);
    expect(JSON.parse(readFileSync(join(data, 'scores.json'), 'utf8')).attempts[1].score).toBe('high');
  });

  it('a file from a newer django-drill: exit 1, upgrade advised, file untouched', async () => {
    copyFileSync(join(FIXTURES, 'newer-version.json'), join(data, 'scores.json'));
    const { code, report } = await doctor();
    expect(code).toBe(1);
    expect(report.findings.find((f) => f.area === 'scores')?.message).toContain('newer django-drill');
    expect(readFileSync(join(data, 'scores.json'))).toEqual(readFileSync(join(FIXTURES, 'newer-version.json')));
  });
});

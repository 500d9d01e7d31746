/**
 * `django-drill doctor`: a read-only report of the data folder — scores.json (records, size,
 * version, files kept beside it), the study plan, the lock, the caches, and the bank in use —
 * each finding with the step that fixes it. Exit 1 when something needs the user's attention.
 * It never writes, moves or repairs anything (the commands that use the data do, and say so).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
import type { Context } from '../context.js';
import { DrillError } from '../errors.js';
import { fileStamp } from '../file-stamp.js';
import { checkPlan } from '../plan/store.js';
import { loadPaths } from '../questions/load.js';
import { plural } from '../render/format.js';
import { terminalSafeJson } from '../render/sanitize.js';
import { readCachedColumns } from '../store/columns-cache.js';
import { NewerVersionError } from '../store/migrate.js';
import { parseScores } from '../store/index.js';
import { SCORES_VERSION } from '../types.js';

export type Level = 'ok' | 'info' | 'attention';

export interface Finding {
  area: 'folder' | 'scores' | 'plan' | 'lock' | 'cache' | 'bank';
  level: Level;
  message: string;
  /** The command or step that fixes it. */
  fix?: string;
}

export interface DoctorReport {
  version: 1;
  home: string;
  healthy: boolean;
  findings: Finding[];
}

const kb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function scoresFindings(home: string, names: string[]): Finding[] {
  const path = join(home, 'scores.json');
  const findings: Finding[] = [];
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    findings.push({ area: 'scores', level: 'info', message: 'No scores.json yet: nothing answered in this folder.' });
  }
  if (text !== undefined) {
    const size = kb(statSync(path).size);
    try {
      const parsed = parseScores(text);
      if (parsed.ok) {
        const { attempts, cards, sessions } = parsed.data;
        const from = parsed.migratedFrom === undefined ? `version ${SCORES_VERSION}` : `version ${parsed.migratedFrom} (upgraded on the next save, with a backup)`;
        findings.push({ area: 'scores', level: 'ok', message: `scores.json: ${plural(attempts.length, 'answer')}, ${plural(Object.keys(cards).length, 'card')}, ${plural(sessions.length, 'session')}; ${size}; ${from}.` });
      } else if (parsed.salvaged) {
        const bad = parsed.salvaged.rejected.length;
        findings.push({
          area: 'scores',
          level: 'attention',
          message: `scores.json has ${plural(bad, 'bad record')} (${parsed.reason}); ${plural(parsed.salvaged.data.attempts.length, 'answer')} can be kept.`,
          fix: 'Run any command that reads it (django-drill stats): it keeps the valid records and writes the bad ones to scores.json.rejected-<time>.',
        });
      } else {
        findings.push({ area: 'scores', level: 'attention', message: `scores.json cannot be read (${parsed.reason}); nothing in it can be salvaged.`, fix: 'Restore it from a backup (scores.json.bak-*), or let django-drill move it aside with the next command.' });
      }
    } catch (error) {
      if (!(error instanceof NewerVersionError)) throw error;
      findings.push({ area: 'scores', level: 'attention', message: error.message, fix: error.hint ?? 'Upgrade django-drill.' });
    }
  }
  const kept = (label: string) => names.filter((n) => n.startsWith(`scores.json.${label}`));
  for (const [label, what, fix] of [
    ['corrupt', (n: number) => `${plural(n, 'copy', 'copies')} of scores.json set aside (unreadable or damaged)`, 'Compare them with scores.json; delete them once you have what you need.'],
    ['rejected', (n: number) => `${plural(n, 'file')} of rejected records`, 'Read the reasons inside; fix and merge by hand what you want back, then delete them.'],
    ['bak', (n: number) => `${plural(n, 'backup')} (from reset or upgrades)`, 'Delete old ones you no longer need.'],
  ] as const) {
    const files = kept(label);
    if (files.length === 0) continue;
    findings.push({ area: 'scores', level: label === 'bak' ? 'info' : 'attention', message: `${what(files.length)}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`, fix });
  }
  return findings;
}

function planFinding(home: string): Finding | undefined {
  let text: string;
  try {
    text = readFileSync(join(home, 'plan.json'), 'utf8');
  } catch {
    return { area: 'plan', level: 'info', message: 'No study plan.', fix: 'django-drill plan --date YYYY-MM-DD' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { area: 'plan', level: 'attention', message: 'plan.json does not parse.', fix: 'Make the plan again: django-drill plan --date YYYY-MM-DD (the broken file is moved aside).' };
  }
  const checked = checkPlan(raw);
  if ('plan' in checked) return { area: 'plan', level: 'ok', message: `Study plan: interview on ${checked.plan.date}, ${checked.plan.dailyMinutes} min a day.` };
  if (checked.newer !== undefined) return { area: 'plan', level: 'attention', message: `plan.json is from a newer django-drill (version ${checked.newer}).`, fix: 'Upgrade django-drill.' };
  return { area: 'plan', level: 'attention', message: `plan.json is not valid (${checked.problem}).`, fix: 'Make the plan again: django-drill plan --date YYYY-MM-DD.' };
}

function lockFinding(home: string): Finding | undefined {
  const lock = join(home, 'scores.json.lock');
  let owner: { pid?: number; host?: string } = {};
  try {
    statSync(lock);
  } catch {
    return undefined;
  }
  try {
    owner = JSON.parse(readFileSync(join(lock, 'owner.json'), 'utf8')) as typeof owner;
  } catch {
    // no note
  }
  let alive = false;
  if (typeof owner.pid === 'number') {
    try {
      process.kill(owner.pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  if (alive) return { area: 'lock', level: 'info', message: `scores.json is locked by django-drill pid ${owner.pid}, which is running.` };
  return { area: 'lock', level: 'info', message: 'A lock left by a django-drill that is gone: the next save breaks it by itself.', fix: `Nothing to do (or remove ${lock}).` };
}

function cacheFinding(home: string): Finding {
  const dir = join(home, 'cache');
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        files += 1;
        bytes += statSync(path).size;
      }
    }
  };
  try {
    walk(dir);
  } catch {
    return { area: 'cache', level: 'info', message: 'No caches yet (they are made as you use django-drill).' };
  }
  let history = '';
  try {
    const st = statSync(join(home, 'scores.json'));
    history = readCachedColumns(home, fileStamp(st)) ? '; the history cache is current' : '; the history cache is out of date (rebuilt on the next stats)';
  } catch {
    // no scores yet
  }
  return { area: 'cache', level: 'ok', message: `Caches: ${plural(files, 'file')}, ${kb(bytes)}${history}. Safe to delete at any time: ${dir}` };
}

export async function doctorReport(ctx: Context): Promise<DoctorReport> {
  const home = ctx.opts.home;
  const findings: Finding[] = [];
  let names: string[] = [];
  try {
    const st = statSync(home);
    names = readdirSync(home);
    const open = (st.mode & 0o077) !== 0;
    findings.push({
      area: 'folder',
      level: open ? 'attention' : 'ok',
      message: `Data folder ${home}${open ? ` is readable by others (mode ${(st.mode & 0o777).toString(8)})` : ''}.`,
      ...(open ? { fix: `chmod 700 ${home}` } : {}),
    });
  } catch {
    findings.push({ area: 'folder', level: 'info', message: `No data folder yet at ${home} (made on the first answer).` });
  }
  findings.push(...scoresFindings(home, names));
  const plan = planFinding(home);
  if (plan) findings.push(plan);
  const lock = lockFinding(home);
  if (lock) findings.push(lock);
  findings.push(cacheFinding(home));
  const bank = await loadPaths(ctx.opts.questions);
  const problems = bank.problems.length;
  findings.push({
    area: 'bank',
    level: problems > 0 ? 'attention' : 'ok',
    message: `Bank: ${plural(bank.bank.questions.length, 'question')} in ${plural(bank.bank.topics.length, 'topic')}${problems > 0 ? `, ${plural(problems, 'problem')}` : ', no problems'}.`,
    ...(problems > 0 ? { fix: 'django-drill validate lists them as file:line: message.' } : {}),
  });
  return { version: 1, home, healthy: !findings.some((f) => f.level === 'attention'), findings };
}

export async function doctorCommand(ctx: Context): Promise<void> {
  const report = await doctorReport(ctx);
  if (ctx.opts.json) ctx.out(terminalSafeJson(report));
  else {
    const mark = { ok: chalk.green('✓'), info: chalk.dim('·'), attention: chalk.yellow('!') };
    for (const f of report.findings) {
      ctx.out(`${mark[f.level]} ${f.message}`);
      if (f.fix && f.level === 'attention') ctx.out(`  ${chalk.dim('fix:')} ${f.fix}`);
    }
    ctx.out(report.healthy ? chalk.green('\nNothing needs your attention.') : chalk.yellow('\nSomething needs your attention (see ! above).'));
  }
  if (!report.healthy) throw new DrillError('', { exitCode: 1 });
}

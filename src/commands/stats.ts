/**
 * `django-drill stats [topics...]`: mastery per topic, totals, streak, heatmap, weakest questions.
 *
 * `--json` prints one document, version 1. Its shape is public (scripts read it); add fields,
 * never rename or remove them:
 *
 *   {
 *     "version": 1,
 *     "generatedAt": ISO timestamp,
 *     "topics": [{ "topic", "title", "mastery" 0..1, "seen", "total", "due",
 *                  "accuracy30d" 0..1 or null (no answers in 30 days), "readiness" ready|shaky|weak }],
 *     "totals": { "attempts", "sessions", "totalTimeMs", "streak": { "current", "best" } },
 *     "heatmap": { "start", "end", "days": [{ "date", "count" }] × 84 } — days are local
 *                calendar days (YYYY-MM-DD) in the machine's time zone, the last one today,
 *     "weakest": [{ "id", "topic", "title", "mastery", "lastScore" }] (up to 5),
 *     "interviews": [{ "at" ISO start, "signal" strong|lean yes|lean no|not yet }] (latest 5, newest first)
 *   }
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
import type { Context } from '../context.js';
import { resolveTopics } from '../questions/bank.js';
import { terminalSafeJson } from '../render/sanitize.js';
import { renderStats } from '../render/stats.js';
import { computeStats, type Stats } from '../session/stats.js';
import type { Readiness } from '../srs/curve.js';
import { loadBankWithWarnings } from './common.js';

export const STATS_JSON_VERSION = 1;

export interface StatsJson {
  version: typeof STATS_JSON_VERSION;
  generatedAt: string;
  topics: {
    topic: string;
    title: string;
    mastery: number;
    seen: number;
    total: number;
    due: number;
    accuracy30d: number | null;
    readiness: Readiness;
  }[];
  totals: { attempts: number; sessions: number; totalTimeMs: number; streak: { current: number; best: number } };
  heatmap: { start: string; end: string; days: { date: string; count: number }[] };
  weakest: { id: string; topic: string; title: string; mastery: number; lastScore: number }[];
  interviews: { at: string; signal: string }[];
}

// Four decimals: plenty for a fraction, and no 0.30000000000000004 noise in scripts' diffs.
const round = (n: number): number => Math.round(n * 10_000) / 10_000;

export function statsToJson(stats: Stats): StatsJson {
  return {
    version: STATS_JSON_VERSION,
    generatedAt: stats.generatedAt,
    topics: stats.topics.map((t) => ({
      topic: t.topic.name,
      title: t.topic.title,
      mastery: round(t.mastery),
      seen: t.seen,
      total: t.total,
      due: t.due,
      accuracy30d: t.accuracy30d === null ? null : round(t.accuracy30d),
      readiness: t.readiness,
    })),
    totals: {
      attempts: stats.totals.attempts,
      sessions: stats.totals.sessions,
      totalTimeMs: Math.round(stats.totals.totalTimeMs),
      streak: { ...stats.totals.streak },
    },
    heatmap: {
      start: stats.heatmap.start,
      end: stats.heatmap.end,
      days: stats.heatmap.days.map((d) => ({ date: d.date, count: d.count })),
    },
    weakest: stats.weakest.map((q) => ({
      id: q.id,
      topic: q.topic,
      title: q.title,
      mastery: round(q.mastery),
      lastScore: round(q.lastScore),
    })),
    interviews: stats.interviews.map((i) => ({ at: i.at, signal: i.signal })),
  };
}

export async function statsCommand(ctx: Context, topics: string[]): Promise<void> {
  const { bank } = await loadBankWithWarnings(ctx, { bodies: false });
  const selected = resolveTopics(bank, topics);
  const scores = await ctx.readHistory();
  const stats = computeStats({ bank, scores, now: ctx.now(), topics: selected.map((t) => t.name) });
  if (ctx.opts.json) {
    ctx.out(terminalSafeJson(statsToJson(stats)));
    return;
  }
  ctx.out(renderStats(stats, { color: ctx.opts.color, width: ctx.columns, scoped: topics.length > 0 }));
  // With a study plan: the countdown and the forecast (this needs the whole history, so only then).
  if (existsSync(join(ctx.opts.home, 'plan.json'))) {
    const { currentPlan } = await import('./plan.js');
    const { countdown, forecastTable } = await import('../plan/view.js');
    const { bank: full } = await loadBankWithWarnings(ctx);
    const view = await currentPlan(ctx, full, await ctx.readScores());
    if (view) ctx.out(`\n${chalk.bold(countdown(view))} Forecast on the day:\n${forecastTable(view, ctx.columns)}`);
  }
}

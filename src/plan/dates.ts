/**
 * Calendar days of the plan, in the machine's local time zone: the interview is on a day, not
 * at an instant. A day is written `YYYY-MM-DD`.
 */
import { UsageError } from '../errors.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a local day. */
export function localDay(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Local midnight of a `YYYY-MM-DD` day. */
export function dayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD`); DST days count as one. */
export function daysBetween(from: string, to: string): number {
  const utc = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** The local day `n` days after `day`. */
export function addDays(day: string, n: number): string {
  const start = dayStart(day);
  return localDay(new Date(start.getFullYear(), start.getMonth(), start.getDate() + n));
}

const HINT = 'Give the interview day as YYYY-MM-DD (e.g. 2026-12-14), or relative: "in 5d", "2w", "today".';

/**
 * The interview day from `--date`: `YYYY-MM-DD`, `today`, `tomorrow`, or a count of days or
 * weeks ahead (`5d`, `in 5d`, `2w`, `in 2 weeks`). A day before today is a usage error.
 */
export function parsePlanDate(input: string, now: Date): string {
  const text = input.trim().toLowerCase();
  const today = localDay(now);
  let day: string | undefined;
  if (text === 'today') day = today;
  else if (text === 'tomorrow') day = addDays(today, 1);
  else {
    const relative = /^(?:in\s+)?(\d{1,3})\s*(d|days?|w|weeks?)$/.exec(text);
    const absolute = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (relative) day = addDays(today, Number(relative[1]) * (relative[2]?.startsWith('w') ? 7 : 1));
    else if (absolute) {
      const [y, m, d] = absolute.slice(1).map(Number) as [number, number, number];
      const date = new Date(y, m - 1, d);
      if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) throw new UsageError(`"${input}" is not a date in the calendar.`, HINT);
      day = localDay(date);
    }
  }
  if (day === undefined) throw new UsageError(`Cannot read "${input}" as a date.`, HINT);
  if (daysBetween(today, day) < 0) throw new UsageError(`${day} is in the past (today is ${today}).`, HINT);
  if (daysBetween(today, day) > 366) throw new UsageError(`${day} is more than a year away; a plan covers up to 366 days.`, HINT);
  return day;
}

/** A calendar month in UTC: [from, to). */
export interface MonthPeriod {
  /** "2026-11". */
  month: string;
  from: number;
  to: number;
}

export function monthOf(year: number, monthIndex: number): MonthPeriod {
  const from = Date.UTC(year, monthIndex, 1);
  const to = Date.UTC(year, monthIndex + 1, 1);
  return { month: new Date(from).toISOString().slice(0, 7), from, to };
}

/** The whole month before the one holding `now`. */
export function lastMonth(now: number): MonthPeriod {
  const date = new Date(now);
  return monthOf(date.getUTCFullYear(), date.getUTCMonth() - 1);
}

/**
 * "last month" (or nothing) and "YYYY-MM" name a month; anything else, or a
 * month that has not begun, is undefined.
 */
export function parseMonth(text: string | undefined, now: number): MonthPeriod | undefined {
  const trimmed = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (trimmed === '' || trimmed === 'last month') return lastMonth(now);
  const match = /^(\d{4})-(\d{2})$/.exec(trimmed);
  if (!match) return undefined;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  const period = monthOf(Number(match[1]), month - 1);
  return period.from <= now ? period : undefined;
}

/** The command that writes the full report of a period. */
export function reportCommand(period: { from: number; to: number }): string {
  // A date when the bound is midnight UTC, else the exact time (a review's period starts at its cron firing).
  const day = (ms: number) =>
    ms % 86_400_000 === 0 ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  return `npm run audit -- report --from ${day(period.from)} --to ${day(period.to)} --out report.html`;
}

// The period an evidence pack covers (issue 14.5): two calendar dates, both included, read in the policy timezone.
import { atWallClock, calendarDate } from './zoned-time.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ExportPeriod {
  /** The dates as given, "YYYY-MM-DD". */
  from: string;
  to: string;
  /** Midnight starting `from` and midnight ending `to`, in the time zone: start included, end excluded. */
  start: Date;
  end: Date;
  timeZone: string;
}

export type ExportPeriodResult =
  | { ok: true; period: ExportPeriod }
  | { ok: false; code: 'not_a_date'; value: string }
  | { ok: false; code: 'ends_before_start'; from: string; to: string };

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

function startOfDay(date: string, timeZone: string): Date {
  const day = calendarDate(date);
  return atWallClock({ year: day.year, month: day.month, day: day.day }, timeZone).toJSDate();
}

/**
 * Reads `from` and `to` as calendar dates in `timeZone`; the period runs from the start of one to the end
 * of the other.
 */
export function exportPeriod(from: string, to: string, timeZone: string): ExportPeriodResult {
  for (const value of [from, to]) {
    if (!isDate(value)) return { ok: false, code: 'not_a_date', value };
  }
  if (to < from) return { ok: false, code: 'ends_before_start', from, to };
  const dayAfter = calendarDate(to).plus({ days: 1 }).toISODate();
  return {
    ok: true,
    period: { from, to, start: startOfDay(from, timeZone), end: startOfDay(dayAfter, timeZone), timeZone },
  };
}

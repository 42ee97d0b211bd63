// The policy file's freezes (POL-SEC-008 9.2) as the dated periods they cover: one-off dates, yearly dates
// ("12-20" to "01-02" wraps the year end) and recurring month, quarter or year ends (billing).
import type { Policy } from '../policy/schema.js';
import type { Freeze } from './schedule.js';
import { calendarDate } from './zoned-time.js';

type PolicyFreeze = Policy['freezes'][number];

/** Local dates "YYYY-MM-DD", both inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

const MONTHS_OF = { month_end: 1, quarter_end: 3, year_end: 12 } as const;

/** How far ahead freezes are listed (the agenda, `/change freeze list`): a recurring one by each occurrence. */
export const FREEZES_LISTED_DAYS = 366;

const overlaps = (period: DateRange, range: DateRange) => period.from <= range.to && range.from <= period.to;

/** Every period a yearly freeze covers that touches the range: one per year, the end in the next year if it wraps. */
function yearlyPeriods(freeze: { from: string; to: string }, range: DateRange): DateRange[] {
  const first = Number(range.from.slice(0, 4)) - 1;
  const last = Number(range.to.slice(0, 4));
  const periods: DateRange[] = [];
  for (let year = first; year <= last; year += 1) {
    const endYear = freeze.to < freeze.from ? year + 1 : year;
    periods.push({ from: `${year}-${freeze.from}`, to: `${endYear}-${freeze.to}` });
  }
  return periods;
}

/** The last `lastDays` days of every month (or quarter, or year) ending, and the `firstDays` after it. */
function periodEndPeriods(
  freeze: { every: keyof typeof MONTHS_OF; last_days: number; first_days: number },
  range: DateRange,
): DateRange[] {
  const step = MONTHS_OF[freeze.every];
  // From the month before the range (its period may run into the range) to the month after.
  let month = calendarDate(`${range.from.slice(0, 7)}-01`).minus({ months: 1 });
  const stop = calendarDate(`${range.to.slice(0, 7)}-01`).plus({ months: 1 });
  const periods: DateRange[] = [];
  for (; month <= stop; month = month.plus({ months: 1 })) {
    if (month.month % step !== 0) continue;
    const lastDay = month.endOf('month').startOf('day');
    periods.push({
      from: lastDay.minus({ days: freeze.last_days - 1 }).toISODate(),
      to: lastDay.plus({ days: freeze.first_days }).toISODate(),
    });
  }
  return periods;
}

/**
 * The policy's freezes as dated periods touching `range`. A recurring freeze's occurrence is named by its
 * entry and its first day ("policy-2@2026-12-30"), so an exception approved for one occurrence is not one for
 * the next.
 */
export function policyFreezes(freezes: readonly PolicyFreeze[], range: DateRange): Freeze[] {
  return freezes.flatMap((freeze, index) => {
    const id = `policy-${index + 1}`;
    if ('every' in freeze) {
      return periodEndPeriods(freeze, range)
        .filter((period) => overlaps(period, range))
        .map((period) => ({ id: `${id}@${period.from}`, ...period, reason: freeze.reason }));
    }
    if (freeze.from.length === 5) {
      return yearlyPeriods(freeze, range)
        .filter((period) => overlaps(period, range))
        .map((period) => ({ id: `${id}@${period.from}`, ...period, reason: freeze.reason }));
    }
    return overlaps(freeze, range) ? [{ id, from: freeze.from, to: freeze.to, reason: freeze.reason }] : [];
  });
}

import type { CabinetDb } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import { monthFacts } from '../db/report.js';
import {
  isFirstBusinessDayOfMonth,
  type MetricTargets,
  type Month,
  type MonthMetrics,
  monthBounds,
  monthMetrics,
  monthOf,
  shiftMonth,
} from '../domain/report.js';
import { type Policy, reportsChannelOf } from '../policy/schema.js';

/** How many months the report's chart shows, the reported one last. */
export const CHART_MONTHS = 6;

export interface MonthlyReport {
  month: Month;
  current: MonthMetrics;
  previous: MonthMetrics;
  /** The last CHART_MONTHS months, oldest first, ending with `current`. */
  history: MonthMetrics[];
  targets: MetricTargets;
}

/** The monthly review (11.3) of `month`, with the month before and the chart's history, in the policy timezone. */
export function monthlyReport(db: CabinetDb, policy: Policy, month: Month): MonthlyReport {
  const history = Array.from({ length: CHART_MONTHS }, (_, index) => {
    const shown = shiftMonth(month, index - CHART_MONTHS + 1);
    return monthMetrics(shown, monthFacts(db, monthBounds(shown, policy.timezone)));
  });
  const current = history[CHART_MONTHS - 1];
  const previous = history[CHART_MONTHS - 2];
  if (!current || !previous) throw new Error('the report needs at least two months of history');
  return { month, current, previous, history, targets: policy.metrics.targets };
}

/** The month a report asked for without one covers: the last whole month. */
export function lastMonth(now: Date, timeZone: string): Month {
  return shiftMonth(monthOf(now, timeZone), -1);
}

/**
 * Queues last month's report for the reports channel when the slot falls on its month's first business day;
 * once per month whatever the slots (the month is the key). Returns whether one was queued.
 */
export function queueMonthlyReport(db: CabinetDb, policy: Policy, slot: Date, now: Date): boolean {
  if (!reportsChannelOf(policy) || !isFirstBusinessDayOfMonth(slot, policy)) return false;
  const month = lastMonth(slot, policy.timezone);
  enqueue(db, { kind: 'monthly_report', month }, now, { dedupeKey: `monthly_report:${month}` });
  return true;
}

// The monthly review (POL-SEC-008 11.3) and its change metrics (11.2), computed from facts read one month at a time.
import type { DateTime } from 'luxon';
import type { Policy } from '../policy/schema.js';
import type { ChangeType } from './lifecycle.js';
import { CHANGE_TYPES } from './lifecycle.js';
import { weekdayFromIso } from './weekday.js';
import { atWallClock, calendarDate, inZone } from './zoned-time.js';

/** A calendar month, "YYYY-MM". */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month typed, or undefined when it is not YYYY-MM. */
export function parseMonth(text: string): Month | undefined {
  return MONTH.test(text.trim()) ? text.trim() : undefined;
}

/** The month `offset` months from `month` (negative: earlier). */
export function shiftMonth(month: Month, offset: number): Month {
  return calendarDate(`${month}-01`).plus({ months: offset }).toFormat('yyyy-MM');
}

/** The month an instant falls in, in the policy timezone. */
export function monthOf(at: Date, timeZone: string): Month {
  return inZone(at, timeZone).toFormat('yyyy-MM');
}

/** A month's first instant (inclusive) and the next month's (exclusive), midnight in the policy timezone. */
export function monthBounds(month: Month, timeZone: string): { from: Date; to: Date } {
  const start = (value: Month) => {
    const { year, month: m } = calendarDate(`${value}-01`);
    return atWallClock({ year, month: m, day: 1 }, timeZone).toJSDate();
  };
  return { from: start(month), to: start(shiftMonth(month, 1)) };
}

/** Whether the instant's date is its month's first business day (a day listed in the policy's business hours). */
export function isFirstBusinessDayOfMonth(at: Date, policy: Pick<Policy, 'timezone' | 'business_hours'>): boolean {
  const local = inZone(at, policy.timezone);
  const isBusinessDay = (date: DateTime<true>) => policy.business_hours.days.includes(weekdayFromIso(date.weekday));
  if (!isBusinessDay(local)) return false;
  const first = calendarDate(`${local.toFormat('yyyy-MM')}-01`);
  for (let day = first; day.day < local.day; day = day.plus({ days: 1 })) if (isBusinessDay(day)) return false;
  return true;
}

/** Changes without a risk level (a standard change never assessed) are counted under this key. */
export const UNRATED = 'unrated';

/** A change submitted in the month. */
export interface SubmittedFact {
  type: ChangeType;
  riskLevel: string | null;
}

/**
 * A change whose implementation ended in the month (its first completion, failure or rollback; an emergency's
 * authorization, as it is implemented at once), with what is known of it when the report is made.
 */
export interface ImplementedFact {
  riskLevel: string | null;
  failed: boolean;
  rolledBack: boolean;
  /** Completed, then failed its production validation (8.4). */
  failedVerification: boolean;
  /** The post-implementation review's incidents, if reviewed. */
  reviewIncidents: string | null;
}

/** A change approved (or an emergency authorized) in the month: lead time runs from submission to it. */
export interface ApprovedFact {
  riskLevel: string | null;
  submittedAt: Date;
  approvedAt: Date;
}

export interface MonthFacts {
  submitted: readonly SubmittedFact[];
  implemented: readonly ImplementedFact[];
  approved: readonly ApprovedFact[];
}

/** `count` of `of`, as a percentage; null when there is nothing to count (`of` is 0). */
export interface Rate {
  count: number;
  of: number;
  percent: number | null;
}

export interface MonthMetrics {
  month: Month;
  volume: { total: number; byType: Record<ChangeType, number>; byRisk: Record<string, number> };
  implemented: number;
  successRate: Rate;
  emergencyRate: Rate;
  rollbackRate: Rate;
  postImplementationIssues: Rate;
  /** Median hours from submission to approval, per risk level approved in the month. */
  medianLeadTimeHours: Record<string, number>;
}

// What a reviewer writes when a change caused no incident (the form asks for "None").
const NO_INCIDENTS = new Set(['', 'none', 'no', 'n/a', 'na', '-', 'nil', 'no incidents']);

/** Whether a review's incidents field reports one. */
export function reportsIncidents(text: string): boolean {
  return !NO_INCIDENTS.has(
    text
      .trim()
      .toLowerCase()
      .replace(/[.!]+$/, ''),
  );
}

function rate(count: number, of: number): Rate {
  return { count, of, percent: of === 0 ? null : Math.round((count / of) * 1000) / 10 };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

const HOUR_MS = 3_600_000;

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const levelOf = (fact: { riskLevel: string | null }) => fact.riskLevel ?? UNRATED;

/**
 * 11.2's metrics for one month: success (neither failed nor rolled back) and rollbacks over the changes implemented,
 * emergencies over the changes submitted, post-implementation issues (a review reporting incidents, or a failed
 * validation) over the changes implemented, and the median lead time per risk level.
 */
export function monthMetrics(month: Month, facts: MonthFacts): MonthMetrics {
  const { submitted, implemented, approved } = facts;
  const byType = Object.fromEntries(CHANGE_TYPES.map((type) => [type, 0])) as Record<ChangeType, number>;
  for (const change of submitted) byType[change.type] += 1;
  const count = (predicate: (fact: ImplementedFact) => boolean) => implemented.filter(predicate).length;
  const hoursByLevel = new Map<string, number[]>();
  for (const fact of approved) {
    const hours = (fact.approvedAt.getTime() - fact.submittedAt.getTime()) / HOUR_MS;
    hoursByLevel.set(levelOf(fact), [...(hoursByLevel.get(levelOf(fact)) ?? []), hours]);
  }
  const medianLeadTimeHours: Record<string, number> = {};
  for (const [level, hours] of hoursByLevel) medianLeadTimeHours[level] = Math.round((median(hours) ?? 0) * 10) / 10;
  return {
    month,
    volume: { total: submitted.length, byType, byRisk: countBy(submitted, levelOf) },
    implemented: implemented.length,
    successRate: rate(
      count((fact) => !fact.failed && !fact.rolledBack),
      implemented.length,
    ),
    emergencyRate: rate(byType.emergency, submitted.length),
    rollbackRate: rate(
      count((fact) => fact.rolledBack),
      implemented.length,
    ),
    postImplementationIssues: rate(
      count(
        (fact) => fact.failedVerification || (fact.reviewIncidents !== null && reportsIncidents(fact.reviewIncidents)),
      ),
      implemented.length,
    ),
    medianLeadTimeHours,
  };
}

export type MetricTargets = Policy['metrics']['targets'];

/** How a metric stands against its target; `no_data` when the month had nothing to measure. */
export type TargetStatus = 'met' | 'missed' | 'no_data';

export type RateMetric = 'successRate' | 'emergencyRate' | 'rollbackRate' | 'postImplementationIssues';

export const RATE_METRICS = [
  'successRate',
  'emergencyRate',
  'rollbackRate',
  'postImplementationIssues',
] as const satisfies readonly RateMetric[];

/** Each rate's target (11.2): a floor for success, a ceiling for the rest (the target itself is a miss: ">95%"). */
export function rateTarget(metric: RateMetric, targets: MetricTargets): { bound: 'min' | 'max'; percent: number } {
  switch (metric) {
    case 'successRate':
      return { bound: 'min', percent: targets.success_rate_min };
    case 'emergencyRate':
      return { bound: 'max', percent: targets.emergency_rate_max };
    case 'rollbackRate':
      return { bound: 'max', percent: targets.rollback_rate_max };
    case 'postImplementationIssues':
      return { bound: 'max', percent: targets.post_implementation_issues_max };
  }
}

export function rateStatus(metric: RateMetric, metrics: MonthMetrics, targets: MetricTargets): TargetStatus {
  const { percent } = metrics[metric];
  if (percent === null) return 'no_data';
  const target = rateTarget(metric, targets);
  return (target.bound === 'min' ? percent > target.percent : percent < target.percent) ? 'met' : 'missed';
}

/** A risk level's median lead time against its target (none set: `no_data` only when nothing was approved). */
export function leadTimeStatus(level: string, metrics: MonthMetrics, targets: MetricTargets): TargetStatus {
  const hours = metrics.medianLeadTimeHours[level];
  if (hours === undefined) return 'no_data';
  const target = targets.lead_time_hours[level];
  return target === undefined || hours <= target ? 'met' : 'missed';
}

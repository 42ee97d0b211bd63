import type { Month, Rate, RateMetric, TargetStatus } from '../../domain/report.js';
import { calendarDate } from '../../domain/zoned-time.js';
import type { Policy } from '../../policy/schema.js';
import { citationOf } from './citations.js';

// The monthly report (11.2, 11.3), as posted to the reports channel and answered to `/change report`.

export function monthName(month: Month): string {
  return calendarDate(`${month}-01`).toFormat('MMMM yyyy');
}

export function shortMonthName(month: Month): string {
  return calendarDate(`${month}-01`).toFormat('LLL yyyy');
}

export function reportTitle(month: Month): string {
  return `Change report: ${monthName(month)}`;
}

export const RATE_NAMES: Record<RateMetric, string> = {
  successRate: 'Success rate',
  emergencyRate: 'Emergency rate',
  rollbackRate: 'Rollback rate',
  postImplementationIssues: 'Post-implementation issues',
};

export const STATUS_WORDS: Record<TargetStatus, string> = {
  met: ':white_check_mark: on target',
  missed: ':warning: off target',
  no_data: 'nothing to measure',
};

export function percentText(rate: Rate): string {
  return rate.percent === null ? '–' : `${rate.percent.toFixed(1)}% (${rate.count} of ${rate.of})`;
}

export function rateTargetText(target: { bound: 'min' | 'max'; percent: number }): string {
  return `target ${target.bound === 'min' ? '>' : '<'}${target.percent}%`;
}

export function hoursText(hours: number | undefined): string {
  return hours === undefined ? '–' : `${hours.toFixed(1)} h`;
}

export function leadTimeTargetText(hours: number | undefined): string {
  return hours === undefined ? 'no target' : `target ≤${hours} h`;
}

export function beforeText(previous: Month, value: string): string {
  return `${shortMonthName(previous)}: ${value}`;
}

export function volumeText(total: number): string {
  return `*Volume* ${total} change${total === 1 ? '' : 's'} submitted`;
}

export const BY_TYPE = 'By type';
export const BY_RISK = 'By risk';
export const UNRATED_LABEL = 'Unrated';
export const LEAD_TIME_HEADING = '*Median lead time* (submitted to approved or authorized), by risk level';
export const NO_APPROVALS = 'Nothing was approved this month.';

export function implementedText(count: number): string {
  return (
    `${count} change${count === 1 ? '' : 's'} implemented this month ` +
    '(completed, failed, rolled back, or emergencies authorized).'
  );
}

export function reportFootnote(policy: Pick<Policy, 'document'>): string {
  const citation = citationOf(policy, 'metrics');
  return (
    `Targets from the policy (\`metrics.targets\`${citation ? `, ${citation}` : ''}). ` +
    'Success: implemented without failure or rollback. ' +
    'Post-implementation issues: a review reporting incidents, or a failed production validation.'
  );
}

export const CHART_TITLE = 'Last six months: success, emergency and rollback rates';

export function chartFileName(month: Month): string {
  return `change-report-${month}.png`;
}

export const REPORT_USAGE =
  'Type `/change report` for last month, or `/change report YYYY-MM` (for example `/change report 2026-11`).';

/** Names the chart's bars: it has no text of its own. */
export function chartLegend(months: readonly Month[]): string {
  const first = months[0];
  const last = months[months.length - 1];
  const span = first && last ? `${shortMonthName(first)} to ${shortMonthName(last)}` : '';
  return (
    `${span}, one group of bars per month: green success rate, yellow emergency rate, red rollback rate ` +
    '(0–100%, gridlines every 25%).'
  );
}

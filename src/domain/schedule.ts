// When changes may run (POL-SEC-008 9.1 deployment windows, 9.2 freeze periods) and which planned
// changes collide. Pure: every instant is passed in, wall-clock times are read in the policy timezone.
import { DateTime } from 'luxon';
import type { Policy } from '../policy/schema.js';
import { localDate } from './business-hours.js';
import type { ChangeType } from './lifecycle.js';
import { weekdayFromIso } from './weekday.js';
import { atWallClock, calendarDate } from './zoned-time.js';

export interface Interval {
  start: Date;
  end: Date;
}

/** A freeze period: whole calendar days, `from` and `to` inclusive, in the policy timezone. */
export interface Freeze {
  /** "FRZ-<n>" for a freeze announced from Slack; "policy-<n>" for one in the policy file. */
  id: string;
  from: string;
  to: string;
  reason: string;
}

type WindowPolicy = Pick<Policy, 'timezone' | 'deployment_windows'>;

const DAY_MS = 24 * 3600_000;
/** How far ahead the next window is looked for: the windows repeat weekly, freezes may cover weeks. */
export const SEARCH_DAYS = 120;

const overlapping = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/** The instant a calendar date's wall-clock time ("HH:MM") names in the time zone (see atWallClock for DST). */
function instantOn(date: DateTime<true>, time: string, timeZone: string): Date {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return atWallClock({ year: date.year, month: date.month, day: date.day, hour, minute }, timeZone).toJSDate();
}

/** The calendar date `days` after `date` ("YYYY-MM-DD"). */
export function addDays(date: string, days: number): string {
  return calendarDate(date).plus({ days }).toISODate();
}

/** The weekday of a calendar date ("YYYY-MM-DD"). */
export function weekdayOf(date: string) {
  return weekdayFromIso(calendarDate(date).weekday);
}

/** A window on the day it opens: one ending at "24:00", or at a time not after its start, ends the next day. */
function occurrenceOn(date: DateTime<true>, window: { from: string; to: string }, timeZone: string): Interval {
  const endsNextDay = window.to === '24:00' || window.to <= window.from;
  return {
    start: instantOn(date, window.from, timeZone),
    end: instantOn(endsNextDay ? date.plus({ days: 1 }) : date, window.to === '24:00' ? '00:00' : window.to, timeZone),
  };
}

/**
 * The periods in which a change of `risk` may run, from the day before `from` to `until`: every
 * window allowing the risk on its days, with windows that touch or overlap joined into one period
 * (`deployment_windows: any`: the whole time).
 */
export function allowedPeriods(policy: WindowPolicy, risk: string, from: Date, until: Date): Interval[] {
  if (policy.deployment_windows === 'any') return [{ start: from, end: until }];
  const occurrences: Interval[] = [];
  const windows = policy.deployment_windows;
  for (
    let date = calendarDate(localDate(from, policy.timezone)).minus({ days: 1 });
    instantOn(date, '00:00', policy.timezone) < until;
    date = date.plus({ days: 1 })
  ) {
    const weekday = weekdayFromIso(date.weekday);
    for (const window of windows) {
      if (window.days.includes(weekday) && window.risks.includes(risk))
        occurrences.push(occurrenceOn(date, window, policy.timezone));
    }
  }
  occurrences.sort((a, b) => a.start.getTime() - b.start.getTime());
  const periods: Interval[] = [];
  for (const occurrence of occurrences) {
    const last = periods.at(-1);
    if (last && occurrence.start <= last.end)
      last.end = new Date(Math.max(last.end.getTime(), occurrence.end.getTime()));
    else periods.push({ ...occurrence });
  }
  return periods.filter((period) => period.end > from && period.start < until);
}

/** The local dates from `interval.start` to `interval.end` (inclusive), in the time zone. */
export function datesOf(interval: Interval, timeZone: string): { from: string; to: string } {
  return { from: localDate(interval.start, timeZone), to: localDate(interval.end, timeZone) };
}

/**
 * The dates whose freezes can bear on scheduling `interval` at `now`: from the earlier of the two to as
 * far as the next window is looked for after the later.
 */
export function schedulingDates(interval: Interval, now: Date, timeZone: string): { from: string; to: string } {
  const start = new Date(Math.min(interval.start.getTime(), now.getTime()));
  const end = new Date(Math.max(interval.end.getTime(), now.getTime()) + (SEARCH_DAYS + 1) * DAY_MS);
  return datesOf({ start, end }, timeZone);
}

/**
 * The least notice a change needs (issue 16.4), in hours from when it is documented to its start: the larger of
 * its type's and its risk level's `scheduling.notice_hours`; 0 for an emergency or when the policy sets none.
 */
export function requiredNoticeHours(
  change: { type: ChangeType; riskLevel: string | null },
  policy: Pick<Policy, 'scheduling'>,
): number {
  if (change.type === 'emergency') return 0;
  const { by_type: byType, by_risk: byRisk } = policy.scheduling.notice_hours;
  const forRisk = change.riskLevel !== null && Object.hasOwn(byRisk, change.riskLevel) ? byRisk[change.riskLevel] : 0;
  return Math.max(byType[change.type] ?? 0, forRisk ?? 0);
}

/** The earliest a change documented at `documentedAt` may start, or undefined when it needs no notice. */
export function earliestStart(documentedAt: Date, noticeHours: number): Date | undefined {
  return noticeHours > 0 ? new Date(documentedAt.getTime() + noticeHours * 3_600_000) : undefined;
}

/** A freeze as the instants it covers: midnight of its first day to midnight after its last. */
export function freezeInterval(freeze: Pick<Freeze, 'from' | 'to'>, timeZone: string): Interval {
  return {
    start: instantOn(calendarDate(freeze.from), '00:00', timeZone),
    end: instantOn(calendarDate(freeze.to).plus({ days: 1 }), '00:00', timeZone),
  };
}

/** The freezes an interval touches. */
export function freezesDuring(interval: Interval, freezes: readonly Freeze[], timeZone: string): Freeze[] {
  return freezes.filter((freeze) => overlapping(interval, freezeInterval(freeze, timeZone)));
}

/** Whether the whole interval lies inside one period in which its risk may run (9.1). */
export function fitsWindows(interval: Interval, risk: string, policy: WindowPolicy): boolean {
  return allowedPeriods(policy, risk, interval.start, interval.end).some(
    (period) => period.start <= interval.start && interval.end <= period.end,
  );
}

/**
 * The next time a change of `risk` lasting `durationMs` may run, at or after `after`: the rest of
 * the first allowed period, outside every freeze, long enough to hold it. Undefined when no window
 * within four months allows it (e.g. no window allows the risk level at all).
 */
export function nextAllowedPeriod(
  policy: WindowPolicy,
  wanted: { risk: string; after: Date; durationMs: number },
  freezes: readonly Freeze[],
): Interval | undefined {
  const { risk, after, durationMs } = wanted;
  const until = new Date(after.getTime() + SEARCH_DAYS * DAY_MS);
  const frozen = freezes.map((freeze) => freezeInterval(freeze, policy.timezone));
  for (const period of allowedPeriods(policy, risk, after, until)) {
    const candidate = { start: new Date(Math.max(period.start.getTime(), after.getTime())), end: period.end };
    if (candidate.end.getTime() - candidate.start.getTime() < durationMs) continue;
    if (frozen.some((freeze) => overlapping(candidate, freeze))) continue;
    return candidate;
  }
  return undefined;
}

/** Why a planned interval may not run as planned: outside the windows of its risk, or in a freeze. */
export type ScheduleProblem =
  | { kind: 'outside_window'; field: 'start' | 'end'; next: Interval | undefined }
  | { kind: 'freeze'; freeze: Freeze };

/**
 * What stands in the way of running `interval` (9.1, 9.2). A start outside every allowed period is
 * the start's problem; a start inside one whose period closes before the end is the end's. The next
 * window named is the first, from the planned start (or now, if later), long enough for the change.
 */
export function scheduleProblems(
  planned: { interval: Interval; risk: string },
  policy: WindowPolicy,
  freezes: readonly Freeze[],
  now: Date,
): ScheduleProblem[] {
  const { interval, risk } = planned;
  const problems: ScheduleProblem[] = [];
  if (!fitsWindows(interval, risk, policy)) {
    const startAllowed = allowedPeriods(policy, risk, interval.start, new Date(interval.start.getTime() + 1)).some(
      (period) => period.start <= interval.start && interval.start < period.end,
    );
    const after = new Date(Math.max(interval.start.getTime(), now.getTime()));
    const next = nextAllowedPeriod(
      policy,
      { risk, after, durationMs: interval.end.getTime() - interval.start.getTime() },
      freezes,
    );
    problems.push({ kind: 'outside_window', field: startAllowed ? 'end' : 'start', next });
  }
  for (const freeze of freezesDuring(interval, freezes, policy.timezone)) problems.push({ kind: 'freeze', freeze });
  return problems;
}

/**
 * What a change records when it runs outside its windows or in a freeze: by approved exception, or
 * (an emergency) exempt but flagged.
 */
export interface ScheduleException {
  outsideWindow: boolean;
  freezes: { id: string; reason: string }[];
}

export function scheduleExceptionOf(problems: readonly ScheduleProblem[]): ScheduleException | null {
  if (problems.length === 0) return null;
  return {
    outsideWindow: problems.some((problem) => problem.kind === 'outside_window'),
    freezes: problems.flatMap((problem) =>
      problem.kind === 'freeze' ? [{ id: problem.freeze.id, reason: problem.freeze.reason }] : [],
    ),
  };
}

/**
 * Whether an exception can let these problems through: always for windows, for freezes only under
 * `freeze_rule: exception`.
 */
export function exceptionAllowed(problems: readonly ScheduleProblem[], policy: Pick<Policy, 'scheduling'>): boolean {
  return policy.scheduling.freeze_rule === 'exception' || !problems.some((problem) => problem.kind === 'freeze');
}

/**
 * Whether the schedule problems refuse the change: none when there are none, or when an exception was
 * requested and the policy lets one through.
 */
export function scheduleRefused(
  problems: readonly ScheduleProblem[],
  exceptionRequested: boolean,
  policy: Pick<Policy, 'scheduling'>,
): boolean {
  return problems.length > 0 && !(exceptionRequested && exceptionAllowed(problems, policy));
}

/** A planned change as conflict detection sees it. */
export interface PlannedChange {
  id: number;
  affectedSystems: readonly string[];
  plannedStart: Date | null;
  plannedEnd: Date | null;
}

/** The systems two changes both touch (compared without case). */
export function sharedSystems(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b.map((system) => system.toLowerCase()));
  return a.filter((system) => other.has(system.toLowerCase()));
}

/** The other changes that overlap `change` in time on a system they share, with the systems they share. */
export function conflictsOf<T extends PlannedChange>(
  change: PlannedChange,
  others: readonly T[],
): { change: T; systems: string[] }[] {
  const { plannedStart, plannedEnd } = change;
  if (!plannedStart || !plannedEnd) return [];
  return others.flatMap((other) => {
    if (other.id === change.id || !other.plannedStart || !other.plannedEnd) return [];
    if (!overlapping({ start: plannedStart, end: plannedEnd }, { start: other.plannedStart, end: other.plannedEnd }))
      return [];
    const systems = sharedSystems(change.affectedSystems, other.affectedSystems);
    return systems.length > 0 ? [{ change: other, systems }] : [];
  });
}

/** A freeze as typed or picked by a person, before it is checked. */
export interface FreezeInput {
  from?: string;
  to?: string;
  reason?: string;
}

export const FREEZE_REASON_MAX = 200;

/** Whether the text is a real calendar date, "YYYY-MM-DD". */
export const isCalendarDate = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;

/** Why a freeze as typed was refused, by field; the Slack layer words it. */
export type FreezeIssues = {
  from?: { code: 'not_a_date' };
  to?: { code: 'not_a_date' } | { code: 'before_first_day' } | { code: 'over_already'; today: string };
  reason?: { code: 'required' } | { code: 'too_long'; max: number };
};

/**
 * Checks a freeze announced from Slack (9.2): real dates, the end not before the start nor already
 * past (`today` in the policy timezone), and a reason.
 */
export function validateFreeze(
  input: FreezeInput,
  today: string,
): { ok: true; freeze: Omit<Freeze, 'id'> } | { ok: false; issues: FreezeIssues } {
  const issues: FreezeIssues = {};
  const from = input.from?.trim() ?? '';
  const to = input.to?.trim() ?? '';
  const reason = input.reason?.trim() ?? '';
  if (!isCalendarDate(from)) issues.from = { code: 'not_a_date' };
  if (!isCalendarDate(to)) issues.to = { code: 'not_a_date' };
  else if (isCalendarDate(from) && to < from) issues.to = { code: 'before_first_day' };
  else if (to < today) issues.to = { code: 'over_already', today };
  if (reason === '') issues.reason = { code: 'required' };
  else if (reason.length > FREEZE_REASON_MAX) issues.reason = { code: 'too_long', max: FREEZE_REASON_MAX };
  return Object.keys(issues).length > 0 ? { ok: false, issues } : { ok: true, freeze: { from, to, reason } };
}

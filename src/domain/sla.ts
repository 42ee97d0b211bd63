// The 4.4 SLA clock: business days counted in business hours, in the policy timezone, skipping holidays.
import type { DateTime } from 'luxon';
import type { Policy } from '../policy/schema.js';
import { isBoardRequirement } from './approvers.js';
import type { ApprovalPhase } from './lifecycle.js';
import { weekdayFromIso } from './weekday.js';
import { atWallClock, calendarDate, inZone } from './zoned-time.js';

export type BusinessCalendar = Pick<Policy, 'timezone' | 'business_hours' | 'holidays'>;

const MINUTE_MS = 60_000;
// A calendar with no business day at all (every date a holiday) has no due time; ten years is far past any SLA.
const SEARCH_DAYS = 3660;

function minutesOf(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

/** Whether a local date ("YYYY-MM-DD") is one of the policy's holidays ("MM-DD" entries recur every year). */
export function isHoliday(date: string, holidays: BusinessCalendar['holidays']): boolean {
  return holidays.some((holiday) => {
    const day = typeof holiday === 'string' ? holiday : holiday.date;
    return day.length === 5 ? date.slice(5) === day : date === day;
  });
}

/** Whether a local date is a business day: one of business_hours.days and not a holiday. */
export function isBusinessDay(date: DateTime<true>, calendar: BusinessCalendar): boolean {
  return (
    calendar.business_hours.days.includes(weekdayFromIso(date.weekday)) &&
    !isHoliday(date.toISODate(), calendar.holidays)
  );
}

/** The length of one business day (business_hours.to − from): the unit SLAs are counted in. */
export function businessDayMs(calendar: BusinessCalendar): number {
  return (minutesOf(calendar.business_hours.to) - minutesOf(calendar.business_hours.from)) * MINUTE_MS;
}

/** A business day's hours as instants (DST-aware: the wall clock is what opens and closes). */
function hoursOf(date: DateTime<true>, calendar: BusinessCalendar): { open: number; close: number } {
  const { year, month, day } = date;
  const at = (clock: string) => {
    const [hour, minute] = clock.split(':').map(Number);
    return atWallClock({ year, month, day, hour, minute }, calendar.timezone).toMillis();
  };
  return { open: at(calendar.business_hours.from), close: at(calendar.business_hours.to) };
}

/**
 * The instant `durationMs` of business time after `from`: time counts only within business hours of business
 * days, so a clock started on Friday evening runs from Monday's opening.
 */
export function addBusinessTime(from: Date, durationMs: number, calendar: BusinessCalendar): Date {
  let date = calendarDate(inZone(from, calendar.timezone).toISODate());
  let remaining = durationMs;
  for (let day = 0; day < SEARCH_DAYS; day += 1, date = date.plus({ days: 1 })) {
    if (!isBusinessDay(date, calendar)) continue;
    const { open, close } = hoursOf(date, calendar);
    const start = Math.max(open, from.getTime());
    if (start >= close) continue;
    if (remaining <= close - start) return new Date(start + remaining);
    remaining -= close - start;
  }
  throw new Error(`no business day within ${SEARCH_DAYS} days of ${from.toISOString()}`);
}

/**
 * How many business days a requirement has (4.4): the review column for the review roles, the approval
 * column for the rest; none outside the approval phase (an emergency's authorization has its own clock) or
 * for a risk level the SLA table does not list.
 */
export function slaBusinessDays(
  requirement: { role: string; phase: ApprovalPhase },
  riskLevel: string | null,
  policy: Pick<Policy, 'approval_sla' | 'approvals'>,
): number | undefined {
  if (requirement.phase !== 'approval' || riskLevel === null) return undefined;
  const sla = Object.hasOwn(policy.approval_sla, riskLevel) ? policy.approval_sla[riskLevel] : undefined;
  if (!sla) return undefined;
  return policy.approvals.review_roles.includes(requirement.role)
    ? sla.review_business_days
    : sla.approval_business_days;
}

/** When a requirement asked at `askedAt` with `businessDays` to decide is due. */
export function slaDueAt(askedAt: Date, businessDays: number, calendar: BusinessCalendar): Date {
  return addBusinessTime(askedAt, businessDays * businessDayMs(calendar), calendar);
}

export interface SlaMilestone {
  kind: 'reminder' | 'escalation';
  /** How much of the SLA has passed then. */
  percent: number;
  at: Date;
}

/** The reminders (approvals.reminders_at_percent) and the escalation once due, in time order. */
export function slaMilestones(
  askedAt: Date,
  businessDays: number,
  policy: BusinessCalendar & Pick<Policy, 'approvals'>,
): SlaMilestone[] {
  const total = businessDays * businessDayMs(policy);
  const percents = [...new Set(policy.approvals.reminders_at_percent)].sort((a, b) => a - b);
  const reminders = percents.map((percent) => ({
    kind: 'reminder' as const,
    percent,
    at: addBusinessTime(askedAt, (total * percent) / 100, policy),
  }));
  return [...reminders, { kind: 'escalation', percent: 100, at: addBusinessTime(askedAt, total, policy) }];
}

/** A requirement as a reminder sees it: who was asked, who approved, whether it is satisfied. */
export interface RemindableRequirement {
  candidates: readonly string[];
  satisfiedAt: Date | null;
  approvals: readonly { approverId: string | null }[];
}

/**
 * Who a reminder about some requirements goes to: the candidates of each still open who have not approved it,
 * nor (approvals.one_role_per_person) another role of the phase (`approvedInPhase`); never members of
 * approvals.quiet_roles (`quiet`: they may decide, and are not pinged).
 */
export function peopleToRemind(
  about: readonly RemindableRequirement[],
  context: { approvedInPhase: readonly string[]; oneRolePerPerson: boolean; quiet: readonly string[] },
): string[] {
  const { approvedInPhase, oneRolePerPerson, quiet } = context;
  const people = about
    .filter((requirement) => requirement.satisfiedAt === null)
    .flatMap((requirement) =>
      requirement.candidates.filter(
        (id) =>
          !requirement.approvals.some((approval) => approval.approverId === id) &&
          !(oneRolePerPerson && approvedInPhase.includes(id)) &&
          !quiet.includes(id),
      ),
    );
  return [...new Set(people)];
}

/** Who is told, besides the requester, that a requirement is past its SLA: roles whose members are told, people. */
export interface EscalationTargets {
  roles: string[];
  userIds: string[];
}

/**
 * Who is told that requirements are past their SLA: the CAB chair for the board's requirement (its members are
 * the ones late); for every other one, or the board's when there is no chair, approvals.escalate_to_roles.
 */
export function escalationTargets(
  requirements: readonly { role: string; phase: ApprovalPhase }[],
  policy: Pick<Policy, 'cab' | 'approvals'>,
): EscalationTargets {
  const toChair = (requirement: { role: string; phase: ApprovalPhase }) =>
    isBoardRequirement(requirement, policy) && policy.cab.chair !== undefined;
  const chair = requirements.some(toChair) && policy.cab.chair ? [policy.cab.chair] : [];
  const roles = requirements.some((requirement) => !toChair(requirement)) ? policy.approvals.escalate_to_roles : [];
  return { roles: [...roles], userIds: chair };
}

/** When the requester may nudge a change again (approvals.requester_nudge_hours after the last); now if never. */
export function nextNudgeAt(lastNudge: Date | undefined, hours: number, now: Date): Date {
  if (!lastNudge) return now;
  return new Date(Math.max(now.getTime(), lastNudge.getTime() + hours * 3600_000));
}

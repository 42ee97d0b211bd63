import type { MatrixEntry, Policy } from '../policy/schema.js';
import { type BusinessCalendar, isHoliday } from './sla.js';
import { type Weekday, weekdayFromIso } from './weekday.js';
import { inZone } from './zoned-time.js';

export interface LocalTime {
  weekday: Weekday;
  /** "HH:MM", 24-hour, comparable as a string. */
  time: string;
}

/** Wall-clock weekday and time of an instant in a time zone (DST-aware). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const local = inZone(at, timeZone);
  return { weekday: weekdayFromIso(local.weekday), time: local.toFormat('HH:mm') };
}

/**
 * Business hours in the policy timezone: a listed day that is not a holiday, from `from` (inclusive) to `to`
 * (exclusive).
 */
export function isBusinessHours(at: Date, policy: BusinessCalendar): boolean {
  const { weekday, time } = localTime(at, policy.timezone);
  const hours = policy.business_hours;
  return (
    hours.days.includes(weekday) &&
    time >= hours.from &&
    time < hours.to &&
    !isHoliday(localDate(at, policy.timezone), policy.holidays)
  );
}

export interface EmergencyAuthorizers {
  period: 'business_hours' | 'after_hours';
  /** Every one of these authorizes (POL-SEC-008 6.3): a role, or any one of several (004 3.1). */
  roles: MatrixEntry[];
  /** If they are unavailable, any one of these. */
  fallbackAnyOf: string[];
}

export function emergencyAuthorizers(
  at: Date,
  policy: BusinessCalendar & Pick<Policy, 'emergency'>,
): EmergencyAuthorizers {
  const period = isBusinessHours(at, policy) ? 'business_hours' : 'after_hours';
  return {
    period,
    roles: structuredClone(policy.emergency.authorizers[period]),
    fallbackAnyOf: [...policy.emergency.authorizers.fallback_any_of],
  };
}

/** The calendar date of an instant in a time zone, "YYYY-MM-DD" (comparable as a string). */
export function localDate(at: Date, timeZone: string): string {
  return inZone(at, timeZone).toISODate();
}

import type { Policy } from '../policy/schema.js';
import { WEEKDAYS, type Weekday } from './weekday.js';
import { instantOf, localParts } from './zoned-time.js';

export interface LocalTime {
  weekday: Weekday;
  /** "HH:MM", 24-hour, comparable as a string. */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock weekday and time of an instant in a time zone (DST-aware through Intl). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const weekday = WEEKDAYS.find((day) => day === parts.weekday?.toLowerCase());
  if (!weekday || parts.hour === undefined || parts.minute === undefined) {
    throw new Error(`Cannot read the local time in ${timeZone}`);
  }
  return { weekday, time: `${parts.hour}:${parts.minute}` };
}

/** Business hours in the policy timezone: a listed day, from `from` (inclusive) to `to` (exclusive). */
export function isBusinessHours(at: Date, policy: Pick<Policy, 'timezone' | 'business_hours'>): boolean {
  const { weekday, time } = localTime(at, policy.timezone);
  const hours = policy.business_hours;
  return hours.days.includes(weekday) && time >= hours.from && time < hours.to;
}

export interface EmergencyAuthorizers {
  period: 'business_hours' | 'after_hours';
  /** Every one of these roles authorizes (POL-SEC-008 6.3). */
  roles: string[];
  /** If they are unavailable, any one of these. */
  fallbackAnyOf: string[];
}

export function emergencyAuthorizers(
  at: Date,
  policy: Pick<Policy, 'timezone' | 'business_hours' | 'emergency'>,
): EmergencyAuthorizers {
  const period = isBusinessHours(at, policy) ? 'business_hours' : 'after_hours';
  return {
    period,
    roles: [...policy.emergency.authorizers[period]],
    fallbackAnyOf: [...policy.emergency.authorizers.fallback_any_of],
  };
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone, "YYYY-MM-DD" (comparable as a string). */
export function localDate(at: Date, timeZone: string): string {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

/**
 * When `businessDays` business days have passed since `from` (4.4 SLAs are in business days): the
 * same wall-clock time on the n-th following calendar day that is a business day of the policy.
 */
export function addBusinessDays(
  from: Date,
  businessDays: number,
  policy: Pick<Policy, 'timezone' | 'business_hours'>,
): Date {
  const start = localParts(from.getTime(), policy.timezone);
  let counted = 0;
  let offset = 0;
  while (counted < businessDays) {
    offset += 1;
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
    if (policy.business_hours.days.includes(WEEKDAYS[(day.getUTCDay() + 6) % 7] ?? 'mon')) counted += 1;
  }
  const day = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
  return new Date(
    instantOf(
      { ...start, year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      policy.timezone,
    ),
  );
}

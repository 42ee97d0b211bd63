import type { WeekdayNumbers } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The weekday of an ISO weekday number (Luxon's `weekday`): 1 is Monday, 7 Sunday. */
export const weekdayFromIso = (weekday: WeekdayNumbers): Weekday => WEEKDAYS[weekday - 1] ?? 'mon';

// Wall-clock time in a time zone, both ways, through Luxon. Where DST leaves a wall-clock time open
// (skipped or repeated), the rule is fixed here so every caller reads it the same way.
import { type DateObjectUnits, DateTime, type DateTimeMaybeValid } from 'luxon';

const DAY_MS = 24 * 3600_000;

function valid(dateTime: DateTimeMaybeValid, what: string): DateTime<true> {
  if (!dateTime.isValid)
    throw new Error(`Cannot read ${what}: ${dateTime.invalidExplanation ?? dateTime.invalidReason}`);
  return dateTime;
}

/** An instant's wall clock in a time zone. */
export function inZone(at: Date, timeZone: string): DateTime<true> {
  return valid(DateTime.fromJSDate(at, { zone: timeZone }), `the time in ${timeZone}`);
}

/**
 * The instant a wall-clock time names in a time zone. A time the clocks skip when they go forward is
 * read after the jump (02:30 is 03:30 summer time); one they repeat when they go back, at its first occurrence.
 */
export function atWallClock(local: DateObjectUnits, timeZone: string): DateTime<true> {
  const reading = valid(DateTime.fromObject(local, { zone: timeZone }), `a time in ${timeZone}`);
  // Luxon reads a repeated time by the zone's offset today, so the first reading is picked here (off the clock).
  // Only a reading whose offset changed within the last day can have an earlier one; the rest skip the search.
  if (reading.zone.offset(reading.toMillis() - DAY_MS) === reading.offset) return reading;
  return reading
    .getPossibleOffsets()
    .reduce((first, candidate) => (candidate.toMillis() < first.toMillis() ? candidate : first));
}

/** A calendar date, "YYYY-MM-DD", in UTC: every day there is one date, so adding days is pure calendar arithmetic. */
export function calendarDate(date: string): DateTime<true> {
  return valid(DateTime.fromISO(date, { zone: 'utc' }), `the date ${date}`);
}

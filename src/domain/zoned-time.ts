// Wall-clock time in a time zone, both ways, through Intl (DST-aware, no dependency).

/** Wall-clock fields of an instant in a time zone. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localParts(at: number, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

export const asUtc = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

/** The instant a wall-clock time names in a time zone (DST-aware; a time skipped by DST lands an hour off and fails the match). */
export function instantOf(local: LocalParts, timeZone: string): number {
  const guess = asUtc(local);
  const first = guess - (asUtc(localParts(guess, timeZone)) - guess);
  const offset = asUtc(localParts(first, timeZone)) - first;
  return guess - offset;
}

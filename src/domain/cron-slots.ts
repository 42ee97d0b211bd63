import cron from 'node-cron';

/** Wall-clock fields of an instant in a time zone. */
interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: number, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

const asUtc = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

/** The instant a wall-clock time names in a time zone (DST-aware; a time skipped by DST lands an hour off and fails the match). */
function instantOf(local: LocalParts, timeZone: string): number {
  const guess = asUtc(local);
  const first = guess - (asUtc(localParts(guess, timeZone)) - guess);
  const offset = asUtc(localParts(first, timeZone)) - first;
  return guess - offset;
}

/**
 * Walks the times of day a cron expression can fire at, day by day, asking node-cron itself whether
 * each one matches (so day-of-month and day-of-week tokens mean exactly what they mean to the
 * scheduler). Returns the first instant `accept` takes, or undefined within `horizonDays`.
 */
function walk(expression: string, timeZone: string, from: Date, direction: 1 | -1, horizonDays: number, accept: (at: number) => boolean): Date | undefined {
  const fields = cron.parse(expression);
  const order = (values: number[]) => [...values].sort((a, b) => (a - b) * direction);
  const hours = order(fields.hour);
  const minutes = order(fields.minute);
  const seconds = order(fields.second);
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  try {
    const start = localParts(from.getTime(), timeZone);
    const startKey = start.hour * 3600 + start.minute * 60 + start.second;
    for (let offset = 0; offset <= horizonDays; offset += 1) {
      const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset * direction));
      const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      for (const hour of hours) {
        for (const minute of minutes) {
          for (const second of seconds) {
            // On the first day, times on the wrong side of `from` need no conversion.
            if (offset === 0 && (hour * 3600 + minute * 60 + second - startKey) * direction < 0) continue;
            const at = instantOf({ ...day, hour, minute, second }, timeZone);
            if (accept(at) && task.match(new Date(at))) return new Date(at);
          }
        }
      }
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}

/** The first time the schedule fires strictly after `after`, in the policy time zone. */
export function nextSlot(expression: string, timeZone: string, after: Date, horizonDays = 400): Date | undefined {
  return walk(expression, timeZone, after, 1, horizonDays, (at) => at > after.getTime());
}

/** The last time the schedule fired at or before `atOrBefore`. */
export function previousSlot(expression: string, timeZone: string, atOrBefore: Date, horizonDays = 400): Date | undefined {
  return walk(expression, timeZone, atOrBefore, -1, horizonDays, (at) => at <= atOrBefore.getTime());
}

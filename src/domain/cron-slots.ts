import cron from 'node-cron';
import { atWallClock, calendarDate, inZone } from './zoned-time.js';

// No time zone moves its clocks by more than an hour at once.
const DST_SHIFT_SECONDS = 3600;

/**
 * Walks the times of day a cron expression can fire at, day by day, asking node-cron itself whether
 * each one matches (so day-of-month and day-of-week tokens mean exactly what they mean to the
 * scheduler). Returns the first instant `accept` takes, or undefined within `horizonDays`.
 */
function walk(
  schedule: { expression: string; timeZone: string },
  from: Date,
  search: { direction: 1 | -1; horizonDays: number },
  accept: (at: number) => boolean,
): Date | undefined {
  const { expression, timeZone } = schedule;
  const { direction, horizonDays } = search;
  const fields = cron.parse(expression);
  const order = (values: number[]) => [...values].sort((a, b) => (a - b) * direction);
  const hours = order(fields.hour);
  const minutes = order(fields.minute);
  const seconds = order(fields.second);
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  try {
    const start = inZone(from, timeZone);
    const startKey = start.hour * 3600 + start.minute * 60 + start.second;
    const startDate = calendarDate(start.toISODate());
    for (let offset = 0; offset <= horizonDays; offset += 1) {
      const { year, month, day } = startDate.plus({ days: offset * direction });
      for (const hour of hours) {
        for (const minute of minutes) {
          for (const second of seconds) {
            // On the first day, times well on the wrong side of `from` need no conversion; within
            // an hour of it they may still be on the right side, when the clocks went back.
            if (offset === 0 && (hour * 3600 + minute * 60 + second - startKey) * direction < -DST_SHIFT_SECONDS)
              continue;
            const at = atWallClock({ year, month, day, hour, minute, second }, timeZone).toMillis();
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
  return walk({ expression, timeZone }, after, { direction: 1, horizonDays }, (at) => at > after.getTime());
}

/** The last time the schedule fired at or before `atOrBefore`. */
export function previousSlot(
  expression: string,
  timeZone: string,
  atOrBefore: Date,
  horizonDays = 400,
): Date | undefined {
  return walk({ expression, timeZone }, atOrBefore, { direction: -1, horizonDays }, (at) => at <= atOrBefore.getTime());
}

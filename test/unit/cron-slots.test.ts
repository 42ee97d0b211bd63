// The slots a cron schedule fires at (POL-SEC-008 7.2 "Regular CAB: Weekly (Wednesdays 10 AM)" is
// the default '0 10 * * 3'): nextSlot is strictly after, previousSlot is at or before.
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextSlot, previousSlot } from '../../src/domain/cron-slots.js';

// America/New_York is UTC−4 (EDT) until 2026-11-01 02:00 local, UTC−5 (EST) until 2027-03-14 02:00 local.
// Europe/London is UTC+1 (BST) until 2026-10-25 02:00 local, UTC+0 (GMT) until 2027-03-28 01:00 UTC.
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const UTC = 'UTC';
/** 7.2 "Regular CAB: Weekly (Wednesdays 10 AM)". */
const WEEKLY_CAB = '0 10 * * 3';

interface SlotCase {
  name: string;
  expression: string;
  zone: string;
  from: string;
  expected: string | undefined;
  horizonDays?: number;
}

const iso = (date: Date | undefined) => date?.toISOString();

/** The instant node-cron itself would fire at next after `after` (its own walker, read through a task). */
function nodeCronNext(expression: string, zone: string, after: Date): Date | undefined {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(after);
  const task = cron.createTask(expression, () => undefined, { timezone: zone });
  try {
    return task.getNextRuns(1)[0];
  } finally {
    void task.destroy();
    vi.useRealTimers();
  }
}

/** The local wall clock of an instant, e.g. "2027-03-15 02:30:00". */
function localClock(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('node-cron supports the syntax these tests use', () => {
  it.each([
    '0 10 * * 3',
    '30 0 10 * * wed',
    '* * * * * *',
    '*/15 * * * *',
    '0 9 L * *',
    '0 10 * * 3#2',
    '0 0 29 2 *',
    '30 2 * * *',
  ])('cron.validate(%s)', (expression) => {
    expect(cron.validate(expression)).toBe(true);
  });
});

const NEXT_CASES: SlotCase[] = [
  // 7.2 weekly CAB in New York (EST in late November).
  {
    name: '7.2: exactly on Wed 2026-11-18 10:00 EST → the following Wednesday (strictly after)',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T15:00:00Z',
    expected: '2026-11-25T15:00:00.000Z',
  },
  {
    name: '7.2: a second before Wed 2026-11-18 10:00 EST → that meeting',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T14:59:59Z',
    expected: '2026-11-18T15:00:00.000Z',
  },
  {
    name: '7.2: a millisecond after the meeting → next week',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T15:00:00.001Z',
    expected: '2026-11-25T15:00:00.000Z',
  },
  {
    name: '7.2: from Saturday 2026-11-21 → Wed 2026-11-25',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-21T17:00:00Z',
    expected: '2026-11-25T15:00:00.000Z',
  },
  {
    name: '7.2: Wed 2026-11-18 05:30Z is still Tuesday night in New York → Wednesday 10:00 EST that day',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T04:30:00Z',
    expected: '2026-11-18T15:00:00.000Z',
  },
  // 7.2 across the DST changes: the meeting stays at 10:00 local, so its UTC instant moves.
  {
    name: '7.2 fall back: after Wed 2026-10-21 → Wed 2026-10-28 10:00 EDT is 14:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-10-21T14:00:00Z',
    expected: '2026-10-28T14:00:00.000Z',
  },
  {
    name: '7.2 fall back: after Wed 2026-10-28 → Wed 2026-11-04 10:00 EST is 15:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-10-28T14:00:00Z',
    expected: '2026-11-04T15:00:00.000Z',
  },
  {
    name: '7.2 spring forward: after Wed 2027-03-03 → Wed 2027-03-10 10:00 EST is 15:00Z (DST starts Sun 03-14)',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2027-03-03T15:00:00Z',
    expected: '2027-03-10T15:00:00.000Z',
  },
  {
    name: '7.2 spring forward: after Wed 2027-03-10 → Wed 2027-03-17 10:00 EDT is 14:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2027-03-10T15:00:00Z',
    expected: '2027-03-17T14:00:00.000Z',
  },
  // 7.2 in other zones.
  {
    name: '7.2 Europe/London: after Wed 2026-10-21 10:00 BST → Wed 2026-10-28 10:00 GMT',
    expression: WEEKLY_CAB,
    zone: LONDON,
    from: '2026-10-21T09:00:00Z',
    expected: '2026-10-28T10:00:00.000Z',
  },
  {
    name: '7.2 Europe/London: after Wed 2027-03-24 10:00 GMT → Wed 2027-03-31 10:00 BST',
    expression: WEEKLY_CAB,
    zone: LONDON,
    from: '2027-03-24T10:00:00Z',
    expected: '2027-03-31T09:00:00.000Z',
  },
  {
    name: '7.2 UTC: exactly on Wed 2026-11-18 10:00Z → Wed 2026-11-25 10:00Z',
    expression: WEEKLY_CAB,
    zone: UTC,
    from: '2026-11-18T10:00:00Z',
    expected: '2026-11-25T10:00:00.000Z',
  },
  {
    name: '7.2 UTC: Tue 2026-11-17 23:59:59Z → Wed 2026-11-18 10:00Z',
    expression: WEEKLY_CAB,
    zone: UTC,
    from: '2026-11-17T23:59:59Z',
    expected: '2026-11-18T10:00:00.000Z',
  },
  // Six fields: the first is the second.
  {
    name: '6 fields: "30 0 10 * * wed" fires at 10:00:30, half a minute after the plain meeting time',
    expression: '30 0 10 * * wed',
    zone: NY,
    from: '2026-11-18T15:00:00Z',
    expected: '2026-11-18T15:00:30.000Z',
  },
  {
    name: '6 fields: exactly on 10:00:30 → next Wednesday 10:00:30',
    expression: '30 0 10 * * wed',
    zone: NY,
    from: '2026-11-18T15:00:30Z',
    expected: '2026-11-25T15:00:30.000Z',
  },
  // Every second and every quarter hour.
  {
    name: 'every second: a fraction of a second in → the next whole second',
    expression: '* * * * * *',
    zone: NY,
    from: '2026-11-18T15:04:05.678Z',
    expected: '2026-11-18T15:04:06.000Z',
  },
  {
    name: 'every second: exactly on a second → the next one',
    expression: '* * * * * *',
    zone: NY,
    from: '2026-11-18T15:04:05Z',
    expected: '2026-11-18T15:04:06.000Z',
  },
  {
    name: '*/15: 15:07 → 15:15',
    expression: '*/15 * * * *',
    zone: NY,
    from: '2026-11-18T15:07:00Z',
    expected: '2026-11-18T15:15:00.000Z',
  },
  {
    name: '*/15: exactly on 15:15 → 15:30',
    expression: '*/15 * * * *',
    zone: NY,
    from: '2026-11-18T15:15:00Z',
    expected: '2026-11-18T15:30:00.000Z',
  },
  {
    name: '*/15: 23:50 EST → local midnight of the next day',
    expression: '*/15 * * * *',
    zone: NY,
    from: '2026-11-18T04:50:00Z',
    expected: '2026-11-18T05:00:00.000Z',
  },
  // "L": the last day of the month.
  {
    name: 'L: in February 2027 → the 28th',
    expression: '0 9 L * *',
    zone: UTC,
    from: '2027-02-10T00:00:00Z',
    expected: '2027-02-28T09:00:00.000Z',
  },
  {
    name: 'L: in February 2028 (leap year) → the 29th',
    expression: '0 9 L * *',
    zone: UTC,
    from: '2028-02-10T00:00:00Z',
    expected: '2028-02-29T09:00:00.000Z',
  },
  {
    name: 'L: exactly on 30 April 09:00 → 31 May',
    expression: '0 9 L * *',
    zone: UTC,
    from: '2026-04-30T09:00:00Z',
    expected: '2026-05-31T09:00:00.000Z',
  },
  {
    name: 'L in New York: 30 November 09:00 EST',
    expression: '0 9 L * *',
    zone: NY,
    from: '2026-11-21T00:00:00Z',
    expected: '2026-11-30T14:00:00.000Z',
  },
  // "3#2": the second Wednesday of the month.
  {
    name: '3#2: from 2026-11-01 → Wed 2026-11-11 (Wednesdays are 4, 11, 18, 25)',
    expression: '0 10 * * 3#2',
    zone: NY,
    from: '2026-11-01T12:00:00Z',
    expected: '2026-11-11T15:00:00.000Z',
  },
  {
    name: '3#2: exactly on Wed 2026-11-11 → Wed 2026-12-09',
    expression: '0 10 * * 3#2',
    zone: NY,
    from: '2026-11-11T15:00:00Z',
    expected: '2026-12-09T15:00:00.000Z',
  },
  // A time DST skips: 02:30 does not exist in New York on Sun 2027-03-14, so that day has no slot.
  {
    name: 'spring forward: 02:30 is skipped on 2027-03-14 → 02:30 EDT on 03-15',
    expression: '30 2 * * *',
    zone: NY,
    from: '2027-03-14T05:00:00Z',
    expected: '2027-03-15T06:30:00.000Z',
  },
  // A time DST repeats: 01:30 happens twice in New York on Sun 2026-11-01; node-cron fires the first (EDT) only.
  {
    name: 'fall back: the first 01:30 (EDT) of 2026-11-01',
    expression: '30 1 * * *',
    zone: NY,
    from: '2026-11-01T04:00:00Z',
    expected: '2026-11-01T05:30:00.000Z',
  },
  {
    name: 'fall back: after the first 01:30 → 01:30 EST on 11-02, not the repeated 01:30',
    expression: '30 1 * * *',
    zone: NY,
    from: '2026-11-01T05:30:00Z',
    expected: '2026-11-02T06:30:00.000Z',
  },
  // The horizon: an expression firing only on 29 February. From Sat 2026-11-21 the next is 465 days away.
  {
    name: 'Feb 29 from 2027-03-01 (365 days away) is within the default 400-day horizon',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2027-03-01T05:00:00Z',
    expected: '2028-02-29T05:00:00.000Z',
  },
  {
    name: 'Feb 29 from 2026-11-21 is beyond the default 400-day horizon',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: undefined,
  },
  {
    name: 'Feb 29 from 2026-11-21 with horizonDays 465 → 2028-02-29 00:00 EST',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: '2028-02-29T05:00:00.000Z',
    horizonDays: 465,
  },
  {
    name: 'Feb 29 from 2026-11-21 with horizonDays 464 → undefined',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: undefined,
    horizonDays: 464,
  },
  {
    name: 'Feb 29 from 2026-11-21 with horizonDays 30 → undefined',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: undefined,
    horizonDays: 30,
  },
];

describe('nextSlot: the first slot strictly after', () => {
  it.each(NEXT_CASES)('$name', ({ expression, zone, from, expected, horizonDays }) => {
    expect(iso(nextSlot(expression, zone, new Date(from), horizonDays))).toBe(expected);
  });

  it.each(NEXT_CASES.filter((slotCase) => slotCase.expected !== undefined))(
    "agrees with node-cron's own next run: $name",
    ({ expression, zone, from, expected }) => {
      expect(iso(nodeCronNext(expression, zone, new Date(from)))).toBe(expected);
    },
  );
});

const PREVIOUS_CASES: SlotCase[] = [
  {
    name: '7.2: exactly on Wed 2026-11-18 10:00 EST → that same instant (at or before)',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T15:00:00Z',
    expected: '2026-11-18T15:00:00.000Z',
  },
  {
    name: '7.2: a millisecond before Wed 2026-11-18 10:00 EST → Wed 2026-11-11',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T14:59:59.999Z',
    expected: '2026-11-11T15:00:00.000Z',
  },
  {
    name: '7.2: a second before Wed 2026-11-18 10:00 EST → Wed 2026-11-11',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-18T14:59:59Z',
    expected: '2026-11-11T15:00:00.000Z',
  },
  {
    name: '7.2: Sat 2026-11-21 → Wed 2026-11-18',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-21T17:00:00Z',
    expected: '2026-11-18T15:00:00.000Z',
  },
  {
    name: '7.2 fall back: before Wed 2026-11-04 → Wed 2026-10-28 10:00 EDT is 14:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-04T14:59:59Z',
    expected: '2026-10-28T14:00:00.000Z',
  },
  {
    name: '7.2 fall back: at Sat 2026-11-07 → Wed 2026-11-04 10:00 EST is 15:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2026-11-07T12:00:00Z',
    expected: '2026-11-04T15:00:00.000Z',
  },
  {
    name: '7.2 spring forward: at Sat 2027-03-20 → Wed 2027-03-17 10:00 EDT is 14:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2027-03-20T12:00:00Z',
    expected: '2027-03-17T14:00:00.000Z',
  },
  {
    name: '7.2 spring forward: Wed 2027-03-17 13:59:59Z is 09:59 EDT → Wed 2027-03-10 10:00 EST is 15:00Z',
    expression: WEEKLY_CAB,
    zone: NY,
    from: '2027-03-17T13:59:59Z',
    expected: '2027-03-10T15:00:00.000Z',
  },
  {
    name: '7.2 Europe/London: at Tue 2026-10-27 → Wed 2026-10-21 10:00 BST',
    expression: WEEKLY_CAB,
    zone: LONDON,
    from: '2026-10-27T12:00:00Z',
    expected: '2026-10-21T09:00:00.000Z',
  },
  {
    name: '7.2 UTC: at Wed 2026-11-18 09:59:59Z → Wed 2026-11-11 10:00Z',
    expression: WEEKLY_CAB,
    zone: UTC,
    from: '2026-11-18T09:59:59Z',
    expected: '2026-11-11T10:00:00.000Z',
  },
  {
    name: '6 fields: at 10:00:29.999 → last Wednesday 10:00:30',
    expression: '30 0 10 * * wed',
    zone: NY,
    from: '2026-11-18T15:00:29.999Z',
    expected: '2026-11-11T15:00:30.000Z',
  },
  {
    name: '6 fields: at 10:00:30 → that second',
    expression: '30 0 10 * * wed',
    zone: NY,
    from: '2026-11-18T15:00:30Z',
    expected: '2026-11-18T15:00:30.000Z',
  },
  {
    name: 'every second: the instant floored to the second',
    expression: '* * * * * *',
    zone: NY,
    from: '2026-11-18T15:04:05.678Z',
    expected: '2026-11-18T15:04:05.000Z',
  },
  {
    name: 'every second: a whole second is its own slot',
    expression: '* * * * * *',
    zone: NY,
    from: '2026-11-18T15:04:05Z',
    expected: '2026-11-18T15:04:05.000Z',
  },
  {
    name: '*/15: 15:14:59 → 15:00',
    expression: '*/15 * * * *',
    zone: NY,
    from: '2026-11-18T15:14:59Z',
    expected: '2026-11-18T15:00:00.000Z',
  },
  {
    name: '*/15: 00:05 EST → local midnight',
    expression: '*/15 * * * *',
    zone: NY,
    from: '2026-11-18T05:05:00Z',
    expected: '2026-11-18T05:00:00.000Z',
  },
  {
    name: '*/15 during 09–17: 08:00 EST → 17:45 EST the day before',
    expression: '*/15 9-17 * * *',
    zone: NY,
    from: '2026-11-18T13:00:00Z',
    expected: '2026-11-17T22:45:00.000Z',
  },
  {
    name: 'L: at 2026-11-21 → 31 October',
    expression: '0 9 L * *',
    zone: UTC,
    from: '2026-11-21T00:00:00Z',
    expected: '2026-10-31T09:00:00.000Z',
  },
  {
    name: 'L: at 2028-03-15 → 29 February 2028',
    expression: '0 9 L * *',
    zone: UTC,
    from: '2028-03-15T00:00:00Z',
    expected: '2028-02-29T09:00:00.000Z',
  },
  {
    name: '3#2: at 2026-11-21 → Wed 2026-11-11',
    expression: '0 10 * * 3#2',
    zone: NY,
    from: '2026-11-21T12:00:00Z',
    expected: '2026-11-11T15:00:00.000Z',
  },
  {
    name: '3#2: at Wed 2026-11-11 09:59 EST → Wed 2026-10-14 10:00 EDT',
    expression: '0 10 * * 3#2',
    zone: NY,
    from: '2026-11-11T14:59:00Z',
    expected: '2026-10-14T14:00:00.000Z',
  },
  {
    name: 'spring forward: 02:30 is skipped on 2027-03-14 → 02:30 EST on 03-13',
    expression: '30 2 * * *',
    zone: NY,
    from: '2027-03-14T12:00:00Z',
    expected: '2027-03-13T07:30:00.000Z',
  },
  {
    name: 'Feb 29 at 2026-11-21 with horizonDays 1000 → 2024-02-29 00:00 EST',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: '2024-02-29T05:00:00.000Z',
    horizonDays: 1000,
  },
  {
    name: 'Feb 29 at 2026-11-21 within the default 400 days → undefined',
    expression: '0 0 29 2 *',
    zone: NY,
    from: '2026-11-21T05:00:00Z',
    expected: undefined,
  },
];

describe('previousSlot: the last slot at or before', () => {
  it.each(PREVIOUS_CASES)('$name', ({ expression, zone, from, expected, horizonDays }) => {
    expect(iso(previousSlot(expression, zone, new Date(from), horizonDays))).toBe(expected);
  });

  // node-cron only walks forwards: the previous slot is one it fires at, and its next run after that is past `from`.
  it.each(PREVIOUS_CASES.filter((slotCase) => slotCase.expected !== undefined))(
    "agrees with node-cron's own runs: $name",
    ({ expression, zone, from, expected }) => {
      const before = new Date(Date.parse(expected ?? '') - 1000);
      expect(iso(nodeCronNext(expression, zone, before))).toBe(expected);
      expect(nodeCronNext(expression, zone, new Date(expected ?? ''))?.getTime()).toBeGreaterThan(Date.parse(from));
    },
  );
});

describe('a time DST skips is never returned for the day it is skipped', () => {
  // 2027-03-14 in New York: 01:59:59 EST is followed by 03:00:00 EDT.
  it.each([
    {
      name: 'nextSlot from the start of 2027-03-14',
      slot: () => nextSlot('30 2 * * *', NY, new Date('2027-03-14T05:00:00Z')),
    },
    {
      name: 'nextSlot from 01:59 EST on 2027-03-14',
      slot: () => nextSlot('30 2 * * *', NY, new Date('2027-03-14T06:59:00Z')),
    },
    {
      name: 'previousSlot from the end of 2027-03-14',
      slot: () => previousSlot('30 2 * * *', NY, new Date('2027-03-15T03:59:00Z')),
    },
    {
      name: 'previousSlot from 03:30 EDT on 2027-03-14',
      slot: () => previousSlot('30 2 * * *', NY, new Date('2027-03-14T07:30:00Z')),
    },
  ])('$name', ({ slot }) => {
    const at = slot();
    if (at === undefined) throw new Error('expected a slot');
    const local = localClock(at, NY);
    // A real local 02:30, on another day than the one DST skipped it on.
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2} 02:30:00$/);
    expect(local.startsWith('2027-03-14')).toBe(false);
    const task = cron.createTask('30 2 * * *', () => undefined, { timezone: NY });
    try {
      expect(task.match(at)).toBe(true);
    } finally {
      void task.destroy();
    }
  });
});

describe('previousSlot in the hour DST repeats', () => {
  // 2026-11-01 in New York: 01:00–01:59 EDT (05:00Z–05:59Z), then 01:00–01:59 EST (06:00Z–06:59Z).
  // node-cron fires '45 1 * * *' at 01:45 EDT (05:45Z), as its own next run from the day before shows.
  it('node-cron fires "45 1 * * *" at 05:45Z on 2026-11-01', () => {
    expect(iso(nodeCronNext('45 1 * * *', NY, new Date('2026-11-01T04:00:00Z')))).toBe('2026-11-01T05:45:00.000Z');
  });

  // At 01:30 EST (06:30Z) the local 01:45 looks later, but its first occurrence (01:45 EDT, 05:45Z) was
  // 45 minutes earlier: the walk converts times within an hour of `from` before judging them.
  it('at 01:30 EST (06:30Z) the last "45 1 * * *" slot is 01:45 EDT the same morning (05:45Z)', () => {
    expect(iso(previousSlot('45 1 * * *', NY, new Date('2026-11-01T06:30:00Z')))).toBe('2026-11-01T05:45:00.000Z');
  });
});

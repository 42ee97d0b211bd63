// When changes may run and what running them records (POL-SEC-008 8.4, 9.1, 9.2, 10.2, 10.4): the
// pure functions of src/domain/schedule.ts and src/domain/implementation.ts, table-driven, with every
// instant passed in as a fixed constant (no real clock).
//
// The default policy (defaults.ts, 9.1): timezone America/New_York; Mon/Thu 06:00–10:00 low+medium,
// Tue/Wed 06:00–10:00 every risk; Friday and the weekend no window at all (emergency only).
// America/New_York is EST (UTC−5) from 2026-11-01 02:00 local and EDT (UTC−4) from 2026-03-08 02:00.
import { describe, expect, it, vi } from 'vitest';
import type { FormResult } from '../../src/domain/form-issues.js';
import {
  closeRefusal as closeRefusalOf,
  type ImplementationIssue,
  type ReviewForm,
  type RollbackForm,
  readReviewForm as readReviewFormOf,
  readRollbackForm as readRollbackFormOf,
  readVerification as readVerificationOf,
  reviewRequired,
  type StartFacts,
  startRefusal as startRefusalOf,
} from '../../src/domain/implementation.js';
import type { ChangeState } from '../../src/domain/lifecycle.js';
import {
  allowedPeriods,
  conflictsOf,
  type Freeze,
  fitsWindows,
  type Interval,
  nextAllowedPeriod,
  type PlannedChange,
  type ScheduleProblem,
  scheduleProblems,
  sharedSystems,
} from '../../src/domain/schedule.js';
import { IMPLEMENTATION_FIELDS as F } from '../../src/slack/blocks/form-fields.js';
import { implementationErrors } from '../../src/slack/words/forms.js';
import { closeRefusalText, startRefusalText } from '../../src/slack/words/implementation.js';
import { describePeriod, scheduleErrors } from '../../src/slack/words/schedule.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

// The domain gives a refusal's code and facts; the owner reads it through slack/words.
type CloseFacts = Parameters<typeof closeRefusalOf>[1];
// The cases below predate disputes (issue 14): no open dispute unless a case says so.
const closeRefusal = (ref: string, facts: Omit<CloseFacts, 'disputed'> & Partial<Pick<CloseFacts, 'disputed'>>) => {
  const refusal = closeRefusalOf(ref, { disputed: false, ...facts });
  return refusal && closeRefusalText(refusal);
};
const startRefusal = (...args: Parameters<typeof startRefusalOf>) => {
  const refusal = startRefusalOf(...args);
  return refusal && startRefusalText(refusal, minimalPolicy());
};
// A form's issues, as the owner reads them: on their blocks, in words.
const onBlocks = <T>(result: FormResult<T, ImplementationIssue>) =>
  result.ok ? result : { ok: false as const, errors: implementationErrors(result.issues) };
const readRollbackForm = (...args: Parameters<typeof readRollbackFormOf>) => onBlocks(readRollbackFormOf(...args));
const readVerification = (...args: Parameters<typeof readVerificationOf>) => onBlocks(readVerificationOf(...args));
const readReviewForm = (...args: Parameters<typeof readReviewFormOf>) => onBlocks(readReviewFormOf(...args));

const policy = minimalPolicy();
const TZ = 'America/New_York';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A wall-clock time in New York while on standard time (UTC−5). */
const est = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);
/** A wall-clock time in New York while on daylight time (UTC−4). */
const edt = (date: string, time: string) => new Date(`${date}T${time}:00-04:00`);
const span = (start: Date, end: Date): Interval => ({ start, end });
/** The 06:00–10:00 window of a date in late 2026 (EST). */
const windowOn = (date: string): Interval => span(est(date, '06:00'), est(date, '10:00'));

// The week of 23 Nov 2026 (EST): Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Sat 28, Sun 29, Mon 30, Tue 1 Dec.
const MON = '2026-11-23';
const TUE = '2026-11-24';
const WED = '2026-11-25';
const THU = '2026-11-26';
const FRI = '2026-11-27';
const SAT = '2026-11-28';
const SUN = '2026-11-29';
const NEXT_MON = '2026-11-30';
const NEXT_TUE = '2026-12-01';
const NEXT_WED = '2026-12-02';

/** A clock reading well before every planned time below: Sun 22 Nov 2026 12:00 EST. */
const EARLY = est('2026-11-22', '12:00');

/** describePeriod's text for a period in the policy timezone: "Mon 30 Nov 2026, 06:00–10:00 (America/New_York)". */
const windowText = (day: string, hours = '06:00–10:00') => `${day}, ${hours} (${TZ})`;
/** "The next low-risk window is Mon 30 Nov 2026, 06:00–10:00 (America/New_York)." */
const nextWindow = (risk: string, day: string) => `The next ${risk}-risk window is ${windowText(day)}.`;

const freeze = (id: string, from: string, to: string, reason = `Freeze ${id}`): Freeze => ({ id, from, to, reason });

/** Windows that join: 06:00–10:00 and 10:00–12:00 on Monday (low), plus a separate 13:00–14:00. */
const adjacentPolicy = policyWith(`deployment_windows:
  - { days: [mon], from: "06:00", to: "10:00", risks: [low] }
  - { days: [mon], from: "10:00", to: "12:00", risks: [low] }
  - { days: [mon], from: "13:00", to: "14:00", risks: [low] }
  - { days: [tue], from: "06:00", to: "10:00", risks: [low, high] }
  - { days: [tue], from: "08:00", to: "09:00", risks: [low] }
  - { days: [tue], from: "10:00", to: "12:00", risks: [high] }
`);

/** Every day 01:00–04:00 and 06:00–10:00, all risks: for the DST Sundays, which have no default window. */
const dailyPolicy = policyWith(`deployment_windows:
  - { days: [mon, tue, wed, thu, fri, sat, sun], from: "06:00", to: "10:00", risks: [low, medium, high, critical] }
  - { days: [mon, tue, wed, thu, fri, sat, sun], from: "01:00", to: "04:00", risks: [low, medium, high, critical] }
`);

/** Only low and medium changes have a window. */
const lowOnlyPolicy = policyWith(`deployment_windows:
  - { days: [mon, tue, wed, thu], from: "06:00", to: "10:00", risks: [low, medium] }
`);

const refusePolicy = policyWith(`scheduling: { freeze_rule: refuse }
`);

describe('9.1 the default policy loads the POL-SEC-008 windows', () => {
  it('9.1 Mon/Thu low+medium, Tue/Wed all risks, 06:00–10:00 in America/New_York', () => {
    expect(policy.timezone).toBe(TZ);
    expect(policy.deployment_windows).toEqual([
      { days: ['mon', 'thu'], from: '06:00', to: '10:00', risks: ['low', 'medium'] },
      { days: ['tue', 'wed'], from: '06:00', to: '10:00', risks: ['low', 'medium', 'high', 'critical'] },
    ]);
    expect(policy.scheduling.freeze_rule).toBe('exception');
    expect(refusePolicy.scheduling.freeze_rule).toBe('refuse');
  });
});

describe('allowedPeriods: the periods a risk may run in (9.1)', () => {
  const week = { from: est(MON, '00:00'), until: est(NEXT_MON, '00:00') };

  it.each([
    { name: '9.1 low: Mon, Tue, Wed, Thu', risk: 'low', days: [MON, TUE, WED, THU] },
    { name: '9.1 medium: Mon, Tue, Wed, Thu', risk: 'medium', days: [MON, TUE, WED, THU] },
    { name: '9.1 high: Tue and Wed only', risk: 'high', days: [TUE, WED] },
    { name: '9.1 critical: Tue and Wed only', risk: 'critical', days: [TUE, WED] },
    { name: '9.1 a risk no window names: none', risk: 'extreme', days: [] },
  ])('$name', ({ risk, days }) => {
    expect(allowedPeriods(policy, risk, week.from, week.until)).toEqual(days.map(windowOn));
  });

  it('9.1 Friday and the weekend have no period for any risk', () => {
    for (const risk of ['low', 'medium', 'high', 'critical']) {
      expect(allowedPeriods(policy, risk, est(FRI, '00:00'), est(NEXT_MON, '00:00'))).toEqual([]);
    }
  });

  it('9.1 a period already under way at `from` is included whole; one that closed exactly at `from` is not', () => {
    expect(allowedPeriods(policy, 'low', est(MON, '08:00'), est(MON, '23:00'))).toEqual([windowOn(MON)]);
    expect(allowedPeriods(policy, 'low', est(MON, '10:00'), est(MON, '23:00'))).toEqual([]);
    // `until` is exclusive too: a window opening exactly at `until` is not listed.
    expect(allowedPeriods(policy, 'low', est(SUN, '00:00'), est(NEXT_MON, '06:00'))).toEqual([]);
  });

  it('9.1 windows that touch (10:00 / 10:00) or overlap are joined into one period; a gap keeps them apart', () => {
    expect(allowedPeriods(adjacentPolicy, 'low', est(MON, '00:00'), est(TUE, '23:59'))).toEqual([
      span(est(MON, '06:00'), est(MON, '12:00')),
      span(est(MON, '13:00'), est(MON, '14:00')),
      // Tue 06:00–10:00 contains 08:00–09:00: joined without shortening.
      span(est(TUE, '06:00'), est(TUE, '10:00')),
    ]);
    // For high risk the Tuesday windows are 06:00–10:00 and 10:00–12:00: joined.
    expect(allowedPeriods(adjacentPolicy, 'high', est(MON, '00:00'), est(TUE, '23:59'))).toEqual([
      span(est(TUE, '06:00'), est(TUE, '12:00')),
    ]);
  });

  it('9.1 DST: the 06:00 window opens at 06:00 EDT on 2026-03-08 (spring forward), 06:00 EST on 2026-11-01', () => {
    expect(allowedPeriods(dailyPolicy, 'low', est('2026-03-08', '04:30'), edt('2026-03-08', '23:00'))).toEqual([
      span(edt('2026-03-08', '06:00'), edt('2026-03-08', '10:00')),
    ]);
    expect(allowedPeriods(dailyPolicy, 'low', est('2026-11-01', '04:30'), est('2026-11-01', '23:00'))).toEqual([
      span(est('2026-11-01', '06:00'), est('2026-11-01', '10:00')),
    ]);
    // The day before each change of offset is still on the old offset.
    expect(allowedPeriods(dailyPolicy, 'low', est('2026-03-07', '04:30'), est('2026-03-07', '23:00'))).toEqual([
      span(est('2026-03-07', '06:00'), est('2026-03-07', '10:00')),
    ]);
    expect(allowedPeriods(dailyPolicy, 'low', edt('2026-10-31', '04:30'), edt('2026-10-31', '23:00'))).toEqual([
      span(edt('2026-10-31', '06:00'), edt('2026-10-31', '10:00')),
    ]);
  });

  it('9.1 DST: a 01:00–04:00 window is 2 real hours on 2026-03-08 and 4 on 2026-11-01 (wall-clock ends)', () => {
    const [spring] = allowedPeriods(dailyPolicy, 'low', est('2026-03-08', '00:30'), est('2026-03-08', '01:30'));
    expect(spring).toEqual(span(est('2026-03-08', '01:00'), edt('2026-03-08', '04:00')));
    expect(spring && spring.end.getTime() - spring.start.getTime()).toBe(2 * HOUR);
    const [fall] = allowedPeriods(dailyPolicy, 'low', edt('2026-11-01', '00:30'), edt('2026-11-01', '01:30'));
    // 01:00 happens twice on 2026-11-01; the window opens at the first (EDT).
    expect(fall).toEqual(span(edt('2026-11-01', '01:00'), est('2026-11-01', '04:00')));
    expect(fall && fall.end.getTime() - fall.start.getTime()).toBe(4 * HOUR);
  });

  it.each(['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'])(
    '9.1 DST: the repeated 01:00 of 2026-11-01 is the first (EDT) whatever the offset on the day it is read (%s)',
    (today) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(today));
      try {
        expect(allowedPeriods(dailyPolicy, 'low', edt('2026-11-01', '00:30'), edt('2026-11-01', '01:30'))).toEqual([
          span(edt('2026-11-01', '01:00'), est('2026-11-01', '04:00')),
        ]);
      } finally {
        vi.useRealTimers();
      }
    },
  );
});

// On Sun 2026-03-08 New York goes 01:59 EST → 03:00 EDT: a window boundary in the skipped hour is
// read after the jump, so a Sunday window "02:00–03:00" (or "02:30–04:00") does not open before
// 03:00 EDT, and a change at 01:15 EST (before the window's opening time on any reading) is refused.
describe('9.1 DST: a window boundary in the skipped hour of 2026-03-08', () => {
  const skippedHourPolicy = policyWith(`deployment_windows:
  - { days: [sun], from: "02:00", to: "03:00", risks: [low] }
  - { days: [sun], from: "02:30", to: "04:00", risks: [medium] }
`);

  it('9.1 a change at 01:15–01:45 EST does not fit a Sunday "02:00–03:00" window', () => {
    expect(fitsWindows(span(est('2026-03-08', '01:15'), est('2026-03-08', '01:45')), 'low', skippedHourPolicy)).toBe(
      false,
    );
  });

  it('9.1 a Sunday "02:30–04:00" window opens no earlier than the clocks jump to 03:00 EDT', () => {
    const [period] = allowedPeriods(
      skippedHourPolicy,
      'medium',
      est('2026-03-08', '00:00'),
      edt('2026-03-08', '12:00'),
    );
    expect(period?.start.getTime()).toBeGreaterThanOrEqual(edt('2026-03-08', '03:00').getTime());
  });

  it('9.1 (the same windows on a normal Sunday are wall-clock 02:00–03:00 and 02:30–04:00)', () => {
    expect(allowedPeriods(skippedHourPolicy, 'low', est(SUN, '00:00'), est(SUN, '12:00'))).toEqual([
      span(est(SUN, '02:00'), est(SUN, '03:00')),
    ]);
    expect(allowedPeriods(skippedHourPolicy, 'medium', est(SUN, '00:00'), est(SUN, '12:00'))).toEqual([
      span(est(SUN, '02:30'), est(SUN, '04:00')),
    ]);
  });
});

describe('fitsWindows: the whole change inside one allowed period (9.1)', () => {
  it.each([
    {
      name: '9.1 inside the Monday window (low)',
      risk: 'low',
      start: est(MON, '07:00'),
      end: est(MON, '09:00'),
      fits: true,
    },
    {
      name: '9.1 inside the Monday window (medium)',
      risk: 'medium',
      start: est(MON, '07:00'),
      end: est(MON, '09:00'),
      fits: true,
    },
    {
      name: '9.1 the whole window, 06:00–10:00',
      risk: 'low',
      start: est(MON, '06:00'),
      end: est(MON, '10:00'),
      fits: true,
    },
    {
      name: '9.1 boundary: start == 06:00 allowed',
      risk: 'low',
      start: est(MON, '06:00'),
      end: est(MON, '07:00'),
      fits: true,
    },
    {
      name: '9.1 boundary: end == 10:00 allowed',
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(MON, '10:00'),
      fits: true,
    },
    {
      name: '9.1 boundary: end 10:01 not allowed',
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(MON, '10:01'),
      fits: false,
    },
    {
      name: '9.1 boundary: start 05:59 not allowed',
      risk: 'low',
      start: est(MON, '05:59'),
      end: est(MON, '07:00'),
      fits: false,
    },
    { name: '9.1 start before the window', risk: 'low', start: est(MON, '05:00'), end: est(MON, '07:00'), fits: false },
    {
      name: '9.1 end after the window closes',
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(MON, '11:00'),
      fits: false,
    },
    { name: '9.1 wholly after the window', risk: 'low', start: est(MON, '11:00'), end: est(MON, '12:00'), fits: false },
    {
      name: '9.1 Monday window to Tuesday window: the night between is not allowed',
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(TUE, '07:00'),
      fits: false,
    },
    {
      name: '9.1 high risk on Monday refused',
      risk: 'high',
      start: est(MON, '07:00'),
      end: est(MON, '08:00'),
      fits: false,
    },
    {
      name: '9.1 critical risk on Thursday refused',
      risk: 'critical',
      start: est(THU, '07:00'),
      end: est(THU, '08:00'),
      fits: false,
    },
    {
      name: '9.1 high risk on Tuesday allowed',
      risk: 'high',
      start: est(TUE, '07:00'),
      end: est(TUE, '08:00'),
      fits: true,
    },
    {
      name: '9.1 critical risk on Wednesday allowed',
      risk: 'critical',
      start: est(WED, '06:00'),
      end: est(WED, '10:00'),
      fits: true,
    },
    {
      name: '9.1 medium risk on Thursday allowed',
      risk: 'medium',
      start: est(THU, '07:00'),
      end: est(THU, '08:00'),
      fits: true,
    },
    ...['low', 'medium', 'high', 'critical'].flatMap((risk) => [
      {
        name: `9.1 Friday refused for ${risk} risk`,
        risk,
        start: est(FRI, '07:00'),
        end: est(FRI, '08:00'),
        fits: false,
      },
      {
        name: `9.1 Saturday refused for ${risk} risk`,
        risk,
        start: est(SAT, '07:00'),
        end: est(SAT, '08:00'),
        fits: false,
      },
      {
        name: `9.1 Sunday refused for ${risk} risk`,
        risk,
        start: est(SUN, '07:00'),
        end: est(SUN, '08:00'),
        fits: false,
      },
    ]),
  ])('$name', ({ risk, start, end, fits }) => {
    expect(fitsWindows(span(start, end), risk, policy)).toBe(fits);
  });

  it.each([
    {
      name: '9.1 adjacent windows 06:00–10:00 + 10:00–12:00 are joined: 09:00–11:00 fits',
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(MON, '11:00'),
      fits: true,
    },
    {
      name: '9.1 adjacent windows joined: 06:00–12:00 fits',
      risk: 'low',
      start: est(MON, '06:00'),
      end: est(MON, '12:00'),
      fits: true,
    },
    {
      name: '9.1 adjacent windows joined: still ends at 12:00',
      risk: 'low',
      start: est(MON, '11:00'),
      end: est(MON, '12:01'),
      fits: false,
    },
    {
      name: '9.1 windows with a gap (12:00 / 13:00) are not joined',
      risk: 'low',
      start: est(MON, '11:30'),
      end: est(MON, '13:30'),
      fits: false,
    },
    {
      name: '9.1 adjacent windows for another risk do not join: Tue 09:00–11:00 low',
      risk: 'low',
      start: est(TUE, '09:00'),
      end: est(TUE, '11:00'),
      fits: false,
    },
    {
      name: '9.1 adjacent windows both allowing the risk join: Tue 09:00–11:00 high',
      risk: 'high',
      start: est(TUE, '09:00'),
      end: est(TUE, '11:00'),
      fits: true,
    },
  ])('$name', ({ risk, start, end, fits }) => {
    expect(fitsWindows(span(start, end), risk, adjacentPolicy)).toBe(fits);
  });

  it.each([
    {
      name: '9.1 DST 2026-03-08: 06:00–10:00 EDT fits',
      start: edt('2026-03-08', '06:00'),
      end: edt('2026-03-08', '10:00'),
      fits: true,
    },
    {
      name: '9.1 DST 2026-03-08: 05:30 EDT (an hour before, as UTC offsets go, of 06:30 EST) does not fit',
      start: edt('2026-03-08', '05:30'),
      end: edt('2026-03-08', '07:00'),
      fits: false,
    },
    {
      name: '9.1 DST 2026-03-08: ending 10:30 EDT does not fit',
      start: edt('2026-03-08', '09:00'),
      end: edt('2026-03-08', '10:30'),
      fits: false,
    },
    {
      name: '9.1 DST 2026-11-01: 06:00–10:00 EST fits',
      start: est('2026-11-01', '06:00'),
      end: est('2026-11-01', '10:00'),
      fits: true,
    },
    {
      name: '9.1 DST 2026-11-01: 05:00 EST (06:00 by the summer offset) does not fit',
      start: est('2026-11-01', '05:00'),
      end: est('2026-11-01', '07:00'),
      fits: false,
    },
    {
      name: '9.1 DST 2026-11-01: ending 10:30 EST does not fit',
      start: est('2026-11-01', '09:00'),
      end: est('2026-11-01', '10:30'),
      fits: false,
    },
  ])('$name', ({ start, end, fits }) => {
    expect(fitsWindows(span(start, end), 'low', dailyPolicy)).toBe(fits);
  });

  it('9.1 DST with the default windows: Mon 2026-03-09 opens at 06:00 EDT, Mon 2026-11-02 at 06:00 EST', () => {
    expect(fitsWindows(span(edt('2026-03-09', '06:00'), edt('2026-03-09', '10:00')), 'low', policy)).toBe(true);
    expect(fitsWindows(span(est('2026-03-09', '09:30'), est('2026-03-09', '10:00')), 'low', policy)).toBe(false);
    expect(fitsWindows(span(est('2026-11-02', '06:00'), est('2026-11-02', '10:00')), 'low', policy)).toBe(true);
    expect(fitsWindows(span(edt('2026-11-02', '06:00'), edt('2026-11-02', '07:00')), 'low', policy)).toBe(false);
  });
});

describe('nextAllowedPeriod: the next time a change may run (9.1, 9.2)', () => {
  const FRIDAY_NOON = est(FRI, '12:00');

  it.each([
    {
      name: '9.1 from Friday, low risk → Monday',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [],
      next: windowOn(NEXT_MON),
    },
    {
      name: '9.1 from Friday, medium risk → Monday',
      risk: 'medium',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [],
      next: windowOn(NEXT_MON),
    },
    {
      name: '9.1 from Friday, high risk → Tuesday',
      risk: 'high',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [],
      next: windowOn(NEXT_TUE),
    },
    {
      name: '9.1 from Friday, critical risk → Tuesday',
      risk: 'critical',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [],
      next: windowOn(NEXT_TUE),
    },
    {
      name: '9.1 from Monday, high risk → Tuesday (Monday allows low/medium only)',
      risk: 'high',
      after: est(MON, '07:00'),
      duration: HOUR,
      freezes: [],
      next: windowOn(TUE),
    },
    {
      name: '9.1 a duration of exactly the window still fits',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: 4 * HOUR,
      freezes: [],
      next: windowOn(NEXT_MON),
    },
    {
      name: '9.1 "after" inside a window: now … the window end',
      risk: 'low',
      after: est(MON, '08:30'),
      duration: HOUR,
      freezes: [],
      next: span(est(MON, '08:30'), est(MON, '10:00')),
    },
    {
      name: '9.1 "after" exactly at the window start: the whole window',
      risk: 'low',
      after: est(MON, '06:00'),
      duration: HOUR,
      freezes: [],
      next: windowOn(MON),
    },
    {
      name: '9.1 "after" exactly at the window end: the next day',
      risk: 'low',
      after: est(MON, '10:00'),
      duration: HOUR,
      freezes: [],
      next: windowOn(TUE),
    },
    {
      name: '9.1 "after" inside a window with too little of it left: the next one',
      risk: 'low',
      after: est(MON, '09:30'),
      duration: HOUR,
      freezes: [],
      next: windowOn(TUE),
    },
    {
      name: '9.1 a zero duration fits the rest of the window',
      risk: 'low',
      after: est(MON, '09:59'),
      duration: 0,
      freezes: [],
      next: span(est(MON, '09:59'), est(MON, '10:00')),
    },
    {
      name: '9.2 a freeze over Mon–Tue is skipped: low → Wednesday',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [freeze('FRZ-1', NEXT_MON, NEXT_TUE)],
      next: windowOn(NEXT_WED),
    },
    {
      name: '9.2 a freeze over Tue–Wed is skipped: high → the Tuesday after',
      risk: 'high',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [freeze('FRZ-1', NEXT_TUE, NEXT_WED)],
      next: windowOn('2026-12-08'),
    },
    {
      name: '9.2 a freeze ending the day before (Sunday) does not block Monday',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [freeze('FRZ-1', FRI, SUN)],
      next: windowOn(NEXT_MON),
    },
    {
      name: '9.2 a freeze starting the day after does not block Monday',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [freeze('FRZ-1', NEXT_TUE, NEXT_TUE)],
      next: windowOn(NEXT_MON),
    },
    {
      name: '9.2 "after" inside a frozen window: the next unfrozen one',
      risk: 'low',
      after: est(MON, '07:00'),
      duration: HOUR,
      freezes: [freeze('FRZ-1', MON, MON)],
      next: windowOn(TUE),
    },
    {
      name: '9.2 several freezes are all skipped',
      risk: 'low',
      after: FRIDAY_NOON,
      duration: HOUR,
      freezes: [freeze('FRZ-1', NEXT_MON, NEXT_MON), freeze('policy-1', NEXT_TUE, NEXT_WED)],
      next: windowOn('2026-12-03'),
    },
  ])('$name', ({ risk, after, duration, freezes, next }) => {
    expect(nextAllowedPeriod(policy, { risk, after, durationMs: duration }, freezes)).toEqual(next);
  });

  it.each([
    {
      name: '9.1 a duration longer than every window (4 h 1 min) → undefined',
      risk: 'low',
      duration: 4 * HOUR + MINUTE,
      freezes: [] as Freeze[],
      windows: policy,
    },
    {
      name: '9.1 no window allows the risk (critical, low/medium-only policy) → undefined',
      risk: 'critical',
      duration: HOUR,
      freezes: [] as Freeze[],
      windows: lowOnlyPolicy,
    },
    {
      name: '9.1 a risk level no window names → undefined',
      risk: 'extreme',
      duration: HOUR,
      freezes: [] as Freeze[],
      windows: policy,
    },
    {
      name: '9.2 a freeze over the whole four-month search → undefined',
      risk: 'low',
      duration: HOUR,
      freezes: [freeze('FRZ-9', FRI, '2027-12-31')],
      windows: policy,
    },
  ])('$name', ({ risk, duration, freezes, windows }) => {
    expect(nextAllowedPeriod(windows, { risk, after: FRIDAY_NOON, durationMs: duration }, freezes)).toBeUndefined();
  });

  it('9.1 a duration longer than one window fits joined adjacent windows', () => {
    // Mon 06:00–12:00 joined (6 h) holds a 5-hour change; no default window would.
    expect(
      nextAllowedPeriod(adjacentPolicy, { risk: 'low', after: est('2026-11-22', '12:00'), durationMs: 5 * HOUR }, []),
    ).toEqual(span(est(MON, '06:00'), est(MON, '12:00')));
    // 6 h 1 min: nothing on Monday or Tuesday, nor any week after.
    expect(
      nextAllowedPeriod(
        adjacentPolicy,
        { risk: 'low', after: est('2026-11-22', '12:00'), durationMs: 6 * HOUR + MINUTE },
        [],
      ),
    ).toBeUndefined();
  });

  it('9.1 DST: next low window from Fri 03-06 (EST): Mon 03-09 06:00 EDT; from Fri 10-30 (EDT): Mon 11-02 EST', () => {
    expect(nextAllowedPeriod(policy, { risk: 'low', after: est('2026-03-06', '12:00'), durationMs: HOUR }, [])).toEqual(
      span(edt('2026-03-09', '06:00'), edt('2026-03-09', '10:00')),
    );
    expect(nextAllowedPeriod(policy, { risk: 'low', after: edt('2026-10-30', '12:00'), durationMs: HOUR }, [])).toEqual(
      span(est('2026-11-02', '06:00'), est('2026-11-02', '10:00')),
    );
  });
});

describe('scheduleProblems: what stands in the way of a planned change (9.1, 9.2)', () => {
  it.each([
    {
      name: '9.1 inside its window, no freeze: no problem',
      risk: 'low',
      start: est(MON, '07:00'),
      end: est(MON, '08:00'),
      now: EARLY,
      problems: [],
    },
    {
      name: "9.1 start before the window: the start's problem; next window the same morning",
      risk: 'low',
      start: est(MON, '05:00'),
      end: est(MON, '07:00'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'start', next: windowOn(MON) }],
    },
    {
      name: "9.1 start inside, end past the window close: the end's problem; next window long enough is Tuesday",
      risk: 'low',
      start: est(MON, '09:00'),
      end: est(MON, '11:00'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'end', next: windowOn(TUE) }],
    },
    {
      name: "9.1 end 10:01: the end's problem",
      risk: 'low',
      start: est(MON, '07:00'),
      end: est(MON, '10:01'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'end', next: windowOn(TUE) }],
    },
    {
      name: "9.1 start exactly at 10:00 (window closed): the start's problem",
      risk: 'low',
      start: est(MON, '10:00'),
      end: est(MON, '10:30'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'start', next: windowOn(TUE) }],
    },
    {
      name: "9.1 high risk on Monday: the start's problem; next window Tuesday",
      risk: 'high',
      start: est(MON, '07:00'),
      end: est(MON, '08:00'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'start', next: windowOn(TUE) }],
    },
    {
      name: "9.1 Friday: the start's problem; next low window Monday",
      risk: 'low',
      start: est(FRI, '07:00'),
      end: est(FRI, '08:00'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'start', next: windowOn(NEXT_MON) }],
    },
    {
      name: '9.1 the next window is looked for from now when now is later than the planned start',
      risk: 'low',
      start: est(MON, '05:00'),
      end: est(MON, '07:00'),
      now: est(TUE, '07:00'),
      problems: [{ kind: 'outside_window', field: 'start', next: span(est(TUE, '07:00'), est(TUE, '10:00')) }],
    },
    {
      name: '9.1 a change longer than every window: no next window',
      risk: 'low',
      start: est(MON, '06:00'),
      end: est(MON, '11:00'),
      now: EARLY,
      problems: [{ kind: 'outside_window', field: 'end', next: undefined }],
    },
  ])('$name', ({ risk, start, end, now, problems }) => {
    expect(scheduleProblems({ interval: span(start, end), risk }, policy, [], now)).toEqual(problems);
  });

  it('9.2 the freezes a change touches are listed, the others not; the next window skips them', () => {
    const monday = freeze('FRZ-1', MON, MON, 'Thanksgiving week');
    const later = freeze('policy-1', '2026-12-20', '2027-01-02', 'Holiday freeze');
    expect(
      scheduleProblems(
        { interval: span(est(MON, '07:00'), est(MON, '08:00')), risk: 'low' },
        policy,
        [monday, later],
        EARLY,
      ),
    ).toEqual([{ kind: 'freeze', freeze: monday }]);
    // Friday in a freeze: outside the window and in the freeze; the next window is after the freeze.
    const weekend = freeze('FRZ-2', FRI, NEXT_MON, 'Black Friday');
    expect(
      scheduleProblems(
        { interval: span(est(FRI, '07:00'), est(FRI, '08:00')), risk: 'low' },
        policy,
        [weekend, later],
        EARLY,
      ),
    ).toEqual([
      { kind: 'outside_window', field: 'start', next: windowOn(NEXT_TUE) },
      { kind: 'freeze', freeze: weekend },
    ]);
  });

  it('9.2 two overlapping freezes are both listed', () => {
    const a = freeze('FRZ-1', MON, TUE);
    const b = freeze('FRZ-2', '2026-11-22', MON);
    expect(
      scheduleProblems({ interval: span(est(MON, '07:00'), est(MON, '08:00')), risk: 'low' }, policy, [a, b], EARLY),
    ).toEqual([
      { kind: 'freeze', freeze: a },
      { kind: 'freeze', freeze: b },
    ]);
  });

  // Freeze dates are whole calendar days, both inclusive, in the policy timezone: the freeze runs from
  // midnight of `from` to midnight after `to`, New York time (not UTC). Low risk on the freeze's days
  // is outside every window anyway, so only the freeze problems are compared.
  const thanksgiving = freeze('FRZ-7', THU, FRI, 'Thanksgiving');
  const freezesOf = (start: Date, end: Date, freezes: readonly Freeze[] = [thanksgiving]) =>
    scheduleProblems({ interval: span(start, end), risk: 'low' }, policy, freezes, EARLY).flatMap((problem) =>
      problem.kind === 'freeze' ? [problem.freeze.id] : [],
    );

  it.each([
    {
      name: "9.2 23:30 local on the freeze's last day is inside (04:30 UTC the next day)",
      start: est(FRI, '23:30'),
      end: est(FRI, '23:45'),
      frozen: true,
    },
    {
      name: '9.2 00:30 local the day after the freeze is not inside (05:30 UTC)',
      start: est(SAT, '00:30'),
      end: est(SAT, '01:00'),
      frozen: false,
    },
    {
      name: '9.2 ending exactly at midnight after the last day: inside',
      start: est(FRI, '23:30'),
      end: est(SAT, '00:00'),
      frozen: true,
    },
    {
      name: '9.2 starting exactly at midnight after the last day: not inside',
      start: est(SAT, '00:00'),
      end: est(SAT, '00:30'),
      frozen: false,
    },
    {
      name: "9.2 00:00 local on the freeze's first day is inside",
      start: est(THU, '00:00'),
      end: est(THU, '00:30'),
      frozen: true,
    },
    {
      name: '9.2 ending exactly at midnight before the first day: not inside',
      start: est(WED, '23:00'),
      end: est(THU, '00:00'),
      frozen: false,
    },
    {
      name: '9.2 23:30 local the day before the freeze is not inside (although 04:30 UTC on its first day)',
      start: est(WED, '23:30'),
      end: est(WED, '23:45'),
      frozen: false,
    },
    {
      name: '9.2 running into the freeze from the day before: inside',
      start: est(WED, '23:30'),
      end: est(THU, '00:30'),
      frozen: true,
    },
    { name: '9.2 spanning the whole freeze: inside', start: est(WED, '12:00'), end: est(SAT, '12:00'), frozen: true },
  ])('$name', ({ start, end, frozen }) => {
    expect(freezesOf(start, end)).toEqual(frozen ? ['FRZ-7'] : []);
  });

  it('9.2 DST: a freeze ending on 2026-11-01 (25-hour day) covers 23:30 EST that day, not 00:30 the next', () => {
    const fall = freeze('FRZ-8', '2026-10-31', '2026-11-01');
    expect(freezesOf(est('2026-11-01', '23:30'), est('2026-11-01', '23:45'), [fall])).toEqual(['FRZ-8']);
    expect(freezesOf(est('2026-11-02', '00:30'), est('2026-11-02', '01:00'), [fall])).toEqual([]);
    // It starts at midnight EDT on 2026-10-31.
    expect(freezesOf(edt('2026-10-30', '23:30'), edt('2026-10-30', '23:59'), [fall])).toEqual([]);
    expect(freezesOf(edt('2026-10-31', '00:00'), edt('2026-10-31', '00:30'), [fall])).toEqual(['FRZ-8']);
  });

  it('9.2 DST: a freeze ending on 2026-03-08 (23-hour day) covers 23:30 EDT that day, not 00:30 the next', () => {
    const spring = freeze('FRZ-9', '2026-03-07', '2026-03-08');
    expect(freezesOf(edt('2026-03-08', '23:30'), edt('2026-03-08', '23:45'), [spring])).toEqual(['FRZ-9']);
    expect(freezesOf(edt('2026-03-09', '00:30'), edt('2026-03-09', '01:00'), [spring])).toEqual([]);
    expect(freezesOf(est('2026-03-06', '23:30'), est('2026-03-06', '23:59'), [spring])).toEqual([]);
    expect(freezesOf(est('2026-03-07', '00:00'), est('2026-03-07', '00:30'), [spring])).toEqual(['FRZ-9']);
  });
});

describe('describePeriod: a period as people read it (9.1)', () => {
  it.each([
    { name: '9.1 a Monday window in EST', period: windowOn(NEXT_MON), text: windowText('Mon 30 Nov 2026') },
    { name: '9.1 a Tuesday window in EST', period: windowOn(TUE), text: windowText('Tue 24 Nov 2026') },
    {
      name: '9.1 a window in EDT',
      period: span(edt('2026-03-09', '06:00'), edt('2026-03-09', '10:00')),
      text: windowText('Mon 9 Mar 2026'),
    },
    {
      name: '9.1 the rest of a window',
      period: span(est(MON, '08:30'), est(MON, '10:00')),
      text: windowText('Mon 23 Nov 2026', '08:30–10:00'),
    },
  ])('$name', ({ period, text }) => {
    expect(describePeriod(period, TZ)).toBe(text);
  });

  it('9.1 a period across midnight names both dates', () => {
    const text = describePeriod(span(est(MON, '22:00'), est(TUE, '02:00')), TZ);
    expect(text).toMatch(/^Mon,? 23 Nov 2026, 22:00–Tue,? 24 Nov 2026, 02:00 \(America\/New_York\)$/);
  });
});

describe('scheduleErrors: the modal errors for a planned change (9.1, 9.2)', () => {
  const FIELDS = { start: 'planned_start', end: 'planned_end', exception: 'schedule_exception' };
  const startProblem: ScheduleProblem = { kind: 'outside_window', field: 'start', next: windowOn(NEXT_MON) };
  const endProblem: ScheduleProblem = { kind: 'outside_window', field: 'end', next: windowOn(TUE) };
  const noNext: ScheduleProblem = { kind: 'outside_window', field: 'start', next: undefined };
  const thanksgiving = freeze('FRZ-3', THU, FRI, 'Thanksgiving');
  const freezeProblem: ScheduleProblem = { kind: 'freeze', freeze: thanksgiving };

  it.each([
    { name: '9.1/9.2 no problems, no exception → {}', problems: [], requested: false, rule: policy },
    { name: '9.1/9.2 no problems, exception requested → {}', problems: [], requested: true, rule: refusePolicy },
    {
      name: '9.1 outside the window with an exception requested → {} (freeze_rule exception)',
      problems: [startProblem],
      requested: true,
      rule: policy,
    },
    {
      name: '9.1 outside the window with an exception requested → {} even under freeze_rule refuse',
      problems: [startProblem, endProblem],
      requested: true,
      rule: refusePolicy,
    },
    {
      name: '9.2 a freeze with an exception requested → {} under freeze_rule exception',
      problems: [freezeProblem],
      requested: true,
      rule: policy,
    },
    {
      name: '9.1/9.2 window and freeze with an exception requested → {} under freeze_rule exception',
      problems: [startProblem, freezeProblem],
      requested: true,
      rule: policy,
    },
  ])('$name', ({ problems, requested, rule }) => {
    expect(scheduleErrors(problems, { risk: 'low', exceptionRequested: requested }, rule, FIELDS)).toEqual({});
  });

  it('9.1 a start outside the windows: error on the start field, names the next window and the exception route', () => {
    const errors = scheduleErrors([startProblem], { risk: 'low', exceptionRequested: false }, policy, FIELDS);
    expect(Object.keys(errors)).toEqual([FIELDS.start]);
    expect(errors[FIELDS.start]).toContain(
      'The planned start is outside the deployment windows for low-risk changes (9.1).',
    );
    expect(errors[FIELDS.start]).toContain(nextWindow('low', 'Mon 30 Nov 2026'));
    expect(errors[FIELDS.start]).toContain('Request an exception');
    expect(errors[FIELDS.start]).toContain('cto');
  });

  it('9.1 an end past the window: error on the end field, names the next window', () => {
    const errors = scheduleErrors([endProblem], { risk: 'high', exceptionRequested: false }, policy, FIELDS);
    expect(Object.keys(errors)).toEqual([FIELDS.end]);
    expect(errors[FIELDS.end]).toContain(
      'The planned end is past the end of the deployment windows for high-risk changes (9.1).',
    );
    expect(errors[FIELDS.end]).toContain(nextWindow('high', 'Tue 24 Nov 2026'));
  });

  it('9.1 no next window: says no window in the next 120 days allows the risk', () => {
    const errors = scheduleErrors([noNext], { risk: 'extreme', exceptionRequested: false }, policy, FIELDS);
    expect(errors[FIELDS.start]).toContain(
      'No deployment window in the next 120 days is open to extreme-risk changes, ' +
        'long enough for this one and outside every freeze.',
    );
  });

  it('9.1 outside the window under freeze_rule refuse (no freeze): the exception route is still offered', () => {
    const errors = scheduleErrors([startProblem], { risk: 'low', exceptionRequested: false }, refusePolicy, FIELDS);
    expect(errors[FIELDS.start]).toContain('Request an exception');
  });

  it('9.2 a freeze, no exception, freeze_rule exception: error on start, offers the exception', () => {
    const errors = scheduleErrors([freezeProblem], { risk: 'low', exceptionRequested: false }, policy, FIELDS);
    expect(Object.keys(errors)).toEqual([FIELDS.start]);
    expect(errors[FIELDS.start]).toContain(
      'It is planned into the change freeze “Thanksgiving” (2026-11-26 to 2026-11-27) (9.2).',
    );
    expect(errors[FIELDS.start]).toContain('Request an exception');
  });

  it('9.2 a freeze, no exception, freeze_rule refuse: error on start, no exception offered, says when to plan', () => {
    const errors = scheduleErrors([freezeProblem], { risk: 'low', exceptionRequested: false }, refusePolicy, FIELDS);
    expect(Object.keys(errors)).toEqual([FIELDS.start]);
    expect(errors[FIELDS.start]).toContain('no change runs during it (9.2)');
    expect(errors[FIELDS.start]).toContain('Plan it after 2026-11-27.');
    expect(errors[FIELDS.start]).not.toContain('Request an exception');
  });

  it('9.2 a freeze with an exception requested under freeze_rule refuse: errors on start and on the exception', () => {
    const errors = scheduleErrors([freezeProblem], { risk: 'low', exceptionRequested: true }, refusePolicy, FIELDS);
    expect(Object.keys(errors).sort()).toEqual([FIELDS.exception, FIELDS.start].sort());
    expect(errors[FIELDS.start]).toContain('no change runs during it (9.2)');
    expect(errors[FIELDS.exception]).toContain('An exception cannot be granted');
  });

  it('9.1/9.2 window and freeze, freeze_rule refuse, exception asked: both on start, exception refused', () => {
    const errors = scheduleErrors(
      [startProblem, freezeProblem],
      { risk: 'low', exceptionRequested: true },
      refusePolicy,
      FIELDS,
    );
    expect(errors[FIELDS.start]).toContain(
      'The planned start is outside the deployment windows for low-risk changes (9.1).',
    );
    expect(errors[FIELDS.start]).toContain(nextWindow('low', 'Mon 30 Nov 2026'));
    expect(errors[FIELDS.start]).toContain('Plan it after 2026-11-27.');
    expect(errors[FIELDS.start]).not.toContain('Request an exception');
    expect(errors[FIELDS.exception]).toContain('An exception cannot be granted');
  });

  it('9.1/9.2 end error and freeze without exception: each on its own field', () => {
    const errors = scheduleErrors(
      [endProblem, freezeProblem],
      { risk: 'low', exceptionRequested: false },
      policy,
      FIELDS,
    );
    expect(Object.keys(errors).sort()).toEqual([FIELDS.end, FIELDS.start].sort());
    expect(errors[FIELDS.end]).toContain(windowText('Tue 24 Nov 2026'));
    expect(errors[FIELDS.start]).toContain('Thanksgiving');
  });

  it('9.1 end to end: a Friday change gets a start error naming Monday', () => {
    const problems = scheduleProblems(
      { interval: span(est(FRI, '07:00'), est(FRI, '08:00')), risk: 'medium' },
      policy,
      [],
      EARLY,
    );
    const errors = scheduleErrors(problems, { risk: 'medium', exceptionRequested: false }, policy, FIELDS);
    expect(errors[FIELDS.start]).toContain(nextWindow('medium', 'Mon 30 Nov 2026'));
  });

  // A change longer than every window is not told that no window allows its risk level: the message names the
  // length too.
  it('9.1 a change longer than every window is not told that no window allows its risk level', () => {
    const problems = scheduleProblems(
      { interval: span(est(MON, '06:00'), est(MON, '11:00')), risk: 'low' },
      policy,
      [],
      EARLY,
    );
    const errors = scheduleErrors(problems, { risk: 'low', exceptionRequested: false }, policy, FIELDS);
    expect(errors[FIELDS.end]).not.toContain('allows low-risk changes');
  });
});

describe('conflictsOf / sharedSystems: changes that collide on a system', () => {
  const planned = (id: number, systems: string[], start: Date | null, end: Date | null): PlannedChange => ({
    id,
    affectedSystems: systems,
    plannedStart: start,
    plannedEnd: end,
  });
  const base = planned(1, ['Payments-API', 'ledger'], est(TUE, '07:00'), est(TUE, '09:00'));

  it.each([
    {
      name: 'overlap on a shared system (case-insensitive) → conflict',
      other: planned(2, ['payments-api'], est(TUE, '08:00'), est(TUE, '10:00')),
      systems: ['Payments-API'],
    },
    {
      name: "overlap on two shared systems → both, in the change's spelling",
      other: planned(2, ['LEDGER', 'payments-API', 'cdn'], est(TUE, '06:00'), est(TUE, '07:30')),
      systems: ['Payments-API', 'ledger'],
    },
    {
      name: 'one interval inside the other → conflict',
      other: planned(2, ['ledger'], est(TUE, '07:30'), est(TUE, '08:00')),
      systems: ['ledger'],
    },
    {
      name: 'the same interval → conflict',
      other: planned(2, ['ledger'], est(TUE, '07:00'), est(TUE, '09:00')),
      systems: ['ledger'],
    },
    {
      name: 'touching: other starts when the change ends → none',
      other: planned(2, ['ledger'], est(TUE, '09:00'), est(TUE, '10:00')),
      systems: undefined,
    },
    {
      name: 'touching: other ends when the change starts → none',
      other: planned(2, ['ledger'], est(TUE, '06:00'), est(TUE, '07:00')),
      systems: undefined,
    },
    {
      name: 'overlap but no shared system → none',
      other: planned(2, ['cdn', 'payments'], est(TUE, '08:00'), est(TUE, '10:00')),
      systems: undefined,
    },
    {
      name: 'a shared system but no overlap → none',
      other: planned(2, ['ledger'], est(WED, '07:00'), est(WED, '09:00')),
      systems: undefined,
    },
    {
      name: 'the same id (the change itself) → ignored',
      other: planned(1, ['ledger'], est(TUE, '07:00'), est(TUE, '09:00')),
      systems: undefined,
    },
    {
      name: 'the other has no planned start → ignored',
      other: planned(2, ['ledger'], null, est(TUE, '09:00')),
      systems: undefined,
    },
    {
      name: 'the other has no planned end → ignored',
      other: planned(2, ['ledger'], est(TUE, '07:00'), null),
      systems: undefined,
    },
  ])('$name', ({ other, systems }) => {
    expect(conflictsOf(base, [other])).toEqual(systems ? [{ change: other, systems }] : []);
  });

  it('a change without planned times conflicts with nothing', () => {
    const other = planned(2, ['ledger'], est(TUE, '07:00'), est(TUE, '09:00'));
    expect(conflictsOf(planned(1, ['ledger'], null, est(TUE, '09:00')), [other])).toEqual([]);
    expect(conflictsOf(planned(1, ['ledger'], est(TUE, '07:00'), null), [other])).toEqual([]);
  });

  it('only the conflicting others are returned, in order, as the objects passed in', () => {
    const others = [
      { ...planned(2, ['ledger'], est(TUE, '08:00'), est(TUE, '08:30')), ref: 'CHG-2' },
      { ...planned(3, ['cdn'], est(TUE, '08:00'), est(TUE, '08:30')), ref: 'CHG-3' },
      { ...planned(4, ['PAYMENTS-API'], est(TUE, '06:30'), est(TUE, '07:01')), ref: 'CHG-4' },
    ];
    const conflicts = conflictsOf(base, others);
    expect(conflicts.map((conflict) => conflict.change.ref)).toEqual(['CHG-2', 'CHG-4']);
    expect(conflicts[0]?.change).toBe(others[0]);
  });

  it.each([
    { a: ['DB', 'api'], b: ['db'], shared: ['DB'] },
    { a: ['db'], b: ['DB', 'Db'], shared: ['db'] },
    { a: ['api', 'web'], b: ['WEB', 'API'], shared: ['api', 'web'] },
    { a: ['api'], b: ['cdn'], shared: [] },
    { a: [], b: ['cdn'], shared: [] },
    { a: ['api'], b: [], shared: [] },
  ])('sharedSystems($a, $b) → $shared', ({ a, b, shared }) => {
    expect(sharedSystems(a, b)).toEqual(shared);
  });
});

describe('readRollbackForm: what 10.4 requires a rollback to record', () => {
  /** Mon 23 Nov 2026 09:30:20 EST. */
  const NOW = est(MON, '09:30').getTime() + 20_000;
  const now = new Date(NOW);
  const seconds = (at: number) => at / 1000;
  const valid: RollbackForm = {
    decidedAt: seconds(est(MON, '09:10').getTime()),
    reason: 'Error rate doubled after the deploy',
    steps: 'Redeployed the previous release; flushed the cache',
    impact: 'Checkout failed for about 4% of users for 12 minutes',
    durationMinutes: '25',
  };

  it('10.4 a complete form is read, trimmed', () => {
    expect(readRollbackForm({ ...valid, reason: '  Error rate doubled  ', durationMinutes: ' 25 ' }, now)).toEqual({
      ok: true,
      value: {
        decidedAt: est(MON, '09:10'),
        reason: 'Error rate doubled',
        steps: valid.steps,
        impact: valid.impact,
        durationMinutes: 25,
      },
    });
  });

  it.each([
    {
      name: '10.4 time of the rollback decision required',
      form: { ...valid, decidedAt: undefined },
      field: F.rollbackDecidedAt,
    },
    {
      name: '10.4 time of the rollback decision must be a time',
      form: { ...valid, decidedAt: Number.NaN },
      field: F.rollbackDecidedAt,
    },
    { name: '10.4 reason for the rollback required', form: { ...valid, reason: undefined }, field: F.rollbackReason },
    { name: '10.4 reason for the rollback not blank', form: { ...valid, reason: '   ' }, field: F.rollbackReason },
    { name: '10.4 steps executed required', form: { ...valid, steps: '' }, field: F.rollbackSteps },
    {
      name: '10.4 impact during the incident required',
      form: { ...valid, impact: undefined },
      field: F.rollbackImpact,
    },
    {
      name: '10.4 time to complete required',
      form: { ...valid, durationMinutes: undefined },
      field: F.rollbackMinutes,
    },
  ])('$name', ({ form, field }) => {
    const result = readRollbackForm(form, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
  });

  it('10.4 an empty form: every field has its error', () => {
    const result = readRollbackForm({}, now);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).sort()).toEqual(
        [F.rollbackDecidedAt, F.rollbackReason, F.rollbackSteps, F.rollbackImpact, F.rollbackMinutes].sort(),
      );
    }
  });

  it.each([
    {
      name: '10.4 decided in the current minute (a picker gives minutes): accepted',
      at: est(MON, '09:30').getTime(),
      ok: true,
    },
    { name: '10.4 decided seconds after now, same minute: accepted', at: NOW + 30_000, ok: true },
    { name: '10.4 decided the next minute: refused as future', at: est(MON, '09:31').getTime(), ok: false },
    { name: '10.4 decided tomorrow: refused as future', at: est(TUE, '09:10').getTime(), ok: false },
    { name: '10.4 decided last week: accepted', at: est('2026-11-16', '09:10').getTime(), ok: true },
  ])('$name', ({ at, ok }) => {
    const result = readRollbackForm({ ...valid, decidedAt: seconds(at) }, now);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.errors[F.rollbackDecidedAt]).toContain('in the future');
  });

  it.each([
    { minutes: '0', ok: false },
    { minutes: 'abc', ok: false },
    { minutes: '1.5', ok: false },
    { minutes: '10081', ok: false },
    { minutes: '-5', ok: false },
    { minutes: '1e3', ok: false },
    { minutes: '', ok: false },
    { minutes: '   ', ok: false },
    { minutes: '1', ok: true },
    { minutes: '15', ok: true },
    { minutes: '10080', ok: true },
  ])('10.2/10.4 time to complete "$minutes" minutes: ok=$ok (whole minutes, 1 to a week)', ({ minutes, ok }) => {
    const result = readRollbackForm({ ...valid, durationMinutes: minutes }, now);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.value.durationMinutes).toBe(Number(minutes));
    else expect(result.errors[F.rollbackMinutes]).toContain('from 1 to 10080');
  });
});

describe('readVerification: the 8.4 production validation checklist', () => {
  const ids = policy.implementation.verification_checklist.map((check) => check.id);

  it('8.4 the default checklist is the five checks of POL-SEC-008', () => {
    expect(policy.implementation.verification_checklist.map((check) => check.label)).toEqual([
      'Health checks passing',
      'No increase in error rates',
      'No degradation in response times',
      'Key business flows functional',
      'Monitoring alerts normal',
    ]);
  });

  it.each([
    { name: '8.4 every check ticked, no note', checked: ids, note: undefined, expected: { checks: ids, note: null } },
    {
      name: '8.4 every check ticked in another order: recorded in checklist order',
      checked: [...ids].reverse(),
      note: undefined,
      expected: { checks: ids, note: null },
    },
    {
      name: '8.4 the note is optional and trimmed',
      checked: ids,
      note: '  Dashboards green for 30 min  ',
      expected: { checks: ids, note: 'Dashboards green for 30 min' },
    },
    { name: '8.4 a blank note is no note', checked: ids, note: '   ', expected: { checks: ids, note: null } },
  ])('$name', ({ checked, note, expected }) => {
    expect(readVerification(checked, note, policy)).toEqual({ ok: true, value: expected });
  });

  it.each([
    {
      name: '8.4 nothing ticked: every check still open',
      checked: [] as string[],
      open: ['Health checks passing', 'Monitoring alerts normal'],
    },
    {
      name: '8.4 one check missing: named',
      checked: ids.filter((id) => id !== 'error_rates'),
      open: ['No increase in error rates'],
    },
    {
      name: '8.4 an unknown check id is refused even with all the rest',
      checked: [...ids, 'made_up'],
      open: ['an unknown check'],
    },
  ])('$name', ({ checked, open }) => {
    const result = readVerification(checked, undefined, policy);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual([F.verificationChecks]);
      for (const label of open) expect(result.errors[F.verificationChecks]).toContain(label);
    }
  });

  it('8.4 a note over 3000 characters is refused on the note field', () => {
    const result = readVerification(ids, 'x'.repeat(3001), policy);
    expect(result).toEqual({ ok: false, errors: { [F.verificationNote]: 'Keep the note under 3000 characters.' } });
    expect(readVerification(ids, 'x'.repeat(3000), policy).ok).toBe(true);
  });

  it('8.4 the checklist comes from the policy', () => {
    const custom = policyWith(`implementation:
  verification_checklist:
    - { id: smoke, label: Smoke tests green }
`);
    expect(readVerification(['smoke'], undefined, custom)).toEqual({
      ok: true,
      value: { checks: ['smoke'], note: null },
    });
    expect(readVerification(ids, undefined, custom).ok).toBe(false);
  });
});

describe('readReviewForm: the post-implementation review (10.4 root cause and prevention when it went wrong)', () => {
  const base: ReviewForm = {
    actualVsExpected: 'As expected',
    incidents: 'None',
    lessonsLearned: 'Stage the cache warm-up',
  };
  const full: ReviewForm = { ...base, rootCause: 'Missing index', preventiveMeasures: 'Add a migration check' };

  it.each([
    {
      name: '10.4 completed: root cause and preventive measures not asked',
      state: 'completed' as ChangeState,
      form: base,
      rootCause: null,
      preventiveMeasures: null,
    },
    {
      name: '10.4 completed: root cause and preventive measures ignored when given',
      state: 'completed' as ChangeState,
      form: full,
      rootCause: null,
      preventiveMeasures: null,
    },
    {
      name: '10.4 failed: root cause and preventive measures recorded',
      state: 'failed' as ChangeState,
      form: full,
      rootCause: 'Missing index',
      preventiveMeasures: 'Add a migration check',
    },
    {
      name: '10.4 rolled back: root cause and preventive measures recorded',
      state: 'rolled_back' as ChangeState,
      form: full,
      rootCause: 'Missing index',
      preventiveMeasures: 'Add a migration check',
    },
  ])('$name', ({ state, form, rootCause, preventiveMeasures }) => {
    expect(readReviewForm(form, state)).toEqual({
      ok: true,
      value: {
        actualVsExpected: 'As expected',
        incidents: 'None',
        lessonsLearned: 'Stage the cache warm-up',
        rootCause,
        preventiveMeasures,
      },
    });
  });

  it.each([
    {
      name: '10.4 failed without root cause or preventive measures: both required',
      state: 'failed' as ChangeState,
      form: base,
      fields: [F.preventiveMeasures, F.rootCause],
    },
    {
      name: '10.4 rolled back without root cause or preventive measures: both required',
      state: 'rolled_back' as ChangeState,
      form: base,
      fields: [F.preventiveMeasures, F.rootCause],
    },
    {
      name: '10.4 rolled back with a blank root cause: required',
      state: 'rolled_back' as ChangeState,
      form: { ...full, rootCause: '  ' },
      fields: [F.rootCause],
    },
    {
      name: 'review: actual versus expected required',
      state: 'completed' as ChangeState,
      form: { ...base, actualVsExpected: undefined },
      fields: [F.actualVsExpected],
    },
    {
      name: 'review: incidents required',
      state: 'completed' as ChangeState,
      form: { ...base, incidents: '' },
      fields: [F.incidents],
    },
    {
      name: 'review: lessons learned required',
      state: 'completed' as ChangeState,
      form: { ...base, lessonsLearned: undefined },
      fields: [F.lessonsLearned],
    },
    {
      name: '10.4 an empty failed review: every field',
      state: 'failed' as ChangeState,
      form: {},
      fields: [F.actualVsExpected, F.incidents, F.lessonsLearned, F.preventiveMeasures, F.rootCause],
    },
  ])('$name', ({ state, form, fields }) => {
    const result = readReviewForm(form, state);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual([...fields].sort());
  });
});

describe('reviewRequired: when a post-implementation review is required', () => {
  const reviewMedium = policyWith(`implementation:
  review_risk_levels: [medium]
`);

  it.each([
    {
      name: '10.4 failed low: always',
      state: 'failed' as ChangeState,
      riskLevel: 'low',
      rules: policy,
      required: true,
    },
    {
      name: '10.4 rolled back low: always',
      state: 'rolled_back' as ChangeState,
      riskLevel: 'low',
      rules: policy,
      required: true,
    },
    {
      name: '10.4 failed without a risk level: always',
      state: 'failed' as ChangeState,
      riskLevel: null,
      rules: policy,
      required: true,
    },
    {
      name: '10.4 rolled back under a policy reviewing medium only: always',
      state: 'rolled_back' as ChangeState,
      riskLevel: 'low',
      rules: reviewMedium,
      required: true,
    },
    {
      name: 'default review_risk_levels: completed high',
      state: 'completed' as ChangeState,
      riskLevel: 'high',
      rules: policy,
      required: true,
    },
    {
      name: 'default review_risk_levels: completed critical',
      state: 'completed' as ChangeState,
      riskLevel: 'critical',
      rules: policy,
      required: true,
    },
    {
      name: 'default review_risk_levels: completed medium not',
      state: 'completed' as ChangeState,
      riskLevel: 'medium',
      rules: policy,
      required: false,
    },
    {
      name: 'default review_risk_levels: completed low not',
      state: 'completed' as ChangeState,
      riskLevel: 'low',
      rules: policy,
      required: false,
    },
    {
      name: 'completed without a risk level: not',
      state: 'completed' as ChangeState,
      riskLevel: null,
      rules: policy,
      required: false,
    },
    {
      name: 'policy review_risk_levels [medium]: completed medium',
      state: 'completed' as ChangeState,
      riskLevel: 'medium',
      rules: reviewMedium,
      required: true,
    },
    {
      name: 'policy review_risk_levels [medium]: completed high not',
      state: 'completed' as ChangeState,
      riskLevel: 'high',
      rules: reviewMedium,
      required: false,
    },
  ])('$name', ({ state, riskLevel, rules, required }) => {
    expect(reviewRequired({ state, riskLevel }, rules)).toBe(required);
  });

  it('the default implementation.review_risk_levels are high and critical', () => {
    expect(policy.implementation.review_risk_levels).toEqual(['high', 'critical']);
  });
});

describe('closeRefusal: what a change needs before it closes (8.4 validation, review)', () => {
  const REF = 'CHG-42';
  const ok = { verified: true, reviewed: false, reviewRequired: false };

  it.each([
    {
      name: '8.4 completed, verified, review not required → may close',
      facts: { state: 'completed' as ChangeState, ...ok },
      expected: undefined,
    },
    {
      name: '8.4 reviewed, verified, review done → may close',
      facts: { state: 'reviewed' as ChangeState, verified: true, reviewed: true, reviewRequired: true },
      expected: undefined,
    },
    {
      name: '10.4 rolled back, verified, reviewed → may close',
      facts: { state: 'rolled_back' as ChangeState, verified: true, reviewed: true, reviewRequired: true },
      expected: undefined,
    },
    {
      name: '8.4 not verified → needs the validation checklist',
      facts: { state: 'completed' as ChangeState, ...ok, verified: false },
      expected: 'CHG-42 cannot close yet: it still needs the production validation checklist (Verify, 8.4).',
    },
    {
      name: 'review required and missing → needs the review',
      facts: { state: 'completed' as ChangeState, verified: true, reviewed: false, reviewRequired: true },
      expected: 'CHG-42 cannot close yet: it still needs a post-implementation review (Review).',
    },
    {
      name: '6.3 authorization disputed and not resolved → refused until resolved (issue 14)',
      facts: { state: 'reviewed' as ChangeState, verified: true, reviewed: true, reviewRequired: true, disputed: true },
      expected:
        'CHG-42 cannot close yet: its authorization is disputed. The CAB chair or a dispute resolver resolves it ' +
        'first (`/change resolve CHG-42 <note>`).',
    },
    {
      name: '8.4 + review: both missing → both named',
      facts: { state: 'failed' as ChangeState, verified: false, reviewed: false, reviewRequired: true },
      expected:
        'CHG-42 cannot close yet: it still needs the production validation checklist (Verify, 8.4) ' +
        'and a post-implementation review (Review).',
    },
  ])('$name', ({ facts, expected }) => {
    expect(closeRefusal(REF, facts)).toBe(expected);
  });

  it.each([
    'submitted',
    'pending_approval',
    'approved',
    'scheduled',
    'implementing',
    'closed',
    'cancelled',
    'rejected',
  ] as ChangeState[])('wrong state: %s → refused, names the state', (state) => {
    const refusal = closeRefusal(REF, { state, verified: true, reviewed: true, reviewRequired: false });
    expect(refusal).toBe(
      `CHG-42 is ${state.replaceAll('_', ' ')}; it closes after it has been implemented and verified.`,
    );
  });
});

describe('startRefusal: whether an approved change may start now (9.1, 9.2)', () => {
  const change = (overrides: Partial<StartFacts> = {}): StartFacts => ({
    ref: 'CHG-7',
    state: 'approved',
    riskLevel: 'low',
    plannedStart: est(MON, '07:00'),
    plannedEnd: est(MON, '08:00'),
    scheduleException: null,
    type: 'normal',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  });
  const thanksgiving = freeze('FRZ-5', MON, MON, 'Thanksgiving week');

  it.each([
    {
      name: '9.1 not approved (submitted) → not approved',
      facts: change({ state: 'submitted' }),
      text: 'CHG-7 cannot start: it is not approved yet (submitted).',
    },
    {
      name: '9.1 not approved (pending approval) → not approved',
      facts: change({ state: 'pending_approval' }),
      text: 'CHG-7 cannot start: it is not approved yet (pending approval).',
    },
    {
      name: '9.1 rejected → says so',
      facts: change({ state: 'rejected' }),
      text: 'CHG-7 cannot start: it is rejected.',
    },
    {
      name: '9.1 already implementing → says so',
      facts: change({ state: 'implementing' }),
      text: 'CHG-7 cannot start: it is implementing.',
    },
    {
      name: '9.1 cancelled → says so',
      facts: change({ state: 'cancelled' }),
      text: 'CHG-7 cannot start: it is cancelled.',
    },
    {
      name: '9.1 not approved, even with an exception set',
      facts: change({ state: 'pending_approval', scheduleException: { outsideWindow: true, freezes: [] } }),
      text: 'CHG-7 cannot start: it is not approved yet (pending approval).',
    },
  ])('$name', ({ facts, text }) => {
    expect(startRefusal(facts, policy, [], est(MON, '07:00'))).toBe(text);
  });

  it.each([
    { name: '9.1 approved, inside the window → may start', facts: change(), now: est(MON, '07:00') },
    {
      name: '9.1 scheduled, inside the window → may start',
      facts: change({ state: 'scheduled' }),
      now: est(MON, '07:00'),
    },
    { name: '9.1 approved, exactly at 06:00 → may start', facts: change(), now: est(MON, '06:00') },
    { name: '9.1 approved, 09:59 → may start (only the start is checked)', facts: change(), now: est(MON, '09:59') },
    { name: '9.1 high risk on Tuesday → may start', facts: change({ riskLevel: 'high' }), now: est(TUE, '08:00') },
    {
      name: '9.1 approved, inside the window, a freeze on another day → may start',
      facts: change(),
      now: est(MON, '07:00'),
      freezes: [freeze('FRZ-6', TUE, WED)],
    },
  ])('$name', ({ facts, now, freezes }) => {
    expect(startRefusal(facts, policy, freezes ?? [], now)).toBeUndefined();
  });

  it.each([
    {
      name: '9.1 Friday → outside the windows, next window Monday',
      facts: change(),
      now: est(FRI, '07:00'),
      next: nextWindow('low', 'Mon 30 Nov 2026'),
    },
    {
      name: '9.1 05:59 → outside, next window 06:00 the same day',
      facts: change(),
      now: est(MON, '05:59'),
      next: nextWindow('low', 'Mon 23 Nov 2026'),
    },
    {
      name: '9.1 exactly 10:00 → outside, next window Tuesday',
      facts: change(),
      now: est(MON, '10:00'),
      next: nextWindow('low', 'Tue 24 Nov 2026'),
    },
    {
      name: '9.1 high risk on Monday → outside, next window Tuesday',
      facts: change({ riskLevel: 'high' }),
      now: est(MON, '07:00'),
      next: nextWindow('high', 'Tue 24 Nov 2026'),
    },
    {
      name: '9.1 Saturday, critical risk → next window Tuesday',
      facts: change({ riskLevel: 'critical' }),
      now: est(SAT, '07:00'),
      next: nextWindow('critical', 'Tue 1 Dec 2026'),
    },
  ])('$name', ({ facts, now, next }) => {
    const refusal = startRefusal(facts, policy, [], now);
    expect(refusal).toContain(
      `CHG-7 cannot start now: it is outside the deployment windows for ${facts.riskLevel}-risk changes (9.1).`,
    );
    expect(refusal).toContain(next);
  });

  it('9.1 the next window named is one long enough for the planned duration', () => {
    // 3 hours planned, refused at 07:30: the rest of Monday's window (2.5 h) is too short. Tuesday is named.
    // Starting inside the window is not refused though: only `now` is checked.
    const long = change({ plannedStart: est(MON, '06:00'), plannedEnd: est(MON, '09:00') });
    expect(startRefusal(long, policy, [], est(MON, '07:30'))).toBeUndefined();
    expect(startRefusal(long, policy, [], est('2026-11-22', '07:30'))).toContain(windowText('Mon 23 Nov 2026'));
    expect(startRefusal(long, policy, [], est(MON, '10:30'))).toContain(windowText('Tue 24 Nov 2026'));
  });

  it.each([
    {
      name: '9.2 inside the window but during a freeze → names the freeze and the next window after it',
      now: est(MON, '07:00'),
    },
    { name: '9.2 outside the window and during a freeze → the freeze is named', now: est(MON, '12:00') },
  ])('$name', ({ now }) => {
    const refusal = startRefusal(change(), policy, [thanksgiving], now);
    expect(refusal).toContain('CHG-7 cannot start during the change freeze “Thanksgiving week” (2026-11-23) (9.2).');
    expect(refusal).toContain(nextWindow('low', 'Tue 24 Nov 2026'));
  });

  it("9.2 the last minute of the freeze's last day (23:59 local) is still frozen; midnight after it is not", () => {
    const weekend = freeze('FRZ-4', SAT, SUN, 'Maintenance weekend');
    expect(startRefusal(change(), policy, [weekend], est(SUN, '23:59'))).toContain(
      'change freeze “Maintenance weekend”',
    );
    expect(startRefusal(change(), policy, [weekend], est(NEXT_MON, '00:00'))).toContain(
      'outside the deployment windows',
    );
  });

  it.each([
    { name: '9.1 exception set: may start on a Friday', now: est(FRI, '07:00'), freezes: [] as Freeze[] },
    { name: '9.1 exception set: may start at 03:00 on Monday', now: est(MON, '03:00'), freezes: [] as Freeze[] },
    {
      name: '9.1 exception set: a high-risk change may start on Monday',
      now: est(MON, '07:00'),
      freezes: [] as Freeze[],
      riskLevel: 'high',
    },
    { name: '9.2 exception set: may start during a freeze', now: est(MON, '07:00'), freezes: [thanksgiving] },
  ])('$name', ({ now, freezes, riskLevel }) => {
    const facts = change({
      riskLevel: riskLevel ?? 'low',
      scheduleException: { outsideWindow: true, freezes: [{ id: 'FRZ-5', reason: 'Thanksgiving week' }] },
    });
    expect(startRefusal(facts, policy, freezes, now)).toBeUndefined();
  });

  it('9.1 an exception that covered only a freeze does not open the windows', () => {
    const freezeOnly = change({
      scheduleException: { outsideWindow: false, freezes: [{ id: 'FRZ-5', reason: 'Thanksgiving week' }] },
    });
    expect(startRefusal(freezeOnly, policy, [thanksgiving], est(MON, '07:00'))).toBeUndefined();
    expect(startRefusal(freezeOnly, policy, [], est(FRI, '07:00'))).toContain(
      'outside the deployment windows for low-risk changes',
    );
  });

  it('9.2 exception set: a freeze announced after it was approved still holds it', () => {
    const excepted = change({ scheduleException: { outsideWindow: true, freezes: [] } });
    expect(startRefusal(excepted, policy, [thanksgiving], est(MON, '07:00'))).toContain(
      'cannot start during the change freeze “Thanksgiving week” (2026-11-23) (9.2), ' +
        'announced after its exception was approved',
    );
  });

  it('9.1 DST: 06:00 EDT on Monday 2026-03-09 may start; 05:30 EDT (06:30 by the winter offset) may not', () => {
    expect(startRefusal(change(), policy, [], edt('2026-03-09', '06:00'))).toBeUndefined();
    expect(startRefusal(change(), policy, [], edt('2026-03-09', '05:30'))).toContain(
      nextWindow('low', 'Mon 9 Mar 2026'),
    );
  });
});

// Scheduling rules the policy documents need beyond POL-SEC-008's table (issue 16.8): windows that end at
// midnight or run overnight, no windows at all (MCP4 has none), and recurring freezes (POL-SEC-008 9.2
// "End of month/quarter (billing)", "Major holidays (defined annually)").
// America/New_York is EST (UTC−5) in winter; every instant below is in winter.
import { describe, expect, it } from 'vitest';
import { policyFreezes } from '../../src/domain/policy-freezes.js';
import { allowedPeriods, fitsWindows, requiredNoticeHours, scheduleProblems } from '../../src/domain/schedule.js';
import { policyWith } from './policy-fixture.js';

const at = (iso: string) => new Date(iso);
const span = (start: string, end: string) => ({ start: at(start), end: at(end) });

const nightPolicy = policyWith(`deployment_windows:
  - { days: [fri], from: "22:00", to: "04:00", risks: [low, medium, high, critical] }
  - { days: [sat], from: "18:00", to: "24:00", risks: [low] }
`);
const anyTimePolicy = policyWith('deployment_windows: any\n');

describe('9.1 windows ending at midnight or the next morning', () => {
  it.each([
    {
      name: 'Fri 23:00–Sat 03:00 fits the overnight window',
      start: '2026-12-05T04:00:00Z',
      end: '2026-12-05T08:00:00Z',
      risk: 'high',
      fits: true,
    },
    {
      name: 'Sat 03:00–05:00 runs past its 04:00 close',
      start: '2026-12-05T08:00:00Z',
      end: '2026-12-05T10:00:00Z',
      risk: 'high',
      fits: false,
    },
    {
      name: 'Sat 20:00–24:00 fits the window ending at midnight',
      start: '2026-12-06T01:00:00Z',
      end: '2026-12-06T05:00:00Z',
      risk: 'low',
      fits: true,
    },
    {
      name: 'Sat 23:00–Sun 00:30 runs past midnight',
      start: '2026-12-06T04:00:00Z',
      end: '2026-12-06T05:30:00Z',
      risk: 'low',
      fits: false,
    },
    {
      name: 'the midnight window is for low risk only',
      start: '2026-12-06T01:00:00Z',
      end: '2026-12-06T02:00:00Z',
      risk: 'medium',
      fits: false,
    },
  ])('$name', ({ start, end, risk, fits }) => {
    expect(fitsWindows(span(start, end), risk, nightPolicy)).toBe(fits);
  });

  it('an overnight window that opened the day before is found from the morning after', () => {
    const periods = allowedPeriods(nightPolicy, 'high', at('2026-12-05T07:00:00Z'), at('2026-12-05T12:00:00Z'));
    expect(periods).toEqual([span('2026-12-05T03:00:00Z', '2026-12-05T09:00:00Z')]);
  });
});

describe('deployment_windows: any (MCP4 sets no windows)', () => {
  it('any time fits, whatever the risk, and nothing is refused outside a freeze', () => {
    const sundayNight = span('2026-12-07T03:00:00Z', '2026-12-07T06:00:00Z');
    expect(fitsWindows(sundayNight, 'critical', anyTimePolicy)).toBe(true);
    expect(
      scheduleProblems({ interval: sundayNight, risk: 'critical' }, anyTimePolicy, [], at('2026-12-01T12:00:00Z')),
    ).toEqual([]);
  });
});

describe('9.2 recurring freezes, as the dated periods they cover', () => {
  const recurring = policyWith(`freezes:
  - { every: month_end, last_days: 2, first_days: 1, reason: Billing run }
  - { every: quarter_end, last_days: 5, reason: Quarter close }
  - { from: "12-20", to: "01-02", reason: Holidays }
  - { from: "2027-02-10", to: "2027-02-12", reason: Data-centre move }
`).freezes;

  it.each([
    {
      name: 'month end: the last two days and the first of the next month',
      range: { from: '2027-01-15', to: '2027-02-15' },
      expected: [
        ['policy-1@2027-01-30', '2027-01-30', '2027-02-01', 'Billing run'],
        ['policy-4', '2027-02-10', '2027-02-12', 'Data-centre move'],
      ],
    },
    {
      name: 'quarter end only at March, June, September and December, and a yearly freeze over the year end',
      range: { from: '2026-12-24', to: '2026-12-31' },
      expected: [
        ['policy-1@2026-12-30', '2026-12-30', '2027-01-01', 'Billing run'],
        ['policy-2@2026-12-27', '2026-12-27', '2026-12-31', 'Quarter close'],
        ['policy-3@2026-12-20', '2026-12-20', '2027-01-02', 'Holidays'],
      ],
    },
    {
      name: "last year's yearly freeze still running in January",
      range: { from: '2027-01-02', to: '2027-01-02' },
      expected: [['policy-3@2026-12-20', '2026-12-20', '2027-01-02', 'Holidays']],
    },
    {
      name: 'February has 28 days in 2027',
      range: { from: '2027-02-20', to: '2027-03-05' },
      expected: [['policy-1@2027-02-27', '2027-02-27', '2027-03-01', 'Billing run']],
    },
  ])('$name', ({ range, expected }) => {
    const freezes = policyFreezes(recurring, range).map((f) => [f.id, f.from, f.to, f.reason]);
    expect(freezes).toEqual(expected);
  });

  it('a change planned into a month-end freeze is refused as a freeze, named by its occurrence', () => {
    const policy = policyWith(`deployment_windows: any
freezes: [{ every: month_end, last_days: 1, reason: Billing run }]
`);
    const interval = span('2027-01-31T15:00:00Z', '2027-01-31T16:00:00Z');
    const freezes = policyFreezes(policy.freezes, { from: '2027-01-01', to: '2027-02-28' });
    expect(scheduleProblems({ interval, risk: 'low' }, policy, freezes, at('2027-01-02T12:00:00Z'))).toEqual([
      {
        kind: 'freeze',
        freeze: { id: 'policy-1@2027-01-31', from: '2027-01-31', to: '2027-01-31', reason: 'Billing run' },
      },
    ]);
  });
});

describe('issue 16.4 the notice a change needs (004 4.2: normal changes documented 48 h before)', () => {
  const policy = policyWith('scheduling: { notice_hours: { by_type: { normal: 48 }, by_risk: { critical: 72 } } }\n');
  it.each([
    { name: 'a normal change: its type’s 48 h', type: 'normal', riskLevel: 'low', hours: 48 },
    { name: 'a critical normal change: the larger, 72 h', type: 'normal', riskLevel: 'critical', hours: 72 },
    { name: 'a standard change: only its risk’s', type: 'standard', riskLevel: 'low', hours: 0 },
    { name: 'an emergency: none, whatever its risk', type: 'emergency', riskLevel: 'critical', hours: 0 },
  ] as const)('$name', ({ type, riskLevel, hours }) => {
    expect(requiredNoticeHours({ type, riskLevel }, policy)).toBe(hours);
  });

  it('is refused for a risk level the policy does not have', () => {
    expect(() => policyWith('scheduling: { notice_hours: { by_risk: { severe: 1 } } }\n')).toThrow(
      /scheduling\.notice_hours\.by_risk\.severe/,
    );
  });
});

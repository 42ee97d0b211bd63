import { describe, expect, it } from 'vitest';
import { isBusinessHours } from '../../src/domain/business-hours.js';
import { slaBusinessDays, slaDueAt, slaMilestones } from '../../src/domain/sla.js';
import { PolicyError, parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML, policyWith } from './policy-fixture.js';

// Default business hours: Mon–Fri 09:00–17:00 America/New_York (UTC−5 in winter, UTC−4 from 2027-03-14).
// Holidays: Christmas every year, and one company day off.
const policy = policyWith(`holidays:
  - { date: "12-25", name: Christmas Day }
  - "2026-12-28"
`);

describe('POL-SEC-008 4.4 SLA due times, in business hours of business days', () => {
  it.each([
    {
      name: '1 day from Mon 10:00 is Tue 10:00',
      askedAt: '2026-11-30T15:00:00Z',
      days: 1,
      due: '2026-12-01T15:00:00Z',
    },
    {
      name: '1 day from Fri 16:00 is Mon 16:00',
      askedAt: '2026-12-04T21:00:00Z',
      days: 1,
      due: '2026-12-07T21:00:00Z',
    },
    {
      name: 'asked Sat noon: runs from Mon 09:00, due at its close',
      askedAt: '2026-12-05T17:00:00Z',
      days: 1,
      due: '2026-12-07T22:00:00Z',
    },
    {
      name: 'asked after hours: runs from the next opening (due at Thu close)',
      askedAt: '2026-12-01T23:00:00Z',
      days: 2,
      due: '2026-12-03T22:00:00Z',
    },
    // Thu 24 → (Fri 25 Christmas, weekend, Mon 28 company day) → Tue 29.
    {
      name: 'skips a yearly and a one-off holiday',
      askedAt: '2026-12-24T15:00:00Z',
      days: 1,
      due: '2026-12-29T15:00:00Z',
    },
    // Fri 2027-03-12 11:00 EST; clocks go forward Sun 14 March; due Mon 11:00 EDT.
    { name: 'keeps the wall clock across DST', askedAt: '2027-03-12T16:00:00Z', days: 1, due: '2027-03-15T15:00:00Z' },
  ])('$name', ({ askedAt, days, due }) => {
    expect(slaDueAt(new Date(askedAt), days, policy).toISOString()).toBe(new Date(due).toISOString());
  });

  it('reminds at 50 % and 100 % of the SLA in business time, and escalates when it is due', () => {
    // Medium: 2 business days = 16 business hours from Fri 2026-12-04 13:00 EST.
    const milestones = slaMilestones(new Date('2026-12-04T18:00:00Z'), 2, policy);
    expect(milestones.map((m) => [m.kind, m.percent, m.at.toISOString()])).toEqual([
      ['reminder', 50, '2026-12-07T18:00:00.000Z'],
      ['reminder', 100, '2026-12-08T18:00:00.000Z'],
      ['escalation', 100, '2026-12-08T18:00:00.000Z'],
    ]);
  });

  it.each([
    { name: 'peer review runs on the review SLA', role: 'peer', phase: 'approval', level: 'critical', days: 5 },
    { name: 'the manager runs on the approval SLA', role: 'manager', phase: 'approval', level: 'medium', days: 2 },
    { name: 'an authorization has no SLA', role: 'manager', phase: 'authorization', level: 'high', days: undefined },
    { name: 'no risk level, no SLA', role: 'manager', phase: 'approval', level: null, days: undefined },
  ] as const)('$name', ({ role, phase, level, days }) => {
    expect(slaBusinessDays({ role, phase }, level, policy)).toBe(days);
  });

  it('a holiday is outside business hours (6.3: the after-hours authorizers are asked)', () => {
    expect(isBusinessHours(new Date('2026-12-25T15:00:00Z'), policy)).toBe(false);
    expect(isBusinessHours(new Date('2026-12-24T15:00:00Z'), policy)).toBe(true);
  });

  it('refuses a holiday that is not a date', () => {
    expect(() => parsePolicy(`${MINIMAL_POLICY_YAML}holidays: ["02-30"]\n`, 'test.yml')).toThrow(PolicyError);
    expect(() => parsePolicy(`${MINIMAL_POLICY_YAML}holidays: ["tomorrow"]\n`, 'test.yml')).toThrow(PolicyError);
  });
});

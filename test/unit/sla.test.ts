import { describe, expect, it } from 'vitest';
import { isBusinessHours } from '../../src/domain/business-hours.js';
import {
  escalationTargets,
  nextNudgeAt,
  peopleToRemind,
  slaBusinessDays,
  slaDueAt,
  slaMilestones,
} from '../../src/domain/sla.js';
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
    // Fri 2026-10-30 11:00 EDT; clocks go back Sun 1 November; due Mon 11:00 EST.
    { name: 'and across fall back', askedAt: '2026-10-30T15:00:00Z', days: 1, due: '2026-11-02T16:00:00Z' },
    // Fri 2026-11-13 23:30 EST is Saturday in UTC: the day is local, and the clock runs from Monday's opening.
    {
      name: 'a late Friday request runs from Monday',
      askedAt: '2026-11-14T04:30:00Z',
      days: 1,
      due: '2026-11-16T22:00:00Z',
    },
  ])('$name', ({ askedAt, days, due }) => {
    expect(slaDueAt(new Date(askedAt), days, policy).toISOString()).toBe(new Date(due).toISOString());
  });

  it.each([
    { name: 'Mon–Sat business days: Fri 10:00 + 1 is Sat 10:00', days: 1, due: '2026-11-14T15:00:00Z' },
    {
      name: 'Mon–Sat business days: Fri 10:00 + 2 is Mon 10:00 (Sunday skipped)',
      days: 2,
      due: '2026-11-16T15:00:00Z',
    },
  ])('$name', ({ days, due }) => {
    const sixDays = policyWith(
      'business_hours: { days: [mon, tue, wed, thu, fri, sat], from: "09:00", to: "17:00" }\n',
    );
    expect(slaDueAt(new Date('2026-11-13T15:00:00Z'), days, sixDays).toISOString()).toBe(new Date(due).toISOString());
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

describe('POL-SEC-008 4.4 reminders and escalation: who is told', () => {
  const requirement = (candidates: string[], approvers: string[] = [], satisfied = false) => ({
    candidates,
    satisfiedAt: satisfied ? new Date('2026-12-01T15:00:00Z') : null,
    approvals: approvers.map((approverId) => ({ approverId })),
  });
  const context = { approvedInPhase: [] as string[], oneRolePerPerson: true, quiet: [] as string[] };

  it.each([
    { name: 'everyone asked who has not approved', about: [requirement(['U1', 'U2'])], expected: ['U1', 'U2'] },
    { name: 'not who approved it already', about: [requirement(['U1', 'U2'], ['U1'])], expected: ['U2'] },
    { name: 'nobody once it is satisfied', about: [requirement(['U1', 'U2'], [], true)], expected: [] },
    {
      name: 'each person once over two roles',
      about: [requirement(['U1']), requirement(['U1', 'U3'])],
      expected: ['U1', 'U3'],
    },
    {
      name: 'not who approved another role (one_role_per_person)',
      about: [requirement(['U1', 'U2'])],
      approvedInPhase: ['U2'],
      expected: ['U1'],
    },
    {
      name: 'who approved another role, when one person may hold two',
      about: [requirement(['U1', 'U2'])],
      approvedInPhase: ['U2'],
      oneRolePerPerson: false,
      expected: ['U1', 'U2'],
    },
    { name: "never the quiet roles' members", about: [requirement(['U1', 'U2'])], quiet: ['U2'], expected: ['U1'] },
  ])('$name', ({ about, expected, ...overrides }) => {
    expect(peopleToRemind(about, { ...context, ...overrides })).toEqual(expected);
  });

  it.each([
    {
      name: 'a role escalates to approvals.escalate_to_roles',
      roles: ['manager'],
      expected: { roles: ['manager'], userIds: [] },
    },
    { name: 'the board escalates to the CAB chair', roles: ['cab'], expected: { roles: [], userIds: ['U0CHAIR01'] } },
    {
      name: 'both at once: the roles and the chair',
      roles: ['cab', 'security'],
      expected: { roles: ['manager'], userIds: ['U0CHAIR01'] },
    },
  ])('$name', ({ roles, expected }) => {
    const requirements = roles.map((role) => ({ role, phase: 'approval' as const }));
    expect(escalationTargets(requirements, policy)).toEqual(expected);
  });

  it('the board escalates to approvals.escalate_to_roles when there is no chair', () => {
    const noChair = { ...policy, cab: { ...policy.cab, chair: undefined } };
    expect(escalationTargets([{ role: 'cab', phase: 'approval' }], noChair)).toEqual({
      roles: ['manager'],
      userIds: [],
    });
  });

  it('the requester may nudge again approvals.requester_nudge_hours after the last nudge', () => {
    const now = new Date('2026-12-01T15:00:00Z');
    expect(nextNudgeAt(undefined, 4, now)).toEqual(now);
    expect(nextNudgeAt(new Date('2026-12-01T12:00:00Z'), 4, now)).toEqual(new Date('2026-12-01T16:00:00Z'));
    expect(nextNudgeAt(new Date('2026-12-01T11:00:00Z'), 4, now)).toEqual(now);
  });
});

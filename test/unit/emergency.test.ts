// The POL-SEC-008 section 6 emergency rules: who authorizes (6.3), and what is owed afterwards (6.4).
import { describe, expect, it } from 'vitest';
import {
  type AuthorizationRequirement,
  authorizationRequirements,
  escalationDueAt,
  needsCabPresentation,
  OBLIGATION_KINDS,
  type ObligationKind,
  type ObligationState,
  outstandingPaperwork,
  paperworkObligations,
  reminderAt,
  type VerbalApprovalState,
  verbalApprovalState,
} from '../../src/domain/emergency.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import { MINIMAL_POLICY_YAML, minimalPolicy, policyWith } from './policy-fixture.js';

// Default business hours (defaults.ts): Mon–Fri 09:00–17:00 America/New_York.
// New York is UTC−5 (EST) until 2026-03-08 02:00 local, UTC−4 (EDT) until 2026-11-01 02:00 local, then EST again.
const policy = minimalPolicy();

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** 6.3 "Business hours: Manager + Security", "If unavailable: CTO or CISO". */
const BUSINESS: AuthorizationRequirement[] = [
  { role: 'manager', alternative: false },
  { role: 'security', alternative: false },
  { role: 'cto', alternative: true },
  { role: 'ciso', alternative: true },
];
/** 6.3 "After hours: On-call Manager + On-call Security", "If unavailable: CTO or CISO". */
const AFTER_HOURS: AuthorizationRequirement[] = [
  { role: 'oncall_manager', alternative: false },
  { role: 'oncall_security', alternative: false },
  { role: 'cto', alternative: true },
  { role: 'ciso', alternative: true },
];

describe('authorizationRequirements: POL-SEC-008 6.3 in America/New_York (default Mon–Fri 09:00–17:00)', () => {
  it.each([
    // Winter (EST, UTC−5)
    {
      name: '6.3 business hours: Mon 2026-01-12 09:00 EST (opening minute)',
      at: '2026-01-12T14:00:00Z',
      business: true,
    },
    {
      name: '6.3 after hours: Mon 2026-01-12 08:59 EST (a minute before opening)',
      at: '2026-01-12T13:59:00Z',
      business: false,
    },
    { name: '6.3 business hours: Mon 2026-01-12 16:59 EST (last minute)', at: '2026-01-12T21:59:00Z', business: true },
    {
      name: '6.3 after hours: Mon 2026-01-12 17:00 EST (closing is exclusive)',
      at: '2026-01-12T22:00:00Z',
      business: false,
    },
    { name: '6.3 after hours: Sat 2026-01-17 12:00 EST (weekend noon)', at: '2026-01-17T17:00:00Z', business: false },
    {
      name: '6.3 after hours: Fri 2026-01-16 20:00 EST although UTC already says Saturday',
      at: '2026-01-17T01:00:00Z',
      business: false,
    },
    {
      name: '6.3 business hours: Fri 2026-01-16 16:30 EST, local clock not UTC',
      at: '2026-01-16T21:30:00Z',
      business: true,
    },
    // Summer (EDT, UTC−4): the same UTC clock reads an hour later locally.
    { name: '6.3 business hours: Mon 2026-07-13 09:00 EDT is 13:00Z', at: '2026-07-13T13:00:00Z', business: true },
    {
      name: '6.3 after hours: Mon 2026-07-13 21:30Z is 17:30 EDT (16:30 had it been EST)',
      at: '2026-07-13T21:30:00Z',
      business: false,
    },
    { name: '6.3 after hours: Mon 2026-07-13 12:59Z is 08:59 EDT', at: '2026-07-13T12:59:00Z', business: false },
    // DST boundaries: both changes fall on a Sunday, so the default hours call both sides "after hours".
    {
      name: '6.3 after hours: Sun 2026-03-08 01:59 EST, a minute before spring forward',
      at: '2026-03-08T06:59:00Z',
      business: false,
    },
    {
      name: '6.3 after hours: Sun 2026-03-08 03:00 EDT, the minute after spring forward',
      at: '2026-03-08T07:00:00Z',
      business: false,
    },
    {
      name: '6.3 after hours: Sun 2026-11-01 01:30 EDT, the first 01:30 of fall back',
      at: '2026-11-01T05:30:00Z',
      business: false,
    },
    {
      name: '6.3 after hours: Sun 2026-11-01 01:30 EST, the repeated 01:30 of fall back',
      at: '2026-11-01T06:30:00Z',
      business: false,
    },
    // The first working mornings after each change.
    {
      name: '6.3 after hours: Mon 2026-03-09 12:59Z is 08:59 EDT (day after spring forward)',
      at: '2026-03-09T12:59:00Z',
      business: false,
    },
    {
      name: '6.3 business hours: Mon 2026-03-09 13:00Z is 09:00 EDT (14:00Z before the change)',
      at: '2026-03-09T13:00:00Z',
      business: true,
    },
    {
      name: '6.3 after hours: Mon 2026-11-02 13:00Z is 08:00 EST (09:00 the week before)',
      at: '2026-11-02T13:00:00Z',
      business: false,
    },
    { name: '6.3 business hours: Mon 2026-11-02 14:00Z is 09:00 EST', at: '2026-11-02T14:00:00Z', business: true },
  ])('$name', ({ at, business }) => {
    expect(authorizationRequirements(new Date(at), policy)).toEqual(business ? BUSINESS : AFTER_HOURS);
  });
});

describe('authorizationRequirements: 6.3 across the DST changes when Sunday has business hours', () => {
  // Sunday hours starting in the hour that DST skips (spring) or repeats (fall) make the change visible.
  const springSunday = policyWith('business_hours: { days: [sun], from: "02:30", to: "17:00" }\n');
  const fallSunday = policyWith('business_hours: { days: [sun], from: "01:30", to: "17:00" }\n');

  it.each([
    {
      name: 'spring forward: 06:59Z is 01:59 EST, before 02:30 → after hours',
      at: '2026-03-08T06:59:00Z',
      hours: springSunday,
      business: false,
    },
    {
      name: 'spring forward: 07:00Z is 03:00 EDT, 02:30 never happened → business hours',
      at: '2026-03-08T07:00:00Z',
      hours: springSunday,
      business: true,
    },
    {
      name: 'spring forward: 20:59Z is 16:59 EDT → business hours',
      at: '2026-03-08T20:59:00Z',
      hours: springSunday,
      business: true,
    },
    {
      name: 'spring forward: 21:00Z is 17:00 EDT (22:00Z would be 17:00 EST) → after hours',
      at: '2026-03-08T21:00:00Z',
      hours: springSunday,
      business: false,
    },
    {
      name: 'fall back: 05:29Z is 01:29 EDT → after hours',
      at: '2026-11-01T05:29:00Z',
      hours: fallSunday,
      business: false,
    },
    {
      name: 'fall back: 05:30Z is the first 01:30 (EDT) → business hours',
      at: '2026-11-01T05:30:00Z',
      hours: fallSunday,
      business: true,
    },
    {
      name: 'fall back: 06:00Z is 01:00 EST, the clock went back → after hours again',
      at: '2026-11-01T06:00:00Z',
      hours: fallSunday,
      business: false,
    },
    {
      name: 'fall back: 06:29Z is the second 01:29 (EST) → after hours',
      at: '2026-11-01T06:29:00Z',
      hours: fallSunday,
      business: false,
    },
    {
      name: 'fall back: 06:30Z is the second 01:30 (EST) → business hours',
      at: '2026-11-01T06:30:00Z',
      hours: fallSunday,
      business: true,
    },
    {
      name: 'fall back: 21:59Z is 16:59 EST → business hours',
      at: '2026-11-01T21:59:00Z',
      hours: fallSunday,
      business: true,
    },
    {
      name: 'fall back: 22:00Z is 17:00 EST → after hours',
      at: '2026-11-01T22:00:00Z',
      hours: fallSunday,
      business: false,
    },
  ])('6.3 $name', ({ at, hours, business }) => {
    expect(authorizationRequirements(new Date(at), hours)).toEqual(business ? BUSINESS : AFTER_HOURS);
  });
});

describe('authorizationRequirements: 6.3 roles come from the policy', () => {
  const MONDAY_NOON_EST = new Date('2026-01-12T17:00:00Z');
  const SATURDAY_NOON_EST = new Date('2026-01-17T17:00:00Z');

  it.each([
    {
      name:
        '6.3 "If unavailable: CTO or CISO": a fallback role that is already on duty is not ' +
        'repeated as an alternative',
      yaml:
        'emergency: { authorizers: { business_hours: [manager, cto], after_hours: ' +
        '[oncall_manager], fallback_any_of: [cto, ciso] } }\n',
      at: MONDAY_NOON_EST,
      expected: [
        { role: 'manager', alternative: false },
        { role: 'cto', alternative: false },
        { role: 'ciso', alternative: true },
      ],
    },
    {
      name: '6.3 after hours: the CTO on call is primary, only the CISO stands in',
      yaml:
        'emergency: { authorizers: { business_hours: [manager], after_hours: [cto], ' +
        'fallback_any_of: [cto, ciso] } }\n',
      at: SATURDAY_NOON_EST,
      expected: [
        { role: 'cto', alternative: false },
        { role: 'ciso', alternative: true },
      ],
    },
    {
      name: '6.3 the same policy in business hours keeps both stand-ins',
      yaml:
        'emergency: { authorizers: { business_hours: [manager], after_hours: [cto], ' +
        'fallback_any_of: [cto, ciso] } }\n',
      at: MONDAY_NOON_EST,
      expected: [
        { role: 'manager', alternative: false },
        { role: 'cto', alternative: true },
        { role: 'ciso', alternative: true },
      ],
    },
    {
      name: '6.3 a policy without stand-ins: no alternatives at all',
      yaml: 'emergency: { authorizers: { fallback_any_of: [] } }\n',
      at: SATURDAY_NOON_EST,
      expected: [
        { role: 'oncall_manager', alternative: false },
        { role: 'oncall_security', alternative: false },
      ],
    },
    {
      name: '6.3 every stand-in already on duty: no alternatives',
      yaml: 'emergency: { authorizers: { business_hours: [ciso, cto], fallback_any_of: [cto, ciso] } }\n',
      at: MONDAY_NOON_EST,
      expected: [
        { role: 'ciso', alternative: false },
        { role: 'cto', alternative: false },
      ],
    },
    {
      name: '004 3.1 "CTO or Security Officer": one group, both asked, neither a stand-in',
      yaml: 'emergency: { authorizers: { business_hours: [{ any_of: [cto, security] }], fallback_any_of: [] } }\n',
      at: MONDAY_NOON_EST,
      expected: [
        { role: 'cto', alternative: false, anyOf: ['cto', 'security'] },
        { role: 'security', alternative: false, anyOf: ['cto', 'security'] },
      ],
    },
    {
      name: 'a group beside a plain role; a stand-in in the group is not repeated as an alternative',
      yaml:
        'emergency: { authorizers: { business_hours: [manager, { any_of: [cto, security] }], ' +
        'fallback_any_of: [cto, ciso] } }\n',
      at: MONDAY_NOON_EST,
      expected: [
        { role: 'manager', alternative: false },
        { role: 'cto', alternative: false, anyOf: ['cto', 'security'] },
        { role: 'security', alternative: false, anyOf: ['cto', 'security'] },
        { role: 'ciso', alternative: true },
      ],
    },
    {
      name: 'a group one of whose roles is on duty anyway asks nothing more; a group listed twice is one',
      yaml:
        'emergency: { authorizers: { business_hours: [manager, { any_of: [manager, cto] }], ' +
        'after_hours: [{ any_of: [cto, ciso] }, { any_of: [cto, ciso] }], fallback_any_of: [] } }\n',
      at: MONDAY_NOON_EST,
      expected: [{ role: 'manager', alternative: false }],
    },
    {
      name: 'the same policy after hours: the group once',
      yaml:
        'emergency: { authorizers: { business_hours: [manager, { any_of: [manager, cto] }], ' +
        'after_hours: [{ any_of: [cto, ciso] }, { any_of: [cto, ciso] }], fallback_any_of: [] } }\n',
      at: SATURDAY_NOON_EST,
      expected: [
        { role: 'cto', alternative: false, anyOf: ['cto', 'ciso'] },
        { role: 'ciso', alternative: false, anyOf: ['cto', 'ciso'] },
      ],
    },
  ])('$name', ({ yaml, at, expected }) => {
    expect(authorizationRequirements(at, policyWith(yaml))).toEqual(expected);
  });

  it.each([
    {
      name: 'two different groups sharing a role',
      yaml: 'emergency: { authorizers: { business_hours: [{ any_of: [cto, ciso] }, { any_of: [ciso, security] }] } }\n',
      message: 'emergency.authorizers.business_hours: role "ciso" is in two different any_of groups',
    },
    {
      name: 'an undefined role in a group',
      yaml: 'emergency: { authorizers: { after_hours: [{ any_of: [cto, ceo] }] } }\n',
      message: 'emergency.authorizers.after_hours[0].any_of[1]: role "ceo" is not defined',
    },
  ])('$name is refused', ({ yaml, message }) => {
    expect(() => policyWith(yaml)).toThrow(message);
  });

  it('6.3 the period is local: Mon 13:30Z is after hours in New York, business hours in London', () => {
    const london = parsePolicy(
      MINIMAL_POLICY_YAML.replace('timezone: America/New_York', 'timezone: Europe/London'),
      'london.yml',
    ).policy;
    expect(london.timezone).toBe('Europe/London');
    const instant = new Date('2026-01-12T13:30:00Z');
    expect(authorizationRequirements(instant, policy)).toEqual(AFTER_HOURS);
    expect(authorizationRequirements(instant, london)).toEqual(BUSINESS);
  });

  // The database keeps one authorization requirement per role (approval_requirements_change_phase_role_uq),
  // and the schema does not refuse a role listed twice, so a repeated role must come out once.
  it.each([
    { name: 'a stand-in listed twice', yaml: 'emergency: { authorizers: { fallback_any_of: [cto, cto] } }\n' },
    {
      name: 'an on-duty role listed twice',
      yaml: 'emergency: { authorizers: { business_hours: [manager, manager, security] } }\n',
    },
  ])('6.3 $name appears once among the requirements', ({ yaml }) => {
    const requirements = authorizationRequirements(new Date('2026-01-12T17:00:00Z'), policyWith(yaml));
    const roles = requirements.map((requirement) => requirement.role);
    expect(roles).toEqual([...new Set(roles)]);
  });

  it('the result is fresh: changing it does not change the policy', () => {
    const result = authorizationRequirements(new Date('2026-01-12T17:00:00Z'), policy);
    result.length = 0;
    expect(policy.emergency.authorizers.business_hours).toEqual(['manager', 'security']);
    expect(policy.emergency.authorizers.fallback_any_of).toEqual(['cto', 'ciso']);
    expect(authorizationRequirements(new Date('2026-01-12T17:00:00Z'), policy)).toEqual(BUSINESS);
  });
});

describe('escalationDueAt: how long on-duty authorizers have before CTO/CISO are asked (6.3 "if unavailable")', () => {
  it.each([
    {
      name: 'default 15 minutes',
      policy,
      declaredAt: '2026-01-12T14:00:00.000Z',
      expected: '2026-01-12T14:15:00.000Z',
    },
    {
      name: 'default 15 minutes keep the seconds',
      policy,
      declaredAt: '2026-01-12T14:00:42.123Z',
      expected: '2026-01-12T14:15:42.123Z',
    },
    {
      name: 'default 15 minutes across midnight and the month',
      policy,
      declaredAt: '2026-01-31T23:50:00.000Z',
      expected: '2026-02-01T00:05:00.000Z',
    },
    {
      name: 'default 15 minutes across spring forward: 01:50 EST + 15 min is 03:05 EDT (elapsed time, not wall clock)',
      policy,
      declaredAt: '2026-03-08T06:50:00.000Z',
      expected: '2026-03-08T07:05:00.000Z',
    },
    {
      name: 'default 15 minutes across fall back: 01:50 EDT + 15 min is 01:05 EST',
      policy,
      declaredAt: '2026-11-01T05:50:00.000Z',
      expected: '2026-11-01T06:05:00.000Z',
    },
    {
      name: 'policy escalate_after_minutes: 90',
      policy: policyWith('emergency: { escalate_after_minutes: 90 }\n'),
      declaredAt: '2026-01-12T14:00:00.000Z',
      expected: '2026-01-12T15:30:00.000Z',
    },
    {
      name: 'policy escalate_after_minutes: 1',
      policy: policyWith('emergency: { escalate_after_minutes: 1 }\n'),
      declaredAt: '2026-01-12T14:00:00.000Z',
      expected: '2026-01-12T14:01:00.000Z',
    },
  ])('6.3 $name', ({ policy: given, declaredAt, expected }) => {
    expect(escalationDueAt(new Date(declaredAt), given).toISOString()).toBe(expected);
  });

  it('6.3/6.4 elapsed time across spring forward: exactly 15 minutes to escalation, 24 hours to the paperwork', () => {
    const at = new Date('2026-03-08T06:59:00Z');
    expect(escalationDueAt(at, policy).getTime() - at.getTime()).toBe(15 * MINUTE);
    expect((paperworkObligations(at, policy)[0]?.dueAt?.getTime() ?? 0) - at.getTime()).toBe(24 * HOUR);
  });

  it('does not change the declaration time it was given', () => {
    const declaredAt = new Date('2026-01-12T14:00:00Z');
    escalationDueAt(declaredAt, policy);
    expect(declaredAt.toISOString()).toBe('2026-01-12T14:00:00.000Z');
  });
});

/** The four 6.4 checklist items with a deadline, in the policy's order. */
const DEADLINE_KINDS: ObligationKind[] = ['documentation', 'retro_ticket', 'retro_approval', 'root_cause_analysis'];

describe('paperworkObligations and reminderAt: POL-SEC-008 6.4 "Within 24 hours"', () => {
  type Row = { name: string; policy: Policy; authorizedAt: string; dueAt: string; remindAt: string };
  const rows: Row[] = [
    {
      name: '6.4 within 24 hours (default), reminded 4 hours before',
      policy,
      authorizedAt: '2026-01-12T14:00:00.000Z',
      dueAt: '2026-01-13T14:00:00.000Z',
      remindAt: '2026-01-13T10:00:00.000Z',
    },
    {
      name: '6.4 within 24 hours keeps the milliseconds',
      policy,
      authorizedAt: '2026-01-12T14:07:31.250Z',
      dueAt: '2026-01-13T14:07:31.250Z',
      remindAt: '2026-01-13T10:07:31.250Z',
    },
    {
      name: '6.4 within 24 hours over a year end',
      policy,
      authorizedAt: '2026-12-31T22:00:00.000Z',
      dueAt: '2027-01-01T22:00:00.000Z',
      remindAt: '2027-01-01T18:00:00.000Z',
    },
    {
      name: '6.4 within 24 hours over a leap day',
      policy,
      authorizedAt: '2028-02-28T12:00:00.000Z',
      dueAt: '2028-02-29T12:00:00.000Z',
      remindAt: '2028-02-29T08:00:00.000Z',
    },
    {
      // Sat 12:00 EST + 24 elapsed hours is Sun 13:00 EDT: "within 24 hours" is time, not the wall clock.
      name: '6.4 within 24 hours across spring forward is 24 elapsed hours (Sat 12:00 EST → Sun 13:00 EDT)',
      policy,
      authorizedAt: '2026-03-07T17:00:00.000Z',
      dueAt: '2026-03-08T17:00:00.000Z',
      remindAt: '2026-03-08T13:00:00.000Z',
    },
    {
      name: '6.4 within 24 hours across fall back is 24 elapsed hours (Sat 12:00 EDT → Sun 11:00 EST)',
      policy,
      authorizedAt: '2026-10-31T16:00:00.000Z',
      dueAt: '2026-11-01T16:00:00.000Z',
      remindAt: '2026-11-01T12:00:00.000Z',
    },
    {
      // The other policy (002, section 9): "Reviewed by CTO/CISO within 48 hours".
      name: 'policy 002 §9 "within 48 hours": documentation_deadline_hours: 48',
      policy: policyWith('emergency: { documentation_deadline_hours: 48 }\n'),
      authorizedAt: '2026-01-12T14:00:00.000Z',
      dueAt: '2026-01-14T14:00:00.000Z',
      remindAt: '2026-01-14T10:00:00.000Z',
    },
    {
      name: '6.4 within 24 hours with reminder_hours_before_deadline: 12',
      policy: policyWith('emergency: { reminder_hours_before_deadline: 12 }\n'),
      authorizedAt: '2026-01-12T14:00:00.000Z',
      dueAt: '2026-01-13T14:00:00.000Z',
      remindAt: '2026-01-13T02:00:00.000Z',
    },
    {
      name:
        'documentation_deadline_hours: 2, reminder_hours_before_deadline: 1 (the reminder is ' +
        'one hour after authorization)',
      policy: policyWith('emergency: { documentation_deadline_hours: 2, reminder_hours_before_deadline: 1 }\n'),
      authorizedAt: '2026-01-12T14:00:00.000Z',
      dueAt: '2026-01-12T16:00:00.000Z',
      remindAt: '2026-01-12T15:00:00.000Z',
    },
  ];

  it.each(rows)('$name', ({ policy: given, authorizedAt, dueAt, remindAt }) => {
    const plan = paperworkObligations(new Date(authorizedAt), given);
    expect(plan.map((obligation) => obligation.kind)).toEqual(DEADLINE_KINDS);
    for (const obligation of plan) expect(obligation.dueAt?.toISOString()).toBe(dueAt);
    expect(reminderAt(new Date(dueAt), given).toISOString()).toBe(remindAt);
  });

  it.each(rows)(
    '$name: the reminder falls strictly between authorization and deadline',
    ({ policy: given, authorizedAt }) => {
      const authorized = new Date(authorizedAt);
      const [first] = paperworkObligations(authorized, given);
      const dueAt = first?.dueAt;
      if (!dueAt) throw new Error('expected a deadline');
      const reminder = reminderAt(dueAt, given);
      expect(reminder.getTime()).toBeGreaterThan(authorized.getTime());
      expect(reminder.getTime()).toBeLessThan(dueAt.getTime());
      expect(dueAt.getTime() - authorized.getTime()).toBe(given.emergency.documentation_deadline_hours * HOUR);
    },
  );

  it('6.4 "Present to CAB" is not planned up front: it is owed only once the risk is known', () => {
    const kinds = paperworkObligations(new Date('2026-01-12T14:00:00Z'), policy).map((obligation) => obligation.kind);
    expect(kinds).not.toContain('cab_presentation');
    expect(OBLIGATION_KINDS.filter((kind) => !kinds.includes(kind))).toEqual(['cab_presentation']);
  });

  it('every planned deadline is its own Date equal to the others and leaves the input unchanged', () => {
    const authorizedAt = new Date('2026-01-12T14:00:00Z');
    const plan = paperworkObligations(authorizedAt, policy);
    expect(new Set(plan.map((obligation) => obligation.dueAt?.getTime())).size).toBe(1);
    expect(authorizedAt.toISOString()).toBe('2026-01-12T14:00:00.000Z');
  });

  it('a policy deadline of 48 hours is read from the policy, not the 24 of the default', () => {
    const at = new Date('2026-01-12T14:00:00Z');
    const default24 = paperworkObligations(at, policy)[0]?.dueAt?.getTime();
    const policy48 = paperworkObligations(
      at,
      policyWith('emergency: { documentation_deadline_hours: 48 }\n'),
    )[0]?.dueAt?.getTime();
    expect(policy48 !== undefined && default24 !== undefined ? policy48 - default24 : Number.NaN).toBe(24 * HOUR);
  });
});

describe('needsCabPresentation: 6.4 "Present to CAB if high/critical"', () => {
  it.each([
    { name: '6.4 low: not presented', level: 'low', given: policy, expected: false },
    { name: '6.4 medium: not presented', level: 'medium', given: policy, expected: false },
    { name: '6.4 high: presented', level: 'high', given: policy, expected: true },
    { name: '6.4 critical: presented', level: 'critical', given: policy, expected: true },
    { name: '6.4 the label "High" is not the level id', level: 'High', given: policy, expected: false },
    { name: '6.4 an unknown level is not presented', level: 'severe', given: policy, expected: false },
    { name: '6.4 empty level is not presented', level: '', given: policy, expected: false },
    {
      name: 'policy cab_review_risk_levels: [critical] — high is no longer presented',
      level: 'high',
      given: policyWith('emergency: { cab_review_risk_levels: [critical] }\n'),
      expected: false,
    },
    {
      name: 'policy cab_review_risk_levels: [critical] — critical still is',
      level: 'critical',
      given: policyWith('emergency: { cab_review_risk_levels: [critical] }\n'),
      expected: true,
    },
    {
      name: 'policy cab_review_risk_levels: [medium, high, critical] — medium too',
      level: 'medium',
      given: policyWith('emergency: { cab_review_risk_levels: [medium, high, critical] }\n'),
      expected: true,
    },
    {
      name: 'policy cab_review_risk_levels: [] — nothing is presented',
      level: 'critical',
      given: policyWith('emergency: { cab_review_risk_levels: [] }\n'),
      expected: false,
    },
  ])('$name', ({ level, given, expected }) => {
    expect(needsCabPresentation(level, given)).toBe(expected);
  });
});

describe('outstandingPaperwork: the 6.4 items a reminder or an overdue notice is about', () => {
  const DUE = new Date('2026-01-13T14:00:00Z');
  const DONE = new Date('2026-01-13T09:00:00Z');
  type Row = { name: string; obligations: ObligationState[]; expected: ObligationKind[] };
  const fresh = (kind: ObligationKind, overrides: Partial<ObligationState> = {}): ObligationState => ({
    kind,
    dueAt: DUE,
    completedAt: null,
    ...overrides,
  });

  it.each<Row>([
    { name: 'nothing owed', obligations: [], expected: [] },
    {
      name: '6.4 all four just planned: all outstanding',
      obligations: DEADLINE_KINDS.map((kind) => fresh(kind)),
      expected: DEADLINE_KINDS,
    },
    {
      name: '6.4 documented and ticket created: approval and root cause remain',
      obligations: [
        fresh('documentation', { completedAt: DONE }),
        fresh('retro_ticket', { completedAt: DONE }),
        fresh('retro_approval'),
        fresh('root_cause_analysis'),
      ],
      expected: ['retro_approval', 'root_cause_analysis'],
    },
    {
      name: '6.4 everything done',
      obligations: DEADLINE_KINDS.map((kind) => fresh(kind, { completedAt: DONE })),
      expected: [],
    },
    {
      name: '6.4 "Present to CAB" has no hour deadline (next CAB): not part of the deadline notices',
      obligations: [fresh('root_cause_analysis'), fresh('cab_presentation', { dueAt: null })],
      expected: ['root_cause_analysis'],
    },
    {
      name: 'done after the deadline still counts as done',
      obligations: [fresh('documentation', { completedAt: new Date(DUE.getTime() + HOUR) })],
      expected: [],
    },
  ])('$name', ({ obligations, expected }) => {
    expect(outstandingPaperwork(obligations).map((obligation) => obligation.kind)).toEqual(expected);
  });

  it("keeps the caller's own fields and objects", () => {
    const rows = [
      { id: 7, kind: 'documentation' as const, dueAt: DUE, completedAt: null, evidence: null },
      { id: 8, kind: 'retro_ticket' as const, dueAt: DUE, completedAt: DONE, evidence: 'CHG-1' },
    ];
    const outstanding = outstandingPaperwork(rows);
    expect(outstanding).toEqual([rows[0]]);
    expect(outstanding[0]).toBe(rows[0]);
    expect(outstanding[0]?.id).toBe(7);
  });
});

describe('verbalApprovalState: 6.2 "verbal approval", confirmed in writing afterwards', () => {
  it.each<{
    name: string;
    confirmation: { outcome: 'confirmed' | 'disputed' } | undefined;
    expected: VerbalApprovalState;
  }>([
    { name: '6.2 no answer from the approver yet: unconfirmed', confirmation: undefined, expected: 'unconfirmed' },
    { name: '6.2 the approver confirmed it', confirmation: { outcome: 'confirmed' }, expected: 'confirmed' },
    { name: '6.2 the approver disputed it', confirmation: { outcome: 'disputed' }, expected: 'disputed' },
  ])('$name', ({ confirmation, expected }) => {
    expect(verbalApprovalState(confirmation)).toBe(expected);
  });
});

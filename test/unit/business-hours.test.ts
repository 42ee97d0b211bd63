import { describe, expect, it } from 'vitest';
import { emergencyAuthorizers, isBusinessHours, localTime } from '../../src/domain/business-hours.js';
import { parsePolicy } from '../../src/policy/load.js';
import { minimalPolicy } from './policy-fixture.js';

// Default business hours (defaults.ts): Mon–Fri 09:00–17:00 America/New_York.
// New York is UTC−5 (EST) until 2026-03-08 and from 2026-11-01, UTC−4 (EDT) in between.
const policy = minimalPolicy();

const BUSINESS = {
  period: 'business_hours',
  roles: ['manager', 'security'],
  fallbackAnyOf: ['cto', 'ciso'],
};
const AFTER_HOURS = {
  period: 'after_hours',
  roles: ['oncall_manager', 'oncall_security'],
  fallbackAnyOf: ['cto', 'ciso'],
};

describe('POL-SEC-008 6.3 business hours in America/New_York (default Mon–Fri 09:00–17:00)', () => {
  it.each([
    // Winter (EST, UTC−5)
    {
      name: 'Mon 2026-01-12 08:59 EST is after hours',
      at: '2026-01-12T13:59:00Z',
      weekday: 'mon',
      time: '08:59',
      business: false,
    },
    {
      name: 'Mon 2026-01-12 09:00 EST is business hours',
      at: '2026-01-12T14:00:00Z',
      weekday: 'mon',
      time: '09:00',
      business: true,
    },
    {
      name: 'Mon 2026-01-12 16:59 EST is business hours',
      at: '2026-01-12T21:59:00Z',
      weekday: 'mon',
      time: '16:59',
      business: true,
    },
    {
      name: 'Mon 2026-01-12 17:00 EST is after hours',
      at: '2026-01-12T22:00:00Z',
      weekday: 'mon',
      time: '17:00',
      business: false,
    },
    {
      name: 'Fri 2026-01-16 16:59 EST is business hours',
      at: '2026-01-16T21:59:00Z',
      weekday: 'fri',
      time: '16:59',
      business: true,
    },
    {
      name: 'Sat 2026-01-17 12:00 EST is after hours',
      at: '2026-01-17T17:00:00Z',
      weekday: 'sat',
      time: '12:00',
      business: false,
    },
    {
      name: 'Sun 2026-01-18 12:00 EST is after hours',
      at: '2026-01-18T17:00:00Z',
      weekday: 'sun',
      time: '12:00',
      business: false,
    },
    {
      name: 'Tue 2026-01-13 00:00 EST (midnight, not "24:00") is after hours',
      at: '2026-01-13T05:00:00Z',
      weekday: 'tue',
      time: '00:00',
      business: false,
    },
    {
      name: 'Mon 2026-01-12 23:30 EST is still Monday locally though UTC says Tuesday',
      at: '2026-01-13T04:30:00Z',
      weekday: 'mon',
      time: '23:30',
      business: false,
    },
    {
      name: 'Fri 2026-01-16 20:00 EST is after hours although UTC says Saturday 01:00',
      at: '2026-01-17T01:00:00Z',
      weekday: 'fri',
      time: '20:00',
      business: false,
    },
    // Summer (EDT, UTC−4): the same UTC clock times shift by an hour.
    {
      name: 'Mon 2026-07-13 08:59 EDT is after hours',
      at: '2026-07-13T12:59:00Z',
      weekday: 'mon',
      time: '08:59',
      business: false,
    },
    {
      name: 'Mon 2026-07-13 09:00 EDT is business hours',
      at: '2026-07-13T13:00:00Z',
      weekday: 'mon',
      time: '09:00',
      business: true,
    },
    {
      name: 'Mon 2026-07-13 16:59 EDT is business hours',
      at: '2026-07-13T20:59:00Z',
      weekday: 'mon',
      time: '16:59',
      business: true,
    },
    {
      name: 'Mon 2026-07-13 17:00 EDT is after hours',
      at: '2026-07-13T21:00:00Z',
      weekday: 'mon',
      time: '17:00',
      business: false,
    },
    {
      name: 'Mon 2026-07-13 21:59Z is 17:59 EDT, after hours (would be 16:59 in EST)',
      at: '2026-07-13T21:59:00Z',
      weekday: 'mon',
      time: '17:59',
      business: false,
    },
    {
      name: 'Sat 2026-07-18 12:00 EDT is after hours',
      at: '2026-07-18T16:00:00Z',
      weekday: 'sat',
      time: '12:00',
      business: false,
    },
    // The Mondays right after the DST changes.
    {
      name: 'Mon 2026-03-09 09:00 EDT (day after spring forward) is business hours',
      at: '2026-03-09T13:00:00Z',
      weekday: 'mon',
      time: '09:00',
      business: true,
    },
    {
      name: 'Fri 2026-03-06 08:00 EST (before spring forward): 13:00Z is after hours',
      at: '2026-03-06T13:00:00Z',
      weekday: 'fri',
      time: '08:00',
      business: false,
    },
    {
      name: 'Mon 2026-11-02 08:00 EST (day after fall back): 13:00Z is after hours',
      at: '2026-11-02T13:00:00Z',
      weekday: 'mon',
      time: '08:00',
      business: false,
    },
    {
      name: 'Mon 2026-11-02 09:00 EST (day after fall back) is business hours',
      at: '2026-11-02T14:00:00Z',
      weekday: 'mon',
      time: '09:00',
      business: true,
    },
  ])('$name', ({ at, weekday, time, business }) => {
    const instant = new Date(at);
    expect(localTime(instant, 'America/New_York')).toEqual({ weekday, time });
    expect(isBusinessHours(instant, policy)).toBe(business);
    expect(emergencyAuthorizers(instant, policy)).toEqual(business ? BUSINESS : AFTER_HOURS);
  });
});

describe('POL-SEC-008 6.3 emergency authorizers', () => {
  it('business hours: Manager + Security, CTO or CISO if unavailable', () => {
    expect(emergencyAuthorizers(new Date('2026-01-14T15:00:00Z'), policy)).toEqual({
      period: 'business_hours',
      roles: ['manager', 'security'],
      fallbackAnyOf: ['cto', 'ciso'],
    });
  });

  it('after hours: On-call Manager + On-call Security, CTO or CISO if unavailable', () => {
    expect(emergencyAuthorizers(new Date('2026-01-14T03:00:00Z'), policy)).toEqual({
      period: 'after_hours',
      roles: ['oncall_manager', 'oncall_security'],
      fallbackAnyOf: ['cto', 'ciso'],
    });
  });

  it('the result is a copy: changing it does not change the policy', () => {
    const result = emergencyAuthorizers(new Date('2026-01-14T15:00:00Z'), policy);
    result.roles.push('intruder');
    result.fallbackAnyOf.length = 0;
    expect(policy.emergency.authorizers.business_hours).toEqual(['manager', 'security']);
    expect(policy.emergency.authorizers.fallback_any_of).toEqual(['cto', 'ciso']);
  });

  it('authorizer roles come from the policy', () => {
    const custom = parsePolicy(
      `roles: { peer: [U0PEER001], manager: [U0MGR0001], security: [U0SEC0001], cab: [U0CAB0001], cto: [U0CTO0001],
         ciso: [U0CISO001], oncall_manager: [U0ONMGR01], oncall_security: [U0ONSEC01], dba: [U0DBA0001],
         duty_officer: [U0DUTY001] }
emergency:
  authorizers: { business_hours: [manager], after_hours: [duty_officer], fallback_any_of: [cto] }
`,
      'custom.yml',
    ).policy;
    expect(emergencyAuthorizers(new Date('2026-01-17T17:00:00Z'), custom)).toEqual({
      period: 'after_hours',
      roles: ['duty_officer'],
      fallbackAnyOf: ['cto'],
    });
    expect(emergencyAuthorizers(new Date('2026-01-16T17:00:00Z'), custom)).toEqual({
      period: 'business_hours',
      roles: ['manager'],
      fallbackAnyOf: ['cto'],
    });
  });
});

describe('a policy with another timezone and hours: Europe/London, Mon–Thu 08:30–16:00', () => {
  // London is UTC+0 (GMT) until 2026-03-29 and from 2026-10-25, UTC+1 (BST) in between.
  const london = parsePolicy(
    `timezone: Europe/London
business_hours: { days: [mon, tue, wed, thu], from: "08:30", to: "16:00" }
`,
    'london.yml',
  ).policy;

  it('loads the custom hours', () => {
    expect(london.timezone).toBe('Europe/London');
    expect(london.business_hours).toEqual({ days: ['mon', 'tue', 'wed', 'thu'], from: '08:30', to: '16:00' });
  });

  it.each([
    { name: 'Mon 2026-01-12 08:29 GMT is after hours', at: '2026-01-12T08:29:00Z', business: false },
    { name: 'Mon 2026-01-12 08:30 GMT is business hours', at: '2026-01-12T08:30:00Z', business: true },
    { name: 'Mon 2026-01-12 15:59 GMT is business hours', at: '2026-01-12T15:59:00Z', business: true },
    { name: 'Mon 2026-01-12 16:00 GMT is after hours', at: '2026-01-12T16:00:00Z', business: false },
    {
      name: 'Fri 2026-01-16 10:00 GMT is after hours (Friday not listed)',
      at: '2026-01-16T10:00:00Z',
      business: false,
    },
    { name: 'Mon 2026-07-13 07:30Z is 08:30 BST, business hours', at: '2026-07-13T07:30:00Z', business: true },
    { name: 'Mon 2026-07-13 07:29Z is 08:29 BST, after hours', at: '2026-07-13T07:29:00Z', business: false },
    { name: 'Mon 2026-07-13 15:00Z is 16:00 BST, after hours', at: '2026-07-13T15:00:00Z', business: false },
    { name: 'Mon 2026-07-13 14:59Z is 15:59 BST, business hours', at: '2026-07-13T14:59:00Z', business: true },
    // 14:00Z on a Monday: 09:00 in New York (business there), 14:00 in London (business), and
    // 20:00Z: 15:00 in New York (business) but 20:00 in London (after hours).
    {
      name: 'Mon 2026-01-12 20:00Z is after hours in London though business hours in New York',
      at: '2026-01-12T20:00:00Z',
      business: false,
    },
  ])('$name', ({ at, business }) => {
    expect(isBusinessHours(new Date(at), london)).toBe(business);
    expect(emergencyAuthorizers(new Date(at), london).period).toBe(business ? 'business_hours' : 'after_hours');
  });

  it("the same instant is judged in each policy's own timezone", () => {
    const instant = new Date('2026-01-12T20:00:00Z');
    expect(isBusinessHours(instant, policy)).toBe(true);
    expect(isBusinessHours(instant, london)).toBe(false);
  });

  it('Asia/Tokyo: 2026-01-12T00:00Z is Monday 09:00 JST (business) while still Sunday 19:00 in New York', () => {
    const tokyo = parsePolicy('timezone: Asia/Tokyo\n', 'tokyo.yml').policy;
    const instant = new Date('2026-01-12T00:00:00Z');
    expect(localTime(instant, 'Asia/Tokyo')).toEqual({ weekday: 'mon', time: '09:00' });
    expect(localTime(instant, 'America/New_York')).toEqual({ weekday: 'sun', time: '19:00' });
    expect(isBusinessHours(instant, tokyo)).toBe(true);
    expect(isBusinessHours(instant, policy)).toBe(false);
    expect(isBusinessHours(new Date('2026-01-11T23:59:00Z'), tokyo)).toBe(false);
  });
});

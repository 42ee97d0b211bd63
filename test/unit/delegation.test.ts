// Delegation while out of office (issue 15, item 3): who may hand their approvals to whom and until when, and when a
// delegation ends in the policy timezone (POL-SEC-008 4.4 approvals; the policy's `timezone`).
import { describe, expect, it } from 'vitest';
import {
  DELEGATION_REASON_MAX,
  type DelegationInput,
  delegationEndsAt,
  validateDelegation,
} from '../../src/domain/delegation.js';

const TODAY = '2026-11-18';
const input = (extra: Partial<DelegationInput>): DelegationInput => ({
  delegatorId: 'U0MGR0001',
  delegateId: 'U0DEP0001',
  until: '2026-11-20',
  reason: '',
  ...extra,
});

describe('validateDelegation', () => {
  it.each<{ name: string; input: DelegationInput; expected: unknown }>([
    {
      name: 'to someone else until a later day, with a reason',
      input: input({ reason: '  Offsite  ' }),
      expected: { ok: true, delegation: { delegateId: 'U0DEP0001', until: '2026-11-20', reason: 'Offsite' } },
    },
    {
      name: 'until today (the end of today), no reason',
      input: input({ until: TODAY }),
      expected: { ok: true, delegation: { delegateId: 'U0DEP0001', until: TODAY, reason: null } },
    },
    { name: 'to oneself', input: input({ delegateId: 'U0MGR0001' }), expected: { ok: false, issue: { code: 'self' } } },
    { name: 'no date', input: input({ until: '' }), expected: { ok: false, issue: { code: 'not_a_date' } } },
    {
      name: 'a date that does not exist',
      input: input({ until: '2026-02-30' }),
      expected: { ok: false, issue: { code: 'not_a_date' } },
    },
    { name: 'a word', input: input({ until: 'friday' }), expected: { ok: false, issue: { code: 'not_a_date' } } },
    {
      name: 'yesterday',
      input: input({ until: '2026-11-17' }),
      expected: { ok: false, issue: { code: 'over_already', today: TODAY } },
    },
    {
      name: 'a year ahead is the latest',
      input: input({ until: '2027-11-18' }),
      expected: { ok: true, delegation: { delegateId: 'U0DEP0001', until: '2027-11-18', reason: null } },
    },
    {
      name: 'more than a year ahead (a typo in the year)',
      input: input({ until: '2027-11-19' }),
      expected: { ok: false, issue: { code: 'too_far', latest: '2027-11-18' } },
    },
    {
      name: 'a reason too long',
      input: input({ reason: 'x'.repeat(DELEGATION_REASON_MAX + 1) }),
      expected: { ok: false, issue: { code: 'reason_too_long', max: DELEGATION_REASON_MAX } },
    },
  ])('$name', ({ input: typed, expected }) => {
    expect(validateDelegation(typed, TODAY)).toEqual(expected);
  });
});

describe('when a delegation ends', () => {
  it.each([
    { until: '2026-11-19', zone: 'America/New_York', endsAt: '2026-11-20T05:00:00.000Z' },
    // The night the clocks go back (1 Nov 2026 in New York, at 02:00): midnight is still summer time (EDT).
    { until: '2026-10-31', zone: 'America/New_York', endsAt: '2026-11-01T04:00:00.000Z' },
    // Paris springs forward on 29 Mar 2026 at 02:00: midnight after the 28th is still winter time (CET).
    { until: '2026-03-28', zone: 'Europe/Paris', endsAt: '2026-03-28T23:00:00.000Z' },
  ])('the end of $until in $zone is $endsAt', ({ until, zone, endsAt }) => {
    expect(delegationEndsAt(until, zone).toISOString()).toBe(endsAt);
  });
});

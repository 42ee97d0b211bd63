// The deployment gate's own rules (issue 18): token requests and scopes, and the gate's reasons, which add the
// system check to the Start button's (POL-SEC-008 9.1 windows, 9.2 freezes). America/New_York is EST (UTC−5).
import { describe, expect, it } from 'vitest';
import type { StartFacts } from '../../src/domain/implementation.js';
import { changeInScope, gateReasons, inScope, readTokenRequest } from '../../src/domain/pipeline.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

describe('token requests (issue 18.1)', () => {
  const catalog = policyWith(
    'systems:\n  - { id: edge-proxy, label: Edge proxy }\n  - { id: payments-db, label: Payments DB }\n',
  );
  it.each([
    { words: ['ci'], policy: minimalPolicy(), expected: { ok: true, name: 'ci', systems: [] } },
    { words: ['ci', 'a', 'b', 'a'], policy: minimalPolicy(), expected: { ok: true, name: 'ci', systems: ['a', 'b'] } },
    { words: ['ci', 'edge-proxy'], policy: catalog, expected: { ok: true, systems: ['edge-proxy'] } },
    {
      words: ['ci', 'mainframe'],
      policy: catalog,
      expected: { ok: false, code: 'unknown_system', system: 'mainframe' },
    },
    { words: [], policy: minimalPolicy(), expected: { ok: false, code: 'bad_name' } },
    { words: ['-ci'], policy: minimalPolicy(), expected: { ok: false, code: 'bad_name' } },
    { words: ['x'.repeat(41)], policy: minimalPolicy(), expected: { ok: false, code: 'bad_name' } },
  ])('$words → $expected.code', ({ words, policy, expected }) => {
    expect(readTokenRequest(words, policy)).toMatchObject(expected);
  });
});

describe('scopes (issue 18.1: a token limited to systems)', () => {
  it.each([
    { scope: [], system: 'anything', allowed: true },
    { scope: ['edge-proxy'], system: 'Edge-Proxy', allowed: true },
    { scope: ['edge-proxy'], system: 'payments-db', allowed: false },
  ])('$scope may act on $system: $allowed', ({ scope, system, allowed }) => {
    expect(inScope(scope, system)).toBe(allowed);
  });
  it.each([
    { scope: [], systems: ['a'], allowed: true },
    { scope: ['b'], systems: ['a', 'b'], allowed: true },
    { scope: ['c'], systems: ['a', 'b'], allowed: false },
  ])('$scope may act on a change of $systems: $allowed', ({ scope, systems, allowed }) => {
    expect(changeInScope(scope, systems)).toBe(allowed);
  });
});

describe('the gate (issue 18.2; POL-SEC-008 9.1, 9.2)', () => {
  const change: StartFacts & { affectedSystems: string[] } = {
    ref: 'CHG-1',
    state: 'approved',
    riskLevel: 'low',
    plannedStart: new Date('2026-11-24T12:00:00Z'),
    plannedEnd: new Date('2026-11-24T13:00:00Z'),
    scheduleException: null,
    type: 'normal',
    createdAt: new Date('2026-11-18T15:00:00Z'),
    affectedSystems: ['edge-proxy'],
  };
  const freeze = { id: 'FRZ-1', from: '2026-11-25', to: '2026-11-25', reason: 'Release' };
  it.each([
    { name: 'open in a low-risk window (Tue 07:05)', now: '2026-11-24T12:05:00Z', system: 'edge-proxy', codes: [] },
    { name: 'another system', now: '2026-11-24T12:05:00Z', system: 'payments-db', codes: ['system_not_on_change'] },
    { name: 'no window (Fri 08:00)', now: '2026-11-20T13:00:00Z', system: 'edge-proxy', codes: ['outside_windows'] },
    { name: 'a freeze (Wed 07:05)', now: '2026-11-25T12:05:00Z', system: 'edge-proxy', codes: ['frozen'] },
    {
      name: 'both at once',
      now: '2026-11-20T13:00:00Z',
      system: 'payments-db',
      codes: ['system_not_on_change', 'outside_windows'],
    },
    // POL-SEC-008 9.3 "Testing completed and documented" before deployment (testing.required_before: start).
    {
      name: 'tests not recorded',
      now: '2026-11-24T12:05:00Z',
      system: 'edge-proxy',
      missingEvidence: ['Unit tests'],
      codes: ['evidence_missing'],
    },
  ])('$name: $codes', ({ now, system, codes, missingEvidence = [] }) => {
    const reasons = gateReasons(change, system, minimalPolicy(), {
      freezes: [freeze],
      now: new Date(now),
      missingEvidence,
    });
    expect(reasons.map((reason) => reason.code)).toEqual(codes);
  });
  it('is closed before approval, whatever the time', () => {
    const pending = { ...change, state: 'pending_approval' as const };
    const reasons = gateReasons(pending, 'edge-proxy', minimalPolicy(), {
      freezes: [],
      now: new Date('2026-11-24T12:05:00Z'),
      missingEvidence: [],
    });
    expect(reasons).toMatchObject([{ code: 'not_approved', state: 'pending_approval' }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChangeType } from '../../src/domain/lifecycle.js';
import { type ApprovalRequirement, type RoutingInput, requiredApprovals } from '../../src/domain/routing.js';
import type { Policy } from '../../src/policy/schema.js';
import { expectDomainError, minimalPolicy, policyWith } from './policy-fixture.js';

const policy = minimalPolicy();

function route(overrides: Partial<RoutingInput>, against: Policy = policy): ApprovalRequirement[] {
  return requiredApprovals(
    { type: 'normal', riskLevel: 'low', reviewRules: [], securityTriggers: [], ...overrides },
    against,
  );
}

/** role → approvals, sorted by role so the comparison ignores order. */
function counts(requirements: ApprovalRequirement[]): Record<string, number> {
  return Object.fromEntries(
    [...requirements]
      .sort((a, b) => a.role.localeCompare(b.role))
      .map((requirement) => [requirement.role, requirement.approvals]),
  );
}

describe('POL-SEC-008 4.4 approval matrix, cell by cell', () => {
  it.each([
    { name: '4.4 low × peer: required', level: 'low', role: 'peer', required: true },
    { name: '4.4 low × manager: not required', level: 'low', role: 'manager', required: false },
    { name: '4.4 low × security: not required', level: 'low', role: 'security', required: false },
    { name: '4.4 low × cab: not required', level: 'low', role: 'cab', required: false },
    { name: '4.4 low × cto: not required', level: 'low', role: 'cto', required: false },
    { name: '4.4 medium × peer: required', level: 'medium', role: 'peer', required: true },
    { name: '4.4 medium × manager: required', level: 'medium', role: 'manager', required: true },
    { name: '4.4 medium × security: not required', level: 'medium', role: 'security', required: false },
    { name: '4.4 medium × cab: not required', level: 'medium', role: 'cab', required: false },
    { name: '4.4 medium × cto: not required', level: 'medium', role: 'cto', required: false },
    { name: '4.4 high × peer: required', level: 'high', role: 'peer', required: true },
    { name: '4.4 high × manager: required', level: 'high', role: 'manager', required: true },
    { name: '4.4 high × security: required', level: 'high', role: 'security', required: true },
    { name: '4.4 high × cab: required', level: 'high', role: 'cab', required: true },
    { name: '4.4 high × cto: not required', level: 'high', role: 'cto', required: false },
    { name: '4.4 critical × peer: required', level: 'critical', role: 'peer', required: true },
    { name: '4.4 critical × manager: required', level: 'critical', role: 'manager', required: true },
    { name: '4.4 critical × security: required', level: 'critical', role: 'security', required: true },
    { name: '4.4 critical × cab: required', level: 'critical', role: 'cab', required: true },
    { name: '4.4 critical × cto: required', level: 'critical', role: 'cto', required: true },
  ])('$name', ({ level, role, required }) => {
    const requirement = route({ riskLevel: level }).find((candidate) => candidate.role === role);
    if (required) {
      expect(requirement).toEqual({ role, approvals: 1, reasons: [{ kind: 'risk_level', level }] });
    } else {
      expect(requirement).toBeUndefined();
    }
  });

  it.each([
    { level: 'low', roles: ['peer'] },
    { level: 'medium', roles: ['peer', 'manager'] },
    { level: 'high', roles: ['peer', 'manager', 'security', 'cab'] },
    { level: 'critical', roles: ['peer', 'manager', 'security', 'cab', 'cto'] },
  ])('4.4 $level: exactly $roles, nobody else (no ciso, no dba)', ({ level, roles }) => {
    expect(route({ riskLevel: level }).map((requirement) => requirement.role)).toEqual(roles);
  });
});

describe('POL-SEC-008 4.3 review rules', () => {
  it('4.3 database changes: dba is added and peer stays', () => {
    expect(route({ riskLevel: 'low', reviewRules: ['database'] })).toEqual([
      {
        role: 'peer',
        approvals: 1,
        reasons: [
          { kind: 'risk_level', level: 'low' },
          { kind: 'review_rule', rule: 'database' },
        ],
      },
      { role: 'dba', approvals: 1, reasons: [{ kind: 'review_rule', rule: 'database' }] },
    ]);
  });

  it.each([
    'authentication',
    'encryption',
    'network_security',
    'external_integration',
    'data_handling',
    'privilege_access',
  ])('4.3 security review trigger "%s" alone adds security', (trigger) => {
    expect(route({ riskLevel: 'low', securityTriggers: [trigger] })).toEqual([
      {
        role: 'peer',
        approvals: 1,
        reasons: [
          { kind: 'risk_level', level: 'low' },
          { kind: 'review_rule', rule: 'security' },
        ],
      },
      { role: 'security', approvals: 1, reasons: [{ kind: 'review_rule', rule: 'security' }] },
    ]);
  });

  it('4.3 several security triggers apply the security rule once', () => {
    const requirements = route({
      riskLevel: 'medium',
      securityTriggers: ['authentication', 'encryption', 'privilege_access'],
    });
    expect(counts(requirements)).toEqual({ manager: 1, peer: 1, security: 1 });
    expect(requirements.find((requirement) => requirement.role === 'security')?.reasons).toEqual([
      { kind: 'review_rule', rule: 'security' },
    ]);
  });

  it('4.3 naming the security rule and ticking a trigger does not ask twice', () => {
    const requirements = route({ riskLevel: 'low', reviewRules: ['security'], securityTriggers: ['encryption'] });
    expect(requirements.find((requirement) => requirement.role === 'security')).toEqual({
      role: 'security',
      approvals: 1,
      reasons: [{ kind: 'review_rule', rule: 'security' }],
    });
  });

  it('4.3 database rule and a security trigger together: peer, dba and security', () => {
    expect(counts(route({ riskLevel: 'low', reviewRules: ['database'], securityTriggers: ['data_handling'] }))).toEqual(
      {
        dba: 1,
        peer: 1,
        security: 1,
      },
    );
  });

  it('4.3 no rule and no trigger: only the 4.4 row', () => {
    expect(counts(route({ riskLevel: 'low' }))).toEqual({ peer: 1 });
  });

  it('4.3 application: 2 peers; the matrix peer (1) merges by max into 2', () => {
    expect(route({ riskLevel: 'low', reviewRules: ['application'] })).toEqual([
      {
        role: 'peer',
        approvals: 2,
        reasons: [
          { kind: 'risk_level', level: 'low' },
          { kind: 'review_rule', rule: 'application' },
        ],
      },
    ]);
  });

  it('4.3 application and infrastructure both ask 2 peers: max is 2, not the sum 4', () => {
    expect(counts(route({ riskLevel: 'medium', reviewRules: ['application', 'infrastructure'] }))).toEqual({
      manager: 1,
      peer: 2,
    });
  });

  it('4.3 a rule count of 1 does not lower an earlier count of 2 (max, not last wins)', () => {
    expect(counts(route({ riskLevel: 'high', reviewRules: ['application', 'database'] }))).toEqual({
      cab: 1,
      dba: 1,
      manager: 1,
      peer: 2,
      security: 1,
    });
  });

  it('4.3 a policy rule asking 3 security approvals wins over the matrix 1 at critical', () => {
    const strict = policyWith(`review_rules:
  security: { label: Security-related, approvals: { security: 3, peer: 1 } }
`);
    expect(counts(route({ riskLevel: 'critical', securityTriggers: ['authentication'] }, strict))).toEqual({
      cab: 1,
      cto: 1,
      manager: 1,
      peer: 1,
      security: 3,
    });
  });
});

describe('change types', () => {
  it('3.1 standard changes are pre-authorized: no approver by default', () => {
    expect(route({ type: 'standard', riskLevel: 'low' })).toEqual([]);
  });

  it("3.1 standard changes ask the policy's change_types.standard.approver_roles", () => {
    const withManager = policyWith(`change_types:
  standard: { approver_roles: [manager] }
`);
    expect(route({ type: 'standard', riskLevel: 'low' }, withManager)).toEqual([
      { role: 'manager', approvals: 1, reasons: [{ kind: 'standard_change' }] },
    ]);
  });

  it.each<{ type: ChangeType; level: string; roles: string[] }>([
    { type: 'emergency', level: 'low', roles: ['peer'] },
    { type: 'emergency', level: 'high', roles: ['peer', 'manager', 'security', 'cab'] },
    { type: 'emergency', level: 'critical', roles: ['peer', 'manager', 'security', 'cab', 'cto'] },
  ])('6.4 $type changes get retrospective approval through the 4.4 matrix ($level)', ({ type, level, roles }) => {
    expect(route({ type, riskLevel: level }).map((requirement) => requirement.role)).toEqual(roles);
  });

  it('6.4 emergency changes also get the 4.3 review rules', () => {
    expect(counts(route({ type: 'emergency', riskLevel: 'medium', reviewRules: ['database'] }))).toEqual({
      dba: 1,
      manager: 1,
      peer: 1,
    });
  });
});

describe('unknown names are refused, never routed to fewer approvers', () => {
  it.each<{
    name: string;
    input: Partial<RoutingInput>;
    code: 'UNKNOWN_RISK_LEVEL' | 'UNKNOWN_REVIEW_RULE';
    mentions: string;
  }>([
    { name: 'an unknown risk level', input: { riskLevel: 'extreme' }, code: 'UNKNOWN_RISK_LEVEL', mentions: 'extreme' },
    {
      name: 'a risk level in the wrong case',
      input: { riskLevel: 'High' },
      code: 'UNKNOWN_RISK_LEVEL',
      mentions: 'High',
    },
    { name: 'an empty risk level', input: { riskLevel: '' }, code: 'UNKNOWN_RISK_LEVEL', mentions: '""' },
    {
      name: 'an emergency change with an unknown risk level',
      input: { type: 'emergency', riskLevel: 'sev1' },
      code: 'UNKNOWN_RISK_LEVEL',
      mentions: 'sev1',
    },
    {
      name: 'an unknown review rule',
      input: { reviewRules: ['datbase'] },
      code: 'UNKNOWN_REVIEW_RULE',
      mentions: 'datbase',
    },
    {
      name: 'an unknown rule next to a known one',
      input: { reviewRules: ['database', 'network'] },
      code: 'UNKNOWN_REVIEW_RULE',
      mentions: 'network',
    },
    {
      name: 'an unknown security trigger',
      input: { securityTriggers: ['encrpytion'] },
      code: 'UNKNOWN_REVIEW_RULE',
      mentions: 'encrpytion',
    },
    {
      name: 'an unknown trigger next to a known one',
      input: { securityTriggers: ['encryption', 'firewall'] },
      code: 'UNKNOWN_REVIEW_RULE',
      mentions: 'firewall',
    },
    {
      name: 'a review rule id used as a trigger',
      input: { securityTriggers: ['security'] },
      code: 'UNKNOWN_REVIEW_RULE',
      mentions: '"security" is not a security-review trigger',
    },
  ])('$name → $code', ({ input, code, mentions }) => {
    const error = expectDomainError(() => route(input), code);
    expect(error.message).toContain(mentions);
  });

  it('a security_review.rule missing from review_rules is refused at load: triggers cannot add nothing', () => {
    expect(() =>
      policyWith(`security_review: { rule: infosec }
`),
    ).toThrow(/security_review\.rule/);
  });

  it('a risk level named like an Object.prototype member ("constructor") → UNKNOWN_RISK_LEVEL', () => {
    expectDomainError(() => route({ riskLevel: 'constructor' }), 'UNKNOWN_RISK_LEVEL');
  });

  it('a review rule named like an Object.prototype member ("toString") → UNKNOWN_REVIEW_RULE', () => {
    expectDomainError(() => route({ reviewRules: ['toString'] }), 'UNKNOWN_REVIEW_RULE');
  });
});

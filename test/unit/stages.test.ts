// Ordered approval stages (000 5: the CTO "provides final approval", after the Security Lead) and "any one of" matrix
// entries (002 5.3: "approved by CTO/CISO"): the pure rules, table by table.
import { describe, expect, it } from 'vitest';
import { decisionEligibility, fallBackForWholeGroups, isAskedNow } from '../../src/domain/approvers.js';
import { requiredApprovals } from '../../src/domain/routing.js';
import { openStage, sameGroup, stageOf } from '../../src/domain/stages.js';
import { parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

const STAGED = policyWith(`approvals: { stages: [[security], [cto]] }
approval_matrix:
  low: [peer]
  medium: [peer, { any_of: [cto, ciso] }]
  high: [security, cto]
  critical: [security, { any_of: [cto, ciso] }, cab]
`);

describe('stageOf (000 5)', () => {
  it.each([
    { name: 'a role of the first stage', roles: ['security'], expected: 0 },
    { name: 'a role of the second stage', roles: ['cto'], expected: 1 },
    { name: 'a role no stage names: the first', roles: ['peer'], expected: 0 },
    { name: 'a group: its earliest role’s', roles: ['cto', 'security'], expected: 0 },
    { name: 'no stages at all (POL-SEC-008)', roles: ['cto'], stages: [], expected: 0 },
  ])('$name → $expected', ({ roles, stages = [['security'], ['cto']], expected }) => {
    expect(stageOf(roles, stages)).toBe(expected);
  });
});

describe('openStage (000 5: a later stage is asked once the earlier is approved)', () => {
  const at = new Date('2026-11-18T15:00:00Z');
  it.each([
    {
      name: 'nothing approved: the first',
      requirements: [
        { stage: 0, satisfiedAt: null },
        { stage: 1, satisfiedAt: null },
      ],
      expected: 0,
    },
    {
      name: 'the first approved: the second',
      requirements: [
        { stage: 0, satisfiedAt: at },
        { stage: 1, satisfiedAt: null },
      ],
      expected: 1,
    },
    {
      name: 'all approved: none',
      requirements: [
        { stage: 0, satisfiedAt: at },
        { stage: 1, satisfiedAt: at },
      ],
      expected: undefined,
    },
    {
      name: 'one stage (POL-SEC-008), part approved',
      requirements: [
        { stage: 0, satisfiedAt: at },
        { stage: 0, satisfiedAt: null },
      ],
      expected: 0,
    },
  ])('$name', ({ requirements, expected }) => {
    expect(openStage(requirements)).toBe(expected);
  });
});

describe('requiredApprovals with stages and "any one of" (000 5, 002 5.3)', () => {
  const route = (riskLevel: string, extra: { reviewRules?: string[] } = {}) =>
    requiredApprovals(
      { type: 'normal', riskLevel, reviewRules: extra.reviewRules ?? [], securityTriggers: [] },
      STAGED,
    ).map(({ role, anyOf, stage }) => ({ role, anyOf, stage }));

  it.each([
    {
      name: '000 5: the CTO in the second stage',
      level: 'high',
      expected: [{ role: 'security' }, { role: 'cto', stage: 1 }],
    },
    {
      name: '002 5.3: CTO/CISO, one requirement per role, in one group, in its earliest role’s stage',
      level: 'medium',
      expected: [{ role: 'peer' }, { role: 'cto', anyOf: ['cto', 'ciso'] }, { role: 'ciso', anyOf: ['cto', 'ciso'] }],
    },
  ])('$name', ({ level, expected }) => {
    expect(route(level)).toEqual(expected);
  });

  it('a group one of whose roles is required outright anyway asks nothing more (its approval meets it)', () => {
    const policy = policyWith(`approval_matrix:
  low: [peer, { any_of: [cto, ciso] }]
  medium: [peer]
  high: [peer]
  critical: [peer]
review_rules:
  security: { label: Security, approvals: { security: 1 } }
  executive: { label: Executive, approvals: { cto: 1 } }
`);
    const roles = requiredApprovals(
      { type: 'normal', riskLevel: 'low', reviewRules: ['executive'], securityTriggers: [] },
      policy,
    ).map(({ role, anyOf }) => ({ role, anyOf }));
    expect(roles).toEqual([{ role: 'peer' }, { role: 'cto' }]);
  });

  it('POL-SEC-008 (no stages, no groups) keeps its plain requirements', () => {
    const plain = requiredApprovals(
      { type: 'normal', riskLevel: 'critical', reviewRules: [], securityTriggers: [] },
      minimalPolicy(),
    );
    expect(plain.every((requirement) => requirement.stage === undefined && requirement.anyOf === undefined)).toBe(true);
  });
});

describe('"any one of" wherever approvers are listed (issue 16.2; 002 4, 5.3; 004 4.2)', () => {
  const ANYWHERE = policyWith(`approval_matrix:
  low: [peer]
  medium: [peer, { any_of: [cto, ciso] }]
  high: [peer]
  critical: [peer]
change_types:
  standard: { approver_roles: [{ any_of: [manager, security] }] }
  normal: { approver_roles: [{ any_of: [cto, ciso] }] }
standard_changes:
  - { id: patching, title: Patching }
  - { id: firewall, title: Firewall rule, approver_roles: [peer, { any_of: [security, ciso] }] }
review_rules:
  security: { label: Security, approvals: { security: 1 } }
  database: { label: Database, approvals: { peer: 1 }, any_of: [dba, oncall_security] }
  executive: { label: Executive, approvals: { cto: 1 } }
  operations: { any_of: [manager, security], label: Operations }
`);
  const route = (input: { type?: 'normal' | 'standard'; level?: string; rules?: string[]; entry?: string }) =>
    requiredApprovals(
      {
        type: input.type ?? 'normal',
        riskLevel: input.level ?? 'low',
        reviewRules: input.rules ?? [],
        securityTriggers: [],
        standardChangeId: input.entry,
      },
      ANYWHERE,
    ).map(({ role, anyOf, reasons }) => ({ role, anyOf, reasons: reasons.map((reason) => reason.kind) }));
  const group = (roles: string[], ...reasons: string[]) => roles.map((role) => ({ role, anyOf: roles, reasons }));

  it.each([
    {
      name: 'change_types.normal: the CTO or the CISO on every normal change',
      input: {},
      expected: [{ role: 'peer', anyOf: undefined, reasons: ['risk_level'] }, ...group(['cto', 'ciso'], 'change_type')],
    },
    {
      name: 'the same group from the matrix too: asked once, for both reasons',
      input: { level: 'medium' },
      expected: [
        { role: 'peer', anyOf: undefined, reasons: ['risk_level'] },
        ...group(['cto', 'ciso'], 'change_type', 'risk_level'),
      ],
    },
    {
      name: 'a review rule: its count and one of its group',
      input: { rules: ['database'] },
      expected: [
        { role: 'peer', anyOf: undefined, reasons: ['risk_level', 'review_rule'] },
        ...group(['cto', 'ciso'], 'change_type'),
        ...group(['dba', 'oncall_security'], 'review_rule'),
      ],
    },
    {
      name: 'a review rule of a group alone',
      input: { rules: ['operations'] },
      expected: [
        { role: 'peer', anyOf: undefined, reasons: ['risk_level'] },
        ...group(['cto', 'ciso'], 'change_type'),
        ...group(['manager', 'security'], 'review_rule'),
      ],
    },
    {
      name: 'a group whose role a rule requires outright is met by that approval',
      input: { rules: ['executive'] },
      expected: [
        { role: 'peer', anyOf: undefined, reasons: ['risk_level'] },
        { role: 'cto', anyOf: undefined, reasons: ['review_rule'] },
      ],
    },
    {
      name: 'change_types.standard: a catalog entry without approvers takes the type’s group',
      input: { type: 'standard' as const, entry: 'patching' },
      expected: group(['manager', 'security'], 'standard_change'),
    },
    {
      name: '002 4: a catalog entry’s own approvers, a peer and the Security team or the CISO',
      input: { type: 'standard' as const, entry: 'firewall' },
      expected: [
        { role: 'peer', anyOf: undefined, reasons: ['standard_change'] },
        ...group(['security', 'ciso'], 'standard_change'),
      ],
    },
  ])('$name', ({ input, expected }) => {
    expect(route(input)).toEqual(expected);
  });
});

describe('policy checks for stages and "any one of"', () => {
  const errorsOf = (yaml: string) => {
    try {
      parsePolicy(`${MINIMAL_POLICY_YAML}${yaml}`, 'test.yml');
      return '';
    } catch (error) {
      return String(error);
    }
  };
  it.each([
    {
      name: 'an undefined role in a stage',
      yaml: 'approvals: { stages: [[security], [ceo]] }\n',
      message: 'approvals.stages[1][0]: role "ceo" is not defined',
    },
    {
      name: 'a role in two stages',
      yaml: 'approvals: { stages: [[cto], [cto]] }\n',
      message: 'role "cto" is in two stages',
    },
    {
      name: 'an undefined role in any_of',
      yaml: 'approval_matrix: { low: [{ any_of: [cto, ceo] }], medium: [peer], high: [peer], critical: [peer] }\n',
      message: 'approval_matrix.low[0].any_of[1]: role "ceo" is not defined',
    },
    {
      name: 'a role both alone and in any_of',
      yaml: `approval_matrix: { low: [cto, { any_of: [cto, ciso] }], medium: [peer], high: [peer], critical: [peer] }
`,
      message: 'role "cto" is listed twice',
    },
    {
      name: 'an undefined role in a review rule’s any_of',
      yaml: 'review_rules: { database: { label: Database, any_of: [dba, sre] } }\n',
      message: 'review_rules.database.any_of[1]: role "sre" is not defined',
    },
    {
      name: 'a review rule’s role both counted and in its any_of',
      yaml: 'review_rules: { database: { label: Database, approvals: { dba: 1 }, any_of: [dba, peer] } }\n',
      message: 'review_rules.database: role "dba" is listed twice',
    },
    {
      name: 'an undefined role in a catalog entry’s any_of',
      yaml: 'standard_changes: [{ id: x, title: X, approver_roles: [{ any_of: [peer, ops] }] }]\n',
      message: 'standard_changes[0].approver_roles[0].any_of[1]: role "ops" is not defined',
    },
    {
      name: 'a role twice in a change type’s approvers',
      yaml: 'change_types: { normal: { approver_roles: [cto, { any_of: [cto, ciso] }] } }\n',
      message: 'change_types.normal.approver_roles: role "cto" is listed twice',
    },
    {
      name: 'two different groups one normal change may need, sharing a role',
      yaml:
        'change_types: { normal: { approver_roles: [{ any_of: [cto, ciso] }] } }\n' +
        'review_rules: { database: { label: Database, any_of: [ciso, dba] } }\n',
      message: 'approval_matrix.low: role "ciso" is in two different any_of groups a low change may need',
    },
    {
      name: 'any_of of one role',
      yaml: 'approval_matrix: { low: [{ any_of: [cto] }], medium: [peer], high: [peer], critical: [peer] }\n',
      message: 'approval_matrix.low[0]',
    },
  ])('$name is refused', ({ yaml, message }) => {
    expect(errorsOf(yaml)).toContain(message);
  });
});

describe('isAskedNow with stages (000 5)', () => {
  const at = new Date('2026-11-18T15:00:00Z');
  const requirement = (stage: number, satisfiedAt: Date | null) => ({
    phase: 'approval' as const,
    alternative: false,
    stage,
    satisfiedAt,
  });
  it.each([
    { name: 'the first stage, nothing approved', first: null, which: 0, expected: true },
    { name: 'the second stage, the first not approved', first: null, which: 1, expected: false },
    { name: 'the second stage, the first approved', first: at, which: 1, expected: true },
  ])('$name → $expected', ({ first, which, expected }) => {
    const requirements = [requirement(0, first), requirement(1, null)];
    const record = { change: { authorizationEscalatedAt: null }, requirements };
    expect(isAskedNow(requirements[which] ?? requirement(0, null), record)).toBe(expected);
  });
});

describe('"any one of" groups (002 5.3)', () => {
  const choice = (id: number, role: string, own: boolean) => ({
    requirement: { id, anyOf: ['cto', 'ciso'] },
    choice: own
      ? { role, candidates: [`U0${role.toUpperCase()}01`], fallbackRole: undefined }
      : { role, candidates: ['U0FALLBK1'], fallbackRole: 'ciso' },
  });
  it.each([
    { name: 'a role only its fallback holds, beside one held: asks nobody', cto: false, ciso: true, ctoAsked: [] },
    { name: 'both held: each its own', cto: true, ciso: true, ctoAsked: ['U0CTO01'] },
  ])('$name', ({ cto, ciso, ctoAsked }) => {
    const [first] = fallBackForWholeGroups([choice(1, 'cto', cto), choice(2, 'ciso', ciso)]);
    expect(first?.choice.candidates).toEqual(ctoAsked);
  });
  it('a group with no holder of its own falls back as a plain role does', () => {
    const [first] = fallBackForWholeGroups([choice(1, 'cto', false)]);
    expect(first?.choice).toEqual({ role: 'cto', candidates: ['U0FALLBK1'], fallbackRole: 'ciso' });
  });
  it.each([
    {
      name: 'same roles, another requirement',
      a: { id: 1, anyOf: ['cto', 'ciso'] },
      b: { id: 2, anyOf: ['cto', 'ciso'] },
      expected: true,
    },
    {
      name: 'the same requirement',
      a: { id: 1, anyOf: ['cto', 'ciso'] },
      b: { id: 1, anyOf: ['cto', 'ciso'] },
      expected: false,
    },
    { name: 'a plain requirement', a: { id: 1, anyOf: null }, b: { id: 2, anyOf: null }, expected: false },
  ])('sameGroup: $name → $expected', ({ a, b, expected }) => {
    expect(sameGroup(a, b)).toBe(expected);
  });
});

describe('decisionEligibility for a later stage (000 5)', () => {
  it('the CTO, not asked yet, is told the earlier stage comes first', () => {
    const requirement = {
      approvalsNeeded: 1,
      alternative: false,
      satisfied: false,
      approvers: [],
    };
    const eligibility = decisionEligibility(
      {
        changeRef: 'CHG-7',
        state: 'pending_approval',
        requesterId: 'U0ADMIN01',
        ownerId: 'U0ADMIN01',
        oneRolePerPerson: true,
        requirements: [
          { ...requirement, id: 1, role: 'security_lead', candidates: ['U0SECLD01'], holders: ['U0SECLD01'] },
          { ...requirement, id: 2, role: 'cto', candidates: [], holders: ['U0CTO0001'], waitsForEarlierStage: true },
        ],
      },
      'U0CTO0001',
    );
    expect(eligibility).toEqual({ ok: false, code: 'later_stage', ref: 'CHG-7', roles: ['cto'] });
  });
});

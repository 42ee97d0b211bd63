// Issue 16.3: approvals by change type, per standard-catalog entry, and by the owners and tier of the systems a
// change affects, as the seed documents need them.
import { describe, expect, it } from 'vitest';
import { changeRiskLevel } from '../../src/domain/risk.js';
import { type RoutingInput, requiredApprovals } from '../../src/domain/routing.js';
import { parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML, policyWith } from './policy-fixture.js';

const withOwners = MINIMAL_POLICY_YAML.replace(
  '  dba: [U0DBA0001]\n',
  '  dba: [U0DBA0001]\n  payments_owners: [U0PAY0001]\n',
);
const policy = parsePolicy(
  `${withOwners}change_types: { normal: { approver_roles: [cab] } }
standard_changes:
  - { id: ui_copy, title: UI copy update }
  - { id: docker_rebuild, title: Routine Docker rebuild, approver_roles: [peer] }
systems:
  - { id: payments-api, label: Payments API, owner_role: payments_owners, min_risk: high }
  - { id: wiki, label: Wiki }
`,
  'routing.yml',
).policy;

const route = (input: Partial<RoutingInput>) =>
  requiredApprovals({ type: 'normal', riskLevel: 'low', reviewRules: [], securityTriggers: [], ...input }, policy).map(
    (requirement) => requirement.role,
  );

describe('16.3 who approves, by type, catalog entry and system', () => {
  it.each([
    { name: '004 4.2: every normal change goes to the CAB, beside its risk row', input: {}, roles: ['cab', 'peer'] },
    {
      name: '003 system owners approve changes to their system',
      input: { affectedSystems: ['payments-api'] },
      roles: ['cab', 'payments_owners', 'peer'],
    },
    { name: 'a system without owners adds nobody', input: { affectedSystems: ['wiki'] }, roles: ['cab', 'peer'] },
    {
      name: 'MCP4 4: a catalog entry with no approvers of its own is automatic',
      input: { type: 'standard', standardChangeId: 'ui_copy', affectedSystems: ['payments-api'] },
      roles: [],
    },
    {
      name: 'MCP4 4: a catalog entry may need peer review',
      input: { type: 'standard', standardChangeId: 'docker_rebuild' },
      roles: ['peer'],
    },
  ] as const)('$name', ({ input, roles }) => {
    expect(route(input).sort()).toEqual([...roles].sort());
  });

  it.each([
    { name: 'a tiered system raises a low change to its tier', systems: ['payments-api'], level: 'high' },
    { name: 'other systems leave the computed level', systems: ['wiki'], level: 'low' },
  ])('$name', ({ systems, level }) => {
    expect(changeRiskLevel('low', { requested: undefined, systems }, policy)).toBe(level);
  });

  it('never lowers: a critical change stays critical on a high-tier system', () => {
    expect(changeRiskLevel('critical', { requested: undefined, systems: ['payments-api'] }, policy)).toBe('critical');
  });

  it('refuses an owner role or tier the policy does not define', () => {
    expect(() => policyWith('systems: [{ id: api, label: API, owner_role: owners }]\n')).toThrow(
      /systems\[0\]\.owner_role: role "owners" is not defined/,
    );
    expect(() => policyWith('systems: [{ id: api, label: API, min_risk: extreme }]\n')).toThrow(
      /systems\[0\]\.min_risk: risk level "extreme"/,
    );
  });
});

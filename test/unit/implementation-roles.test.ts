// Issue 16.5: who implements, verifies and closes. The rules of implementation.implementer_roles, verifier_roles and
// verifier_not_implementer, table-driven, and the policy keys as a file writes them.
import { describe, expect, it } from 'vitest';
import {
  type ImplementationStep,
  ownerTakes,
  rolesForStep,
  type StepRoleRefusal,
  stepRoleRefusal,
} from '../../src/domain/implementation.js';
import { parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML, policyWith } from './policy-fixture.js';

const OWNER = 'U0OWNER01';
const OTHER = 'U0OTHER01';

const defaults = parsePolicy('{}', 'defaults.yml').policy;
// MCP4 5.4 (DevOps deploy), 6 (QA / Security verify, not who deployed).
const mcp4Like = {
  implementation: {
    ...defaults.implementation,
    implementer_roles: ['devops'],
    verifier_roles: ['qa_security'],
    verifier_not_implementer: true,
  },
};

describe('POL-SEC-008 defaults keep the owner alone running, validating and closing the change', () => {
  it('names no implementer, verifier or closure approver', () => {
    expect(defaults.implementation).toMatchObject({
      implementer_roles: [],
      verifier_roles: [],
      verifier_not_implementer: false,
      closure_approval_any_of: [],
    });
  });

  it.each<ImplementationStep>(['start', 'complete', 'fail', 'roll_back', 'verify', 'review', 'close'])(
    '%s: the owner takes it, holding no role',
    (step) => {
      expect(ownerTakes(step, defaults)).toBe(true);
      expect(rolesForStep(step, defaults)).toEqual([]);
      expect(stepRoleRefusal(step, { actorId: OWNER, ownerId: OWNER, heldRoles: [] }, defaults)).toBeUndefined();
    },
  );
});

describe('stepRoleRefusal under MCP4 5.4 and 6', () => {
  it.each<{
    name: string;
    step: ImplementationStep;
    actorId: string;
    heldRoles: string[];
    expected: StepRoleRefusal | undefined;
  }>([
    { name: '5.4 DevOps starts', step: 'start', actorId: OWNER, heldRoles: ['devops'], expected: undefined },
    {
      name: '5.4 an owner out of DevOps may not complete',
      step: 'complete',
      actorId: OWNER,
      heldRoles: [],
      expected: { code: 'not_implementer', roles: ['devops'] },
    },
    {
      name: '5.4 nor record a rollback',
      step: 'roll_back',
      actorId: OWNER,
      heldRoles: ['qa_security'],
      expected: { code: 'not_implementer', roles: ['devops'] },
    },
    { name: '6 QA / Security verify', step: 'verify', actorId: OTHER, heldRoles: ['qa_security'], expected: undefined },
    {
      name: '6 someone outside QA / Security may not verify',
      step: 'verify',
      actorId: OTHER,
      heldRoles: ['devops'],
      expected: { code: 'not_verifier', roles: ['qa_security'] },
    },
    {
      name: '6 the owner who deployed it may not verify it, even in QA / Security',
      step: 'verify',
      actorId: OWNER,
      heldRoles: ['qa_security'],
      expected: { code: 'verifier_is_implementer' },
    },
    {
      name: '5.6 the owner reviews, holding no role',
      step: 'review',
      actorId: OWNER,
      heldRoles: [],
      expected: undefined,
    },
  ])('$name', ({ step, actorId, heldRoles, expected }) => {
    expect(stepRoleRefusal(step, { actorId, ownerId: OWNER, heldRoles }, mcp4Like)).toEqual(expected);
  });

  it('Verify is the one step not only the owner takes, once verifiers are named', () => {
    expect(ownerTakes('verify', mcp4Like)).toBe(false);
    expect(ownerTakes('close', mcp4Like)).toBe(true);
  });
});

describe('the policy keys as a file writes them', () => {
  it('each role named must be defined', () => {
    expect(() => policyWith('implementation: { implementer_roles: [devops] }\n')).toThrow(
      /implementation\.implementer_roles\[0\]: role "devops" is not defined/,
    );
    expect(() => policyWith('implementation: { closure_approval_any_of: [cto, nobody] }\n')).toThrow(
      /implementation\.closure_approval_any_of\[1\]: role "nobody" is not defined/,
    );
  });

  it('verifier_not_implementer needs verifier_roles', () => {
    expect(() => policyWith('implementation: { verifier_not_implementer: true }\n')).toThrow(
      /implementation\.verifier_not_implementer: needs implementation\.verifier_roles/,
    );
  });

  it('a file naming its own roles loads with them', () => {
    const { policy, warnings } = parsePolicy(
      `${MINIMAL_POLICY_YAML}implementation:\n  verifier_roles: [security]\n  closure_approval_any_of: [cto, ciso]\n`,
      'test.yml',
    );
    expect(warnings).toEqual([]);
    expect(policy.implementation).toMatchObject({
      verifier_roles: ['security'],
      closure_approval_any_of: ['cto', 'ciso'],
    });
  });
});

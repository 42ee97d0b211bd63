// Issue 16.1–16.2: an organisation that names its own roles or has no CAB loads without errors about keys it
// never wrote; the built-in (POL-SEC-008) defaults keep only the roles it defines, with one warning.
import { describe, expect, it } from 'vitest';
import { PolicyError, parsePolicy } from '../../src/policy/load.js';

const load = (yaml: string) => parsePolicy(yaml, 'org.yml');

function errorOf(yaml: string): string {
  try {
    load(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).message;
  }
  throw new Error('expected a PolicyError, but the policy loaded');
}

// 000 generic: a Security Lead and the CTO approve; an IT Administrator implements.
const OWN_ROLES = `roles:
  security_lead: [U0SEC0001]
  cto: [U0CTO0001]
  it_admin: [U0ADM0001]
cab: { channel: C0CAB0001, chair: U0CHAIR01 }
channels: { log: C0LOG0001 }
`;
const OWN_MATRIX = `approval_matrix:
  low: [security_lead]
  medium: [security_lead]
  high: [security_lead, cto]
  critical: [security_lead, cto]
emergency: { authorizers: { business_hours: [security_lead], after_hours: [cto], fallback_any_of: [cto] } }
`;

describe('16.1 defaults that adapt to the roles an organisation names', () => {
  it('own roles with their own matrix and authorizers load, with one warning naming what was left out', () => {
    const { policy, warnings } = load(OWN_ROLES + OWN_MATRIX);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^built-in defaults name roles this policy does not define, so they were left out: /);
    expect(warnings[0]).toContain('peer (review_rules, security_review.triggers, approvals.review_roles)');
    expect(warnings[0]).toContain('manager (approvals.escalate_to_roles, emergency.overdue_notify_roles)');
    // 4.3's review rules name peer, security, dba: none is a role here, so no rule is left.
    expect(policy.review_rules).toEqual({});
    expect(policy.security_review.triggers).toEqual([]);
    // cto is defined, so the defaults that name it keep it.
    expect(policy.approvals.fallback_role).toBe('cto');
  });

  it('never approves by leaving a default out: a matrix that would need nobody is one clear error', () => {
    const message = errorOf(OWN_ROLES);
    expect(message).toContain('approval_matrix: not written, and the built-in matrix names roles');
    expect(message).toContain('nobody would approve low, medium, high changes');
    expect(message).toContain('emergency.authorizers.business_hours: not written');
    expect(message.split('\n')).toHaveLength(4);
  });

  it('a key the file wrote is still checked: a role it names must exist', () => {
    expect(errorOf(`${OWN_ROLES + OWN_MATRIX}approvals: { escalate_to_roles: [manager] }\n`)).toContain(
      'approvals.escalate_to_roles[0]: role "manager" is not defined under roles',
    );
  });

  it('a single-role default naming an undefined role is warned, not refused', () => {
    const roles = OWN_ROLES.replace('  cto: [U0CTO0001]\n', '  ciso: [U0CISO001]\n');
    const matrix = OWN_MATRIX.replaceAll('cto', 'ciso');
    const { warnings } = load(roles + matrix);
    expect(warnings[0]).toContain('cto (approvals.fallback_role, scheduling.exception_role)');
  });
});

describe('16.2 cab: none', () => {
  const noCab = `roles:
  peer: [U0PEER001, U0PEER002]
  manager: [U0MGR0001]
  security: [U0SEC0001]
  cto: [U0CTO0001]
  ciso: [U0CISO001]
  oncall_manager: [U0ONMGR01]
  oncall_security: [U0ONSEC01]
  dba: [U0DBA0001]
cab: none
channels: { log: C0LOG0001 }
`;

  it('loads without any CAB warning, and the built-in matrix leaves the board out', () => {
    const { policy, warnings } = load(noCab);
    expect(policy.cab.enabled).toBe(false);
    expect(warnings.filter((warning) => /cab/i.test(warning) && !warning.includes('(approval_matrix)'))).toEqual([]);
    expect(policy.approval_matrix.high).toEqual(['peer', 'manager', 'security']);
    expect(policy.approval_matrix.critical).toEqual(['peer', 'manager', 'security', 'cto']);
    expect(policy.emergency.cab_review_risk_levels).toEqual([]);
  });

  it('a written matrix that names the board under cab: none is refused', () => {
    expect(
      errorOf(`${noCab}approval_matrix: { low: [peer], medium: [peer], high: [peer, cab], critical: [cab] }\n`),
    ).toContain('approval_matrix.high[1]: "cab" is the CAB, and cab is none');
  });
});

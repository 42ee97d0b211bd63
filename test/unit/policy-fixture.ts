// Shared by the unit tests: the smallest policy file that loads without warnings, and helpers.
import { expect } from 'vitest';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';

/** Every role the POL-SEC-008 defaults refer to has a member, and every channel is set. */
export const MINIMAL_POLICY_YAML = `timezone: America/New_York
roles:
  peer: [U0PEER001, U0PEER002]
  manager: [U0MGR0001]
  security: [U0SEC0001]
  cab: [U0CAB0001, U0CAB0002]
  cto: [U0CTO0001]
  ciso: [U0CISO001]
  oncall_manager: [U0ONMGR01]
  oncall_security: [U0ONSEC01]
  dba: [U0DBA0001]
cab: { channel: C0CAB0001, chair: U0CHAIR01, schedule: "0 10 * * 3" }
channels: { log: C0LOG0001 }
`;

/** The minimal policy: POL-SEC-008 defaults with role members. */
export function minimalPolicy(): Policy {
  return parsePolicy(MINIMAL_POLICY_YAML, 'test.yml').policy;
}

/** The minimal policy with `extraYaml` appended (top-level keys the minimal file does not set). */
export function policyWith(extraYaml: string): Policy {
  return parsePolicy(`${MINIMAL_POLICY_YAML}${extraYaml}`, 'test.yml').policy;
}

/** Runs `action`, asserts it throws a DomainError with `code`, and returns that error. */
export function expectDomainError(action: () => unknown, code: DomainErrorCode): DomainError {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a DomainError ${code}, but nothing was thrown`);
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe(code);
  return thrown as DomainError;
}

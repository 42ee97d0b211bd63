// Shared by the unit tests: the smallest policy file that loads without warnings, and helpers.
import { expect } from 'vitest';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';

export { MINIMAL_POLICY_YAML, minimalPolicy } from '../support/policy.js';

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

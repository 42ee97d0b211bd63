import { describe, expect, it } from 'vitest';
import { PolicyError, parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';

const error = (yaml: string) => {
  try {
    parsePolicy(`${MINIMAL_POLICY_YAML}${yaml}`, 'limits.yml');
  } catch (thrown) {
    if (thrown instanceof PolicyError) return thrown.message;
    throw thrown;
  }
  return undefined;
};

const list = (count: number, make: (index: number) => string) =>
  Array.from({ length: count }, (_, index) => make(index)).join(', ');

// What the change-request modal shows comes from the policy, so the policy stays within Block Kit's limits.
describe('policy lists that the change-request modal shows stay within Block Kit limits', () => {
  it.each([
    {
      name: '11 security triggers (10 checkboxes)',
      yaml: `security_review: { triggers: [${list(11, (i) => `{ id: t${i}, label: T${i} }`)}] }\n`,
      key: 'security_review.triggers',
    },
    {
      name: '100 standard changes (100 options with "normal")',
      yaml: `standard_changes: [${list(100, (i) => `{ id: s${i}, title: S${i} }`)}]\n`,
      key: 'standard_changes',
    },
    {
      name: '101 systems (100 options)',
      yaml: `systems: [${list(101, (i) => `{ id: sys${i}, label: Sys${i} }`)}]\n`,
      key: 'systems',
    },
    {
      name: '11 review rules besides security (10 checkboxes)',
      yaml:
        `review_rules: { security: { label: Sec, approvals: { security: 1 } }, ` +
        `${list(11, (i) => `r${i}: { label: R${i}, approvals: { peer: 1 } }`)} }\n`,
      key: 'review_rules',
    },
  ])('refuses $name', ({ yaml, key }) => {
    const message = error(yaml);
    expect(message).toContain('limits.yml');
    expect(message).toContain(`${key}: `);
    expect(message).toContain('Slack shows at most');
  });

  it('accepts the limits themselves', () => {
    expect(
      error(
        `security_review: { triggers: [${list(10, (i) => `{ id: t${i}, label: T${i} }`)}] ` +
          `}\nsystems: [${list(100, (i) => `{ id: sys${i}, label: Sys${i} }`)}]\n`,
      ),
    ).toBeUndefined();
  });
});

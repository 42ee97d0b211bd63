import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';

/** The minimal policy file from the foundation issue: every other setting takes its default. */
export const MINIMAL_POLICY_YAML = `timezone: America/New_York
roles:            # role -> Slack user IDs (U…/W…) or user-group IDs (S…)
  peer: [U0PEER001, U0PEER002]
  manager: [U0MGR0001]
  security: [U0SEC0001]
  cab: [U0CAB0001, U0CAB0002]
  cto: [U0CTO0001]
  ciso: [U0CISO001]
  oncall_manager: [U0ONMGR01]
  oncall_security: [U0ONSEC01]
  dba: [U0DBA0001]
cab: { channel: C0CAB0001, chair: U0CHAIR01, schedule: "0 10 * * 3" }   # node-cron, 5 or 6 fields, in \`timezone\`
channels: { log: C0LOG0001 }
`;

export function minimalPolicy(): Policy {
  return parsePolicy(MINIMAL_POLICY_YAML, 'minimal-policy.yml').policy;
}

import type { ChainProblem, ChainVerification } from '../../services/audit.js';

// The audit log's verification, as the CLI prints it and `/change audit verify` answers it.

const PROBLEMS: Record<ChainProblem, string> = {
  missing_hash: 'has no hash',
  hash_mismatch: 'does not match its hash (its content was changed)',
  prev_hash_mismatch: "does not carry the previous event's hash (an event before it was changed, removed or added)",
  missing_event: 'is missing',
  witness_mismatch: 'does not carry the head hash witnessed for it (the chain was rewritten)',
  witness_beyond_end: 'was witnessed but is not in the log (events were removed)',
};

export function auditVerificationText(result: ChainVerification): string {
  if (result.ok) return `OK ${result.count} events, head ${result.head}`;
  const witnessed = result.witnessed
    ? ` Witnessed: ${result.witnessed.count} events, head ${result.witnessed.hash}.`
    : '';
  return `BROKEN at event ${result.eventId}: it ${PROBLEMS[result.problem]}.${witnessed}`;
}

/** A --head argument that is not COUNT:HASH. */
export function badHeadText(value: string): string {
  return `--head must be COUNT:HASH (an event count and a 64-hex SHA-256), not "${value}"`;
}

/** The daily witness of the audit log's head, posted to the audit channel. */
export function auditHeadText(head: { count: number; head: string }): string {
  return `Audit log: ${head.count} events, head ${head.head}`;
}

/** How many witnessed heads the verification was checked against. */
export function witnessedHeadsText(count: number): string {
  if (count === 0) return 'No witnessed head was found in the audit channel to check it against.';
  return `Checked against ${count} witnessed head${count === 1 ? '' : 's'} in the audit channel.`;
}

export const WITNESS_READ_FAILED =
  'Slack did not answer when Cabinet read the witnessed heads from the audit channel; the chain was checked alone.';

export const AUDIT_USAGE = 'Type `/change audit verify` to check the audit log and its witnessed heads.';

export function auditorsOnlyText(roles: readonly string[]): string {
  return `Only the ${roles.join(', ')} can verify the audit log (policy \`auditor_roles\`).`;
}

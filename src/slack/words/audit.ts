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

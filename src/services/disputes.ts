import { recordAudit } from '../db/audit-log.js';
import { loadChangeRecord } from '../db/change-record.js';
import { resolveDisputes } from '../db/emergency.js';
import { enqueue } from '../db/outbox.js';
import { hasOpenDispute } from '../domain/emergency.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';

/** In which capacity someone resolved a dispute: for the CAB (its chair) or as a dispute resolver (policy). */
export type ResolverCapacity = 'cab_chair' | 'resolver_role';

export type ResolveDisputeOutcome =
  | { ok: true; code: 'resolved'; ref: string; capacity: ResolverCapacity }
  | ChangeRefusal
  | Refusal<'not_resolver', { ref: string; roles: string[] }>
  | Refusal<'no_open_dispute' | 'note_required', { ref: string }>;

/** How long a resolution note may be; the full text is kept. */
export const RESOLUTION_MAX = 3000;

/**
 * The CAB (its chair) or a member of `emergency.dispute_resolver_roles` resolves an authorization
 * disputed after the fact (6.3), with a note saying how; the change may close again. Whether the
 * actor holds a resolver role is asked of Slack (user groups) by the caller and passed in.
 */
export function resolveDispute(
  ctx: UseCaseContext,
  input: { changeId: number; note: string; holdsResolverRole: boolean },
): ResolveDisputeOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId, holdsResolverRole } = input;
  const note = input.note.trim();
  return db.transaction(
    (tx): ResolveDisputeOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return changeNotFound;
      const { ref } = record;
      const capacity: ResolverCapacity | undefined =
        actorId === policy.cab.chair ? 'cab_chair' : holdsResolverRole ? 'resolver_role' : undefined;
      if (!capacity) return { ok: false, code: 'not_resolver', ref, roles: policy.emergency.dispute_resolver_roles };
      if (!hasOpenDispute(record.disputes)) return { ok: false, code: 'no_open_dispute', ref };
      if (note === '' || note.length > RESOLUTION_MAX) return { ok: false, code: 'note_required', ref };
      resolveDisputes(tx, changeId, { resolvedBy: actorId, note, at: now });
      const verbalApprovalIds = record.disputes
        .filter((dispute) => dispute.resolvedAt === null)
        .map((dispute) => dispute.verbalApprovalId);
      recordAudit(
        tx,
        { changeId, actorId, type: 'authorization.dispute_resolved', data: { capacity, note, verbalApprovalIds } },
        now,
      );
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, code: 'resolved', ref, capacity };
    },
    { behavior: 'immediate' },
  );
}

import { addCandidate, setFallbackRole } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import { chooseCandidates, fallbackRoleFor, isBoardRequirement, requirementsOf } from '../domain/approvers.js';
import { type ApprovalPhase, decisionStage } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from './context.js';

/** Queues the DM asking one person to decide in the change's current phase; keyed, so asking twice sends one. */
export function askToDecide(tx: DbExecutor, record: ChangeRecord, userId: string, now: Date): void {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return;
  enqueue(tx, { kind: 'approval_request', changeId: record.change.id, userId, phase }, now, {
    dedupeKey: `${phase}_request:${record.change.id}:${userId}`,
  });
}

/**
 * Decides who is asked for each requirement of the phase the change waits in (members resolved by
 * the caller, user groups included) and queues one request per person. The stand-ins of an
 * emergency's authorization are chosen now but asked only once it is escalated; the board's own
 * requirement is put to the CAB, not to its members one by one. Safe to run again:
 * candidates and requests are keyed, so a retry adds nothing twice.
 */
export function requestApprovals(
  ctx: UseCaseContext,
  input: { changeId: number; membersByRole: ReadonlyMap<string, readonly string[]> },
): void {
  const { db, policy, now } = ctx;
  const { changeId, membersByRole } = input;
  db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, changeId);
      const stage = record ? decisionStage(record.change.state) : undefined;
      if (!record || !stage) return;
      const requirements = requirementsOf(record, stage.phase).filter(
        (requirement) => !isBoardRequirement(requirement, policy),
      );
      const chosen = chooseCandidates(
        requirements.map((requirement) => requirement.role),
        (role) => membersByRole.get(role) ?? [],
        { requesterId: record.change.requesterId, ownerId: record.change.ownerId },
        policy.approvals,
      );
      const people = new Set<string>();
      requirements.forEach((requirement, index) => {
        const choice = chosen[index];
        if (!choice) return;
        if (choice.fallbackRole) setFallbackRole(tx, requirement.id, choice.fallbackRole);
        for (const userId of choice.candidates) {
          addCandidate(tx, requirement.id, userId);
          if (!requirement.alternative || record.change.authorizationEscalatedAt) people.add(userId);
        }
      });
      recordAudit(
        tx,
        {
          changeId,
          actorId: 'cabinet',
          type: 'approval.requested',
          data: {
            phase: stage.phase,
            candidates: Object.fromEntries(chosen.map((c) => [c.role, c.candidates])),
            fallbacks: Object.fromEntries(chosen.filter((c) => c.fallbackRole).map((c) => [c.role, c.fallbackRole])),
          },
        },
        now,
      );
      for (const userId of people) askToDecide(tx, record, userId, now);
      // An emergency's requester follows it in its own DM, refreshed below; others get a notice.
      if (record.change.type === 'emergency') enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      else
        enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event: 'submitted' }, now, {
          dedupeKey: `notify_submitted:${changeId}`,
        });
    },
    { behavior: 'immediate' },
  );
}

/**
 * The roles whose members must be known to choose candidates: the required roles (but the board's) and
 * their fallbacks.
 */
export function rolesToResolve(
  requirements: readonly { role: string; phase: ApprovalPhase }[],
  policy: Policy,
): string[] {
  const roles = requirements
    .filter((requirement) => !isBoardRequirement(requirement, policy))
    .map((requirement) => requirement.role);
  return [...new Set([...roles, ...roles.map((role) => fallbackRoleFor(role, policy.approvals))])];
}

import { chooseCandidates, fallbackRoleFor } from '../domain/approvers.js';
import type { CabinetDb } from '../db/client.js';
import { loadChangeView, recordAudit } from '../db/changes.js';
import { enqueue } from '../db/outbox.js';
import { approvalCandidates, approvalRequirements } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import type { Policy } from '../policy/schema.js';

/**
 * Decides who is asked for each required role (members resolved by the caller, user groups
 * included) and queues one approval request per person. Safe to run again: candidates and requests
 * are keyed, so a retry adds nothing twice.
 */
export function requestApprovals(db: CabinetDb, policy: Policy, changeId: number, membersByRole: ReadonlyMap<string, readonly string[]>, now: Date): void {
  db.transaction(
    (tx) => {
      const view = loadChangeView(tx, changeId);
      if (!view || view.change.state !== 'pending_approval') return;
      const chosen = chooseCandidates(
        view.requirements.map((requirement) => requirement.role),
        (role) => membersByRole.get(role) ?? [],
        { requesterId: view.change.requesterId, ownerId: view.change.ownerId },
        policy.approvals,
      );
      const people = new Set<string>();
      view.requirements.forEach((requirement, index) => {
        const choice = chosen[index];
        if (!choice) return;
        if (choice.fallbackRole) tx.update(approvalRequirements).set({ fallbackRole: choice.fallbackRole }).where(eq(approvalRequirements.id, requirement.id)).run();
        for (const userId of choice.candidates) {
          tx.insert(approvalCandidates).values({ requirementId: requirement.id, userId }).onConflictDoNothing().run();
          people.add(userId);
        }
      });
      recordAudit(tx, { changeId, actorId: 'cabinet', type: 'approval.requested', data: { candidates: Object.fromEntries(chosen.map((c) => [c.role, c.candidates])), fallbacks: Object.fromEntries(chosen.filter((c) => c.fallbackRole).map((c) => [c.role, c.fallbackRole])) } }, now);
      for (const userId of people) enqueue(tx, { kind: 'approval_request', changeId, userId }, now, `approval_request:${changeId}:${userId}`);
      enqueue(tx, { kind: 'notify_user', changeId, userId: view.change.requesterId, event: 'submitted' }, now, `notify_submitted:${changeId}`);
    },
    { behavior: 'immediate' },
  );
}

/** The roles whose members must be known to choose candidates: the required roles and their fallbacks. */
export function rolesToResolve(roles: readonly string[], policy: Policy): string[] {
  return [...new Set([...roles, ...roles.map((role) => fallbackRoleFor(role, policy.approvals))])];
}

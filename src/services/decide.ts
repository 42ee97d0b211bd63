import { type DecisionContext, type Eligibility, decisionEligibility } from '../domain/approvers.js';
import type { CabinetDb } from '../db/client.js';
import { type ChangeView, type DbExecutor, loadChangeView, recordAudit, satisfyRequirement, transitionChange } from '../db/changes.js';
import { enqueue } from '../db/outbox.js';
import { approvalDecisions } from '../db/schema.js';
import type { Policy } from '../policy/schema.js';

export type DecisionOutcome = { ok: true; ref: string; changeState: string } | { ok: false; reason: string };

function contextOf(view: ChangeView, policy: Policy): DecisionContext {
  return {
    changeRef: view.ref,
    state: view.change.state,
    requesterId: view.change.requesterId,
    ownerId: view.change.ownerId,
    oneRolePerPerson: policy.approvals.one_role_per_person,
    requirements: view.requirements.map((requirement) => ({
      id: requirement.id,
      role: requirement.role,
      approvalsNeeded: requirement.approvalsNeeded,
      satisfied: requirement.satisfiedAt !== null,
      candidates: requirement.candidates,
      approvers: requirement.approvals.flatMap((decision) => (decision.approverId ? [decision.approverId] : [])),
    })),
  };
}

/** Whether the user may decide now (read only), e.g. before asking them for a rejection reason. */
export function checkEligibility(db: DbExecutor, policy: Policy, changeId: number, actorId: string): Eligibility {
  const view = loadChangeView(db, changeId);
  if (!view) return { ok: false, reason: 'That change does not exist; nothing was recorded.' };
  return decisionEligibility(contextOf(view, policy), actorId);
}

function afterDecision(tx: DbExecutor, changeId: number, now: Date): void {
  enqueue(tx, { kind: 'refresh_messages', changeId }, now);
}

/**
 * Records an approval. Eligibility is checked and the decision written in one immediate transaction,
 * and the (change, role, approver) unique index stops a double click or a retry from counting twice.
 */
export function approveChange(db: CabinetDb, policy: Policy, changeId: number, actorId: string, now: Date): DecisionOutcome {
  return db.transaction(
    (tx) => {
      const view = loadChangeView(tx, changeId);
      if (!view) return { ok: false, reason: 'That change does not exist; nothing was recorded.' };
      const eligibility = decisionEligibility(contextOf(view, policy), actorId);
      if (!eligibility.ok) return eligibility;
      const inserted = tx
        .insert(approvalDecisions)
        .values({ changeId, requirementId: eligibility.requirementId, approverId: actorId, role: eligibility.role, decision: 'approve', source: 'button', decidedAt: now })
        .onConflictDoNothing()
        .returning({ id: approvalDecisions.id })
        .all();
      if (inserted.length === 0) return { ok: false, reason: `Your approval of ${view.ref} is already recorded.` };
      recordAudit(tx, { changeId, actorId, type: 'approval.approved', data: { role: eligibility.role, source: 'button' } }, now);

      const requirement = view.requirements.find((r) => r.id === eligibility.requirementId);
      let state = view.change.state;
      if (requirement && requirement.approvals.length + 1 >= requirement.approvalsNeeded && satisfyRequirement(tx, requirement.id, now)) {
        recordAudit(tx, { changeId, actorId, type: 'requirement.satisfied', data: { role: requirement.role } }, now);
        const stillOpen = view.requirements.filter((r) => r.id !== requirement.id && r.satisfiedAt === null);
        if (stillOpen.length === 0) {
          state = transitionChange(tx, view.change, 'approve', actorId, now);
          enqueue(tx, { kind: 'notify_user', changeId, userId: view.change.requesterId, event: 'approved' }, now);
          if (view.change.ownerId !== view.change.requesterId) {
            enqueue(tx, { kind: 'notify_user', changeId, userId: view.change.ownerId, event: 'approved' }, now);
          }
          enqueue(tx, { kind: 'notify_log', changeId, event: 'approved' }, now);
        }
      }
      afterDecision(tx, changeId, now);
      return { ok: true, ref: view.ref, changeState: state };
    },
    { behavior: 'immediate' },
  );
}

/** Records a rejection with its reason; it ends the change as rejected. */
export function rejectChange(db: CabinetDb, policy: Policy, changeId: number, actorId: string, reason: string, now: Date): DecisionOutcome {
  return db.transaction(
    (tx) => {
      const view = loadChangeView(tx, changeId);
      if (!view) return { ok: false, reason: 'That change does not exist; nothing was recorded.' };
      const eligibility = decisionEligibility(contextOf(view, policy), actorId);
      if (!eligibility.ok) return eligibility;
      tx.insert(approvalDecisions)
        .values({ changeId, requirementId: eligibility.requirementId, approverId: actorId, role: eligibility.role, decision: 'reject', reason, source: 'button', decidedAt: now })
        .run();
      const state = transitionChange(tx, view.change, 'reject', actorId, now, { role: eligibility.role, reason });
      enqueue(tx, { kind: 'notify_user', changeId, userId: view.change.requesterId, event: 'rejected' }, now);
      if (view.change.ownerId !== view.change.requesterId) {
        enqueue(tx, { kind: 'notify_user', changeId, userId: view.change.ownerId, event: 'rejected' }, now);
      }
      enqueue(tx, { kind: 'notify_log', changeId, event: 'rejected' }, now);
      afterDecision(tx, changeId, now);
      return { ok: true, ref: view.ref, changeState: state };
    },
    { behavior: 'immediate' },
  );
}

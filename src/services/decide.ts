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
export function eligibilityOf(view: ChangeView, policy: Policy, actorId: string): Eligibility {
  return decisionEligibility(contextOf(view, policy), actorId);
}

/** Tells the requester, the owner and the log channel that the change was decided, and refreshes its messages. */
function announceDecision(tx: DbExecutor, view: ChangeView, event: 'approved' | 'rejected', now: Date): void {
  const changeId = view.change.id;
  for (const userId of new Set([view.change.requesterId, view.change.ownerId])) enqueue(tx, { kind: 'notify_user', changeId, userId, event }, now);
  enqueue(tx, { kind: 'notify_log', changeId, event }, now);
}

type EligibleDecision = (tx: DbExecutor, view: ChangeView, decision: { requirementId: number; role: string }) => DecisionOutcome;

/**
 * Runs a decision in one immediate transaction: the change is read, the actor's eligibility checked
 * and the decision written together, so no other click can slip in between.
 */
function decide(db: CabinetDb, policy: Policy, changeId: number, actorId: string, record: EligibleDecision, now: Date): DecisionOutcome {
  return db.transaction(
    (tx) => {
      const view = loadChangeView(tx, changeId);
      if (!view) return { ok: false, reason: 'That change does not exist; nothing was recorded.' };
      const eligibility = eligibilityOf(view, policy, actorId);
      if (!eligibility.ok) return eligibility;
      const outcome = record(tx, view, eligibility);
      if (outcome.ok) enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return outcome;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Records an approval; the (change, role, approver) unique index stops a double click or a retry
 * from counting twice. The last required role approves the change.
 */
export function approveChange(db: CabinetDb, policy: Policy, changeId: number, actorId: string, now: Date): DecisionOutcome {
  return decide(db, policy, changeId, actorId, (tx, view, { requirementId, role }) => {
    const inserted = tx
      .insert(approvalDecisions)
      .values({ changeId, requirementId, approverId: actorId, role, decision: 'approve', source: 'button', decidedAt: now })
      .onConflictDoNothing()
      .returning({ id: approvalDecisions.id })
      .all();
    if (inserted.length === 0) return { ok: false, reason: `Your approval of ${view.ref} is already recorded.` };
    recordAudit(tx, { changeId, actorId, type: 'approval.approved', data: { role, source: 'button' } }, now);

    const requirement = view.requirements.find((r) => r.id === requirementId);
    let state = view.change.state;
    if (requirement && requirement.approvals.length + 1 >= requirement.approvalsNeeded && satisfyRequirement(tx, requirement.id, now)) {
      recordAudit(tx, { changeId, actorId, type: 'requirement.satisfied', data: { role } }, now);
      if (view.requirements.every((r) => r.id === requirement.id || r.satisfiedAt !== null)) {
        state = transitionChange(tx, view.change, 'approve', actorId, now);
        announceDecision(tx, view, 'approved', now);
      }
    }
    return { ok: true, ref: view.ref, changeState: state };
  }, now);
}

/** Records a rejection with its reason; it ends the change as rejected. */
export function rejectChange(db: CabinetDb, policy: Policy, changeId: number, actorId: string, reason: string, now: Date): DecisionOutcome {
  return decide(db, policy, changeId, actorId, (tx, view, { requirementId, role }) => {
    tx.insert(approvalDecisions).values({ changeId, requirementId, approverId: actorId, role, decision: 'reject', reason, source: 'button', decidedAt: now }).run();
    const state = transitionChange(tx, view.change, 'reject', actorId, now, { role, reason });
    announceDecision(tx, view, 'rejected', now);
    return { ok: true, ref: view.ref, changeState: state };
  }, now);
}

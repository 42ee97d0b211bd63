import type { ChangeRequest } from '../domain/change-request.js';
import { assessRisk, effectiveRiskLevel } from '../domain/risk.js';
import { requiredApprovals } from '../domain/routing.js';
import type { CabinetDb } from '../db/client.js';
import { type DbExecutor, changeOfSubmission, recordAudit, transitionChange } from '../db/changes.js';
import { enqueue } from '../db/outbox.js';
import { approvalDecisions, approvalRequirements, changes } from '../db/schema.js';
import type { Policy } from '../policy/schema.js';

export interface SubmittedChange {
  changeId: number;
  /** False when this submission had already been recorded (a repeated submit). */
  created: boolean;
}

/** A change approved the moment it was submitted is still announced, and its requester told. */
function announceApprovedOnSubmit(tx: DbExecutor, changeId: number, requesterId: string, now: Date): void {
  enqueue(tx, { kind: 'notify_log', changeId, event: 'submitted' }, now);
  enqueue(tx, { kind: 'notify_user', changeId, userId: requesterId, event: 'approved' }, now);
}

/** A request's risk as the policy scores it (3.3; raised, never lowered) and the approvals that follow (4.4, 4.3). */
export function assessRequest(request: ChangeRequest, policy: Policy) {
  const risk = assessRisk(request.riskAnswers, policy.risk);
  const riskLevel = effectiveRiskLevel(risk.level, request.requestedRiskLevel, policy.risk);
  const requirements = requiredApprovals({ type: request.type, riskLevel, reviewRules: request.reviewRules, securityTriggers: request.securityTriggers }, policy);
  return { risk, riskLevel, requirements };
}

/** The change columns a request fills in: the same on submission and in an emergency's documentation. */
export function requestColumns(request: ChangeRequest, { risk, riskLevel }: ReturnType<typeof assessRequest>) {
  return {
    title: request.title,
    description: request.description,
    businessJustification: request.businessJustification,
    impactAnalysis: request.impactAnalysis,
    testPlan: request.testPlan,
    rollbackPlan: request.rollbackPlan,
    implementationPlan: request.implementationPlan,
    affectedSystems: request.affectedSystems,
    riskAnswers: request.riskAnswers,
    riskScore: risk.score,
    computedRiskLevel: risk.level,
    riskLevel,
    securityTriggers: request.securityTriggers,
    reviewRules: request.reviewRules,
    ownerId: request.ownerId,
    plannedStart: request.plannedStart,
    plannedEnd: request.plannedEnd,
    link: request.link ?? null,
  };
}

/**
 * Records a validated change request in one transaction: the change, its risk level and required
 * approvals, the audit events, and the Slack messages to send after the ack.
 */
export function submitChange(db: CabinetDb, policy: Policy, request: ChangeRequest, requesterId: string, submissionKey: string, now: Date): SubmittedChange {
  const assessment = assessRequest(request, policy);
  const { risk, riskLevel, requirements } = assessment;

  return db.transaction(
    (tx) => {
      const existing = changeOfSubmission(tx, submissionKey);
      if (existing !== undefined) return { changeId: existing, created: false };

      const [row] = tx
        .insert(changes)
        .values({
          ...requestColumns(request, assessment),
          type: request.type,
          state: 'submitted',
          standardChangeId: request.standardChangeId ?? null,
          requesterId,
          submissionKey,
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .all();
      if (!row) throw new Error('insert returned no change');
      const change = { id: row.id, type: row.type, state: row.state };
      recordAudit(tx, {
        changeId: change.id,
        actorId: requesterId,
        type: 'change.submitted',
        toState: 'submitted',
        data: { riskScore: risk.score, computedRiskLevel: risk.level, riskLevel, requirements: requirements.map(({ role, approvals }) => ({ role, approvals })) },
      }, now);

      if (requirements.length === 0 && request.type === 'standard') {
        // 3.1: standard changes from the catalog are pre-authorized.
        tx.insert(approvalDecisions)
          .values({ changeId: change.id, decision: 'approve', source: 'pre_approved', reason: `Standard change catalog: ${request.standardChangeId}`, decidedAt: now })
          .run();
        transitionChange(tx, change, 'pre_approve', requesterId, now, { standardChangeId: request.standardChangeId });
        announceApprovedOnSubmit(tx, change.id, requesterId, now);
        return { changeId: change.id, created: true };
      }

      const state = transitionChange(tx, change, 'request_approval', requesterId, now);
      if (requirements.length === 0) {
        // The policy's matrix row asks for nobody at this risk level.
        transitionChange(tx, { ...change, state }, 'approve', 'cabinet', now, { reason: `approval_matrix.${riskLevel} names no role` });
        announceApprovedOnSubmit(tx, change.id, requesterId, now);
        return { changeId: change.id, created: true };
      }
      for (const requirement of requirements) {
        tx.insert(approvalRequirements).values({ changeId: change.id, role: requirement.role, approvalsNeeded: requirement.approvals }).run();
      }
      enqueue(tx, { kind: 'request_approvals', changeId: change.id }, now, `request_approvals:${change.id}`);
      enqueue(tx, { kind: 'notify_log', changeId: change.id, event: 'submitted' }, now);
      return { changeId: change.id, created: true };
    },
    { behavior: 'immediate' },
  );
}

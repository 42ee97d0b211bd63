import { addRequirement } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, type ChangeRow, loadChangeRecord } from '../db/change-record.js';
import { transitionChange } from '../db/change-transitions.js';
import { changeOfSubmission, insertChange, updateChange } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { insertChangeVersion } from '../db/emergency.js';
import { enqueue } from '../db/outbox.js';
import { requirementsOf } from '../domain/approvers.js';
import { authorizationRequirements, escalationDueAt } from '../domain/emergency.js';
import type { EmergencyRequest } from '../domain/emergency-request.js';
import { askedOnlyThroughQuietRoles } from '../domain/inbox.js';
import type { ChangeState } from '../domain/lifecycle.js';
import { announce } from './announce.js';
import { type ChangeRefusal, changeNotFound, type Refusal, SYSTEM_ACTOR, type UseCaseContext } from './context.js';
import { startPaperwork } from './paperwork.js';
import { askToDecide } from './request-approvals.js';
import type { SubmittedChange } from './submit-change.js';

/**
 * Records an emergency (6.1) and asks for its authorization (6.3) in one transaction: the
 * authorizers of the hour in the policy timezone, with the CTO/CISO stand-ins chosen but asked only
 * if it is escalated, by request or after the policy's wait (a timer in the outbox).
 */
export function declareEmergency(
  ctx: UseCaseContext,
  input: { request: EmergencyRequest; submissionKey: string },
): SubmittedChange {
  const { db, policy, now, actorId: requesterId } = ctx;
  const { request, submissionKey } = input;
  const requirements = authorizationRequirements(now, policy);
  return db.transaction(
    (tx) => {
      const existing = changeOfSubmission(tx, submissionKey);
      if (existing !== undefined) return { changeId: existing, created: false };
      const row = insertChange(tx, {
        type: 'emergency',
        state: 'submitted',
        title: request.title,
        description: request.plannedFix,
        implementationPlan: request.plannedFix,
        rollbackPlan: request.rollbackPlan,
        affectedSystems: request.affectedSystems,
        emergencyCriterion: request.criterion,
        requesterId,
        ownerId: request.ownerId,
        submissionKey,
        createdAt: now,
        updatedAt: now,
      });
      const changeId = row.id;
      // What the authorizers are asked to authorize: kept as it is, whatever the documentation says later.
      insertChangeVersion(tx, {
        changeId,
        version: 1,
        kind: 'declared',
        title: row.title,
        description: row.description,
        implementationPlan: row.implementationPlan,
        rollbackPlan: row.rollbackPlan,
        affectedSystems: row.affectedSystems,
        recordedBy: requesterId,
        recordedAt: now,
      });
      recordAudit(
        tx,
        {
          changeId,
          actorId: requesterId,
          type: 'change.submitted',
          toState: 'submitted',
          data: { criterion: request.criterion, authorizers: requirements },
        },
        now,
      );
      const pending = transitionChange(tx, row, { transition: 'request_authorization', actorId: requesterId }, now);
      enqueue(tx, { kind: 'notify_log', changeId, event: 'submitted' }, now);
      for (const userId of new Set([requesterId, request.ownerId]))
        enqueue(tx, { kind: 'emergency_console', changeId, userId }, now, {
          dedupeKey: `emergency_console:${changeId}:${userId}`,
        });
      if (!policy.emergency.prior_authorization) {
        authorizeAtOnce(tx, ctx, { ...row, state: pending });
        return { changeId, created: true };
      }
      for (const { role, alternative, anyOf = null } of requirements) {
        addRequirement(tx, { changeId, phase: 'authorization', role, approvalsNeeded: 1, alternative, anyOf });
      }
      enqueue(tx, { kind: 'request_approvals', changeId }, now, {
        dedupeKey: `request_approvals:authorization:${changeId}`,
      });
      enqueue(tx, { kind: 'escalate_authorization', changeId }, now, {
        dedupeKey: `escalate_authorization:${changeId}`,
        dueAt: escalationDueAt(now, policy),
      });
      return { changeId, created: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * An emergency the policy lets run without prior authorization (`emergency.prior_authorization: false`):
 * authorized as it is declared, by Cabinet on the policy's word, and owing its paperwork from now.
 */
function authorizeAtOnce(tx: DbExecutor, ctx: UseCaseContext, change: ChangeRow): void {
  const { policy, now } = ctx;
  const data = { reason: 'emergency.prior_authorization is false: implemented at once, reviewed after' };
  transitionChange(tx, change, { transition: 'authorize', actorId: SYSTEM_ACTOR, data }, now);
  const record = loadChangeRecord(tx, change.id);
  if (record) startPaperwork(tx, record, policy, now);
  announce(tx, change, 'authorized', now);
}

/** Who may ask for the stand-ins now: the requester, the owner, or an on-duty authorizer. */
function mayEscalate(record: ChangeRecord, actorId: string): boolean {
  if (actorId === record.change.requesterId || actorId === record.change.ownerId) return true;
  return requirementsOf(record, 'authorization').some(
    (requirement) => !requirement.alternative && requirement.candidates.includes(actorId),
  );
}

export type EscalationOutcome =
  | { ok: true; ref: string; roles: string[] }
  | ChangeRefusal
  | Refusal<'already_escalated' | 'not_involved', { ref: string }>
  | Refusal<'not_pending', { ref: string; state: ChangeState }>
  | Refusal<'no_stand_ins'>;

/** Who asks for the stand-ins: the timer, when the authorization is not complete in time, or a person. */
export type EscalationBy = { timer: true } | { userId: string };

/**
 * Asks the stand-in authorizers (6.3 "if unavailable: CTO or CISO"), once: by the timer when the
 * authorization is not complete within the policy's wait, or on request.
 */
export function escalateAuthorization(
  ctx: UseCaseContext,
  input: { changeId: number; by: EscalationBy },
): EscalationOutcome {
  const { db, now } = ctx;
  const { changeId, by } = input;
  const actorId = 'userId' in by ? by.userId : SYSTEM_ACTOR;
  return db.transaction(
    (tx): EscalationOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return changeNotFound;
      const { ref } = record;
      if (record.change.state !== 'pending_authorization')
        return { ok: false, code: 'not_pending', ref, state: record.change.state };
      if (record.change.authorizationEscalatedAt) return { ok: false, code: 'already_escalated', ref };
      if ('userId' in by && !mayEscalate(record, by.userId)) return { ok: false, code: 'not_involved', ref };
      const standIns = requirementsOf(record, 'authorization').filter((requirement) => requirement.alternative);
      if (standIns.length === 0) return { ok: false, code: 'no_stand_ins' };

      updateChange(tx, changeId, { authorizationEscalatedAt: now, updatedAt: now });
      const roles = standIns.map((requirement) => requirement.role);
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'authorization.escalated',
          data: { roles, reason: 'timer' in by ? 'not authorized in time' : 'requested' },
        },
        now,
      );
      // A stand-in holding only quiet roles (approvals.quiet_roles) decides from the Home, unasked.
      const quietRoles = ctx.policy.approvals.quiet_roles;
      const asked = standIns.flatMap((requirement) =>
        requirement.candidates.filter((userId) => !askedOnlyThroughQuietRoles(requirement, userId, { quietRoles })),
      );
      for (const userId of new Set(asked)) askToDecide(tx, record, userId, now);
      for (const userId of new Set([record.change.requesterId, record.change.ownerId]))
        enqueue(tx, { kind: 'notify_user', changeId, userId, event: 'escalated' }, now);
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, ref: record.ref, roles };
    },
    { behavior: 'immediate' },
  );
}

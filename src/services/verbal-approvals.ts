import { unsatisfyRequirement, voidDecision } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { flagChange } from '../db/change-transitions.js';
import type { DbExecutor } from '../db/client.js';
import {
  insertConfirmation,
  insertDispute,
  insertVerbalApproval,
  setVerbalApprovalDecision,
  verbalApprovalById,
  verbalApprovalOfSubmission,
} from '../db/emergency.js';
import { enqueue } from '../db/outbox.js';
import { holdersOf, requirementsOf } from '../domain/approvers.js';
import { disputesReachedAuthorization } from '../domain/emergency.js';
import { type VerbalApprovalInput, type VerbalIssue, verbalGivenAtIssue } from '../domain/emergency-request.js';
import type { ChangeState } from '../domain/lifecycle.js';
import { announce } from './announce.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';
import { eligibilityOf, recordApproval } from './decide.js';
import type { MembersByRole } from './role-directory.js';

/** Why a verbal approval may not be recorded on a change now. */
export type VerbalRecordingRefusal =
  | ChangeRefusal
  | Refusal<'not_emergency' | 'not_involved', { ref: string }>
  | Refusal<'not_pending', { ref: string; state: ChangeState }>;

/** The roles that may still authorize a change: the usual ones, and the stand-ins asked instead. */
export interface AuthorizingRoles {
  roles: string[];
  standIns: string[];
}

export type RecordVerbalOutcome =
  | { ok: true; code: 'recorded'; ref: string; approverId: string; effect: 'authorized' | 'counts' | 'on_confirmation' }
  | { ok: true; code: 'already_recorded'; ref: string }
  | VerbalRecordingRefusal
  | Refusal<'own_approval' | 'authorizers_unknown' | 'already_pending' | 'already_authorized', { ref: string }>
  | Refusal<'cannot_authorize', { ref: string } & AuthorizingRoles>
  /** The form's given-at time is outside the policy's bounds: refused on that field. */
  | Refusal<'form_issue', { ref: string; issue: VerbalIssue }>;

export type AnswerVerbalOutcome =
  | { ok: true; code: 'confirmed' | 'disputed'; ref: string }
  | Refusal<'verbal_not_found'>
  | Refusal<'not_approver', { approverId: string }>
  | Refusal<'already_answered', { ref: string; answer: 'confirmed' | 'disputed' }>;

function authorizingRoles(record: ChangeRecord): AuthorizingRoles {
  const open = requirementsOf(record, 'authorization').filter((requirement) => requirement.satisfiedAt === null);
  const roles = (alternative: boolean) =>
    open.filter((requirement) => requirement.alternative === alternative).map((requirement) => requirement.role);
  return { roles: roles(false), standIns: roles(true) };
}

/** Why the user may not record a verbal approval on this change now, or undefined when they may. */
export function verbalRecordingRefusal(
  record: ChangeRecord | undefined,
  recorderId: string,
): VerbalRecordingRefusal | undefined {
  if (!record) return changeNotFound;
  const { ref } = record;
  if (record.change.type !== 'emergency') return { ok: false, code: 'not_emergency', ref };
  if (record.change.state !== 'pending_authorization')
    return { ok: false, code: 'not_pending', ref, state: record.change.state };
  const authorizers = requirementsOf(record, 'authorization').flatMap((requirement) => requirement.candidates);
  if (
    recorderId !== record.change.requesterId &&
    recorderId !== record.change.ownerId &&
    !authorizers.includes(recorderId)
  ) {
    return { ok: false, code: 'not_involved', ref };
  }
  return undefined;
}

/**
 * Records a verbal approval given during an emergency (6.2, 6.3). The named person must be able to
 * authorize the change; it counts at once when the policy says so, marked unconfirmed, and they are
 * asked to confirm or dispute it in writing. A repeated submission of the same modal records nothing.
 */
export function recordVerbalApproval(
  ctx: UseCaseContext,
  input: { changeId: number; verbal: VerbalApprovalInput; submissionKey: string; membersByRole: MembersByRole },
): RecordVerbalOutcome {
  const { db, policy, now, actorId: recorderId } = ctx;
  const { changeId, verbal: details, submissionKey, membersByRole } = input;
  return db.transaction(
    (tx): RecordVerbalOutcome => {
      const record = loadChangeRecord(tx, changeId);
      const existing = verbalApprovalOfSubmission(tx, submissionKey);
      if (existing && record) return { ok: true, code: 'already_recorded', ref: record.ref };
      const refusal = verbalRecordingRefusal(record, recorderId);
      if (refusal || !record) return refusal ?? changeNotFound;
      const { ref } = record;
      const { approverId } = details;
      if (approverId === recorderId) return { ok: false, code: 'own_approval', ref };
      const issue = verbalGivenAtIssue(details.givenAt, record.change.createdAt, policy);
      if (issue) return { ok: false, code: 'form_issue', ref, issue };
      if (requirementsOf(record, 'authorization').every((requirement) => requirement.candidates.length === 0))
        return { ok: false, code: 'authorizers_unknown', ref };
      const canAuthorize = requirementsOf(record, 'authorization').some(
        (requirement) =>
          requirement.satisfiedAt === null &&
          requirement.candidates.includes(approverId) &&
          // The named person must hold the role now, not merely have been asked.
          holdersOf(requirement, (role) => membersByRole.get(role) ?? []).includes(approverId),
      );
      if (!canAuthorize) return { ok: false, code: 'cannot_authorize', ref, ...authorizingRoles(record) };
      if (
        record.verbalApprovals.some((verbal) => verbal.approverId === approverId && verbal.confirmation === undefined)
      )
        return { ok: false, code: 'already_pending', ref };
      const eligibility = eligibilityOf(record, policy, { actorId: approverId, membersByRole });
      if (!eligibility.ok) return { ok: false, code: 'already_authorized', ref };

      const verbalId = insertVerbalApproval(tx, {
        changeId,
        approverId,
        role: eligibility.role,
        medium: details.medium,
        givenAt: details.givenAt,
        note: details.note ?? null,
        recordedBy: recorderId,
        recordedAt: now,
        submissionKey,
      });
      const counts = policy.emergency.verbal_approvals_count_unconfirmed;
      recordAudit(
        tx,
        {
          changeId,
          actorId: recorderId,
          type: 'verbal_approval.recorded',
          data: {
            verbalApprovalId: verbalId,
            approverId,
            role: eligibility.role,
            medium: details.medium,
            givenAt: details.givenAt.toISOString(),
            counted: counts,
          },
        },
        now,
      );
      let state = record.change.state;
      if (counts) state = countVerbalApproval(tx, ctx, record, { id: verbalId, approverId, eligible: eligibility });
      enqueue(tx, { kind: 'verbal_confirmation', changeId, userId: approverId, verbalApprovalId: verbalId }, now, {
        dedupeKey: `verbal_confirmation:${verbalId}`,
      });
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      const effect = state === 'authorized' ? 'authorized' : counts ? 'counts' : 'on_confirmation';
      return { ok: true, code: 'recorded', ref, approverId, effect };
    },
    { behavior: 'immediate' },
  );
}

/** Counts a verbal approval as its approver's decision on the requirement they are eligible for. */
function countVerbalApproval(
  tx: DbExecutor,
  ctx: UseCaseContext,
  record: ChangeRecord,
  verbal: { id: number; approverId: string; eligible: { requirementId: number; role: string } },
) {
  const { policy, now } = ctx;
  const { decisionId, state } = recordApproval(tx, { policy, now }, record, {
    eligible: verbal.eligible,
    approverId: verbal.approverId,
    source: 'verbal',
  });
  if (decisionId !== undefined) setVerbalApprovalDecision(tx, verbal.id, decisionId);
  return state;
}

/**
 * The named approver answers a verbal approval recorded in their name. Confirming makes it a
 * confirmed approval (counting it now if it was waiting). Disputing stops it counting while the
 * change is still being authorized, flags the change for the CAB, and tells the policy's roles; once
 * the change was authorized on it, the authorization is marked disputed until it is resolved.
 */
export function answerVerbalApproval(
  ctx: UseCaseContext,
  input: { verbalApprovalId: number; outcome: 'confirmed' | 'disputed'; membersByRole: MembersByRole | undefined },
): AnswerVerbalOutcome {
  const { db, policy, now, actorId } = ctx;
  const { verbalApprovalId, outcome, membersByRole } = input;
  return db.transaction(
    (tx): AnswerVerbalOutcome => {
      const verbal = verbalApprovalById(tx, verbalApprovalId);
      const record = verbal ? loadChangeRecord(tx, verbal.changeId) : undefined;
      if (!verbal || !record) return { ok: false, code: 'verbal_not_found' };
      if (actorId !== verbal.approverId) return { ok: false, code: 'not_approver', approverId: verbal.approverId };
      const answered = record.verbalApprovals.find((candidate) => candidate.id === verbal.id)?.confirmation;
      if (answered) return { ok: false, code: 'already_answered', ref: record.ref, answer: answered.outcome };

      insertConfirmation(tx, { verbalApprovalId, outcome, respondedBy: actorId, respondedAt: now });
      const changeId = record.change.id;
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: `verbal_approval.${outcome}`,
          data: { verbalApprovalId, recordedAt: verbal.recordedAt.toISOString() },
        },
        now,
      );
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);

      if (outcome === 'confirmed') {
        if (verbal.decisionId === null && record.change.state === 'pending_authorization') {
          // A confirmation is a fact whoever gives it; it counts only from someone who holds the role now.
          const eligibility = eligibilityOf(record, policy, { actorId, membersByRole });
          if (eligibility.ok)
            countVerbalApproval(tx, ctx, record, { id: verbal.id, approverId: actorId, eligible: eligibility });
        }
        return { ok: true, code: 'confirmed', ref: record.ref };
      }

      if (verbal.decisionId !== null) voidDisputedApproval(tx, ctx, record, verbal.decisionId);
      // The change was authorized on it: that stands, but the change is marked disputed until resolved.
      if (
        disputesReachedAuthorization(verbal, record.change.state) &&
        insertDispute(tx, { changeId, verbalApprovalId, disputedBy: actorId, disputedAt: now })
      )
        recordAudit(tx, { changeId, actorId, type: 'authorization.disputed', data: { verbalApprovalId } }, now);
      flagChange(tx, record.change, { reason: 'A verbal approval was disputed by its approver', actorId }, now);
      announce(tx, record.change, 'verbal_disputed', now);
      const exclude = [record.change.requesterId, record.change.ownerId, actorId];
      enqueue(
        tx,
        {
          kind: 'notify_roles',
          changeId,
          roles: policy.emergency.dispute_notify_roles,
          exclude,
          event: 'verbal_disputed',
        },
        now,
      );
      return { ok: true, code: 'disputed', ref: record.ref };
    },
    { behavior: 'immediate' },
  );
}

/** A disputed approval stops counting; while the change is still being authorized, its requirement reopens. */
function voidDisputedApproval(tx: DbExecutor, ctx: UseCaseContext, record: ChangeRecord, decisionId: number): void {
  const { actorId, now } = ctx;
  voidDecision(tx, decisionId, 'disputed by the approver', now);
  recordAudit(
    tx,
    {
      changeId: record.change.id,
      actorId,
      type: 'approval.voided',
      data: { decisionId, reason: 'verbal approval disputed' },
    },
    now,
  );
  const requirement = record.requirements.find((candidate) =>
    candidate.approvals.some((decision) => decision.id === decisionId),
  );
  if (!requirement || record.change.state !== 'pending_authorization') return;
  if (requirement.satisfiedAt !== null && requirement.approvals.length - 1 < requirement.approvalsNeeded) {
    unsatisfyRequirement(tx, requirement.id);
    recordAudit(
      tx,
      {
        changeId: record.change.id,
        actorId,
        type: 'requirement.reopened',
        data: { role: requirement.role, reason: 'verbal approval disputed' },
      },
      now,
    );
  }
}

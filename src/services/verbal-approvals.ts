import { unsatisfyRequirement, voidDecision } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { flagChange } from '../db/change-transitions.js';
import type { CabinetDb, DbExecutor } from '../db/client.js';
import {
  insertConfirmation,
  insertVerbalApproval,
  setVerbalApprovalDecision,
  verbalApprovalById,
  verbalApprovalOfSubmission,
} from '../db/emergency.js';
import { enqueue } from '../db/outbox.js';
import { requirementsOf } from '../domain/approvers.js';
import type { VerbalApprovalInput } from '../domain/emergency-request.js';
import { describeState } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import { eligibilityOf, recordApproval } from './decide.js';

export type VerbalOutcome = { ok: true; ref: string; message: string } | { ok: false; reason: string };

/** The roles that may still authorize the change, e.g. "manager, security, or instead cto, ciso". */
export function authorizingRoles(record: ChangeRecord): string {
  const open = requirementsOf(record, 'authorization').filter((requirement) => requirement.satisfiedAt === null);
  const roles = (alternative: boolean) =>
    open
      .filter((requirement) => requirement.alternative === alternative)
      .map((requirement) => requirement.role)
      .join(', ');
  const standIns = roles(true);
  return `${roles(false) || 'nobody'}${standIns ? `, or instead ${standIns}` : ''}`;
}

/** Why the user may not record a verbal approval on this change now, or undefined when they may. */
export function verbalRecordingRefusal(record: ChangeRecord | undefined, recorderId: string): string | undefined {
  if (!record) return 'That change does not exist; nothing was recorded.';
  if (record.change.type !== 'emergency')
    return `${record.ref} is not an emergency change; verbal approvals are for emergencies (POL-SEC-008 6.2).`;
  if (record.change.state !== 'pending_authorization')
    return `${record.ref} is already ${describeState(record.change.state)}; no verbal approval is needed.`;
  const authorizers = requirementsOf(record, 'authorization').flatMap((requirement) => requirement.candidates);
  if (
    recorderId !== record.change.requesterId &&
    recorderId !== record.change.ownerId &&
    !authorizers.includes(recorderId)
  ) {
    return `Only the requester, the owner or an authorizer of ${record.ref} records its verbal approvals.`;
  }
  return undefined;
}

/**
 * Records a verbal approval given during an emergency (6.2, 6.3). The named person must be able to
 * authorize the change; it counts at once when the policy says so, marked unconfirmed, and they are
 * asked to confirm or dispute it in writing. A repeated submission of the same modal records nothing.
 */
export function recordVerbalApproval(
  db: CabinetDb,
  policy: Policy,
  changeId: number,
  input: VerbalApprovalInput,
  recorderId: string,
  submissionKey: string,
  now: Date,
): VerbalOutcome {
  return db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, changeId);
      const existing = verbalApprovalOfSubmission(tx, submissionKey);
      if (existing && record)
        return { ok: true, ref: record.ref, message: `That verbal approval of ${record.ref} is already recorded.` };
      const refusal = verbalRecordingRefusal(record, recorderId);
      if (refusal || !record) return { ok: false, reason: refusal ?? 'That change does not exist.' };
      const { approverId } = input;
      if (approverId === recorderId)
        return {
          ok: false,
          reason: `You cannot record your own verbal approval: use the Authorize button on your request for ${record.ref}.`,
        };
      // These reasons are shown on the modal's approver field, in plain text: no mentions.
      if (requirementsOf(record, 'authorization').every((requirement) => requirement.candidates.length === 0)) {
        return {
          ok: false,
          reason: `Cabinet is still looking up who can authorize ${record.ref}; submit again in a moment.`,
        };
      }
      const canAuthorize = requirementsOf(record, 'authorization').some(
        (requirement) => requirement.satisfiedAt === null && requirement.candidates.includes(approverId),
      );
      if (!canAuthorize)
        return {
          ok: false,
          reason: `That person cannot authorize ${record.ref}. Who can: ${authorizingRoles(record)} (the people listed above).`,
        };
      if (
        record.verbalApprovals.some((verbal) => verbal.approverId === approverId && verbal.confirmation === undefined)
      ) {
        return {
          ok: false,
          reason: `A verbal approval by this person is already recorded on ${record.ref} and waits for their confirmation.`,
        };
      }
      const eligibility = eligibilityOf(record, policy, approverId);
      if (!eligibility.ok)
        return { ok: false, reason: `This person's authorization of ${record.ref} is already recorded.` };

      const verbalId = insertVerbalApproval(tx, {
        changeId,
        approverId,
        role: eligibility.role,
        medium: input.medium,
        givenAt: input.givenAt,
        note: input.note ?? null,
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
            medium: input.medium,
            givenAt: input.givenAt.toISOString(),
            counted: counts,
          },
        },
        now,
      );
      let state = record.change.state;
      if (counts) state = countVerbalApproval(tx, record, policy, verbalId, eligibility, approverId, now);
      enqueue(
        tx,
        { kind: 'verbal_confirmation', changeId, userId: approverId, verbalApprovalId: verbalId },
        now,
        `verbal_confirmation:${verbalId}`,
      );
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      const effect =
        state === 'authorized'
          ? `${record.ref} is now authorized`
          : counts
            ? 'it counts toward the authorization'
            : 'it will count once they confirm it';
      return {
        ok: true,
        ref: record.ref,
        message: `Verbal approval by <@${approverId}> recorded on ${record.ref}; ${effect}. They are asked to confirm it in writing.`,
      };
    },
    { behavior: 'immediate' },
  );
}

function countVerbalApproval(
  tx: DbExecutor,
  record: ChangeRecord,
  policy: Policy,
  verbalId: number,
  eligible: { requirementId: number; role: string },
  approverId: string,
  now: Date,
) {
  const { decisionId, state } = recordApproval(tx, { policy, now }, record, { eligible, approverId, source: 'verbal' });
  if (decisionId !== undefined) setVerbalApprovalDecision(tx, verbalId, decisionId);
  return state;
}

/**
 * The named approver answers a verbal approval recorded in their name. Confirming makes it a
 * confirmed approval (counting it now if it was waiting). Disputing stops it counting while the
 * change is still being authorized, flags the change for the CAB, and tells the policy's roles.
 */
export function answerVerbalApproval(
  db: CabinetDb,
  policy: Policy,
  verbalApprovalId: number,
  actorId: string,
  outcome: 'confirmed' | 'disputed',
  now: Date,
): VerbalOutcome {
  return db.transaction(
    (tx) => {
      const verbal = verbalApprovalById(tx, verbalApprovalId);
      const record = verbal ? loadChangeRecord(tx, verbal.changeId) : undefined;
      if (!verbal || !record)
        return { ok: false, reason: 'That verbal approval does not exist; nothing was recorded.' };
      if (actorId !== verbal.approverId)
        return {
          ok: false,
          reason: `Only <@${verbal.approverId}>, who is named as the approver, can confirm or dispute this verbal approval.`,
        };
      const answered = record.verbalApprovals.find((candidate) => candidate.id === verbal.id)?.confirmation;
      if (answered)
        return { ok: false, reason: `You already ${answered.outcome} this verbal approval of ${record.ref}.` };

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
          const eligibility = eligibilityOf(record, policy, actorId);
          if (eligibility.ok) countVerbalApproval(tx, record, policy, verbal.id, eligibility, actorId, now);
        }
        return { ok: true, ref: record.ref, message: `Thank you: your verbal approval of ${record.ref} is confirmed.` };
      }

      if (verbal.decisionId !== null) voidDisputedApproval(tx, record, verbal.decisionId, actorId, now);
      flagChange(tx, record.change, 'A verbal approval was disputed by its approver', actorId, now);
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
      return {
        ok: true,
        ref: record.ref,
        message: `Recorded: you dispute the verbal approval of ${record.ref}. It no longer counts, and the change goes to the CAB.`,
      };
    },
    { behavior: 'immediate' },
  );
}

/** A disputed approval stops counting; while the change is still being authorized, its requirement reopens. */
function voidDisputedApproval(
  tx: DbExecutor,
  record: ChangeRecord,
  decisionId: number,
  actorId: string,
  now: Date,
): void {
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

import { reassignCandidate } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord, type RequirementRecord } from '../db/change-record.js';
import { enqueue } from '../db/outbox.js';
import { openAskedRequirements } from '../domain/approvers.js';
import { type ApprovalPhase, type ChangeState, decisionStage } from '../domain/lifecycle.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';
import { askToDecide } from './request-approvals.js';

export const REASSIGN_REASON_MAX = 500;

/** Who asks, and `admin`: whether they hold one of `approvals.admin_roles` now (the caller resolves it). */
interface Asker {
  changeId: number;
  /** The phase the button or form was shown in: a reassignment counts only while the change still waits in it. */
  phase: ApprovalPhase;
  admin: boolean;
}

/** Why a requirement could not be reassigned; slack/words/reassign.ts says it. */
export type ReassignRefusal =
  | ChangeRefusal
  | Refusal<'not_admin', { roles: string[] }>
  | Refusal<'out_of_date', { ref: string; state: ChangeState }>
  /** Nothing is open to reassign, or the chosen requirement is not (satisfied, the board's, another change's). */
  | Refusal<'requirement_closed', { ref: string }>
  | Refusal<'requester' | 'owner', { ref: string; userId: string }>
  | Refusal<'already_reassigned', { ref: string; role: string; userId: string }>
  | Refusal<'reason_required'>
  | Refusal<'reason_too_long', { max: number }>;

/** The change and the requirements the form offers. */
export type ReassignForm = { ok: true; record: ChangeRecord; requirements: RequirementRecord[] } | ReassignRefusal;

/** The checks shared by the button and the form: the change, the asker's role, the phase, something open. */
function reassignable(record: ChangeRecord | undefined, ctx: UseCaseContext, asker: Asker): ReassignForm {
  if (!record) return changeNotFound;
  if (!asker.admin) return { ok: false, code: 'not_admin', roles: ctx.policy.approvals.admin_roles };
  const stage = decisionStage(record.change.state);
  if (stage?.phase !== asker.phase)
    return { ok: false, code: 'out_of_date', ref: record.ref, state: record.change.state };
  const requirements = openAskedRequirements(record, ctx.policy);
  if (requirements.length === 0) return { ok: false, code: 'requirement_closed', ref: record.ref };
  return { ok: true, record, requirements };
}

/** Reassign pressed on a change's Details: what the form may offer, or why there is no form (read only). */
export function reassignmentForm(ctx: UseCaseContext, asker: Asker): ReassignForm {
  return reassignable(loadChangeRecord(ctx.db, asker.changeId), ctx, asker);
}

/** Whether Details should show Reassign to an admin: the change waits in a phase with a requirement to reassign. */
export function mayReassign(record: ChangeRecord, ctx: UseCaseContext): ApprovalPhase | undefined {
  const phase = decisionStage(record.change.state)?.phase;
  return phase && openAskedRequirements(record, ctx.policy).length > 0 ? phase : undefined;
}

export type ReassignOutcome = { ok: true; ref: string; role: string; assigneeId: string } | ReassignRefusal;

/**
 * An admin reassigns an open requirement to a named person, who becomes its candidate (deciding without holding the
 * role, the reason recorded) and is asked; the requester is told. Authorized here, whatever the form showed; the
 * write, its audit event and the messages commit together.
 */
export function reassignRequirement(
  ctx: UseCaseContext,
  input: Asker & { requirementId: number; assigneeId: string; reason: string },
): ReassignOutcome {
  const { db, now, actorId } = ctx;
  const reason = input.reason.trim();
  return db.transaction(
    (tx): ReassignOutcome => {
      const form = reassignable(loadChangeRecord(tx, input.changeId), ctx, input);
      if (!form.ok) return form;
      const { record } = form;
      const { ref } = record;
      const requirement = form.requirements.find((candidate) => candidate.id === input.requirementId);
      if (!requirement) return { ok: false, code: 'requirement_closed', ref };
      const { assigneeId } = input;
      if (assigneeId === record.change.requesterId) return { ok: false, code: 'requester', ref, userId: assigneeId };
      if (assigneeId === record.change.ownerId) return { ok: false, code: 'owner', ref, userId: assigneeId };
      if (requirement.asked.some((asked) => asked.userId === assigneeId && asked.reassignedBy !== null))
        return { ok: false, code: 'already_reassigned', ref, role: requirement.role, userId: assigneeId };
      if (reason === '') return { ok: false, code: 'reason_required' };
      if (reason.length > REASSIGN_REASON_MAX) return { ok: false, code: 'reason_too_long', max: REASSIGN_REASON_MAX };

      reassignCandidate(tx, { requirementId: requirement.id, userId: assigneeId, reassignedBy: actorId, reason });
      const changeId = record.change.id;
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'approval.reassigned',
          data: { phase: input.phase, role: requirement.role, assigneeId, reason },
        },
        now,
      );
      askToDecide(tx, record, assigneeId, now);
      enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event: 'reassigned' }, now);
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, ref, role: requirement.role, assigneeId };
    },
    { behavior: 'immediate' },
  );
}

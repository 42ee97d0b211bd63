import { addRequirement } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { transitionChange } from '../db/change-transitions.js';
import { updateChange } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { insertChangeVersion, insertObligation, markObligationDone } from '../db/emergency.js';
import { enqueue } from '../db/outbox.js';
import type { ChangeRequest } from '../domain/change-request.js';
import {
  needsCabPresentation,
  type ObligationKind,
  outstandingPaperwork,
  paperworkObligations,
  reminderAt,
} from '../domain/emergency.js';
import { scheduleExceptionOf } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import { type ChangeRefusal, changeNotFound, type Refusal, SYSTEM_ACTOR, type UseCaseContext } from './context.js';
import { assessRequest, exceptionAuditData, requestColumns, requestScheduleProblems } from './submit-change.js';

/** Why a checklist item may not be completed now. */
export type ObligationRefusal =
  | ChangeRefusal
  | Refusal<'not_owed', { ref: string; kind: ObligationKind; emergency: boolean }>
  | Refusal<'not_chair' | 'not_requester_or_owner', { ref: string }>
  | Refusal<'already_done', { ref: string; kind: ObligationKind }>;

export type EvidenceOutcome =
  | { ok: true; code: 'recorded' | 'already_recorded'; ref: string; kind: EvidenceKind }
  | ObligationRefusal;

export type DocumentationOutcome =
  | { ok: true; code: 'documented' | 'already_documented'; ref: string }
  | ObligationRefusal;

function addObligation(
  tx: DbExecutor,
  obligation: { changeId: number; kind: ObligationKind; dueAt: Date | null },
  now: Date,
): void {
  const { changeId, kind, dueAt } = obligation;
  if (insertObligation(tx, { changeId, kind, dueAt, createdAt: now }))
    recordAudit(
      tx,
      {
        changeId,
        actorId: SYSTEM_ACTOR,
        type: 'obligation.created',
        data: { kind, dueAt: dueAt?.toISOString() ?? null },
      },
      now,
    );
}

/**
 * An emergency was authorized: it now owes its 6.4 paperwork by the policy's deadline. The owner is
 * reminded before it, and the overdue notice goes out after it, through timers in the outbox.
 */
export function startPaperwork(tx: DbExecutor, record: ChangeRecord, policy: Policy, now: Date): void {
  const changeId = record.change.id;
  const plan = paperworkObligations(now, policy);
  for (const { kind, dueAt } of plan) addObligation(tx, { changeId, kind, dueAt }, now);
  // One reminder and one overdue notice per deadline, about what is due then.
  const deadlines = [...new Set(plan.flatMap(({ dueAt }) => (dueAt ? [dueAt.getTime()] : [])))];
  for (const deadline of deadlines) {
    const dueAt = new Date(deadline);
    const remindAt = reminderAt(dueAt, policy);
    if (remindAt > now)
      enqueue(tx, { kind: 'paperwork_deadline', changeId, stage: 'reminder', dueAt: dueAt.toISOString() }, now, {
        dedupeKey: `paperwork_reminder:${changeId}:${deadline}`,
        dueAt: remindAt,
      });
    enqueue(tx, { kind: 'paperwork_deadline', changeId, stage: 'overdue', dueAt: dueAt.toISOString() }, now, {
      dedupeKey: `paperwork_overdue:${changeId}:${deadline}`,
      dueAt,
    });
  }
}

/** Marks one obligation done, once; false when it was already done or is not owed. */
export function completeObligation(
  tx: DbExecutor,
  obligation: { changeId: number; kind: ObligationKind; actorId: string; evidence: string | null },
  now: Date,
): boolean {
  const { changeId, kind, actorId, evidence } = obligation;
  const done = markObligationDone(tx, changeId, kind, { completedBy: actorId, evidence, at: now });
  if (!done) return false;
  const late = done.dueAt !== null && now.getTime() > done.dueAt.getTime();
  recordAudit(tx, { changeId, actorId, type: 'obligation.completed', data: { kind, late } }, now);
  return true;
}

/**
 * A paperwork timer fired. If anything is still outstanding, the owner is reminded; or, once the
 * deadline has passed, the policy's roles and the CAB chair are told it is overdue. Nothing is
 * sent when the paperwork is done.
 */
export function paperworkDeadline(
  ctx: UseCaseContext,
  input: { changeId: number; stage: 'reminder' | 'overdue'; dueAt?: string },
): void {
  const { db, policy, now } = ctx;
  const { changeId, stage } = input;
  const deadline = input.dueAt === undefined ? undefined : new Date(input.dueAt).getTime();
  // A reminder is about what falls due at its deadline; an overdue notice about all that is late by then.
  const concerned = (dueAt: Date | null) =>
    deadline === undefined ||
    (dueAt !== null && (stage === 'reminder' ? dueAt.getTime() === deadline : dueAt.getTime() <= deadline));
  db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return;
      const outstanding = outstandingPaperwork(record.obligations, record.change.state)
        .filter((obligation) => concerned(obligation.dueAt))
        .map((obligation) => obligation.kind);
      if (outstanding.length === 0) return;
      recordAudit(
        tx,
        {
          changeId,
          actorId: SYSTEM_ACTOR,
          type: stage === 'reminder' ? 'paperwork.reminded' : 'paperwork.overdue',
          data: { outstanding },
        },
        now,
      );
      if (stage === 'reminder') {
        enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.ownerId, event: 'paperwork_reminder' }, now);
        return;
      }
      const people = [
        ...new Set([
          record.change.ownerId,
          ...(policy.emergency.overdue_notify_cab_chair && policy.cab.chair ? [policy.cab.chair] : []),
        ]),
      ];
      for (const userId of people)
        enqueue(tx, { kind: 'notify_user', changeId, userId, event: 'paperwork_overdue' }, now);
      enqueue(
        tx,
        {
          kind: 'notify_roles',
          changeId,
          roles: policy.emergency.overdue_notify_roles,
          exclude: people,
          event: 'paperwork_overdue',
        },
        now,
      );
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
    },
    { behavior: 'immediate' },
  );
}

/** Evidence someone adds to the checklist by hand; the documentation and the formal approval complete themselves. */
export type EvidenceKind = Extract<ObligationKind, 'retro_ticket' | 'root_cause_analysis' | 'cab_presentation'>;

/** Who may complete an item: the requester or owner for their paperwork; the CAB chair for the presentation. */
function mayComplete(record: ChangeRecord, policy: Policy, kind: ObligationKind, actorId: string): boolean {
  if (kind === 'cab_presentation') return actorId === policy.cab.chair;
  return actorId === record.change.requesterId || actorId === record.change.ownerId;
}

function checkObligation(
  record: ChangeRecord | undefined,
  policy: Policy,
  kind: ObligationKind,
  actorId: string,
): ObligationRefusal | undefined {
  if (!record) return changeNotFound;
  const { ref } = record;
  const obligation = record.obligations.find((candidate) => candidate.kind === kind);
  if (!obligation) return { ok: false, code: 'not_owed', ref, kind, emergency: record.change.type === 'emergency' };
  if (!mayComplete(record, policy, kind, actorId))
    return { ok: false, code: kind === 'cab_presentation' ? 'not_chair' : 'not_requester_or_owner', ref };
  if (obligation.completedAt) return { ok: false, code: 'already_done', ref, kind };
  return undefined;
}

/** A repeated submission of the same form (a Slack retry, a double submit) finds its item done by the same person. */
function doneBy(record: ChangeRecord, kind: ObligationKind, actorId: string): boolean {
  return record.obligations.some(
    (obligation) => obligation.kind === kind && obligation.completedAt !== null && obligation.completedBy === actorId,
  );
}

/** Whether the user may complete this item now (read only), e.g. before opening its modal. */
export function evidenceRefusal(
  record: ChangeRecord | undefined,
  policy: Policy,
  kind: ObligationKind,
  actorId: string,
): ObligationRefusal | undefined {
  return checkObligation(record, policy, kind, actorId);
}

/** Records a retrospective ticket link, a root-cause analysis, or the CAB presentation. */
export function addEvidence(
  ctx: UseCaseContext,
  input: { changeId: number; kind: EvidenceKind; evidence: string },
): EvidenceOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId, kind, evidence } = input;
  return db.transaction(
    (tx): EvidenceOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (record && doneBy(record, kind, actorId)) return { ok: true, code: 'already_recorded', ref: record.ref, kind };
      const refusal = checkObligation(record, policy, kind, actorId);
      if (refusal || !record) return refusal ?? changeNotFound;
      completeObligation(tx, { changeId, kind, actorId, evidence }, now);
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, code: 'recorded', ref: record.ref, kind };
    },
    { behavior: 'immediate' },
  );
}

/**
 * The full documentation of an authorized emergency (6.4 "Document the emergency change"): the
 * normal request fields are stored, its risk assessed, and its formal approval requested through
 * the normal matrix (4.4, 4.3) as a retro-approval. High and critical ones also owe a CAB presentation.
 */
export function documentEmergency(
  ctx: UseCaseContext,
  input: { changeId: number; request: ChangeRequest },
): DocumentationOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId, request } = input;
  // A retrospective request has no type: it is routed as a normal change, through the normal matrix.
  const assessment = assessRequest({ ...request, type: 'normal' }, policy);
  const { risk, riskLevel } = assessment;
  // MCP4 9: the review after the fact by any one of some roles, instead of the matrix.
  const reviewers = policy.emergency.retro_review_any_of;
  const requirements =
    reviewers.length > 0
      ? reviewers.map((role) => ({ role, approvals: 1, alternative: true, anyOf: null, stage: 0 }))
      : assessment.requirements.map(({ role, approvals, anyOf = null, stage = 0 }) => ({
          role,
          approvals,
          alternative: false,
          anyOf,
          stage,
        }));
  return db.transaction(
    (tx): DocumentationOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (record && doneBy(record, 'documentation', actorId))
        return { ok: true, code: 'already_documented', ref: record.ref };
      const refusal = checkObligation(record, policy, 'documentation', actorId);
      if (refusal || !record) return refusal ?? changeNotFound;
      // The declaration stays as its own version: the authorizers acted on it. The change's columns
      // become the documented text, which the schedule, risk and retro-approval work from.
      insertChangeVersion(tx, {
        changeId,
        version: 2,
        kind: 'documented',
        title: request.title,
        description: request.description,
        implementationPlan: request.implementationPlan,
        rollbackPlan: request.rollbackPlan,
        affectedSystems: request.affectedSystems,
        recordedBy: actorId,
        recordedAt: now,
      });
      // The owner stays who it was: they owe this paperwork, and must not become an approver of it.
      updateChange(tx, changeId, {
        ...requestColumns(request, assessment),
        ownerId: record.change.ownerId,
        updatedAt: now,
      });
      completeObligation(tx, { changeId, kind: 'documentation', actorId, evidence: null }, now);
      // 9.1, 9.2: an emergency is exempt from the windows and freezes, but running outside them is recorded.
      const exempt = scheduleExceptionOf(requestScheduleProblems(tx, { policy, now }, request, riskLevel));
      if (exempt) {
        updateChange(tx, changeId, { scheduleException: exempt });
        recordAudit(tx, { changeId, actorId, type: 'change.schedule_exempted', data: exceptionAuditData(exempt) }, now);
      }
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'change.documented',
          data: {
            riskScore: risk.score,
            computedRiskLevel: risk.level,
            riskLevel,
            requirements: requirements.map(({ role, approvals }) => ({ role, approvals })),
          },
        },
        now,
      );
      if (needsCabPresentation(riskLevel, policy)) {
        addObligation(tx, { changeId, kind: 'cab_presentation', dueAt: null }, now);
        // The chair marks the presentation, from the emergency's own DM.
        if (policy.cab.chair)
          enqueue(tx, { kind: 'emergency_console', changeId, userId: policy.cab.chair }, now, {
            dedupeKey: `emergency_console:${changeId}:${policy.cab.chair}`,
          });
      }

      const state = transitionChange(tx, record.change, { transition: 'request_retro_approval', actorId }, now);
      if (requirements.length === 0) {
        transitionChange(
          tx,
          { ...record.change, state },
          {
            transition: 'retro_approve',
            actorId: SYSTEM_ACTOR,
            data: {
              reason: `approval_matrix.${riskLevel} names no role`,
            },
          },
          now,
        );
        completeObligation(tx, { changeId, kind: 'retro_approval', actorId: SYSTEM_ACTOR, evidence: null }, now);
        announce(tx, record.change, 'retro_approved', now);
      } else {
        for (const requirement of requirements) {
          addRequirement(tx, {
            changeId,
            phase: 'retro_approval',
            role: requirement.role,
            approvalsNeeded: requirement.approvals,
            alternative: requirement.alternative,
            anyOf: requirement.anyOf,
            stage: requirement.stage,
          });
        }
        enqueue(tx, { kind: 'request_approvals', changeId }, now, {
          dedupeKey: `request_approvals:retro_approval:${changeId}`,
        });
      }
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, code: 'documented', ref: record.ref };
    },
    { behavior: 'immediate' },
  );
}

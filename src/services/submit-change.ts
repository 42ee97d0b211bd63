import { addDecision, addRequirement } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { transitionChange } from '../db/change-transitions.js';
import { changeOfSubmission, insertChange } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { enqueue } from '../db/outbox.js';
import { conflictsFor } from '../db/schedule.js';
import type { ChangeRequest } from '../domain/change-request.js';
import { assessRisk, changeRiskLevel } from '../domain/risk.js';
import { requiredApprovals } from '../domain/routing.js';
import {
  type ScheduleException,
  type ScheduleProblem,
  scheduleExceptionOf,
  scheduleProblems,
  scheduleRefused,
  schedulingDates,
} from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import type { Refusal, UseCaseContext } from './context.js';

/** How long the changes a new one overlaps wait before their messages show it. */
const CONFLICT_REFRESH_DELAY_MS = 10_000;

export interface SubmittedChange {
  changeId: number;
  /** False when this submission had already been recorded (a repeated submit). */
  created: boolean;
}

export type SubmitOutcome =
  | ({ ok: true } & SubmittedChange)
  /** The schedule breaks the policy's windows or freezes and no (allowed) exception was asked. */
  | Refusal<'schedule_refused', { problems: ScheduleProblem[]; risk: string; exceptionRequested: boolean }>;

/** A change approved the moment it was submitted is still announced. */
function announceApprovedOnSubmit(tx: DbExecutor, change: Parameters<typeof announce>[1], now: Date): void {
  enqueue(tx, { kind: 'notify_log', changeId: change.id, event: 'submitted' }, now);
  announce(tx, change, 'approved', now);
}

/**
 * A request's risk as the policy scores it (3.3; raised, never lowered) and the approvals that follow
 * (4.4, 4.3, and an exception's approver).
 */
export function assessRequest(request: ChangeRequest, policy: Policy, scheduleException = false) {
  const risk = assessRisk(request.riskAnswers, policy.risk);
  const riskLevel = changeRiskLevel(
    risk.level,
    { requested: request.requestedRiskLevel, systems: request.affectedSystems },
    policy,
  );
  const requirements = requiredApprovals(
    {
      type: request.type,
      riskLevel,
      reviewRules: request.reviewRules,
      securityTriggers: request.securityTriggers,
      scheduleException,
      standardChangeId: request.standardChangeId,
      affectedSystems: request.affectedSystems,
    },
    policy,
  );
  return { risk, riskLevel, requirements };
}

/** What the planned times break (9.1, 9.2), read against every freeze in force. */
export function requestScheduleProblems(
  db: DbExecutor,
  { policy, now }: Pick<UseCaseContext, 'policy' | 'now'>,
  request: { plannedStart: Date; plannedEnd: Date },
  riskLevel: string,
): ScheduleProblem[] {
  const interval = { start: request.plannedStart, end: request.plannedEnd };
  const freezes = loadFreezes(db, policy, schedulingDates(interval, now, policy.timezone));
  return scheduleProblems({ interval, risk: riskLevel }, policy, freezes, now);
}

/** The audit data of a schedule exception: requested (planned change) or exempt (emergency). */
export function exceptionAuditData(exception: ScheduleException): Record<string, unknown> {
  return { outsideWindow: exception.outsideWindow, freezes: exception.freezes };
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
export function submitChange(
  ctx: UseCaseContext,
  { request, submissionKey }: { request: ChangeRequest; submissionKey: string },
): SubmitOutcome {
  const { policy, now, actorId: requesterId } = ctx;
  return ctx.db.transaction(
    (tx): SubmitOutcome => {
      const existing = changeOfSubmission(tx, submissionKey);
      if (existing !== undefined) return { ok: true, changeId: existing, created: false };
      const withoutException = assessRequest(request, policy);
      const problems = requestScheduleProblems(tx, ctx, request, withoutException.riskLevel);
      const exceptionRequested = request.scheduleExceptionRequested;
      if (scheduleRefused(problems, exceptionRequested, policy))
        return { ok: false, code: 'schedule_refused', problems, risk: withoutException.riskLevel, exceptionRequested };
      // Only a schedule that needs one carries an exception (and its approver); a tick with nothing
      // to except is ignored.
      const scheduleException = scheduleExceptionOf(problems);
      const assessment = scheduleException ? assessRequest(request, policy, true) : withoutException;
      const { risk, riskLevel, requirements } = assessment;

      const row = insertChange(tx, {
        ...requestColumns(request, assessment),
        type: request.type,
        state: 'submitted',
        standardChangeId: request.standardChangeId ?? null,
        scheduleException,
        requesterId,
        submissionKey,
        createdAt: now,
        updatedAt: now,
      });
      const change = {
        id: row.id,
        type: row.type,
        state: row.state,
        requesterId: row.requesterId,
        ownerId: row.ownerId,
      };
      recordAudit(
        tx,
        {
          changeId: change.id,
          actorId: requesterId,
          type: 'change.submitted',
          toState: 'submitted',
          data: {
            riskScore: risk.score,
            computedRiskLevel: risk.level,
            riskLevel,
            requirements: requirements.map(({ role, approvals }) => ({ role, approvals })),
          },
        },
        now,
      );
      // The changes it collides with show the conflict too, from their next render: a little later, so
      // a burst of overlapping submissions refreshes each of them once, not once per newcomer.
      const refreshAt = new Date(now.getTime() + CONFLICT_REFRESH_DELAY_MS);
      for (const { change: other } of conflictsFor(tx, { ...row }))
        enqueue(tx, { kind: 'refresh_messages', changeId: other.id }, now, { dueAt: refreshAt });
      if (scheduleException)
        recordAudit(
          tx,
          {
            changeId: change.id,
            actorId: requesterId,
            type: 'change.schedule_exception_requested',
            data: exceptionAuditData(scheduleException),
          },
          now,
        );

      if (requirements.length === 0 && request.type === 'standard') {
        // 3.1: standard changes from the catalog are pre-authorized.
        addDecision(tx, {
          changeId: change.id,
          decision: 'approve',
          source: 'pre_approved',
          reason: `Standard change catalog: ${request.standardChangeId}`,
          decidedAt: now,
        });
        transitionChange(
          tx,
          change,
          { transition: 'pre_approve', actorId: requesterId, data: { standardChangeId: request.standardChangeId } },
          now,
        );
        announceApprovedOnSubmit(tx, change, now);
        return { ok: true, changeId: change.id, created: true };
      }

      const state = transitionChange(tx, change, { transition: 'request_approval', actorId: requesterId }, now);
      if (requirements.length === 0) {
        // The policy's matrix row asks for nobody at this risk level.
        transitionChange(
          tx,
          { ...change, state },
          {
            transition: 'approve',
            actorId: 'cabinet',
            data: {
              reason: `approval_matrix.${riskLevel} names no role`,
            },
          },
          now,
        );
        announceApprovedOnSubmit(tx, change, now);
        return { ok: true, changeId: change.id, created: true };
      }
      for (const requirement of requirements) {
        const { role, approvals, anyOf = null, stage = 0 } = requirement;
        addRequirement(tx, { changeId: change.id, role, approvalsNeeded: approvals, anyOf, stage });
      }
      enqueue(tx, { kind: 'request_approvals', changeId: change.id }, now, {
        dedupeKey: `request_approvals:${change.id}`,
      });
      enqueue(tx, { kind: 'notify_log', changeId: change.id, event: 'submitted' }, now);
      return { ok: true, changeId: change.id, created: true };
    },
    { behavior: 'immediate' },
  );
}

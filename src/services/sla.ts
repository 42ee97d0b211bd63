import { auditEventsOf, recordAudit, requestsNotSent } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord, type RequirementRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import { isAskedNow, isBoardRequirement, requirementsOf } from '../domain/approvers.js';
import { type ApprovalPhase, type ChangeState, decisionStage } from '../domain/lifecycle.js';
import { escalationTargets, nextNudgeAt, peopleToRemind, slaMilestones } from '../domain/sla.js';
import { type ChangeRefusal, changeNotFound, type Refusal, SYSTEM_ACTOR, type UseCaseContext } from './context.js';
import { runningDelegates } from './delegates.js';

/**
 * Queues a requirement's SLA timers (4.4), its clock started now: a reminder at each of
 * approvals.reminders_at_percent, and the escalation once it is due. The board's requirement is put to the
 * CAB, not to people one by one: it has only the escalation.
 */
export function startSlaTimers(
  tx: DbExecutor,
  at: Pick<UseCaseContext, 'policy' | 'now'>,
  input: { changeId: number; requirement: { id: number; role: string; phase: ApprovalPhase }; businessDays: number },
): void {
  const { policy, now } = at;
  const { changeId, requirement, businessDays } = input;
  const board = isBoardRequirement(requirement, policy);
  for (const { kind, percent, at: dueAt } of slaMilestones(now, businessDays, policy)) {
    if (kind === 'reminder' && board) continue;
    enqueue(tx, { kind: 'sla_milestone', changeId, requirementId: requirement.id, milestone: kind, percent }, now, {
      dueAt,
      dedupeKey: `sla_${kind}:${requirement.id}:${percent}`,
    });
  }
}

/** Whose approval some decisions give: their approvers', and the delegators' a delegate approved for. */
function approvalsGiven(approvals: RequirementRecord['approvals']): string[] {
  return approvals.flatMap((approval) => [approval.approverId ?? [], approval.onBehalfOf ?? []].flat());
}

/**
 * Who a reminder about some of the phase's requirements goes to (see peopleToRemind), but those never sent the
 * request; a delegate only
 * while the delegation runs, for someone not quiet (the delegate stands in for someone never pinged) whose approval
 * is not given yet. An approval given on someone's behalf counts as theirs.
 */
function remindable(
  tx: DbExecutor,
  record: ChangeRecord,
  about: { phase: ApprovalPhase; requirements: readonly RequirementRecord[] },
  at: Pick<UseCaseContext, 'policy' | 'now'>,
): string[] {
  // Those never sent the request (quiet roles) are not reminded of it.
  const quiet = [...requestsNotSent(tx, record.change.id, about.phase)];
  const oneRolePerPerson = at.policy.approvals.one_role_per_person;
  const approvedInPhase = requirementsOf(record, about.phase).flatMap((requirement) =>
    approvalsGiven(requirement.approvals),
  );
  const delegatorIds = about.requirements.flatMap((requirement) =>
    requirement.asked.flatMap((a) => a.onBehalfOf ?? []),
  );
  const running = runningDelegates(tx, at, [...new Set(delegatorIds)]);
  const requirements = about.requirements.map((requirement) => {
    const given = approvalsGiven(requirement.approvals);
    const approved = oneRolePerPerson ? approvedInPhase : given;
    return {
      ...requirement,
      approvals: given.map((approverId) => ({ approverId })),
      candidates: requirement.asked
        .filter(
          ({ userId, onBehalfOf }) =>
            onBehalfOf === null ||
            (running.get(onBehalfOf)?.delegateId === userId &&
              !quiet.includes(onBehalfOf) &&
              !approved.includes(onBehalfOf)),
        )
        .map((asked) => asked.userId),
    };
  });
  return peopleToRemind(requirements, { approvedInPhase, oneRolePerPerson, quiet });
}

/** The requirements whose candidates were asked: an emergency's stand-ins only once it is escalated. */
function askedRequirements(record: ChangeRecord, phase: ApprovalPhase): RequirementRecord[] {
  return requirementsOf(record, phase).filter((requirement) => isAskedNow(requirement, record));
}

/** What an SLA timer did: reminded or escalated, or why nothing was sent. */
export type SlaMilestoneOutcome =
  | 'reminded'
  | 'escalated'
  /** The requirement is satisfied, or the change left its phase (decided, or moved on). */
  | 'not_waiting'
  /** This reminder or escalation was already sent (the timer ran again after a crash). */
  | 'already_sent'
  /** approvals.nudges is `digest`: no per-request reminders. */
  | 'digest_only'
  | 'nobody_to_remind';

/** Whether this reminder or escalation of the requirement is in the audit log already. */
function milestoneSent(
  tx: DbExecutor,
  record: ChangeRecord,
  milestone: { type: string; requirementId: number; percent: number },
): boolean {
  return auditEventsOf(tx, record.change.id, milestone.type).some(
    (event) => event.data?.requirementId === milestone.requirementId && event.data.percent === milestone.percent,
  );
}

/**
 * An SLA timer fired. Nothing is sent once the requirement is satisfied or the change has left its phase. A
 * reminder (unless approvals.nudges is `digest`) goes to each candidate not yet decided and sent the request
 * (not those asked only through quiet roles), in the thread of their request; the escalation (whatever
 * approvals.nudges) tells the requester and the escalation targets. Each is audited in the transaction that queues it.
 */
export function slaMilestoneReached(
  ctx: UseCaseContext,
  input: {
    changeId: number;
    requirementId: number;
    milestone: 'reminder' | 'escalation';
    percent: number;
  },
): SlaMilestoneOutcome {
  const { db, policy, now } = ctx;
  const { changeId, requirementId, milestone, percent } = input;
  return db.transaction(
    (tx): SlaMilestoneOutcome => {
      const record = loadChangeRecord(tx, changeId);
      const requirement = record?.requirements.find((candidate) => candidate.id === requirementId);
      if (
        !record ||
        !requirement?.dueAt ||
        requirement.satisfiedAt !== null ||
        decisionStage(record.change.state)?.phase !== requirement.phase
      )
        return 'not_waiting';
      const { role, phase, dueAt } = requirement;
      const type = milestone === 'reminder' ? 'approval.reminded' : 'approval.escalated';
      if (milestoneSent(tx, record, { type, requirementId, percent })) return 'already_sent';
      const facts = { requirementId, role, phase, percent, dueAt: dueAt.toISOString() };

      if (milestone === 'escalation') {
        const targets = escalationTargets([requirement], policy);
        recordAudit(
          tx,
          {
            changeId,
            actorId: SYSTEM_ACTOR,
            type,
            data: { ...facts, ...targets, requesterId: record.change.requesterId },
          },
          now,
        );
        // Requirements due at the same time are escalated in one message per person.
        enqueue(tx, { kind: 'sla_escalation', changeId, dueAt: facts.dueAt }, now, {
          dedupeKey: `sla_escalation:${changeId}:${dueAt.getTime()}`,
        });
        return 'escalated';
      }

      if (policy.approvals.nudges === 'digest') return 'digest_only';
      const asked = askedRequirements(record, phase).filter((candidate) => candidate.id === requirementId);
      const people = remindable(tx, record, { phase, requirements: asked }, ctx);
      if (people.length === 0) return 'nobody_to_remind';
      recordAudit(tx, { changeId, actorId: SYSTEM_ACTOR, type, data: { ...facts, remindedIds: people } }, now);
      // Someone asked for two roles due at the same time gets one reminder.
      for (const userId of people)
        enqueue(tx, { kind: 'approval_reminder', changeId, userId, phase }, now, {
          dedupeKey: `sla_reminder:${changeId}:${userId}:${dueAt.getTime()}:${percent}`,
        });
      return 'reminded';
    },
    { behavior: 'immediate' },
  );
}

/** What `/change remind` did, or why it did not. */
export type RemindOutcome =
  | { ok: true; code: 'reminded'; ref: string; people: string[] }
  | ChangeRefusal
  | Refusal<'not_requester_or_owner', { ref: string }>
  | Refusal<'nothing_to_decide', { ref: string; state: ChangeState }>
  /** `roles`: what it waits for, none of it asked of anyone who can be reminded (the board, quiet roles). */
  | Refusal<'nobody_to_remind', { ref: string; roles: string[] }>
  | Refusal<'too_soon', { ref: string; hours: number; nextAt: Date }>;

/**
 * `/change remind`: the requester (or owner) nudges everyone asked and not yet decided who was sent the request,
 * at most once every approvals.requester_nudge_hours per change. Audited.
 */
export function remindApprovers(ctx: UseCaseContext, input: { changeId: number }): RemindOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId } = input;
  return db.transaction(
    (tx): RemindOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return changeNotFound;
      const { ref, change } = record;
      if (actorId !== change.requesterId && actorId !== change.ownerId)
        return { ok: false, code: 'not_requester_or_owner', ref };
      const phase = decisionStage(change.state)?.phase;
      if (!phase) return { ok: false, code: 'nothing_to_decide', ref, state: change.state };
      const asked = askedRequirements(record, phase);
      const people = remindable(tx, record, { phase, requirements: asked }, ctx);
      if (people.length === 0) {
        const roles = asked.filter((requirement) => requirement.satisfiedAt === null).map((r) => r.role);
        return { ok: false, code: 'nobody_to_remind', ref, roles };
      }
      const hours = policy.approvals.requester_nudge_hours;
      const nextAt = nextNudgeAt(auditEventsOf(tx, changeId, 'approval.nudged').at(-1)?.occurredAt, hours, now);
      if (nextAt > now) return { ok: false, code: 'too_soon', ref, hours, nextAt };
      recordAudit(tx, { changeId, actorId, type: 'approval.nudged', data: { phase, remindedIds: people } }, now);
      for (const userId of people)
        enqueue(tx, { kind: 'approval_reminder', changeId, userId, phase, nudgedBy: actorId }, now);
      return { ok: true, code: 'reminded', ref, people };
    },
    { behavior: 'immediate' },
  );
}

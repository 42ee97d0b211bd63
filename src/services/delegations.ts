import { addCandidate, openRequirementsAskedOf } from '../db/approvals.js';
import { recordAudit, requestsNotSent } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord, type RequirementRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { type DelegationRow, insertDelegation, runningDelegationsTo } from '../db/delegations.js';
import { enqueue } from '../db/outbox.js';
import { isAskedNow, isBoardRequirement } from '../domain/approvers.js';
import { type DelegationIssue, delegationEndsAt, validateDelegation } from '../domain/delegation.js';
import { askedOnlyThroughQuietRoles } from '../domain/inbox.js';
import { type ApprovalPhase, decisionStage } from '../domain/lifecycle.js';
import type { Refusal, UseCaseContext } from './context.js';
import { delegatorsOf, endDelegation, endExpiredDelegations, runningDelegates, todayOf } from './delegates.js';
import { queueHomesOf } from './homes.js';
import { askToDecide } from './request-approvals.js';

/** A delegation as people are told about it. */
export interface Delegation {
  delegatorId: string;
  delegateId: string;
  /** The last day it runs, "YYYY-MM-DD" in the policy timezone. */
  until: string;
  reason: string | null;
}

const delegationOf = ({ delegatorId, delegateId, until, reason }: DelegationRow): Delegation => ({
  delegatorId,
  delegateId,
  until,
  reason,
});

/** Why a delegation was not set; slack/words/delegations.ts says it. */
export type DelegationRefusal =
  | Refusal<'invalid', { issue: DelegationIssue }>
  /** The chosen delegate has delegated their own approvals: a delegator receives no delegation while theirs runs. */
  | Refusal<'delegate_away', { delegation: Delegation }>
  /** The actor decides for others now: what was delegated to them cannot be delegated again. */
  | Refusal<'holds_delegation', { delegatorIds: string[] }>;

export type SetDelegationOutcome =
  /** `replaced`: the actor's delegation it ended; `forwarded`: the changes whose open requests went to the delegate. */
  { ok: true; delegation: Delegation; replaced: Delegation | undefined; forwarded: string[] } | DelegationRefusal;

/**
 * Whether the delegator was sent the request for some of the requirements, so their delegate is sent it too: not when
 * they were chosen only through quiet roles (the request's `notSent`, approvals.quiet_roles), nor for an emergency's
 * stand-ins before it is escalated (and then not through quiet roles either, as escalateAuthorization asks them).
 */
function delegatorWasAsked(
  tx: DbExecutor,
  ctx: UseCaseContext,
  forwarded: { record: ChangeRecord; phase: ApprovalPhase; delegatorId: string; requirements: RequirementRecord[] },
): boolean {
  const { record, phase, delegatorId, requirements } = forwarded;
  const notSent = requestsNotSent(tx, record.change.id, phase);
  const quietRoles = ctx.policy.approvals.quiet_roles;
  // An emergency's stand-ins are asked only once it is escalated (isAskedNow); so are their delegates.
  return requirements.some((requirement) => {
    if (!isAskedNow(requirement, record)) return false;
    const standIn = requirement.alternative && requirement.phase === 'authorization';
    return standIn ? !askedOnlyThroughQuietRoles(requirement, delegatorId, { quietRoles }) : !notSent.has(delegatorId);
  });
}

/**
 * Sends the delegator's open requests to the delegate too: they become a candidate on the delegator's behalf for each
 * requirement the delegator was asked and has not decided, and are asked, except on the changes they requested or own.
 * Returns the changes forwarded.
 */
function forwardOpenRequests(tx: DbExecutor, ctx: UseCaseContext, delegation: DelegationRow): string[] {
  const { delegatorId, delegateId } = delegation;
  const open = openRequirementsAskedOf(tx, delegatorId);
  const forwarded: string[] = [];
  for (const changeId of new Set(open.map((row) => row.changeId))) {
    const record = loadChangeRecord(tx, changeId);
    const phase = record ? decisionStage(record.change.state)?.phase : undefined;
    if (!record || !phase || delegateId === record.change.requesterId || delegateId === record.change.ownerId) continue;
    const ids = open.filter((row) => row.changeId === changeId).map((row) => row.requirementId);
    const requirements = record.requirements.filter(
      (requirement) => ids.includes(requirement.id) && !isBoardRequirement(requirement, ctx.policy),
    );
    if (requirements.length === 0) continue;
    for (const requirement of requirements) addCandidate(tx, requirement.id, delegateId, { onBehalfOf: delegatorId });
    if (delegatorWasAsked(tx, ctx, { record, phase, delegatorId, requirements }))
      askToDecide(tx, record, delegateId, ctx.now);
    recordAudit(
      tx,
      {
        changeId,
        actorId: delegatorId,
        type: 'delegation.forwarded',
        data: { delegationId: delegation.id, delegatorId, delegateId, phase, roles: requirements.map((r) => r.role) },
      },
      ctx.now,
    );
    enqueue(tx, { kind: 'refresh_messages', changeId }, ctx.now);
    forwarded.push(record.ref);
  }
  return forwarded;
}

/**
 * `/change delegate @someone until YYYY-MM-DD [reason]`: the actor's approval requests go to the delegate as well
 * until the end of that day (policy timezone), and their open ones are sent to the delegate now. A delegation
 * already running is replaced. Set, forwarded and ended delegations are audited in the same transaction.
 */
export function setDelegation(
  ctx: UseCaseContext,
  input: { delegateId: string; until: string; reason: string },
): SetDelegationOutcome {
  const { db, policy, now, actorId } = ctx;
  const checked = validateDelegation({ delegatorId: actorId, ...input }, todayOf(ctx));
  if (!checked.ok) return { ok: false, code: 'invalid', issue: checked.issue };
  const { delegateId, until, reason } = checked.delegation;
  return db.transaction(
    (tx): SetDelegationOutcome => {
      endExpiredDelegations(tx, ctx);
      const held = delegatorsOf(tx, ctx, actorId);
      if (held.length > 0) return { ok: false, code: 'holds_delegation', delegatorIds: held };
      const away = runningDelegates(tx, ctx, [delegateId]).get(delegateId);
      if (away) return { ok: false, code: 'delegate_away', delegation: delegationOf(away) };
      const previous = runningDelegates(tx, ctx, [actorId]).get(actorId);
      if (previous) endDelegation(tx, ctx, { delegation: previous, by: actorId, how: 'replaced' });
      const row = insertDelegation(tx, { delegatorId: actorId, delegateId, until, reason, createdAt: now });
      recordAudit(
        tx,
        {
          changeId: null,
          actorId,
          type: 'delegation.set',
          data: {
            delegationId: row.id,
            delegatorId: actorId,
            delegateId,
            until,
            reason,
            ...(previous ? { replaces: previous.id } : {}),
          },
        },
        now,
      );
      // Expiry needs nobody: the timer ends it (and any use after its last day would too).
      enqueue(tx, { kind: 'end_delegation', delegationId: row.id }, now, {
        dedupeKey: `end_delegation:${row.id}`,
        dueAt: delegationEndsAt(until, policy.timezone),
      });
      queueHomesOf(tx, [actorId, delegateId], now);
      const forwarded = forwardOpenRequests(tx, ctx, row);
      return {
        ok: true,
        delegation: delegationOf(row),
        replaced: previous ? delegationOf(previous) : undefined,
        forwarded,
      };
    },
    { behavior: 'immediate' },
  );
}

/** `/change delegate off`: ends the actor's delegation; new requests come to them alone. */
export function endOwnDelegation(ctx: UseCaseContext): { ok: true; delegation: Delegation } | Refusal<'no_delegation'> {
  const { db, actorId } = ctx;
  return db.transaction(
    (tx) => {
      endExpiredDelegations(tx, ctx);
      const running = runningDelegates(tx, ctx, [actorId]).get(actorId);
      if (!running) return { ok: false as const, code: 'no_delegation' as const };
      endDelegation(tx, ctx, { delegation: running, by: actorId, how: 'off' });
      return { ok: true as const, delegation: delegationOf(running) };
    },
    { behavior: 'immediate' },
  );
}

/** `/change delegate`: the delegation the actor gave and those they hold, running now. */
export function delegationStatus(ctx: UseCaseContext): { given: Delegation | undefined; held: Delegation[] } {
  const { db, actorId } = ctx;
  return db.transaction(
    (tx) => {
      endExpiredDelegations(tx, ctx);
      const given = runningDelegates(tx, ctx, [actorId]).get(actorId);
      return {
        given: given ? delegationOf(given) : undefined,
        held: runningDelegationsTo(tx, actorId, todayOf(ctx)).map(delegationOf),
      };
    },
    { behavior: 'immediate' },
  );
}

/** The expiry timer of a delegation: ends it (and any other past its last day), with the audit event. */
export function expireDelegations(ctx: UseCaseContext): void {
  ctx.db.transaction((tx) => endExpiredDelegations(tx, ctx), { behavior: 'immediate' });
}

import { addDecision, addDecisionOnce, satisfyRequirement } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord, type RequirementRecord } from '../db/change-record.js';
import { flagChange, transitionChange } from '../db/change-transitions.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import {
  approvalsComplete,
  type DecisionContext,
  decisionEligibility,
  type Eligibility,
  type EligibilityRefusal,
  holdersOf,
  isBoardRequirement,
  isStageReached,
  requirementsOf,
} from '../domain/approvers.js';
import {
  type ApprovalPhase,
  type ChangeState,
  type DecisionStage,
  decisionStage,
  isDecided,
} from '../domain/lifecycle.js';
import { openStage, sameGroup } from '../domain/stages.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import { evidenceMissingFor } from './change-evidence.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';
import { delegatorsOf, endExpiredDelegations, runningDelegates } from './delegates.js';
import { completeObligation, startPaperwork } from './paperwork.js';
import { askNewRoleHolders } from './request-approvals.js';
import type { MembersByRole } from './role-directory.js';

/** Why a decision was not recorded; slack/words/decisions.ts says it. */
export type DecisionRefusal =
  | ChangeRefusal
  /** The message or form was for another phase than the one the change waits in now. */
  | Refusal<'out_of_date', { ref: string; state: ChangeState }>
  | Refusal<'not_eligible', { eligibility: EligibilityRefusal }>
  | Refusal<'nothing_to_decide'>
  | Refusal<'already_recorded', { ref: string }>
  /** `testing.required_before: approval`: the tests its risk level requires are not recorded yet (8.1), by label. */
  | Refusal<'evidence_missing', { ref: string; missing: string[] }>;

export type DecisionOutcome =
  | { ok: true; ref: string; changeState: ChangeState; stage: DecisionStage }
  | DecisionRefusal;

/** What the writes of a decision run with. */
type DecisionAt = Pick<UseCaseContext, 'policy' | 'now'>;

/** The requirement a decision counts toward, and for whom when a delegate or a reassigned person takes it. */
export interface EligibleFor {
  requirementId: number;
  role: string;
  onBehalfOf?: string;
  reassigned?: true;
}

/** What the decision's audit event adds about who it was taken for. */
function decidedFor(eligible: EligibleFor): Record<string, unknown> {
  return {
    ...(eligible.onBehalfOf ? { onBehalfOf: eligible.onBehalfOf } : {}),
    ...(eligible.reassigned ? { reassigned: true } : {}),
  };
}

/** A delegate's decision uses the delegation: audited as such, with the delegation it relied on. */
function recordDelegationUse(
  tx: DbExecutor,
  at: DecisionAt,
  use: { record: ChangeRecord; eligible: EligibleFor; approverId: string; decision: 'approve' | 'reject' },
): void {
  const { record, eligible, approverId, decision } = use;
  if (!eligible.onBehalfOf) return;
  const delegation = runningDelegates(tx, at, [eligible.onBehalfOf]).get(eligible.onBehalfOf);
  recordAudit(
    tx,
    {
      changeId: record.change.id,
      actorId: approverId,
      type: 'delegation.used',
      data: {
        delegationId: delegation?.id ?? null,
        delegatorId: eligible.onBehalfOf,
        delegateId: approverId,
        role: eligible.role,
        decision,
      },
    },
    at.now,
  );
}

/** A phase's decision taken: the state it left the change in, and by whom. */
interface Decided {
  state: ChangeState;
  actorId: string;
}

/** Approvals counted toward one requirement of the phase being decided. */
interface Counted {
  stage: DecisionStage;
  requirementId: number;
  approvals: number;
  actorId: string;
}

function contextOf(
  record: ChangeRecord,
  policy: Policy,
  decision: {
    stage: DecisionStage | undefined;
    membersByRole: MembersByRole | undefined;
    delegatorsOfActor: readonly string[];
  },
): DecisionContext {
  const { stage, membersByRole, delegatorsOfActor } = decision;
  return {
    changeRef: record.ref,
    state: record.change.state,
    requesterId: record.change.requesterId,
    ownerId: record.change.ownerId,
    oneRolePerPerson: policy.approvals.one_role_per_person,
    delegatorsOfActor,
    requirements: (stage ? requirementsOf(record, stage.phase) : []).map((requirement) => {
      // Nobody approves the board's requirement alone, whoever was asked before it became a board decision.
      const asked = isBoardRequirement(requirement, policy) ? [] : requirement.asked;
      return {
        id: requirement.id,
        role: requirement.role,
        approvalsNeeded: requirement.approvalsNeeded,
        alternative: requirement.alternative,
        satisfied: requirement.satisfiedAt !== null,
        candidates: asked.filter((a) => a.onBehalfOf === null && a.reassignedBy === null).map((a) => a.userId),
        delegates: asked.flatMap((a) => (a.onBehalfOf ? [{ delegateId: a.userId, delegatorId: a.onBehalfOf }] : [])),
        reassigned: asked.filter((a) => a.reassignedBy !== null).map((a) => a.userId),
        approvers: requirement.approvals.flatMap((decided) => (decided.approverId ? [decided.approverId] : [])),
        approvedOnBehalfOf: requirement.approvals.flatMap((decided) =>
          decided.onBehalfOf ? [decided.onBehalfOf] : [],
        ),
        fallbackRole: requirement.fallbackRole ?? undefined,
        holders: membersByRole && holdersOf(requirement, (role) => membersByRole.get(role) ?? []),
        waitsForEarlierStage: !isStageReached(requirement, record),
      };
    }),
  };
}

/**
 * Whether the user may decide now, for the decision the change waits for (read only). With the roles'
 * members now, a candidate who left the role may not; without, being asked is enough. A delegate decides only
 * for those in `delegatorsOfActor` (none when not given).
 */
export function eligibilityOf(
  record: ChangeRecord,
  policy: Policy,
  decider: { actorId: string; membersByRole: MembersByRole | undefined; delegatorsOfActor?: readonly string[] },
): Eligibility {
  const { actorId, membersByRole, delegatorsOfActor = [] } = decider;
  return decisionEligibility(
    contextOf(record, policy, { stage: decisionStage(record.change.state), membersByRole, delegatorsOfActor }),
    actorId,
  );
}

/** Whether the actor may decide on the change now, their running delegations included (read only). */
export function actorEligibility(
  ctx: UseCaseContext,
  input: { record: ChangeRecord; membersByRole: MembersByRole },
): Eligibility {
  return eligibilityOf(input.record, ctx.policy, {
    actorId: ctx.actorId,
    membersByRole: input.membersByRole,
    delegatorsOfActor: delegatorsOf(ctx.db, ctx, ctx.actorId),
  });
}

/**
 * What follows a decided phase: an authorized emergency owes its paperwork, a retro-approval
 * completes it; everyone concerned is told.
 */
function afterDecision(tx: DbExecutor, { policy, now }: DecisionAt, record: ChangeRecord, decided: Decided): void {
  const { state, actorId } = decided;
  if (state === 'authorized') startPaperwork(tx, record, policy, now);
  if (state === 'retro_approved')
    completeObligation(tx, { changeId: record.change.id, kind: 'retro_approval', actorId, evidence: null }, now);
  if (state === 'retro_rejected')
    flagChange(tx, record.change, { reason: 'Its retro-approval was rejected', actorId }, now);
  if (isDecided(state)) announce(tx, record.change, state, now);
}

/**
 * When an approval completes a stage (000 5: the Security Lead's before the CTO's), the next stage's people are
 * asked, as the first stage's were at submission (their roles resolved first).
 */
function askNextStage(
  tx: DbExecutor,
  { now }: DecisionAt,
  moved: { record: ChangeRecord; phase: ApprovalPhase; before: number | undefined; after: number | undefined },
): void {
  const { record, phase, before, after } = moved;
  if (after === undefined || after === before) return;
  const changeId = record.change.id;
  enqueue(tx, { kind: 'request_approvals', changeId }, now, {
    dedupeKey: `request_approvals:${phase}:stage_${after}:${changeId}`,
  });
}

/**
 * Satisfies a requirement once it has enough approvals; when that completes the phase, moves the
 * change on and starts what follows. Returns the change's state afterwards.
 */
function advanceIfComplete(tx: DbExecutor, at: DecisionAt, record: ChangeRecord, counted: Counted): ChangeState {
  const { stage, requirementId, approvals, actorId } = counted;
  const { now } = at;
  const requirements = requirementsOf(record, stage.phase);
  const requirement = requirements.find((r) => r.id === requirementId);
  if (!requirement || approvals < requirement.approvalsNeeded || !satisfyRequirement(tx, requirement.id, now))
    return record.change.state;
  // One approval meets its whole "any one of" group (MCP4 5.3 "CTO/CISO"): the others need nobody now.
  const group = requirements.filter((r) => sameGroup(r, requirement) && r.satisfiedAt === null);
  for (const sibling of group) satisfyRequirement(tx, sibling.id, now);
  recordAudit(
    tx,
    {
      changeId: record.change.id,
      actorId,
      type: 'requirement.satisfied',
      data: {
        role: requirement.role,
        phase: stage.phase,
        ...(group.length > 0 ? { alsoSatisfied: group.map((r) => r.role) } : {}),
      },
    },
    now,
  );
  const met = new Set([requirement.id, ...group.map((r) => r.id)]);
  const after = requirements.map((r) => ({ ...r, satisfiedAt: met.has(r.id) ? now : r.satisfiedAt }));
  const satisfied = after.map((r) => ({ alternative: r.alternative, satisfied: r.satisfiedAt !== null }));
  if (!approvalsComplete(satisfied)) {
    askNextStage(tx, at, { record, phase: stage.phase, before: openStage(requirements), after: openStage(after) });
    return record.change.state;
  }
  const state = transitionChange(tx, record.change, { transition: stage.approve, actorId }, now);
  afterDecision(tx, at, record, { state, actorId });
  return state;
}

/**
 * Counts one approval toward the requirement it was checked against. The (requirement, approver)
 * unique index stops a double click or a retry from counting twice; the last requirement of the
 * phase moves the change on. Returns the new decision's ID, or undefined when it was already recorded.
 * The caller refreshes the change's messages, once per use-case.
 */
export function recordApproval(
  tx: DbExecutor,
  at: DecisionAt,
  record: ChangeRecord,
  approval: { eligible: EligibleFor; approverId: string; source: 'button' | 'verbal' },
): { decisionId: number | undefined; state: ChangeState } {
  const { eligible, approverId, source } = approval;
  const { now } = at;
  const changeId = record.change.id;
  const stage = decisionStage(record.change.state);
  if (!stage) return { decisionId: undefined, state: record.change.state };
  const decisionId = addDecisionOnce(tx, {
    changeId,
    requirementId: eligible.requirementId,
    approverId,
    role: eligible.role,
    decision: 'approve',
    source,
    onBehalfOf: eligible.onBehalfOf,
    decidedAt: now,
  });
  if (decisionId === undefined) return { decisionId: undefined, state: record.change.state };
  const requirement = requirementsOf(record, stage.phase).find((r) => r.id === eligible.requirementId);
  // `role` is the one the approver acted in; `anyOf`, when any one of several would have done.
  const anyOf = requirement?.anyOf ? { anyOf: requirement.anyOf } : {};
  recordAudit(
    tx,
    {
      changeId,
      actorId: approverId,
      type: 'approval.approved',
      data: { role: eligible.role, phase: stage.phase, source, ...anyOf, ...decidedFor(eligible) },
    },
    now,
  );
  recordDelegationUse(tx, at, { record, eligible, approverId, decision: 'approve' });
  const approvals = (requirement?.approvals.length ?? 0) + 1;
  return {
    decisionId,
    state: advanceIfComplete(tx, at, record, {
      stage,
      requirementId: eligible.requirementId,
      approvals,
      actorId: approverId,
    }),
  };
}

/**
 * Records the board's decision on its requirement (from a CAB vote or the chair): an approval
 * satisfies it, a rejection decides the phase. `deciderId` is the chair, or the member whose vote
 * completed the quorum; `reason` says how the board decided. Returns the change's state afterwards.
 */
export function recordBoardDecision(
  tx: DbExecutor,
  at: DecisionAt,
  record: ChangeRecord,
  board: {
    stage: DecisionStage;
    requirement: RequirementRecord;
    decision: 'approve' | 'reject';
    deciderId: string;
    reason: string;
  },
): ChangeState {
  const { stage, requirement, decision, deciderId, reason } = board;
  const { now } = at;
  const changeId = record.change.id;
  addDecision(tx, {
    changeId,
    requirementId: requirement.id,
    approverId: deciderId,
    role: requirement.role,
    decision,
    reason,
    source: 'cab',
    decidedAt: now,
  });
  if (decision === 'reject') {
    const state = transitionChange(
      tx,
      record.change,
      {
        transition: stage.reject,
        actorId: deciderId,
        data: {
          role: requirement.role,
          reason,
          source: 'cab',
        },
      },
      now,
    );
    afterDecision(tx, at, record, { state, actorId: deciderId });
    return state;
  }
  recordAudit(
    tx,
    {
      changeId,
      actorId: deciderId,
      type: 'approval.approved',
      data: { role: requirement.role, phase: stage.phase, source: 'cab', reason },
    },
    now,
  );
  return advanceIfComplete(tx, at, record, {
    stage,
    requirementId: requirement.id,
    approvals: requirement.approvalsNeeded,
    actorId: deciderId,
  });
}

type EligibleDecision = (
  tx: DbExecutor,
  record: ChangeRecord,
  stage: DecisionStage,
  eligible: EligibleFor,
) => DecisionOutcome;

/** A decision taken on a message or form of one phase: it counts only while the change is still in that phase. */
export interface DecisionTarget {
  changeId: number;
  phase: ApprovalPhase;
}

/** A decision, with the members of the change's roles resolved when it was taken (rolesAwaitingDecision). */
export type DecisionInput = DecisionTarget & { membersByRole: MembersByRole };

/**
 * Runs a decision in one immediate transaction: the change is read, the actor's eligibility checked
 * and the decision written together, so no other click can slip in between. Only current role holders
 * decide; those who joined a role since the change was submitted become candidates (and are asked) first.
 */
function decide(ctx: UseCaseContext, input: DecisionInput, recordDecision: EligibleDecision): DecisionOutcome {
  const { membersByRole } = input;
  return ctx.db.transaction(
    (tx): DecisionOutcome => {
      const read = loadChangeRecord(tx, input.changeId);
      if (!read) return changeNotFound;
      const stage = decisionStage(read.change.state);
      if (stage && stage.phase !== input.phase)
        return { ok: false, code: 'out_of_date', ref: read.ref, state: read.change.state };
      const record = askNewRoleHolders(tx, ctx, { record: read, membersByRole })
        ? (loadChangeRecord(tx, input.changeId) ?? read)
        : read;
      endExpiredDelegations(tx, ctx);
      const delegatorsOfActor = delegatorsOf(tx, ctx, ctx.actorId);
      const eligibility = decisionEligibility(
        contextOf(record, ctx.policy, { stage, membersByRole, delegatorsOfActor }),
        ctx.actorId,
      );
      if (!eligibility.ok) return { ok: false, code: 'not_eligible', eligibility };
      if (!stage) return { ok: false, code: 'nothing_to_decide' };
      return recordDecision(tx, record, stage, eligibility);
    },
    { behavior: 'immediate' },
  );
}

/** Approves (or authorizes, or retro-approves) a change for the role the actor was asked in. */
export function approveChange(ctx: UseCaseContext, input: DecisionInput): DecisionOutcome {
  return decide(ctx, input, (tx, record, stage, eligible) => {
    const missing = stage.phase === 'approval' ? evidenceMissingFor(record, ctx.policy, 'approval') : [];
    if (missing.length > 0)
      return { ok: false, code: 'evidence_missing', ref: record.ref, missing: missing.map((item) => item.label) };
    const { decisionId, state } = recordApproval(tx, ctx, record, {
      eligible,
      approverId: ctx.actorId,
      source: 'button',
    });
    if (decisionId === undefined) return { ok: false, code: 'already_recorded', ref: record.ref };
    enqueue(tx, { kind: 'refresh_messages', changeId: record.change.id }, ctx.now);
    return { ok: true, ref: record.ref, changeState: state, stage };
  });
}

/** Rejects (or declines) with its reason; one rejection decides the phase. */
export function rejectChange(ctx: UseCaseContext, input: DecisionInput & { reason: string }): DecisionOutcome {
  const { actorId, now } = ctx;
  const { reason } = input;
  return decide(ctx, input, (tx, record, stage, eligible) => {
    const { requirementId, role } = eligible;
    const changeId = record.change.id;
    addDecision(tx, {
      changeId,
      requirementId,
      approverId: actorId,
      role,
      decision: 'reject',
      reason,
      source: 'button',
      onBehalfOf: eligible.onBehalfOf,
      decidedAt: now,
    });
    const state = transitionChange(
      tx,
      record.change,
      { transition: stage.reject, actorId, data: { role, reason, ...decidedFor(eligible) } },
      now,
    );
    recordDelegationUse(tx, ctx, { record, eligible, approverId: actorId, decision: 'reject' });
    afterDecision(tx, ctx, record, { state, actorId });
    enqueue(tx, { kind: 'refresh_messages', changeId }, now);
    return { ok: true, ref: record.ref, changeState: state, stage };
  });
}

import { addRequirement } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { transitionChange } from '../db/change-transitions.js';
import { updateChange } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { deleteVerification, insertReview, insertRollback, insertVerification } from '../db/implementation.js';
import { enqueue } from '../db/outbox.js';
import type { EvidenceGate } from '../domain/change-evidence.js';
import { hasOpenDispute } from '../domain/emergency.js';
import type { ImplementationEvent } from '../domain/events.js';
import {
  type CloseRefusal,
  closeRefusal,
  type ImplementationStep,
  ownerTakes,
  type ReviewRecord,
  type RollbackRecord,
  reviewRequired,
  type StartRefusal,
  type StepRoleRefusal,
  startRefusal,
  stepRoleRefusal,
  VERIFIABLE_STATES,
} from '../domain/implementation.js';
import {
  type ChangeState,
  type ChangeType,
  type TransitionBlocker,
  type TransitionName,
  transitionBlocker,
} from '../domain/lifecycle.js';
import { type Freeze, schedulingDates } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import { evidenceMissingFor } from './change-evidence.js';
import { type ChangeRefusal, changeNotFound, type Refusal, SYSTEM_ACTOR, type UseCaseContext } from './context.js';

/** A step with what its form recorded. */
export type StepInput =
  | { step: 'start' | 'complete' | 'close' }
  | { step: 'fail'; reason: string }
  | { step: 'roll_back'; rollback: RollbackRecord }
  | { step: 'verify'; checks: string[]; note: string | null }
  | { step: 'review'; review: ReviewRecord };

/**
 * A pipeline reporting a deployment through its token (the deployment-gate API): it acts for the change's owner,
 * so the step is checked as the owner's and recorded as the pipeline's, with what it deployed.
 */
export interface PipelineVia {
  /** The token's name (never the token). */
  tokenName: string;
  commit: string | null;
  tag: string | null;
  pipelineUrl: string | null;
}

/**
 * A step on one change, as the button, the form or a pipeline asked for it; `heldRoles`: those of the step's roles
 * (rolesForStep) the actor holds now, as the listener resolved them.
 */
export type StepRequest = StepInput & { changeId: number; heldRoles: readonly string[]; via?: PipelineVia };

/** Why a step may not be taken now; slack/words/implementation.ts says it. */
export type StepRefusal =
  | ChangeRefusal
  | Refusal<'not_owner', { ref: string; ownerId: string; step: ImplementationStep }>
  /** The policy names who implements or verifies, and the actor is not one of them (issue 16.5). */
  | Refusal<'not_permitted', { ref: string; step: ImplementationStep; why: StepRoleRefusal }>
  /** An emergency ran when it was authorized; its paperwork is tracked on its own DM. */
  | Refusal<'emergency', { ref: string }>
  /** Its production validation (8.4) is recorded once it has run. */
  | Refusal<'not_verifiable', { ref: string; state: ChangeState }>
  /** The lifecycle has no such move from the change's state; `why` is the lifecycle's explanation. */
  | Refusal<
      'illegal_transition',
      { ref: string; transition: TransitionName; type: ChangeType; state: ChangeState; blocker: TransitionBlocker }
    >
  /** Not approved, outside the windows or in a freeze (9.1, 9.2). */
  | Refusal<'cannot_start', { why: StartRefusal }>
  /** Not run yet, or not verified or reviewed yet. */
  | Refusal<'cannot_close', { why: CloseRefusal }>
  /** Evidence the policy asks for before this step is not recorded yet (8.1 tests, step_evidence): by label. */
  | Refusal<'evidence_missing', { ref: string; step: ImplementationStep; missing: string[] }>
  /** Done already (a double click, a Slack retry); only a form's button refuses it. */
  | Refusal<'already_done', { ref: string; event: ImplementationEvent }>;

/** `taken` is false when the step had been taken already: nothing more was recorded. */
export type StepOutcome = { ok: true; ref: string; event: ImplementationEvent; taken: boolean } | StepRefusal;

interface StepRule {
  /** The lifecycle move the step makes; verification records without one. */
  transition: TransitionName | undefined;
  event: ImplementationEvent;
  /** Whether it has been done already (a double click, a Slack retry): then it is answered, not repeated. */
  done(record: ChangeRecord): boolean;
  /** Told to the requester too (when someone else), besides the log thread. */
  tellRequester: boolean;
}

const STEPS: Record<ImplementationStep, StepRule> = {
  start: {
    transition: 'start_implementation',
    event: 'started',
    done: (v) => v.change.state === 'implementing',
    tellRequester: false,
  },
  complete: {
    transition: 'complete',
    event: 'completed',
    done: (v) => v.change.state === 'completed',
    tellRequester: true,
  },
  fail: {
    transition: 'fail',
    event: 'failed',
    done: (v) => v.change.state === 'failed',
    tellRequester: true,
  },
  roll_back: {
    transition: 'roll_back',
    event: 'rolled_back',
    done: (v) => v.rollback !== undefined,
    tellRequester: true,
  },
  verify: {
    transition: undefined,
    event: 'verified',
    done: (v) => v.verification !== undefined,
    tellRequester: false,
  },
  review: {
    transition: 'review',
    event: 'reviewed',
    done: (v) => v.review !== undefined,
    tellRequester: false,
  },
  close: {
    transition: 'close',
    event: 'closed',
    done: (v) => v.change.state === 'closed' || v.change.state === 'pending_closure',
    tellRequester: true,
  },
};

/** The steps an emergency takes through the owner's buttons: those after it ran. */
const EMERGENCY_STEPS: readonly ImplementationStep[] = ['review', 'verify', 'close'];

/** The lifecycle move a step makes from the state the change is in: closing asks for approval when the policy says. */
function transitionOf(rule: StepRule, record: ChangeRecord, policy: Policy): TransitionName | undefined {
  if (rule.transition !== 'close') return rule.transition;
  if (policy.implementation.closure_approval_any_of.length > 0) return 'request_closure';
  return record.change.state === 'completed' ? 'close_without_review' : 'close';
}

/** What a step is told as: a Close that asks for approval first is a request. */
function eventOf(rule: StepRule, transition: TransitionName | undefined): ImplementationEvent {
  return transition === 'request_closure' ? 'closure_requested' : rule.event;
}

function transitionRefusal(record: ChangeRecord, transition: TransitionName): StepRefusal | undefined {
  const { type, state } = record.change;
  const blocker = transitionBlocker(record.change, transition);
  return blocker && { ok: false, code: 'illegal_transition', ref: record.ref, transition, type, state, blocker };
}

/** Who takes a step, as the button or form asked for it. */
interface StepActor {
  record: ChangeRecord;
  step: ImplementationStep;
  heldRoles: readonly string[];
}

/**
 * Only the owner takes implementation steps (but Verify, when the policy names verifiers), holding the roles the
 * policy names for the step; checked before anything else is said about the change.
 */
function actorRefusal(
  { policy, actorId }: Pick<UseCaseContext, 'policy' | 'actorId'>,
  { record, step, heldRoles }: StepActor,
): StepRefusal | undefined {
  const { ownerId } = record.change;
  const { ref } = record;
  if (ownerTakes(step, policy) && actorId !== ownerId) return { ok: false, code: 'not_owner', ref, ownerId, step };
  const why = stepRoleRefusal(step, { actorId, ownerId, heldRoles }, policy);
  return why && { ok: false, code: 'not_permitted', ref, step, why };
}

/** A step on a change, checked for the person taking it; `freezes` is read only for Start, the one step they govern. */
interface StepCheck extends StepActor {
  freezes: () => readonly Freeze[];
}

/** Failing and rolling back are never held up: what went wrong is recorded whatever else is missing. */
const EVIDENCE_GATED: Partial<Record<ImplementationStep, EvidenceGate>> = {
  start: 'start',
  complete: 'complete',
  verify: 'verify',
  review: 'review',
  close: 'close',
};

/**
 * Why the actor may not take the step on the change now, or undefined. Checked on every click and
 * again inside the transaction that records it; the buttons shown are only a convenience. The lifecycle,
 * windows and validation speak first; then the evidence the policy asks for before the step.
 */
function stepRefusal(
  ctx: Pick<UseCaseContext, 'policy' | 'now' | 'actorId'>,
  check: StepCheck,
): StepRefusal | undefined {
  const refusal = lifecycleRefusal(ctx, check);
  const gate = EVIDENCE_GATED[check.step];
  if (refusal || !gate) return refusal;
  const missing = evidenceMissingFor(check.record, ctx.policy, gate).map((item) => item.label);
  return missing.length > 0
    ? { ok: false, code: 'evidence_missing', ref: check.record.ref, step: check.step, missing }
    : undefined;
}

function lifecycleRefusal(
  { policy, now, actorId }: Pick<UseCaseContext, 'policy' | 'now' | 'actorId'>,
  check: StepCheck,
): StepRefusal | undefined {
  const { record, step, freezes } = check;
  const rule = STEPS[step];
  const notAllowed = actorRefusal({ policy, actorId }, check);
  if (notAllowed) return notAllowed;
  const { ref } = record;
  // An emergency ran when it was authorized; once its paperwork is done it is reviewed, verified and closed.
  if (record.change.type === 'emergency' && !EMERGENCY_STEPS.includes(step))
    return { ok: false, code: 'emergency', ref };
  switch (step) {
    case 'start': {
      const why = startRefusal({ ref, ...record.change }, policy, freezes(), now);
      return why === undefined ? undefined : { ok: false, code: 'cannot_start', why };
    }
    case 'verify':
      return VERIFIABLE_STATES.includes(record.change.state)
        ? undefined
        : { ok: false, code: 'not_verifiable', ref, state: record.change.state };
    case 'close': {
      const illegal = transitionRefusal(record, transitionOf(rule, record, policy) ?? 'close');
      if (illegal) return illegal;
      const why = closeRefusal(ref, {
        state: record.change.state,
        verified: record.verification !== undefined,
        reviewed: record.review !== undefined,
        reviewRequired: reviewRequired(record.change, policy),
        disputed: hasOpenDispute(record.disputes),
      });
      return why === undefined ? undefined : { ok: false, code: 'cannot_close', why };
    }
    default: {
      const transition = transitionOf(rule, record, policy);
      return transition ? transitionRefusal(record, transition) : undefined;
    }
  }
}

/** What the step writes besides its transition, and the audit data of the transition. */
function recordStep(
  tx: DbExecutor,
  { actorId, now, policy }: Pick<UseCaseContext, 'actorId' | 'now' | 'policy'>,
  record: ChangeRecord,
  input: StepRequest,
): Record<string, unknown> | undefined {
  const changeId = record.change.id;
  switch (input.step) {
    case 'start':
      return record.change.scheduleException ? { underException: record.change.scheduleException } : undefined;
    case 'fail':
      updateChange(tx, changeId, { failureReason: input.reason, updatedAt: now });
      // A completed change that fails its validation is validated again after it is fixed or rolled back.
      if (record.verification) {
        deleteVerification(tx, record.verification.id);
        recordAudit(
          tx,
          {
            changeId,
            actorId,
            type: 'change.verification_voided',
            data: {
              verifiedBy: record.verification.verifiedBy,
              verifiedAt: record.verification.verifiedAt.toISOString(),
              checks: record.verification.checks,
            },
          },
          now,
        );
      }
      return { reason: input.reason };
    case 'roll_back': {
      const { rollback } = input;
      insertRollback(tx, { changeId, ...rollback, recordedBy: actorId, recordedAt: now });
      return {
        decidedAt: rollback.decidedAt.toISOString(),
        reason: rollback.reason,
        steps: rollback.steps,
        impact: rollback.impact,
        durationMinutes: rollback.durationMinutes,
      };
    }
    case 'verify': {
      // The verifier role it was recorded in, when the policy names verifiers (MCP4 6).
      const role = policy.implementation.verifier_roles.find((held) => input.heldRoles.includes(held)) ?? null;
      insertVerification(tx, {
        changeId,
        checks: input.checks,
        note: input.note,
        verifiedBy: actorId,
        role,
        verifiedAt: now,
      });
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'change.verified',
          data: { checks: input.checks, note: input.note, ...(role ? { role } : {}), via: 'form' },
        },
        now,
      );
      return undefined;
    }
    case 'review':
      insertReview(tx, {
        changeId,
        outcome: record.change.state,
        ...input.review,
        reviewedBy: actorId,
        reviewedAt: now,
      });
      return { outcome: record.change.state };
    case 'complete':
      askVerifiers(tx, { policy, now, actorId }, record);
      return undefined;
    case 'close':
      return closureRequested(tx, { policy, now }, record);
    default:
      return undefined;
  }
}

/** Under implementation.verifier_roles the change waits for a verifier (MCP4 6): they are told, with Verify. */
function askVerifiers(
  tx: DbExecutor,
  { policy, now, actorId }: Pick<UseCaseContext, 'policy' | 'now' | 'actorId'>,
  record: ChangeRecord,
): void {
  const roles = policy.implementation.verifier_roles;
  if (roles.length === 0) return;
  const changeId = record.change.id;
  enqueue(
    tx,
    { kind: 'notify_roles', changeId, roles: [...roles], exclude: [actorId], event: 'verification_requested' },
    now,
  );
}

/**
 * Close under implementation.closure_approval_any_of: any one of the roles approves closing (MCP4 5.6), asked through
 * the approval requests. Asked again after a refusal, the same requirements wait again.
 */
function closureRequested(
  tx: DbExecutor,
  { policy, now }: Pick<UseCaseContext, 'policy' | 'now'>,
  record: ChangeRecord,
): Record<string, unknown> | undefined {
  const roles = policy.implementation.closure_approval_any_of;
  if (roles.length === 0) return undefined;
  const changeId = record.change.id;
  const existing = new Set(record.requirements.filter((r) => r.phase === 'closure').map((r) => r.role));
  for (const role of roles.filter((role) => !existing.has(role)))
    addRequirement(tx, { changeId, phase: 'closure', role, approvalsNeeded: 1, alternative: true });
  enqueue(tx, { kind: 'request_approvals', changeId }, now);
  return { closureApprovers: roles };
}

/**
 * Takes one implementation step in one immediate transaction: the change is read, the step checked
 * (owner, lifecycle, windows, verification and review), then the record, the transition and its
 * audit event are written together, and the messages about the change are queued for an update.
 */
export function takeStep(ctx: UseCaseContext, input: StepRequest): StepOutcome {
  return ctx.db.transaction((tx) => takeStepIn(tx, ctx, input), { behavior: 'immediate' });
}

/** takeStep inside the caller's transaction, for a use-case that records more with the step (a deployment). */
export function takeStepIn(tx: DbExecutor, ctx: UseCaseContext, input: StepRequest): StepOutcome {
  const { now, policy } = ctx;
  const { changeId, step, heldRoles, via } = input;
  const rule = STEPS[step];
  const record = loadChangeRecord(tx, changeId);
  if (!record) return changeNotFound;
  // A pipeline acts for the owner: checked as the owner, recorded as itself, on the owner's behalf.
  const principal = via ? record.change.ownerId : ctx.actorId;
  const asPrincipal = { ...ctx, actorId: principal };
  const notAllowed = actorRefusal(asPrincipal, { record, step, heldRoles });
  if (notAllowed) return notAllowed;
  if (rule.done(record)) return { ok: true, ref: record.ref, event: doneEvent(rule, record), taken: false };
  const refusal = stepRefusal(asPrincipal, { record, step, heldRoles, freezes: () => freezesFromNow(tx, ctx) });
  if (refusal) return refusal;
  const stepData = recordStep(tx, ctx, record, input);
  const data = via ? { ...stepData, onBehalfOf: principal, pipeline: { ...via } } : stepData;
  const transition = transitionOf(rule, record, policy);
  const event = eventOf(rule, transition);
  if (transition) transitionChange(tx, record.change, { transition, actorId: ctx.actorId, data }, now);
  if (step === 'fail') startRollbackClock(tx, { policy, now }, record);
  enqueue(tx, { kind: 'refresh_messages', changeId }, now);
  enqueue(tx, { kind: 'notify_log', changeId, event }, now);
  if (rule.tellRequester && record.change.requesterId !== principal)
    enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event }, now);
  return { ok: true, ref: record.ref, event, taken: true };
}

/** 10.2's rule for the change's risk level: who decides a rollback, and within how long. */
function rollbackRuleOf(policy: Policy, record: ChangeRecord) {
  const risk = record.change.riskLevel ?? '';
  return Object.hasOwn(policy.rollback_decision, risk) ? policy.rollback_decision[risk] : undefined;
}

/** 10.2: a failed change's rollback is decided within its risk level's time limit; a durable timer checks. */
function startRollbackClock(
  tx: DbExecutor,
  { policy, now }: Pick<UseCaseContext, 'policy' | 'now'>,
  record: ChangeRecord,
) {
  const rule = rollbackRuleOf(policy, record);
  if (!rule) return;
  const changeId = record.change.id;
  enqueue(tx, { kind: 'rollback_deadline', changeId }, now, {
    dueAt: new Date(now.getTime() + rule.time_limit_minutes * 60_000),
    dedupeKey: `rollback_deadline:${changeId}:${now.getTime()}`,
  });
}

/**
 * A failed change's rollback deadline (10.2): still failed (neither rolled back nor reviewed), the overdue decision
 * is audited and its owner and the decision maker's role told; otherwise nothing.
 */
export function rollbackDeadline(ctx: UseCaseContext, due: { changeId: number }): void {
  const { policy, now } = ctx;
  ctx.db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, due.changeId);
      const rule = record && rollbackRuleOf(policy, record);
      if (!record || !rule || record.change.state !== 'failed') return;
      const { id: changeId, ownerId } = record.change;
      recordAudit(
        tx,
        {
          changeId,
          actorId: SYSTEM_ACTOR,
          type: 'rollback.decision_overdue',
          data: { risk: record.change.riskLevel, ...rule },
        },
        now,
      );
      const event = 'rollback_overdue';
      enqueue(tx, { kind: 'notify_user', changeId, userId: ownerId, event }, now);
      if (rule.decision_maker_role)
        enqueue(
          tx,
          { kind: 'notify_roles', changeId, roles: [rule.decision_maker_role], exclude: [ownerId], event },
          now,
        );
    },
    { behavior: 'immediate' },
  );
}

/** What a step found done already is told as: a Close still waiting for its approval is a request. */
function doneEvent(rule: StepRule, record: ChangeRecord): ImplementationEvent {
  return record.change.state === 'pending_closure' ? 'closure_requested' : rule.event;
}

/** The freezes that bear on starting now: those in force and those the next window must avoid. */
export function freezesFromNow(db: DbExecutor, { policy, now }: Pick<UseCaseContext, 'policy' | 'now'>): Freeze[] {
  return loadFreezes(db, policy, schedulingDates({ start: now, end: now }, now, policy.timezone));
}

/** Whether the step may be taken now, for the button that opens its form (read only). */
export function formRefusal(ctx: UseCaseContext, actor: StepActor): StepRefusal | undefined {
  const { record, step } = actor;
  const notAllowed = actorRefusal(ctx, actor);
  if (notAllowed) return notAllowed;
  if (STEPS[step].done(record)) return { ok: false, code: 'already_done', ref: record.ref, event: STEPS[step].event };
  return stepRefusal(ctx, { ...actor, freezes: () => freezesFromNow(ctx.db, ctx) });
}

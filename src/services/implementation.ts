import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { transitionChange } from '../db/change-transitions.js';
import { updateChange } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { deleteVerification, insertReview, insertRollback, insertVerification } from '../db/implementation.js';
import { enqueue } from '../db/outbox.js';
import { hasOpenDispute } from '../domain/emergency.js';
import type { ImplementationEvent } from '../domain/events.js';
import {
  type CloseRefusal,
  closeRefusal,
  type ImplementationStep,
  type ReviewRecord,
  type RollbackRecord,
  reviewRequired,
  type StartRefusal,
  startRefusal,
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
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';

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

/** A step on one change, as the button, the form or a pipeline asked for it. */
export type StepRequest = StepInput & { changeId: number; via?: PipelineVia };

/** Why a step may not be taken now; slack/words/implementation.ts says it. */
export type StepRefusal =
  | ChangeRefusal
  | Refusal<'not_owner', { ref: string; ownerId: string; step: ImplementationStep }>
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
    done: (v) => v.change.state === 'closed',
    tellRequester: true,
  },
};

/** The steps an emergency takes through the owner's buttons: those after it ran. */
const EMERGENCY_STEPS: readonly ImplementationStep[] = ['review', 'verify', 'close'];

/** The lifecycle move a step makes from the state the change is in. */
function transitionOf(rule: StepRule, record: ChangeRecord): TransitionName | undefined {
  return rule.transition === 'close' && record.change.state === 'completed' ? 'close_without_review' : rule.transition;
}

function transitionRefusal(record: ChangeRecord, transition: TransitionName): StepRefusal | undefined {
  const { type, state } = record.change;
  const blocker = transitionBlocker(record.change, transition);
  return blocker && { ok: false, code: 'illegal_transition', ref: record.ref, transition, type, state, blocker };
}

/** Only the owner takes implementation steps; checked before anything else is said about the change. */
function ownerRefusal(record: ChangeRecord, step: ImplementationStep, actorId: string): StepRefusal | undefined {
  const { ownerId } = record.change;
  return actorId === ownerId ? undefined : { ok: false, code: 'not_owner', ref: record.ref, ownerId, step };
}

/** A step on a change, checked for the person taking it; `freezes` is read only for Start, the one step they govern. */
interface StepCheck {
  record: ChangeRecord;
  step: ImplementationStep;
  freezes: () => readonly Freeze[];
}

/**
 * Why the actor may not take the step on the change now, or undefined. Checked on every click and
 * again inside the transaction that records it; the buttons shown are only a convenience.
 */
function stepRefusal(
  { policy, now, actorId }: Pick<UseCaseContext, 'policy' | 'now' | 'actorId'>,
  { record, step, freezes }: StepCheck,
): StepRefusal | undefined {
  const rule = STEPS[step];
  const notOwner = ownerRefusal(record, step, actorId);
  if (notOwner) return notOwner;
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
      const illegal = transitionRefusal(record, transitionOf(rule, record) ?? 'close');
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
      const transition = transitionOf(rule, record);
      return transition ? transitionRefusal(record, transition) : undefined;
    }
  }
}

/** What the step writes besides its transition, and the audit data of the transition. */
function recordStep(
  tx: DbExecutor,
  { actorId, now }: Pick<UseCaseContext, 'actorId' | 'now'>,
  record: ChangeRecord,
  input: StepInput,
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
    case 'verify':
      insertVerification(tx, {
        changeId,
        checks: input.checks,
        note: input.note,
        verifiedBy: actorId,
        verifiedAt: now,
      });
      recordAudit(
        tx,
        { changeId, actorId, type: 'change.verified', data: { checks: input.checks, note: input.note } },
        now,
      );
      return undefined;
    case 'review':
      insertReview(tx, {
        changeId,
        outcome: record.change.state,
        ...input.review,
        reviewedBy: actorId,
        reviewedAt: now,
      });
      return { outcome: record.change.state };
    default:
      return undefined;
  }
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
  const { now } = ctx;
  const { changeId, via } = input;
  const rule = STEPS[input.step];
  const record = loadChangeRecord(tx, changeId);
  if (!record) return changeNotFound;
  // A pipeline acts for the owner: checked as the owner, recorded as itself, on the owner's behalf.
  const principal = via ? record.change.ownerId : ctx.actorId;
  const asPrincipal = { ...ctx, actorId: principal };
  const notOwner = ownerRefusal(record, input.step, principal);
  if (notOwner) return notOwner;
  if (rule.done(record)) return { ok: true, ref: record.ref, event: rule.event, taken: false };
  const refusal = stepRefusal(asPrincipal, { record, step: input.step, freezes: () => freezesFromNow(tx, ctx) });
  if (refusal) return refusal;
  const stepData = recordStep(tx, ctx, record, input);
  const data = via ? { ...stepData, onBehalfOf: principal, pipeline: { ...via } } : stepData;
  const transition = transitionOf(rule, record);
  if (transition) transitionChange(tx, record.change, { transition, actorId: ctx.actorId, data }, now);
  enqueue(tx, { kind: 'refresh_messages', changeId }, now);
  enqueue(tx, { kind: 'notify_log', changeId, event: rule.event }, now);
  if (rule.tellRequester && record.change.requesterId !== principal)
    enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event: rule.event }, now);
  return { ok: true, ref: record.ref, event: rule.event, taken: true };
}

/** The freezes that bear on starting now: those in force and those the next window must avoid. */
export function freezesFromNow(db: DbExecutor, { policy, now }: Pick<UseCaseContext, 'policy' | 'now'>): Freeze[] {
  return loadFreezes(db, policy, schedulingDates({ start: now, end: now }, now, policy.timezone));
}

/** Whether the step may be taken now, for the button that opens its form (read only). */
export function formRefusal(
  ctx: UseCaseContext,
  { record, step }: { record: ChangeRecord; step: ImplementationStep },
): StepRefusal | undefined {
  const notOwner = ownerRefusal(record, step, ctx.actorId);
  if (notOwner) return notOwner;
  if (STEPS[step].done(record)) return { ok: false, code: 'already_done', ref: record.ref, event: STEPS[step].event };
  return stepRefusal(ctx, { record, step, freezes: () => freezesFromNow(ctx.db, ctx) });
}

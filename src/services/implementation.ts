import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { transitionChange } from '../db/change-transitions.js';
import { updateChange } from '../db/changes.js';
import type { CabinetDb, DbExecutor } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { deleteVerification, insertReview, insertRollback, insertVerification } from '../db/implementation.js';
import { enqueue } from '../db/outbox.js';
import { DomainError } from '../domain/errors.js';
import type { ImplementationEvent } from '../domain/events.js';
import {
  closeRefusal,
  type ImplementationStep,
  type ReviewRecord,
  type RollbackRecord,
  reviewRequired,
  startRefusal,
  VERIFIABLE_STATES,
} from '../domain/implementation.js';
import { describeState, nextState, type TransitionName } from '../domain/lifecycle.js';
import type { Freeze } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';

/** A step with what its form recorded. */
export type StepInput =
  | { step: 'start' | 'complete' | 'close' }
  | { step: 'fail'; reason: string }
  | { step: 'roll_back'; rollback: RollbackRecord }
  | { step: 'verify'; checks: string[]; note: string | null }
  | { step: 'review'; review: ReviewRecord };

export type StepOutcome = { ok: true; message: string } | { ok: false; reason: string };

interface StepRule {
  /** The lifecycle move the step makes; verification records without one. */
  transition: TransitionName | undefined;
  event: ImplementationEvent;
  /** "start", "mark … failed": how a refusal names the step. */
  verb: string;
  /** Whether it has been done already (a double click, a Slack retry): then it is answered, not repeated. */
  done(record: ChangeRecord): boolean;
  /** Told to the requester too (when someone else), besides the log thread. */
  tellRequester: boolean;
}

const STEPS: Record<ImplementationStep, StepRule> = {
  start: {
    transition: 'start_implementation',
    event: 'started',
    verb: 'start',
    done: (v) => v.change.state === 'implementing',
    tellRequester: false,
  },
  complete: {
    transition: 'complete',
    event: 'completed',
    verb: 'complete',
    done: (v) => v.change.state === 'completed',
    tellRequester: true,
  },
  fail: {
    transition: 'fail',
    event: 'failed',
    verb: 'mark as failed',
    done: (v) => v.change.state === 'failed',
    tellRequester: true,
  },
  roll_back: {
    transition: 'roll_back',
    event: 'rolled_back',
    verb: 'record a rollback of',
    done: (v) => v.rollback !== undefined,
    tellRequester: true,
  },
  verify: {
    transition: undefined,
    event: 'verified',
    verb: 'verify',
    done: (v) => v.verification !== undefined,
    tellRequester: false,
  },
  review: {
    transition: 'review',
    event: 'reviewed',
    verb: 'review',
    done: (v) => v.review !== undefined,
    tellRequester: false,
  },
  close: {
    transition: 'close',
    event: 'closed',
    verb: 'close',
    done: (v) => v.change.state === 'closed',
    tellRequester: true,
  },
};

/** The lifecycle move a step makes from the state the change is in. */
function transitionOf(rule: StepRule, record: ChangeRecord): TransitionName | undefined {
  return rule.transition === 'close' && record.change.state === 'completed' ? 'close_without_review' : rule.transition;
}

function transitionRefusal(record: ChangeRecord, transition: TransitionName): string | undefined {
  try {
    nextState(record.change, transition);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return `${record.ref}: ${error.message}`;
    throw error;
  }
}

/** Only the owner takes implementation steps; checked before anything else is said about the change. */
function ownerRefusal(record: ChangeRecord, step: ImplementationStep, actorId: string): string | undefined {
  return actorId === record.change.ownerId
    ? undefined
    : `Only the change owner, <@${record.change.ownerId}>, can ${STEPS[step].verb} ${record.ref}.`;
}

const alreadyDone = (record: ChangeRecord, rule: StepRule) =>
  `${record.ref} is already ${rule.event.replaceAll('_', ' ')}; nothing more was recorded.`;

/**
 * Why `actorId` may not take `step` on the change now, or undefined. Checked on every click and
 * again inside the transaction that records it; the buttons shown are only a convenience.
 * `freezes` is read only for Start, the one step they govern.
 */
export function stepRefusal(
  record: ChangeRecord,
  step: ImplementationStep,
  actorId: string,
  policy: Policy,
  freezes: () => readonly Freeze[],
  now: Date,
): string | undefined {
  const rule = STEPS[step];
  const notOwner = ownerRefusal(record, step, actorId);
  if (notOwner) return notOwner;
  if (record.change.type === 'emergency')
    return `${record.ref} is an emergency change: it ran when it was authorized, and its paperwork is tracked on its own DM.`;
  switch (step) {
    case 'start':
      return startRefusal({ ref: record.ref, ...record.change }, policy, freezes(), now);
    case 'verify':
      return VERIFIABLE_STATES.includes(record.change.state)
        ? undefined
        : `${record.ref} is ${describeState(record.change.state)}; its production validation (8.4) is recorded once it has run.`;
    case 'close':
      return (
        transitionRefusal(record, transitionOf(rule, record) ?? 'close') ??
        closeRefusal(record.ref, {
          state: record.change.state,
          verified: record.verification !== undefined,
          reviewed: record.review !== undefined,
          reviewRequired: reviewRequired(record.change, policy),
        })
      );
    default: {
      const transition = transitionOf(rule, record);
      return transition ? transitionRefusal(record, transition) : undefined;
    }
  }
}

/** What the step writes besides its transition, and the audit data of the transition. */
function recordStep(
  tx: DbExecutor,
  record: ChangeRecord,
  input: StepInput,
  actorId: string,
  now: Date,
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
export function takeStep(
  db: CabinetDb,
  policy: Policy,
  changeId: number,
  actorId: string,
  input: StepInput,
  now: Date,
): StepOutcome {
  const rule = STEPS[input.step];
  return db.transaction(
    (tx): StepOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return { ok: false, reason: 'That change does not exist; nothing was recorded.' };
      const notOwner = ownerRefusal(record, input.step, actorId);
      if (notOwner) return { ok: false, reason: notOwner };
      if (rule.done(record)) return { ok: true, message: alreadyDone(record, rule) };
      const refusal = stepRefusal(record, input.step, actorId, policy, () => loadFreezes(tx, policy), now);
      if (refusal) return { ok: false, reason: refusal };
      const data = recordStep(tx, record, input, actorId, now);
      const transition = transitionOf(rule, record);
      if (transition) transitionChange(tx, record.change, transition, actorId, now, data);
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      enqueue(tx, { kind: 'notify_log', changeId, event: rule.event }, now);
      if (rule.tellRequester && record.change.requesterId !== actorId)
        enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event: rule.event }, now);
      return { ok: true, message: `${record.ref} is ${rule.event.replaceAll('_', ' ')}.` };
    },
    { behavior: 'immediate' },
  );
}

/** Whether the step may be taken now, for the button that opens its form (read only). */
export function formRefusal(
  db: CabinetDb,
  policy: Policy,
  record: ChangeRecord,
  step: ImplementationStep,
  actorId: string,
  now: Date,
): string | undefined {
  const notOwner = ownerRefusal(record, step, actorId);
  if (notOwner) return notOwner;
  if (STEPS[step].done(record)) return alreadyDone(record, STEPS[step]);
  return stepRefusal(record, step, actorId, policy, () => loadFreezes(db, policy), now);
}

import { and, eq } from 'drizzle-orm';
import { formatChangeRef } from '../domain/change-ref.js';
import { DomainError } from '../domain/errors.js';
import { type ChangeState, nextState, type TransitionName } from '../domain/lifecycle.js';
import { recordAudit } from './audit-log.js';
import type { ChangeRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import { changes } from './schema.js';

/**
 * Moves a change through the lifecycle with a conditional update (only from the state it was read
 * in) and records the audit event; call inside the transaction that made the change happen.
 */
export function transitionChange(
  db: DbExecutor,
  change: Pick<ChangeRow, 'id' | 'type' | 'state'>,
  step: { transition: TransitionName; actorId: string; data?: Record<string, unknown> },
  at: Date,
): ChangeState {
  const { transition, actorId, data } = step;
  const to = nextState(change, transition);
  const updated = db
    .update(changes)
    .set({ state: to, updatedAt: at })
    .where(and(eq(changes.id, change.id), eq(changes.state, change.state)))
    .returning({ id: changes.id })
    .all();
  if (updated.length !== 1)
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `${formatChangeRef(change.id)} changed while this was being recorded; try again.`,
    );
  recordAudit(
    db,
    { changeId: change.id, actorId, type: `change.${transition}`, fromState: change.state, toState: to, data },
    at,
  );
  return to;
}

/**
 * Puts a change before the next CAB for something that went wrong (a disputed verbal approval, a
 * rejected retro-approval). The first reason stays on the change; every flag is audited.
 */
export function flagChange(
  db: DbExecutor,
  change: Pick<ChangeRow, 'id' | 'flaggedAt'>,
  flag: { reason: string; actorId: string },
  at: Date,
): void {
  const { reason, actorId } = flag;
  if (change.flaggedAt === null)
    db.update(changes).set({ flaggedAt: at, flagReason: reason, updatedAt: at }).where(eq(changes.id, change.id)).run();
  recordAudit(db, { changeId: change.id, actorId, type: 'change.flagged', data: { reason } }, at);
}

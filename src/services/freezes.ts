import { recordAudit } from '../db/audit-log.js';
import { freezeOfSubmission, insertFreeze, loadFreezes, markFreezeRemoved } from '../db/freezes.js';
import { type PlannedChangeRow, plannedChangesDuring } from '../db/schedule.js';
import { localDate } from '../domain/business-hours.js';
import { formatFreezeRef } from '../domain/freeze-ref.js';
import { FREEZES_LISTED_DAYS } from '../domain/policy-freezes.js';
import {
  addDays,
  type Freeze,
  type FreezeInput,
  type FreezeIssues,
  freezeInterval,
  validateFreeze,
} from '../domain/schedule.js';
import type { Refusal, UseCaseContext } from './context.js';

export type FreezeOutcome =
  /** `plannedInside`: changes already planned in it; their owners move them or ask for an exception. */
  | { ok: true; freeze: Freeze; created: boolean; plannedInside: PlannedChangeRow[] }
  | { ok: false; issues: FreezeIssues };

/** A freeze to remove that is not in force (never announced from Slack, or removed already). */
export type FreezeRefusal = Refusal<'freeze_not_found', { ref: string }>;

/**
 * Announces a freeze (9.2) with its audit event in one transaction. Who may is checked by the caller
 * (the policy's freeze managers, user groups resolved through Slack). A repeated modal submission adds nothing.
 */
export function addFreeze(
  ctx: UseCaseContext,
  { input, submissionKey }: { input: FreezeInput; submissionKey: string | undefined },
): FreezeOutcome {
  const { db, policy, now, actorId } = ctx;
  const checked = validateFreeze(input, localDate(now, policy.timezone));
  if (!checked.ok) return checked;
  return db.transaction(
    (tx): FreezeOutcome => {
      const existing = submissionKey === undefined ? undefined : freezeOfSubmission(tx, submissionKey);
      const row =
        existing ??
        insertFreeze(tx, {
          fromDate: checked.freeze.from,
          toDate: checked.freeze.to,
          reason: checked.freeze.reason,
          createdBy: actorId,
          createdAt: now,
          submissionKey,
        });
      const freeze = { id: formatFreezeRef(row.id), from: row.fromDate, to: row.toDate, reason: row.reason };
      if (!existing)
        recordAudit(
          tx,
          {
            changeId: null,
            actorId,
            type: 'freeze.added',
            data: { freeze: freeze.id, from: freeze.from, to: freeze.to, reason: freeze.reason },
          },
          now,
        );
      return {
        ok: true,
        freeze,
        created: !existing,
        plannedInside: plannedChangesDuring(tx, freezeInterval(freeze, policy.timezone)),
      };
    },
    { behavior: 'immediate' },
  );
}

/** Ends a freeze announced from Slack; the row stays as the record. Freezes in the policy file are changed there. */
export function removeFreeze(ctx: UseCaseContext, id: number): { ok: true; freeze: Freeze } | FreezeRefusal {
  const { actorId, now } = ctx;
  return ctx.db.transaction(
    (tx) => {
      const removed = markFreezeRemoved(tx, id, actorId, now);
      if (!removed) return { ok: false as const, code: 'freeze_not_found' as const, ref: formatFreezeRef(id) };
      recordAudit(
        tx,
        {
          changeId: null,
          actorId,
          type: 'freeze.removed',
          data: { freeze: formatFreezeRef(id), from: removed.fromDate, to: removed.toDate, reason: removed.reason },
        },
        now,
      );
      return {
        ok: true as const,
        freeze: { id: formatFreezeRef(id), from: removed.fromDate, to: removed.toDate, reason: removed.reason },
      };
    },
    { behavior: 'immediate' },
  );
}

/** Freezes that have not ended, within the coming year, earliest first. */
export function currentFreezes({ db, policy, now }: UseCaseContext): Freeze[] {
  const today = localDate(now, policy.timezone);
  return loadFreezes(db, policy, { from: today, to: addDays(today, FREEZES_LISTED_DAYS) }).sort((a, b) =>
    a.from.localeCompare(b.from),
  );
}

/**
 * The changes planned (or running) from now to the end of the `days`-th day in the policy timezone,
 * today first, and every freeze, as the calendar groups them by day.
 */
export function upcomingCalendar(
  { db, policy, now }: UseCaseContext,
  days: number,
): { changes: PlannedChangeRow[]; freezes: Freeze[] } {
  const today = localDate(now, policy.timezone);
  const { end } = freezeInterval({ from: today, to: addDays(today, days - 1) }, policy.timezone);
  return {
    changes: plannedChangesDuring(db, { start: now, end }),
    freezes: loadFreezes(db, policy, { from: today, to: addDays(today, days - 1) }),
  };
}

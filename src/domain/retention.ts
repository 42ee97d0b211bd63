// Retention (POL-SEC-008 11.1): how long each kind of record is kept, as horizons: what ended before one may go.
import { DateTime } from 'luxon';
import type { ChangeState } from './lifecycle.js';

/** 11.1's record kinds and their retention in years (policy `retention_years`). */
export interface RetentionYears {
  change_requests: number;
  approval_records: number;
  test_results: number;
  deployment_logs: number;
  rollback_records: number;
  cab_minutes: number;
}

/** States a change's life has ended in: nothing more happens to it, so its retention runs from its last touch. */
export const ENDED_STATES = ['closed', 'rejected', 'cancelled', 'declined'] as const satisfies readonly ChangeState[];

/** Delivered outbox rows (sent, superseded, dead) are kept this long for troubleshooting, then pruned. */
export const DELIVERED_OUTBOX_KEEP_DAYS = 30;

/** Records that ended (were last touched) before a horizon are past their retention. */
export interface RetentionHorizons {
  /**
   * A change with everything hanging off it (its request, approvals, validation, implementation records, rollback
   * record): one record whose parts are held together, so it is kept for the longest of their periods.
   */
  changes: Date;
  /** CAB meetings with their items and votes: the minutes, and the approval records the votes are. */
  cabMeetings: Date;
  /** The audit log carries every kind's history, so it is kept for the longest period of all. */
  auditEvents: Date;
  deliveredOutbox: Date;
}

function yearsBefore(now: Date, years: number): Date {
  // Luxon clamps 29 February to the 28th: a horizon never later than the same date `years` earlier.
  return DateTime.fromJSDate(now, { zone: 'utc' }).minus({ years }).toJSDate();
}

export function retentionHorizons(years: RetentionYears, now: Date): RetentionHorizons {
  const change = Math.max(
    years.change_requests,
    years.approval_records,
    years.test_results,
    years.deployment_logs,
    years.rollback_records,
  );
  return {
    changes: yearsBefore(now, change),
    cabMeetings: yearsBefore(now, Math.max(years.cab_minutes, years.approval_records)),
    auditEvents: yearsBefore(now, Math.max(...Object.values(years))),
    deliveredOutbox: DateTime.fromJSDate(now, { zone: 'utc' }).minus({ days: DELIVERED_OUTBOX_KEEP_DAYS }).toJSDate(),
  };
}

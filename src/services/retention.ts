import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CabinetDb } from '../db/client.js';
import { pruneDeliveredOutbox, purgeAuditPrefix, purgeExpiredChanges, purgeExpiredMeetings } from '../db/retention.js';
import { type RetentionYears, retentionHorizons } from '../domain/retention.js';

/** How many of each were deleted. */
export interface RetentionOutcome {
  auditEvents: number;
  changes: number;
  cabMeetings: number;
  outbox: number;
}

/** Runs one kind's batches until one finds nothing, yielding between them so the event loop is never held long. */
async function drain(batch: () => number): Promise<number> {
  let total = 0;
  for (let purged = batch(); purged > 0; purged = batch()) {
    total += purged;
    await nextTurn();
  }
  return total;
}

/**
 * Applies 11.1's retention: the audit log's expired prefix first (a change is deleted only once the log no longer
 * holds events about it), then the expired changes with everything hanging off them, CAB meetings no kept change
 * was put to, and delivered outbox rows after 30 days. Nothing younger than its retention is touched.
 */
export async function applyRetention(
  db: CabinetDb,
  input: { years: RetentionYears; now: Date },
): Promise<RetentionOutcome> {
  const horizons = retentionHorizons(input.years, input.now);
  const auditEvents = await drain(() => purgeAuditPrefix(db, horizons, input.now));
  const changes = await drain(() => purgeExpiredChanges(db, horizons, input.now));
  const cabMeetings = await drain(() => purgeExpiredMeetings(db, horizons, input.now));
  const outbox = await drain(() => pruneDeliveredOutbox(db, horizons));
  return { auditEvents, changes, cabMeetings, outbox };
}

// Retention (POL-SEC-008 11.1): deletes what is past its retention, one bounded batch per transaction.
//
// Evidence tables refuse DELETE by trigger (migrations). Each batch here writes a row into retention_guard inside
// its own immediate transaction and removes it before the commit, so no other connection ever sees it; while it is
// there the triggers let this transaction delete rows older than the guard's horizon, and never rows younger than
// a year by the database's clock. Raw SQL without the guard is refused as before.
import { type SQL, sql } from 'drizzle-orm';
import { ENDED_STATES, type RetentionHorizons } from '../domain/retention.js';
import { PURGE_CHECKPOINT, type PurgeCheckpoint, sealUnhashedEvents } from './audit-chain.js';
import { recordAudit } from './audit-log.js';
import type { CabinetDb, DbExecutor } from './executor.js';
import { retentionGuard } from './schema.js';

const EVENT_BATCH = 5000;
const CHANGE_BATCH = 100;
const MEETING_BATCH = 100;
const OUTBOX_BATCH = 1000;

/** Runs one batch inside an immediate transaction that may delete evidence older than `before`. */
function guarded<T>(db: CabinetDb, before: Date, work: (tx: DbExecutor) => T): T {
  return db.transaction(
    (tx) => {
      tx.insert(retentionGuard).values({ id: 1, before }).run();
      const result = work(tx);
      tx.delete(retentionGuard).run();
      return result;
    },
    { behavior: 'immediate' },
  );
}

const ENDED = sql.join(
  ENDED_STATES.map((state) => sql`${state}`),
  sql`, `,
);

/**
 * A change (`c`) past its retention: its life ended, and it was last touched (the row, any event about it, any CAB
 * meeting it was put to) before the horizons.
 */
function expiredChange(horizons: RetentionHorizons): SQL {
  const before = horizons.changes.getTime();
  return sql`c.state IN (${ENDED}) AND c.updated_at < ${before}
    AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.change_id = c.id AND e.occurred_at >= ${before})
    AND NOT EXISTS (SELECT 1 FROM cab_items i JOIN cab_meetings m ON m.id = i.meeting_id
      WHERE i.change_id = c.id AND coalesce(m.closed_at, m.created_at) >= ${horizons.cabMeetings.getTime()})`;
}

type EventHead = [id: number, changeId: number | null, occurredAt: number, hash: string | null];

/**
 * Purges the oldest events, a prefix of the chain: up to the first one younger than the horizon or about a change
 * that is kept (so a kept change's history stays whole in the log). A checkpoint event appended in the same
 * transaction names the last purged event and its hash, where verify picks the remaining chain up. Returns how
 * many events were purged.
 */
export function purgeAuditPrefix(db: CabinetDb, horizons: RetentionHorizons, now: Date): number {
  const before = horizons.auditEvents;
  return guarded(db, before, (tx) => {
    sealUnhashedEvents(tx);
    const expired = new Map<number, boolean>();
    const isExpired = (changeId: number): boolean => {
      const known = expired.get(changeId);
      if (known !== undefined) return known;
      const row = tx.get(sql`SELECT 1 FROM changes c WHERE c.id = ${changeId} AND ${expiredChange(horizons)}`);
      expired.set(changeId, row !== undefined);
      return row !== undefined;
    };
    const heads = tx.values<EventHead>(
      sql`SELECT id, change_id, occurred_at, hash FROM audit_events ORDER BY id LIMIT ${EVENT_BATCH}`,
    );
    let through: EventHead | undefined;
    for (const event of heads) {
      const [, changeId, occurredAt] = event;
      if (occurredAt >= before.getTime() || (changeId !== null && !isExpired(changeId))) break;
      through = event;
    }
    const first = heads[0];
    if (!through || !first) return 0;
    const [throughId, , , throughHash] = through;
    tx.run(sql`DELETE FROM audit_events WHERE id <= ${throughId}`);
    const checkpoint: PurgeCheckpoint = {
      through_event_id: throughId,
      through_hash: throughHash ?? '',
      events_purged: throughId - first[0] + 1,
      before: before.toISOString(),
    };
    recordAudit(tx, { changeId: null, actorId: 'cabinet', type: PURGE_CHECKPOINT, data: { ...checkpoint } }, now);
    return checkpoint.events_purged;
  });
}

/** Rows hanging off the changes in `ids`, children first (foreign keys). */
function deleteChangeRecords(tx: DbExecutor, ids: SQL): void {
  const verbal = sql`SELECT id FROM verbal_approvals WHERE change_id IN (${ids})`;
  const requirements = sql`SELECT id FROM approval_requirements WHERE change_id IN (${ids})`;
  const items = sql`SELECT id FROM cab_items WHERE change_id IN (${ids})`;
  tx.run(sql`DELETE FROM verbal_approval_confirmations WHERE verbal_approval_id IN (${verbal})`);
  tx.run(sql`DELETE FROM authorization_disputes WHERE change_id IN (${ids})`);
  tx.run(sql`DELETE FROM verbal_approvals WHERE change_id IN (${ids})`);
  tx.run(sql`DELETE FROM approval_decisions WHERE change_id IN (${ids})`);
  tx.run(sql`DELETE FROM approval_candidates WHERE requirement_id IN (${requirements})`);
  tx.run(sql`DELETE FROM approval_requirements WHERE change_id IN (${ids})`);
  tx.run(sql`DELETE FROM cab_votes WHERE item_id IN (${items})`);
  for (const table of [
    'cab_items',
    'change_versions',
    'obligations',
    'rollbacks',
    'verifications',
    'post_implementation_reviews',
    'change_evidence',
    'pipeline_deployments',
    'slack_messages',
    'outbox',
  ])
    tx.run(sql`DELETE FROM ${sql.identifier(table)} WHERE change_id IN (${ids})`);
  tx.run(sql`DELETE FROM changes WHERE id IN (${ids})`);
}

function idList(ids: readonly number[]): SQL {
  return sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
}

/**
 * Purges up to a batch of changes past their retention whose events the log no longer holds (the prefix purge goes
 * first), with everything hanging off them. Returns how many changes were purged.
 */
export function purgeExpiredChanges(db: CabinetDb, horizons: RetentionHorizons, now: Date): number {
  // The guard admits the change's own rows and the CAB rows of meetings past their (possibly later) horizon.
  const later = Math.max(horizons.changes.getTime(), horizons.cabMeetings.getTime());
  return guarded(db, new Date(later), (tx) => {
    const ids = tx
      .values<[number]>(
        sql`SELECT c.id FROM changes c WHERE ${expiredChange(horizons)}
          AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.change_id = c.id) ORDER BY c.id LIMIT ${CHANGE_BATCH}`,
      )
      .map(([id]) => id);
    if (ids.length === 0) return 0;
    deleteChangeRecords(tx, idList(ids));
    recordAudit(tx, { changeId: null, actorId: 'cabinet', type: 'retention.changes_purged', data: { ids } }, now);
    return ids.length;
  });
}

/** Purges up to a batch of CAB meetings past their retention that no kept change was put to. */
export function purgeExpiredMeetings(db: CabinetDb, horizons: RetentionHorizons, now: Date): number {
  const before = horizons.cabMeetings;
  return guarded(db, before, (tx) => {
    const ids = tx
      .values<[number]>(
        sql`SELECT m.id FROM cab_meetings m WHERE coalesce(m.closed_at, m.created_at) < ${before.getTime()}
          AND NOT EXISTS (SELECT 1 FROM cab_items i WHERE i.meeting_id = m.id) ORDER BY m.id LIMIT ${MEETING_BATCH}`,
      )
      .map(([id]) => id);
    if (ids.length === 0) return 0;
    tx.run(sql`DELETE FROM cab_meetings WHERE id IN (${idList(ids)})`);
    recordAudit(tx, { changeId: null, actorId: 'cabinet', type: 'retention.meetings_purged', data: { ids } }, now);
    return ids.length;
  });
}

/** Prunes up to a batch of outbox rows delivered (sent, superseded or given up) before the horizon. */
export function pruneDeliveredOutbox(db: CabinetDb, horizons: RetentionHorizons): number {
  const before = horizons.deliveredOutbox.getTime();
  return db.transaction(
    (tx) =>
      tx.run(
        sql`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('sent', 'superseded', 'dead')
          AND coalesce(sent_at, created_at) < ${before} ORDER BY id LIMIT ${OUTBOX_BATCH})`,
      ).changes,
    { behavior: 'immediate' },
  );
}

import { and, asc, desc, eq, max } from 'drizzle-orm';
import type { ChangeState } from '../domain/lifecycle.js';
import { type ChainedFields, chainTail, eventHash, sortedData } from './audit-chain.js';
import type { DbExecutor } from './client.js';
import { anyHomeViewer } from './home-viewers.js';
import { enqueue } from './outbox.js';
import { auditEvents } from './schema.js';

export interface AuditEntry {
  changeId: number | null;
  actorId: string;
  type: string;
  fromState?: ChangeState;
  toState?: ChangeState;
  data?: Record<string, unknown>;
}

/**
 * Appends an event to the audit log, chained to the last one; call inside the transaction that made it happen.
 * The tail is read in that transaction: an immediate one holds the write lock, and a deferred one that read an
 * older snapshot cannot commit a write in WAL mode (SQLITE_BUSY), so two writers never chain to the same event.
 */
export function recordAudit(
  db: DbExecutor,
  entry: AuditEntry,
  at: Date,
  { refreshHomes = true }: { refreshHomes?: boolean } = {},
): void {
  const tail = chainTail(db);
  const id = tail.id + 1;
  const data = entry.data === undefined ? null : sortedData(entry.data);
  const fromState = entry.fromState ?? null;
  const toState = entry.toState ?? null;
  // Hashed as stored: drizzle writes a JSON column with JSON.stringify.
  const fields: ChainedFields = [
    id,
    entry.changeId,
    entry.actorId,
    entry.type,
    fromState,
    toState,
    data === null ? null : JSON.stringify(data),
    at.getTime(),
  ];
  const hash = eventHash(fields, tail.hash);
  db.insert(auditEvents)
    .values({ ...entry, id, fromState, toState, data, occurredAt: at, prevHash: tail.hash, hash })
    .run();
  // Whatever is audited on a change moved it (a state, a decision, someone asked): the Homes of those concerned
  // are republished, once per change however many events one use-case records (the refresh coalesces); nothing is
  // queued while nobody has opened a Home. A read that is audited (a pipeline asking the gate) moved nothing:
  // `refreshHomes: false`.
  if (entry.changeId !== null && refreshHomes && anyHomeViewer(db))
    enqueue(db, { kind: 'refresh_homes', changeId: entry.changeId }, at);
}

/** One change's audit events of a type, oldest first: what was already done (a reminder sent, a nudge). */
export function auditEventsOf(
  db: DbExecutor,
  changeId: number,
  type: string,
): { actorId: string; data: Record<string, unknown> | null; occurredAt: Date }[] {
  return db
    .select({ actorId: auditEvents.actorId, data: auditEvents.data, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.changeId, changeId), eq(auditEvents.type, type)))
    .orderBy(asc(auditEvents.id))
    .all();
}

/** The id of a change's last audit event (0 when none): it rises with every recorded move of the change. */
export function changeVersion(db: DbExecutor, changeId: number): number {
  return (
    db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(eq(auditEvents.changeId, changeId))
      .orderBy(desc(auditEvents.id))
      .limit(1)
      .get()?.id ?? 0
  );
}

/**
 * The last audit event (id 0 and no time when none): every recorded move raises its id, so it versions what was
 * read, and its time is when that last changed.
 */
export function lastAuditEvent(db: DbExecutor): { id: number; occurredAt: Date | undefined } {
  // max(id) finds the last row through the primary key (ORDER BY … DESC LIMIT 1 would plan as a scan).
  const last = db
    .select({ id: auditEvents.id, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(eq(auditEvents.id, db.select({ last: max(auditEvents.id) }).from(auditEvents)))
    .get();
  return { id: last?.id ?? 0, occurredAt: last?.occurredAt };
}

/**
 * Who was chosen for a phase of the change but never sent its request (the `notSent` of its approval.requested and
 * approval.candidates_added events: asked only through quiet roles), so reminders and forwarding follow requesting.
 */
export function requestsNotSent(db: DbExecutor, changeId: number, phase: string): Set<string> {
  return new Set(
    ['approval.requested', 'approval.candidates_added']
      .flatMap((type) => auditEventsOf(db, changeId, type))
      .filter((event) => event.data?.phase === phase)
      .flatMap((event) => (Array.isArray(event.data?.notSent) ? event.data.notSent.map(String) : [])),
  );
}

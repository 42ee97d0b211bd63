// The audit log's hash chain: each event's hash covers its own fields and the previous event's hash, so an
// edit, a removal or an insertion anywhere breaks every later link (POL-SEC-008 11.1).
import { createHash } from 'node:crypto';
import { asc, count as countOf, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { CabinetDb, DbExecutor } from './executor.js';
import { auditEvents } from './schema.js';

/** The previous hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event's fields as hashed: times in epoch milliseconds, `data` as stored (JSON) or null. */
export interface ChainedFields {
  id: number;
  changeId: number | null;
  actorId: string;
  type: string;
  fromState: string | null;
  toState: string | null;
  data: unknown;
  occurredAt: number;
  prevHash: string;
}

/** JSON with every object's keys sorted, so equal content always serializes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function eventHash(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

interface Link {
  id: number;
  hash: string;
}

type StoredEvent = typeof auditEvents.$inferSelect;

function fieldsOf(event: StoredEvent, prevHash: string): ChainedFields {
  return {
    id: event.id,
    changeId: event.changeId,
    actorId: event.actorId,
    type: event.type,
    fromState: event.fromState,
    toState: event.toState,
    data: event.data,
    occurredAt: event.occurredAt.getTime(),
    prevHash,
  };
}

const SEAL_BATCH = 1000;

/**
 * Hashes the events written before the chain existed (or by an older version), in id order, once. Only the run
 * after the last hashed event is sealed: an unhashed event before it is left for verify to report.
 */
export function sealUnhashedEvents(db: DbExecutor): void {
  if (!db.select({ id: auditEvents.id }).from(auditEvents).where(isNull(auditEvents.hash)).limit(1).get()) return;
  const sealed = db
    .select({ id: auditEvents.id, hash: auditEvents.hash })
    .from(auditEvents)
    .where(isNotNull(auditEvents.hash))
    .orderBy(desc(auditEvents.id))
    .limit(1)
    .get();
  let previous: Link = { id: sealed?.id ?? 0, hash: sealed?.hash ?? GENESIS_HASH };
  for (;;) {
    const batch = db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, previous.id))
      .orderBy(asc(auditEvents.id))
      .limit(SEAL_BATCH)
      .all();
    for (const event of batch) {
      const hash = eventHash(fieldsOf(event, previous.hash));
      db.update(auditEvents).set({ prevHash: previous.hash, hash }).where(eq(auditEvents.id, event.id)).run();
      previous = { id: event.id, hash };
    }
    if (batch.length < SEAL_BATCH) return;
  }
}

/** The last event's id and hash, sealing older unhashed ones first; the genesis link when there is none. */
export function chainTail(db: DbExecutor): Link {
  const last = db
    .select({ id: auditEvents.id, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.id))
    .limit(1)
    .get();
  if (!last) return { id: 0, hash: GENESIS_HASH };
  if (last.hash !== null) return { id: last.id, hash: last.hash };
  sealUnhashedEvents(db);
  return chainTail(db);
}

/** The number of events and the last one's hash: what is witnessed. */
export function chainHead(db: DbExecutor): { count: number; head: string } {
  const tail = chainTail(db);
  const counted = db.select({ count: countOf() }).from(auditEvents).get();
  return { count: counted?.count ?? 0, head: tail.hash };
}

/** An event count and the hash of that event, published outside the database (the audit channel). */
export interface WitnessedHead {
  count: number;
  hash: string;
}

export type ChainProblem =
  | 'missing_hash'
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'missing_event'
  | 'witness_mismatch'
  | 'witness_beyond_end';

export type ChainVerification =
  | { ok: true; count: number; head: string }
  /** `eventId`: the first event that does not hold (for a missing one, the id it would have). */
  | { ok: false; eventId: number; problem: ChainProblem; witnessed?: WitnessedHead };

interface RawEvent {
  id: number;
  change_id: number | null;
  actor_id: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  data: string | null;
  occurred_at: number;
  prev_hash: string | null;
  hash: string | null;
}

const RAW_EVENTS =
  'SELECT id, change_id, actor_id, type, from_state, to_state, data, occurred_at, prev_hash, hash ' +
  'FROM audit_events ORDER BY id';

function brokenLink(event: RawEvent, previous: Link): ChainVerification | undefined {
  if (previous.id !== 0 && event.id !== previous.id + 1)
    return { ok: false, eventId: previous.id + 1, problem: 'missing_event' };
  if (event.hash === null) return { ok: false, eventId: event.id, problem: 'missing_hash' };
  if (event.prev_hash !== previous.hash) return { ok: false, eventId: event.id, problem: 'prev_hash_mismatch' };
  const hash = eventHash({
    id: event.id,
    changeId: event.change_id,
    actorId: event.actor_id,
    type: event.type,
    fromState: event.from_state,
    toState: event.to_state,
    data: event.data === null ? null : JSON.parse(event.data),
    occurredAt: event.occurred_at,
    prevHash: previous.hash,
  });
  if (hash !== event.hash) return { ok: false, eventId: event.id, problem: 'hash_mismatch' };
  return undefined;
}

/**
 * Walks the whole chain in id order, streaming rows, and checks it against the witnessed heads: the event number
 * `count` must carry that head's hash. The first broken link, or the count and head hash.
 */
export function verifyAuditChain(db: CabinetDb, heads: readonly WitnessedHead[] = []): ChainVerification {
  const pending = [...heads].sort((a, b) => a.count - b.count);
  let previous: Link = { id: 0, hash: GENESIS_HASH };
  let count = 0;
  for (const event of db.$client.prepare(RAW_EVENTS).iterate() as IterableIterator<RawEvent>) {
    const broken = brokenLink(event, previous);
    if (broken) return broken;
    count += 1;
    previous = { id: event.id, hash: event.hash ?? '' };
    while (pending[0] && pending[0].count === count) {
      const witnessed = pending.shift();
      if (witnessed && witnessed.hash !== previous.hash)
        return { ok: false, eventId: event.id, problem: 'witness_mismatch', witnessed };
    }
  }
  // Fewer events than witnessed: the first missing one is named.
  const beyond = pending.find((head) => head.count > count);
  if (beyond) return { ok: false, eventId: previous.id + 1, problem: 'witness_beyond_end', witnessed: beyond };
  return { ok: true, count, head: previous.hash };
}

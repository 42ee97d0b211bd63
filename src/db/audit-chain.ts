// The audit log's hash chain: each event's hash covers its own fields and the previous event's hash, so an
// edit, a removal or an insertion anywhere breaks every later link (POL-SEC-008 11.1).
import { createHash } from 'node:crypto';
import { count as countOf, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { CabinetDb, DbExecutor } from './executor.js';
import { auditEvents } from './schema.js';

/** The previous hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * An event's fields as stored, in the order they are hashed: id, change id, actor, type, from and to state, `data`
 * as its stored JSON text (written with its keys sorted, see sortedData), the time in epoch milliseconds.
 */
export type ChainedFields = [
  id: number,
  changeId: number | null,
  actorId: string,
  type: string,
  fromState: string | null,
  toState: string | null,
  dataText: string | null,
  occurredAt: number,
];

/**
 * The canonical serialization is a JSON array of the fields in that fixed order, then the previous hash: stable
 * by construction, and the verification hashes what it reads without parsing `data` (1M events in a few seconds).
 */
export function eventHash(fields: ChainedFields, prevHash: string): string {
  return createHash('sha256')
    .update(JSON.stringify([...fields, prevHash]))
    .digest('hex');
}

function sortedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedValue);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortedValue(record[key])]),
  );
}

/** An event's data as it is stored and hashed: through JSON (dates as strings, no undefined), keys sorted. */
export function sortedData(data: Record<string, unknown>): Record<string, unknown> {
  return sortedValue(JSON.parse(JSON.stringify(data))) as Record<string, unknown>;
}

interface Link {
  id: number;
  hash: string;
}

// The columns in ChainedFields order, raw (data as text, time as a number), then the two hashes.
const CHAINED_COLUMNS = 'id, change_id, actor_id, type, from_state, to_state, data, occurred_at';
const ALL_EVENTS = `SELECT ${CHAINED_COLUMNS}, prev_hash, hash FROM audit_events ORDER BY id`;

const CHAINED_FIELD_COUNT = 8;

type RawEvent = [...ChainedFields, prevHash: string | null, hash: string | null];

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
    const batch = db.values<ChainedFields>(
      sql`SELECT ${sql.raw(CHAINED_COLUMNS)} FROM audit_events WHERE id > ${previous.id} ORDER BY id LIMIT ${SEAL_BATCH}`,
    );
    for (const fields of batch) {
      const hash = eventHash(fields, previous.hash);
      db.update(auditEvents).set({ prevHash: previous.hash, hash }).where(eq(auditEvents.id, fields[0])).run();
      previous = { id: fields[0], hash };
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

function brokenLink(event: RawEvent, previous: Link): ChainVerification | undefined {
  const [id, , , , , , , , prevHash, hash] = event;
  if (previous.id !== 0 && id !== previous.id + 1)
    return { ok: false, eventId: previous.id + 1, problem: 'missing_event' };
  if (hash === null) return { ok: false, eventId: id, problem: 'missing_hash' };
  if (prevHash !== previous.hash) return { ok: false, eventId: id, problem: 'prev_hash_mismatch' };
  const fields = event.slice(0, CHAINED_FIELD_COUNT) as ChainedFields;
  if (eventHash(fields, previous.hash) !== hash) return { ok: false, eventId: id, problem: 'hash_mismatch' };
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
  for (const event of db.$client.prepare(ALL_EVENTS).raw().iterate() as IterableIterator<RawEvent>) {
    const broken = brokenLink(event, previous);
    if (broken) return broken;
    count += 1;
    previous = { id: event[0], hash: event[9] ?? '' };
    while (pending[0] && pending[0].count === count) {
      const witnessed = pending.shift();
      if (witnessed && witnessed.hash !== previous.hash)
        return { ok: false, eventId: previous.id, problem: 'witness_mismatch', witnessed };
    }
  }
  // Fewer events than witnessed: the first missing one is named.
  const beyond = pending.find((head) => head.count > count);
  if (beyond) return { ok: false, eventId: previous.id + 1, problem: 'witness_beyond_end', witnessed: beyond };
  return { ok: true, count, head: previous.hash };
}

// The audit log's hash chain: each event's hash covers its own fields and the previous event's hash, so an
// edit, a removal or an insertion anywhere breaks every later link (POL-SEC-008 11.1).
import { createHash } from 'node:crypto';
import { desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
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
      sql`SELECT ${sql.raw(CHAINED_COLUMNS)} FROM audit_events
          WHERE id > ${previous.id} ORDER BY id LIMIT ${SEAL_BATCH}`,
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

/**
 * The number of events ever chained and the last one's hash: what is witnessed. Ids run from 1 without a gap, so
 * the count is the last id, which stays the event's number after retention purged a prefix of the log.
 */
export function chainHead(db: DbExecutor): { count: number; head: string } {
  const tail = chainTail(db);
  return { count: tail.id, head: tail.hash };
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

/** The type of the event retention appends when it purges a prefix of the log (db/retention.ts). */
export const PURGE_CHECKPOINT = 'audit.purged';

/** What a checkpoint records: the last purged event and its hash, where the remaining chain continues from. */
export interface PurgeCheckpoint {
  through_event_id: number;
  through_hash: string;
  events_purged: number;
  before: string;
}

function checkpointOf(event: RawEvent): PurgeCheckpoint | undefined {
  const [, , , type, , , dataText] = event;
  if (type !== PURGE_CHECKPOINT || dataText === null) return undefined;
  const data = JSON.parse(dataText) as Partial<PurgeCheckpoint>;
  if (typeof data.through_event_id !== 'number' || typeof data.through_hash !== 'string') return undefined;
  return data as PurgeCheckpoint;
}

/**
 * Where the walk starts: the genesis link, or after a purged prefix the link the first remaining event names
 * (its id minus one and its previous hash). That start is only trusted when a checkpoint further on, itself
 * chained, records exactly it; every remaining event is still checked link by link, so a checkpoint can only
 * account for a missing prefix, never for an edit after it.
 */
function startOf(first: RawEvent): Link {
  const [id, , , , , , , , prevHash] = first;
  return id === 1 ? { id: 0, hash: GENESIS_HASH } : { id: id - 1, hash: prevHash ?? '' };
}

/**
 * Follows the chain one event at a time, in id order, and checks it against the witnessed heads: the event
 * number `count` must carry that head's hash. A chain whose start was purged begins after the checkpoint that
 * accounts for it.
 */
class ChainWalk {
  private readonly pending: WitnessedHead[];
  private start: Link | undefined;
  private previous: Link = { id: 0, hash: GENESIS_HASH };
  private checkpointed = true;
  // The last purged event an earlier checkpoint accounts for: without the latest one, the next is missing.
  private accountedThrough = 0;

  constructor(heads: readonly WitnessedHead[]) {
    this.pending = [...heads].sort((a, b) => a.count - b.count);
  }

  get lastId(): number {
    return this.previous.id;
  }

  /** The first broken link this event shows, if any. */
  step(event: RawEvent): ChainVerification | undefined {
    const { pending } = this;
    if (!this.start) {
      this.start = startOf(event);
      this.previous = this.start;
      this.checkpointed = this.start.id === 0;
      while (pending[0] && pending[0].count <= this.start.id) {
        const witnessed = pending.shift();
        if (witnessed && witnessed.count === this.start.id && witnessed.hash !== this.start.hash)
          return { ok: false, eventId: this.start.id, problem: 'witness_mismatch', witnessed };
      }
    }
    const broken = brokenLink(event, this.previous);
    if (broken) return broken;
    const checkpoint = checkpointOf(event);
    if (checkpoint && checkpoint.through_event_id === this.start.id && checkpoint.through_hash === this.start.hash)
      this.checkpointed = true;
    else if (checkpoint && checkpoint.through_event_id < this.start.id)
      this.accountedThrough = Math.max(this.accountedThrough, checkpoint.through_event_id);
    this.previous = { id: event[0], hash: event[9] ?? '' };
    while (pending[0] && pending[0].count === this.previous.id) {
      const witnessed = pending.shift();
      if (witnessed && witnessed.hash !== this.previous.hash)
        return { ok: false, eventId: this.previous.id, problem: 'witness_mismatch', witnessed };
    }
    return undefined;
  }

  /** The outcome once every event has been stepped through. */
  finish(): ChainVerification {
    const { previous } = this;
    if (!this.checkpointed) return { ok: false, eventId: this.accountedThrough + 1, problem: 'missing_event' };
    // Fewer events than witnessed: the first missing one is named.
    const beyond = this.pending.find((head) => head.count > previous.id);
    if (beyond) return { ok: false, eventId: previous.id + 1, problem: 'witness_beyond_end', witnessed: beyond };
    return { ok: true, count: previous.id, head: previous.hash };
  }
}

/** Walks the whole chain in one go, streaming rows (the command-line verify). */
export function verifyAuditChain(db: CabinetDb, heads: readonly WitnessedHead[] = []): ChainVerification {
  const walk = new ChainWalk(heads);
  for (const event of db.$client.prepare(ALL_EVENTS).raw().iterate() as IterableIterator<RawEvent>) {
    const broken = walk.step(event);
    if (broken) return broken;
  }
  return walk.finish();
}

const PAGE_OF_EVENTS = `SELECT ${CHAINED_COLUMNS}, prev_hash, hash FROM audit_events WHERE id > ? ORDER BY id LIMIT ?`;
const VERIFY_PAGE = 5_000;

/**
 * The same walk a page of events at a time, letting the event loop go between pages: a million events take
 * seconds, and the app must keep acking meanwhile (`/change audit verify`, the evidence pack).
 */
export async function verifyAuditChainInPages(
  db: CabinetDb,
  heads: readonly WitnessedHead[] = [],
): Promise<ChainVerification> {
  const walk = new ChainWalk(heads);
  const page = db.$client.prepare(PAGE_OF_EVENTS).raw();
  for (;;) {
    const events = page.all(walk.lastId, VERIFY_PAGE) as RawEvent[];
    for (const event of events) {
      const broken = walk.step(event);
      if (broken) return broken;
    }
    if (events.length < VERIFY_PAGE) return walk.finish();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

import {
  type ChainVerification,
  chainHead,
  verifyAuditChain,
  verifyAuditChainInPages,
  type WitnessedHead,
} from '../db/audit-chain.js';
import type { CabinetDb } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import type { ChainStatus } from './evidence-pack.js';

export type { ChainProblem, ChainVerification, WitnessedHead } from '../db/audit-chain.js';

const HEAD = /^(\d+):([0-9a-f]{64})$/;

/** A head as written on the command line, COUNT:HASH; undefined when it is not one. */
export function parseWitnessedHead(text: string): WitnessedHead | undefined {
  const match = HEAD.exec(text.trim().toLowerCase());
  if (!match?.[1] || !match[2]) return undefined;
  const count = Number(match[1]);
  return count > 0 ? { count, hash: match[2] } : undefined;
}

/** Walks the audit log's hash chain and checks it against every witnessed head, in one go (the CLI). */
export function verifyAuditLog(db: CabinetDb, heads: readonly WitnessedHead[]): ChainVerification {
  return verifyAuditChain(db, heads);
}

/** The same check a page at a time, for a running app that must keep answering Slack meanwhile. */
export function verifyAuditLogInPages(db: CabinetDb, heads: readonly WitnessedHead[]): Promise<ChainVerification> {
  return verifyAuditChainInPages(db, heads);
}

/**
 * The chain as an evidence pack's manifest states it: verified (with its head, which is witnessed in the
 * audit channel too, so the pack and the channel vouch for each other) or broken at an event.
 */
export async function verifyForExport(
  db: CabinetDb,
  input: { heads: readonly WitnessedHead[]; now: Date },
): Promise<ChainStatus> {
  const result = await verifyAuditChainInPages(db, input.heads);
  if (!result.ok) return { ok: false, count: result.eventId - 1, head: null };
  if (result.count > 0)
    enqueue(db, { kind: 'audit_head', count: result.count, head: result.head }, input.now, {
      dedupeKey: `audit_head:export:${input.now.toISOString()}`,
    });
  return { ok: true, count: result.count, head: result.head };
}

/**
 * Queues the daily witness of the audit log's head, once per slot; false when there is nothing to witness yet.
 * Published outside the database, it lets verify catch a chain rewritten and re-hashed end to end.
 */
export function witnessAuditHead(db: CabinetDb, slot: Date, now: Date): boolean {
  return db.transaction(
    (tx) => {
      const head = chainHead(tx);
      if (head.count === 0) return false;
      enqueue(tx, { kind: 'audit_head', ...head }, now, { dedupeKey: `audit_head:${slot.toISOString()}` });
      return true;
    },
    { behavior: 'immediate' },
  );
}

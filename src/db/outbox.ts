import { and, asc, eq, lte } from 'drizzle-orm';
import type { CabinetDb } from './client.js';
import type { DbExecutor } from './changes.js';
import { outbox } from './schema.js';

export type ChangeEvent = 'submitted' | 'approved' | 'rejected';

/** A Slack call to make after the ack. Rendered when sent, so it always shows the change as it is then. */
export type OutboxMessage =
  | { kind: 'request_approvals'; changeId: number }
  | { kind: 'approval_request'; changeId: number; userId: string }
  | { kind: 'refresh_messages'; changeId: number }
  | { kind: 'notify_user'; changeId: number; userId: string; event: ChangeEvent }
  | { kind: 'notify_log'; changeId: number; event: ChangeEvent };

export type OutboxRow = typeof outbox.$inferSelect;

/** Adds a message; with a dedupe key, adding the same message twice keeps one. */
export function enqueue(db: DbExecutor, message: OutboxMessage, at: Date, dedupeKey?: string): void {
  db.insert(outbox)
    .values({ changeId: message.changeId, kind: message.kind, payload: message, status: 'pending', nextAttemptAt: at, createdAt: at, dedupeKey })
    .onConflictDoNothing()
    .run();
}

export function dueMessages(db: CabinetDb, now: Date, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

export function markSent(db: CabinetDb, id: number, at: Date): void {
  db.update(outbox).set({ status: 'sent', sentAt: at, lastError: null }).where(eq(outbox.id, id)).run();
}

export function markFailed(db: CabinetDb, id: number, failure: { attempts: number; retryAt: Date | undefined; error: string }): void {
  db.update(outbox)
    .set({ attempts: failure.attempts, status: failure.retryAt ? 'pending' : 'dead', nextAttemptAt: failure.retryAt, lastError: failure.error })
    .where(eq(outbox.id, id))
    .run();
}

export function outboxMessage(row: OutboxRow): OutboxMessage {
  return row.payload as OutboxMessage;
}

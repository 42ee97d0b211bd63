import { and, asc, eq, lte } from 'drizzle-orm';
import type { ChangeEvent } from '../domain/events.js';
import type { ApprovalPhase } from '../domain/lifecycle.js';
import type { CabinetDb, DbExecutor } from './client.js';
import { outbox } from './schema.js';

/**
 * A Slack call to make after the ack. Messages are rendered when sent, so they show the change as it is then.
 */
export type SlackDelivery =
  /** `phase` is absent on rows queued before emergencies existed: those are approvals. */
  | { kind: 'approval_request'; changeId: number; userId: string; phase?: ApprovalPhase }
  | { kind: 'refresh_messages'; changeId: number }
  | { kind: 'notify_user'; changeId: number; userId: string; event: ChangeEvent }
  /** Tells the members of some roles (user groups expanded), each once, except `exclude` (told another way). */
  | { kind: 'notify_roles'; changeId: number; roles: string[]; exclude: string[]; event: ChangeEvent }
  | { kind: 'notify_log'; changeId: number; event: ChangeEvent }
  /** The owner's DM of an approved change, with the buttons to implement, verify, review and close it; kept current. */
  | { kind: 'implementation_console'; changeId: number; userId: string }
  /**
   * The emergency's own DM to its requester or owner: status, authorization, verbal approvals and paperwork,
   * kept current.
   */
  | { kind: 'emergency_console'; changeId: number; userId: string }
  /** Asks the named approver to confirm or dispute a verbal approval recorded in their name. */
  | { kind: 'verbal_confirmation'; changeId: number; userId: string; verbalApprovalId: number }
  /** Posts a CAB meeting's first message (the agenda, or an emergency CAB's change), then queues the rest. */
  | { kind: 'cab_meeting'; meetingId: number }
  /** A continuation of a long agenda or of the minutes, in the meeting's thread. */
  | { kind: 'cab_page'; meetingId: number; part: 'agenda' | 'minutes'; page: number }
  /** A change put to the board, with its vote buttons, in the meeting's thread. */
  | { kind: 'cab_item'; changeId: number; itemId: number }
  | { kind: 'refresh_cab_item'; changeId: number; itemId: number }
  /** The chair's DM with a link to the posted agenda. */
  | { kind: 'cab_chair_link'; meetingId: number }
  /** Posts the minutes in the meeting's thread and marks the meeting closed. */
  | { kind: 'cab_minutes'; meetingId: number };

/**
 * Work for a service rather than Slack, queued like a message so it survives restarts; due later
 * (`at` in the future), it is a durable timer.
 */
export type TimerWork =
  /** Resolves the roles a change needs and asks the chosen approvers (queued on submission, so after the ack). */
  | { kind: 'request_approvals'; changeId: number }
  /** Asks an emergency's stand-in authorizers if it is still not authorized. */
  | { kind: 'escalate_authorization'; changeId: number }
  | { kind: 'paperwork_deadline'; changeId: number; stage: 'reminder' | 'overdue' };

export type OutboxMessage = SlackDelivery | TimerWork;

export const TIMER_KINDS = [
  'request_approvals',
  'escalate_authorization',
  'paperwork_deadline',
] as const satisfies readonly TimerWork['kind'][];

export function isTimerWork(message: OutboxMessage): message is TimerWork {
  return (TIMER_KINDS as readonly string[]).includes(message.kind);
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Adds a message, due now or at `dueAt` (a timer); with a dedupe key, adding the same message twice keeps one. */
export function enqueue(
  db: DbExecutor,
  message: OutboxMessage,
  now: Date,
  options: { dedupeKey?: string; dueAt?: Date } = {},
): void {
  const { dedupeKey, dueAt = now } = options;
  db.insert(outbox)
    .values({
      changeId: 'changeId' in message ? message.changeId : null,
      kind: message.kind,
      payload: message,
      status: 'pending',
      nextAttemptAt: dueAt,
      createdAt: now,
      dedupeKey,
    })
    .onConflictDoNothing()
    .run();
}

/** The messages due now, oldest first. */
export function dueMessages(db: CabinetDb, now: Date, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

/**
 * Claims a due message for one sender: its next attempt moves `leaseMs` ahead, on condition that it
 * is still as it was read, so of two processes sharing the database only one sends it. Should the
 * sender die while sending, the message falls due again when the lease runs out.
 */
export function claimMessage(db: CabinetDb, row: OutboxRow, now: Date, leaseMs: number): boolean {
  return (
    db
      .update(outbox)
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
      .where(and(eq(outbox.id, row.id), eq(outbox.status, 'pending'), eq(outbox.nextAttemptAt, row.nextAttemptAt)))
      .returning({ id: outbox.id })
      .all().length === 1
  );
}

export function markSent(db: CabinetDb, id: number, at: Date): void {
  db.update(outbox).set({ status: 'sent', sentAt: at, lastError: null }).where(eq(outbox.id, id)).run();
}

export function markFailed(
  db: CabinetDb,
  id: number,
  failure: { attempts: number; retryAt: Date | undefined; error: string },
): void {
  db.update(outbox)
    .set({
      attempts: failure.attempts,
      status: failure.retryAt ? 'pending' : 'dead',
      nextAttemptAt: failure.retryAt,
      lastError: failure.error,
    })
    .where(eq(outbox.id, id))
    .run();
}

export function outboxMessage(row: OutboxRow): OutboxMessage {
  return row.payload as OutboxMessage;
}

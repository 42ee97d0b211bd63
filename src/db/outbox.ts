import { and, asc, eq, gt, inArray, isNull, lt, lte, ne, notExists, or, sql } from 'drizzle-orm';
import { type AnySQLiteColumn, alias } from 'drizzle-orm/sqlite-core';
import type { ChangeEvent } from '../domain/events.js';
import type { ApprovalPhase } from '../domain/lifecycle.js';
import type { CabinetDb, DbExecutor } from './client.js';
import { outbox } from './schema.js';

/**
 * A Slack call to make after the ack. Messages are rendered when sent, so they show the change as it is then.
 */
export type SlackDelivery =
  /**
   * `phase` is absent on rows queued before emergencies existed: those are approvals. `again`: the person already
   * has this phase's request (the phase was asked again after a refusal, or a later stage): told in its thread.
   */
  | { kind: 'approval_request'; changeId: number; userId: string; phase?: ApprovalPhase; again?: true }
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
  | { kind: 'cab_minutes'; meetingId: number }
  /** In an emergency CAB's thread: its decision is past `cab.emergency_within_hours` (7.2) and still open. */
  | { kind: 'cab_overdue'; meetingId: number; itemId: number }
  /** Witnesses the audit log's head (event count and the hash of that event) in the audit channel. */
  | { kind: 'audit_head'; count: number; head: string }
  /** The monthly review of a month (11.3), with its chart, in the reports channel. */
  | { kind: 'monthly_report'; month: string }
  /**
   * Reminds someone asked and not yet decided (4.4 SLA, or `/change remind` by `nudgedBy`), in the thread of
   * their request.
   */
  | { kind: 'approval_reminder'; changeId: number; userId: string; phase: ApprovalPhase; nudgedBy?: string }
  /** Tells the requester and those escalated to that the requirements due at `dueAt` (ISO) are past their SLA. */
  | { kind: 'sla_escalation'; changeId: number; dueAt: string }
  /** Someone's App Home (their inbox) rendered as it is now. */
  | { kind: 'publish_home'; userId: string }
  /** The morning digest of someone's local `date`: the decisions of `items` still waiting when it is sent. */
  | { kind: 'approval_digest'; userId: string; date: string; items: { changeId: number; phase: ApprovalPhase }[] };

/**
 * Work for a service rather than Slack, queued like a message so it survives restarts; due later
 * (`at` in the future), it is a durable timer.
 */
export type TimerWork =
  /** Resolves the roles a change needs and asks the chosen approvers (queued on submission, so after the ack). */
  | { kind: 'request_approvals'; changeId: number }
  /** Asks an emergency's stand-in authorizers if it is still not authorized. */
  | { kind: 'escalate_authorization'; changeId: number }
  /** `dueAt` (ISO): the deadline it is about; absent on rows queued when every item shared one deadline. */
  | { kind: 'paperwork_deadline'; changeId: number; stage: 'reminder' | 'overdue'; dueAt?: string }
  /** A point of a requirement's 4.4 SLA: a reminder at `percent` of it, or the escalation once it is due. */
  | {
      kind: 'sla_milestone';
      changeId: number;
      requirementId: number;
      milestone: 'reminder' | 'escalation';
      percent: number;
    }
  /** Ends a delegation after its last day (and any other past it). */
  | { kind: 'end_delegation'; delegationId: number }
  /** Republishes the Homes of those concerned by a change that moved (only those who opened their Home). */
  | { kind: 'refresh_homes'; changeId: number }
  /** An emergency CAB's deadline (7.2 "within 4 hours"): the board is chased if its item is still undecided. */
  | { kind: 'cab_deadline'; meetingId: number; itemId: number }
  /** A failed change's rollback decision deadline (10.2): its owner and decision maker are told if still failed. */
  | { kind: 'rollback_deadline'; changeId: number };

export type OutboxMessage = SlackDelivery | TimerWork;

export const TIMER_KINDS = [
  'request_approvals',
  'escalate_authorization',
  'paperwork_deadline',
  'sla_milestone',
  'end_delegation',
  'refresh_homes',
  'cab_deadline',
  'rollback_deadline',
] as const satisfies readonly TimerWork['kind'][];

export function isTimerWork(message: OutboxMessage): message is TimerWork {
  return (TIMER_KINDS as readonly string[]).includes(message.kind);
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Delivery classes, most urgent first: what someone waits for, what they are told, what is kept current. */
export const PRIORITY = { urgent: 0, notice: 1, refresh: 2 } as const;

/** How a message is delivered: its class, the conversation whose order it keeps, what it coalesces with. */
export interface DeliveryRoute {
  priority: number;
  lane: string | null;
  coalesceKey: string | null;
}

export function routeOf(message: OutboxMessage): DeliveryRoute {
  const route = (priority: number, lane: string | null, coalesceKey: string | null = null) => ({
    priority,
    lane,
    coalesceKey,
  });
  switch (message.kind) {
    case 'request_approvals':
    case 'escalate_authorization':
    case 'paperwork_deadline':
    case 'sla_milestone':
    case 'end_delegation':
    case 'cab_deadline':
    case 'rollback_deadline':
      return route(PRIORITY.urgent, null);
    case 'approval_request':
    case 'verbal_confirmation':
      return route(PRIORITY.urgent, `dm:${message.userId}`);
    case 'cab_meeting':
    case 'cab_page':
    case 'cab_item':
    case 'cab_chair_link':
    case 'cab_minutes':
    case 'cab_overdue':
      // The meeting's thread: the agenda first, then its pages and items, in order.
      return route(PRIORITY.urgent, 'cab');
    case 'audit_head':
      return route(PRIORITY.notice, 'audit');
    case 'monthly_report':
      return route(PRIORITY.notice, 'reports');
    case 'notify_user':
    case 'approval_reminder':
    case 'implementation_console':
    case 'emergency_console':
      return route(PRIORITY.notice, `dm:${message.userId}`);
    case 'notify_roles':
    case 'sla_escalation':
      return route(PRIORITY.notice, `roles:${message.changeId}`);
    case 'notify_log':
      // A change's log message before the replies in its thread.
      return route(PRIORITY.notice, `log:${message.changeId}`);
    case 'refresh_messages':
      return route(PRIORITY.refresh, `refresh:${message.changeId}`, `refresh_messages:${message.changeId}`);
    case 'refresh_cab_item':
      return route(PRIORITY.refresh, `refresh_cab:${message.itemId}`, `refresh_cab_item:${message.itemId}`);
    case 'refresh_homes':
      return route(PRIORITY.refresh, null, `refresh_homes:${message.changeId}`);
    case 'publish_home':
      // A Home shows everything at once: any number queued for one person is one publish.
      return route(PRIORITY.refresh, `home:${message.userId}`, `publish_home:${message.userId}`);
    case 'approval_digest':
      return route(PRIORITY.notice, `dm:${message.userId}`);
  }
}

/** At most this many approval requests to one person go out as one message (a burst's worth, 31 blocks). */
export const APPROVAL_BATCH_MAX = 15;

/**
 * Messages with the same batch key that wait together in one lane may go out as one Slack message: approval
 * requests to one person in one phase. Others have none.
 */
export function batchKeyOf(message: OutboxMessage): string | null {
  // Asked again: a reply under the person's own request, not part of a new message.
  if (message.kind !== 'approval_request' || message.again) return null;
  return `${message.userId}:${message.phase ?? 'approval'}`;
}

/**
 * Adds a message, due now or at `dueAt` (a timer). With a dedupe key, adding the same message twice
 * keeps one; a message that coalesces (a refresh) is not added while an equal one is still pending.
 */
export function enqueue(
  db: DbExecutor,
  message: OutboxMessage,
  now: Date,
  options: { dedupeKey?: string; dueAt?: Date } = {},
): void {
  const { dedupeKey, dueAt = now } = options;
  const route = routeOf(message);
  const insert = db.insert(outbox).values({
    changeId: 'changeId' in message ? message.changeId : null,
    kind: message.kind,
    payload: message,
    status: 'pending',
    ...route,
    nextAttemptAt: dueAt,
    createdAt: now,
    dedupeKey,
  });
  if (route.coalesceKey === null) {
    insert.onConflictDoNothing().run();
    return;
  }
  // The pending copy stays, due at the sooner of the two times: a later refresh never delays an earlier one.
  insert
    .onConflictDoUpdate({
      target: outbox.coalesceKey,
      targetWhere: sql`${outbox.status} = 'pending'`,
      set: { nextAttemptAt: sql`min(${outbox.nextAttemptAt}, excluded.next_attempt_at)` },
    })
    .run();
}

const earlier = alias(outbox, 'earlier');

/**
 * Pending or being sent, written as literals: SQLite uses the partial index on open lanes (outbox_open_lane_idx) only
 * when it can see the query implies the index's condition, which a bound parameter hides. Without it, each row's
 * "anything earlier in its lane?" read every pending row: quadratic in a burst.
 */
const openStatus = (status: AnySQLiteColumn) => sql`${status} in ('pending', 'sending')`;

/**
 * The messages that may be sent now, most urgent first: due, and first of their lane (nothing earlier
 * in the same conversation still pending or being sent).
 */
export function deliverableMessages(db: CabinetDb, now: Date, limit: number): OutboxRow[] {
  const earlierOpen = db
    .select({ id: earlier.id })
    .from(earlier)
    .where(and(eq(earlier.lane, outbox.lane), lt(earlier.id, outbox.id), openStatus(earlier.status)));
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        or(isNull(outbox.lane), notExists(earlierOpen)),
      ),
    )
    .orderBy(asc(outbox.priority), asc(outbox.id))
    .limit(limit)
    .all();
}

/**
 * The messages queued right behind `head` in its lane that can go out with it: due, pending, with its batch key,
 * and nothing else between them (the lane's order is kept).
 */
export function batchFollowers(db: CabinetDb, head: OutboxRow, now: Date): OutboxRow[] {
  const key = batchKeyOf(outboxMessage(head));
  if (key === null || head.lane === null || head.uncertain) return [];
  const behind = db
    .select()
    .from(outbox)
    .where(and(eq(outbox.lane, head.lane), gt(outbox.id, head.id), openStatus(outbox.status)))
    .orderBy(asc(outbox.id))
    .limit(APPROVAL_BATCH_MAX - 1)
    .all();
  const followers: OutboxRow[] = [];
  for (const row of behind) {
    const joins =
      row.status === 'pending' && !row.uncertain && row.nextAttemptAt <= now && batchKeyOf(outboxMessage(row)) === key;
    if (!joins) break;
    followers.push(row);
  }
  return followers;
}

/**
 * Claims a pending message for one sender until `leaseUntil`; of two processes sharing the database
 * only one gets it. The sender renews the lease while it works.
 */
export function claimMessage(db: CabinetDb, id: number, claim: { by: string; leaseUntil: Date }): boolean {
  return (
    db
      .update(outbox)
      .set({ status: 'sending', claimedBy: claim.by, leaseUntil: claim.leaseUntil })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'pending')))
      .returning({ id: outbox.id })
      .all().length === 1
  );
}

export function renewLeases(db: CabinetDb, ids: readonly number[], claim: { by: string; leaseUntil: Date }): void {
  if (ids.length === 0) return;
  db.update(outbox)
    .set({ leaseUntil: claim.leaseUntil })
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, 'sending'), eq(outbox.claimedBy, claim.by)))
    .run();
}

export function markSent(db: CabinetDb, ids: readonly number[], at: Date): void {
  db.update(outbox)
    .set({ status: 'sent', sentAt: at, lastError: null, claimedBy: null, leaseUntil: null, uncertain: false })
    .where(inArray(outbox.id, [...ids]))
    .run();
}

/**
 * Puts a claimed message back to be tried again at `retryAt`, or gives it up (`dead`) without one. A
 * refresh that meanwhile has a newer pending copy is superseded by it.
 */
export function markFailed(
  db: CabinetDb,
  row: Pick<OutboxRow, 'id' | 'coalesceKey'>,
  failure: { attempts: number; retryAt: Date | undefined; error: string; uncertain: boolean },
): void {
  db.transaction((tx) => {
    const status = !failure.retryAt ? 'dead' : supersededBy(tx, row) ? 'superseded' : 'pending';
    tx.update(outbox)
      .set({
        attempts: failure.attempts,
        status,
        nextAttemptAt: failure.retryAt,
        lastError: failure.error,
        uncertain: failure.uncertain,
        claimedBy: null,
        leaseUntil: null,
      })
      .where(eq(outbox.id, row.id))
      .run();
  });
}

function supersededBy(db: DbExecutor, row: Pick<OutboxRow, 'id' | 'coalesceKey'>): boolean {
  if (row.coalesceKey === null) return false;
  return (
    db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.coalesceKey, row.coalesceKey), eq(outbox.status, 'pending'), ne(outbox.id, row.id)))
      .get() !== undefined
  );
}

/**
 * Takes back messages whose sender is gone, as `abandoned` judges from the claimant and whether its lease
 * ran out. They may have reached Slack, so they are marked uncertain.
 */
export function reclaimAbandoned(
  db: CabinetDb,
  now: Date,
  abandoned: (claim: { claimedBy: string; leaseExpired: boolean }) => boolean,
): number {
  return db.transaction((tx) => {
    const claimed = tx.select().from(outbox).where(eq(outbox.status, 'sending')).all();
    const gone = claimed.filter((row) =>
      abandoned({ claimedBy: row.claimedBy ?? '', leaseExpired: (row.leaseUntil ?? now) <= now }),
    );
    for (const row of gone) {
      tx.update(outbox)
        .set({
          status: supersededBy(tx, row) ? 'superseded' : 'pending',
          uncertain: true,
          claimedBy: null,
          leaseUntil: null,
          nextAttemptAt: now,
        })
        .where(eq(outbox.id, row.id))
        .run();
    }
    return gone.length;
  });
}

export function outboxMessage(row: OutboxRow): OutboxMessage {
  return row.payload as OutboxMessage;
}

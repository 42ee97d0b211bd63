import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/sqlite-core';
import type { AgendaChangeFacts, AgendaFacts } from '../domain/agenda.js';
import type { CabVote } from '../domain/cab.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { verbalApprovalState } from '../domain/emergency.js';
import { CHANGE_STATES, type ChangeState, DECIDING_STATES, decisionStage } from '../domain/lifecycle.js';
import type { Interval } from '../domain/schedule.js';
import type { BoardItemRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import {
  approvalRequirements,
  auditEvents,
  authorizationDisputes,
  cabItems,
  cabMeetings,
  cabVotes,
  changes,
  obligations,
  outbox,
  verbalApprovalConfirmations,
  verbalApprovals,
} from './schema.js';

export type CabMeetingRow = typeof cabMeetings.$inferSelect;
export type { BoardItemRow as CabItemRow } from './change-record.js';

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** Planned to run, not waiting for a decision: the agenda shows them only within its reach (agendaPlannedReach). */
const PLANNED_AHEAD: readonly ChangeState[] = ['approved', 'scheduled', 'implementing'];

/**
 * Reads what the agenda needs (7.3), each through an index: every change waiting for a decision, the planned ones
 * within `planned` (the calendar's and the listed freezes' reach), every change that moved since the last meeting,
 * every change with paperwork or a dispute still open, and the messages the outbox gave up on.
 */
export function loadAgendaFacts(db: DbExecutor, reach: { since: Date; planned: Interval }): AgendaFacts {
  const { since, planned } = reach;
  const openPaperwork = db
    .select({ id: obligations.changeId })
    .from(obligations)
    .where(isNull(obligations.completedAt));
  const answeredSince = db
    .select({ id: verbalApprovals.changeId })
    .from(verbalApprovalConfirmations)
    .innerJoin(verbalApprovals, eq(verbalApprovalConfirmations.verbalApprovalId, verbalApprovals.id))
    .where(gte(verbalApprovalConfirmations.respondedAt, since));
  const openDisputes = db
    .select({ id: authorizationDisputes.changeId })
    .from(authorizationDisputes)
    .where(isNull(authorizationDisputes.resolvedAt));
  const changesWhere = (condition: SQL | undefined) => db.select({ id: changes.id }).from(changes).where(condition);
  // One indexed read per reason a change is on the agenda; one condition of ORs would read the whole table.
  const shown = unionAll(
    changesWhere(inArray(changes.state, ['submitted', ...DECIDING_STATES])),
    changesWhere(
      and(
        inArray(changes.state, [...PLANNED_AHEAD]),
        gt(changes.plannedEnd, planned.start),
        lt(changes.plannedStart, planned.end),
      ),
    ),
    changesWhere(gte(changes.updatedAt, since)),
    openDisputes,
    openPaperwork,
    answeredSince,
  );
  const rows = db.select().from(changes).where(inArray(changes.id, shown)).orderBy(asc(changes.id)).all();
  const ids = rows.map((row) => row.id);
  const some = <T>(read: () => T[]): T[] => (ids.length > 0 ? read() : []);
  const requirements = some(() =>
    db
      .select()
      .from(approvalRequirements)
      .where(and(inArray(approvalRequirements.changeId, ids), isNull(approvalRequirements.satisfiedAt)))
      .all(),
  );
  const verbal = some(() =>
    db
      .select({
        changeId: verbalApprovals.changeId,
        approverId: verbalApprovals.approverId,
        outcome: verbalApprovalConfirmations.outcome,
        answeredAt: verbalApprovalConfirmations.respondedAt,
      })
      .from(verbalApprovals)
      .leftJoin(verbalApprovalConfirmations, eq(verbalApprovalConfirmations.verbalApprovalId, verbalApprovals.id))
      .where(inArray(verbalApprovals.changeId, ids))
      .orderBy(asc(verbalApprovals.id))
      .all(),
  );
  const disputes = some(() =>
    db
      .select()
      .from(authorizationDisputes)
      .where(and(inArray(authorizationDisputes.changeId, ids), isNull(authorizationDisputes.resolvedAt)))
      .orderBy(asc(authorizationDisputes.id))
      .all(),
  );
  const paperwork = some(() =>
    db.select().from(obligations).where(inArray(obligations.changeId, ids)).orderBy(asc(obligations.id)).all(),
  );
  const events = some(() =>
    db
      .select({
        changeId: auditEvents.changeId,
        type: auditEvents.type,
        toState: auditEvents.toState,
        data: auditEvents.data,
        occurredAt: auditEvents.occurredAt,
      })
      .from(auditEvents)
      .where(
        and(
          inArray(auditEvents.changeId, ids),
          or(isNotNull(auditEvents.toState), eq(auditEvents.type, 'approval.requested')),
        ),
      )
      .orderBy(asc(auditEvents.id))
      .all(),
  );
  const requirementsOf = groupBy(requirements, (r) => r.changeId);
  const verbalOf = groupBy(verbal, (v) => v.changeId);
  const paperworkOf = groupBy(paperwork, (o) => o.changeId);
  const eventsOf = groupBy(events, (event) => event.changeId ?? 0);
  const changeFacts = rows.map((row): AgendaChangeFacts => {
    const phase = decisionStage(row.state)?.phase;
    const ownEvents = eventsOf.get(row.id) ?? [];
    const open = (requirementsOf.get(row.id) ?? []).filter((r) => r.phase === phase);
    const dueTimes = open.flatMap((r) => (r.dueAt ? [r.dueAt.getTime()] : []));
    return {
      id: row.id,
      ref: formatChangeRef(row.id),
      title: row.title,
      type: row.type,
      state: row.state,
      riskLevel: row.riskLevel,
      ownerId: row.ownerId,
      createdAt: row.createdAt,
      plannedStart: row.plannedStart,
      plannedEnd: row.plannedEnd,
      flaggedAt: row.flaggedAt,
      flagReason: row.flagReason,
      phase,
      openRoles: open.map((r) => r.role),
      approvalRequestedAt:
        ownEvents.findLast(
          (event) => event.type === 'approval.requested' && phase !== undefined && event.data?.phase === phase,
        )?.occurredAt ?? null,
      slaDueAt: dueTimes.length > 0 ? new Date(Math.min(...dueTimes)) : null,
      verbalApprovals: (verbalOf.get(row.id) ?? []).map((v) => ({
        approverId: v.approverId,
        state: verbalApprovalState(v.outcome ? { outcome: v.outcome } : undefined),
        answeredAt: v.answeredAt,
      })),
      openDispute: disputes.find((dispute) => dispute.changeId === row.id) ?? null,
      obligations: (paperworkOf.get(row.id) ?? []).map(({ kind, dueAt, completedAt }) => ({
        kind,
        dueAt,
        completedAt,
      })),
      outcomes: ownEvents.flatMap((event) => {
        const state = CHANGE_STATES.find((candidate) => candidate === event.toState);
        return state ? [{ state, at: event.occurredAt }] : [];
      }),
    };
  });
  const undelivered = db
    .select({ changeId: outbox.changeId, kind: outbox.kind, error: outbox.lastError, at: outbox.createdAt })
    .from(outbox)
    .where(and(eq(outbox.status, 'dead'), gte(outbox.createdAt, since)))
    .orderBy(asc(outbox.id))
    .all();
  return { changes: changeFacts, undelivered };
}

/** The last regular meeting before `at`: the agenda's "since the last CAB". */
export function previousRegularMeeting(db: DbExecutor, at: Date): CabMeetingRow | undefined {
  return db
    .select()
    .from(cabMeetings)
    .where(and(eq(cabMeetings.kind, 'regular'), lt(cabMeetings.meetingAt, at)))
    .orderBy(desc(cabMeetings.meetingAt))
    .get();
}

export function meetingOfSlot(db: DbExecutor, slot: string): CabMeetingRow | undefined {
  return db.select().from(cabMeetings).where(eq(cabMeetings.slot, slot)).get();
}

export function meetingById(db: DbExecutor, meetingId: number): CabMeetingRow | undefined {
  return db.select().from(cabMeetings).where(eq(cabMeetings.id, meetingId)).get();
}

export function itemById(db: DbExecutor, itemId: number): BoardItemRow | undefined {
  return db.select().from(cabItems).where(eq(cabItems.id, itemId)).get();
}

export function itemsOfMeeting(db: DbExecutor, meetingId: number): BoardItemRow[] {
  return db.select().from(cabItems).where(eq(cabItems.meetingId, meetingId)).orderBy(asc(cabItems.id)).all();
}

/** An emergency CAB still open for the change, so convening twice posts once. */
export function openEmergencyItem(db: DbExecutor, changeId: number): BoardItemRow | undefined {
  return db
    .select({ item: cabItems })
    .from(cabItems)
    .innerJoin(cabMeetings, eq(cabItems.meetingId, cabMeetings.id))
    .where(
      and(
        eq(cabItems.changeId, changeId),
        eq(cabMeetings.kind, 'emergency'),
        isNull(cabMeetings.closedAt),
        isNull(cabItems.outcome),
      ),
    )
    .get()?.item;
}

/** A change's posted items still undecided: superseded when it is put to the board again. */
export function undecidedPostedItems(db: DbExecutor, changeId: number): BoardItemRow[] {
  return db
    .select()
    .from(cabItems)
    .where(and(eq(cabItems.changeId, changeId), isNull(cabItems.outcome), isNotNull(cabItems.ts)))
    .all();
}

export function votesOf(db: DbExecutor, itemId: number): CabVote[] {
  return db
    .select({ voterId: cabVotes.voterId, vote: cabVotes.vote })
    .from(cabVotes)
    .where(eq(cabVotes.itemId, itemId))
    .orderBy(asc(cabVotes.id))
    .all();
}

/** Records a member's vote, or changes it; false when it was already that vote (a double click). */
export function recordVote(db: DbExecutor, itemId: number, vote: CabVote, at: Date): boolean {
  const existing = db
    .select()
    .from(cabVotes)
    .where(and(eq(cabVotes.itemId, itemId), eq(cabVotes.voterId, vote.voterId)))
    .get();
  if (existing?.vote === vote.vote) return false;
  if (existing) db.update(cabVotes).set({ vote: vote.vote, votedAt: at }).where(eq(cabVotes.id, existing.id)).run();
  else db.insert(cabVotes).values({ itemId, voterId: vote.voterId, vote: vote.vote, votedAt: at }).run();
  return true;
}

/** Closed meetings whose meeting time falls in [from, to), newest first. */
export function closedMeetingsBetween(db: DbExecutor, from: Date, to: Date): CabMeetingRow[] {
  return db
    .select()
    .from(cabMeetings)
    .where(and(isNotNull(cabMeetings.closedAt), gte(cabMeetings.meetingAt, from), lt(cabMeetings.meetingAt, to)))
    .orderBy(desc(cabMeetings.meetingAt))
    .all();
}

/** The most recent closed meetings, newest first. */
export function recentClosedMeetings(db: DbExecutor, limit: number): CabMeetingRow[] {
  return db
    .select()
    .from(cabMeetings)
    .where(isNotNull(cabMeetings.closedAt))
    .orderBy(desc(cabMeetings.meetingAt))
    .limit(limit)
    .all();
}

export type NewCabMeeting = typeof cabMeetings.$inferInsert;
export type NewCabItem = typeof cabItems.$inferInsert;
export type CabMeetingUpdate = Omit<Partial<NewCabMeeting>, 'id'>;

/** Records a meeting; its id. */
export function insertMeeting(db: DbExecutor, meeting: NewCabMeeting): number {
  const [row] = db.insert(cabMeetings).values(meeting).returning({ id: cabMeetings.id }).all();
  if (!row) throw new Error('the meeting was not inserted');
  return row.id;
}

/** Sets some of a meeting's columns: where it was posted, its minutes, its closing. */
export function updateMeeting(db: DbExecutor, meetingId: number, fields: CabMeetingUpdate): void {
  db.update(cabMeetings).set(fields).where(eq(cabMeetings.id, meetingId)).run();
}

/** Puts a change to a meeting; returns the item's id. */
export function insertItem(db: DbExecutor, item: NewCabItem): number {
  return db.insert(cabItems).values(item).returning({ id: cabItems.id }).get().id;
}

/** Where an item's vote buttons were posted. */
export function setItemTs(db: DbExecutor, itemId: number, ts: string): void {
  db.update(cabItems).set({ ts }).where(eq(cabItems.id, itemId)).run();
}

/** An emergency CAB's one item is its first message: it carries the buttons. */
export function setItemsTsOfMeeting(db: DbExecutor, meetingId: number, ts: string): void {
  db.update(cabItems).set({ ts }).where(eq(cabItems.meetingId, meetingId)).run();
}

/** Records the board's outcome on an item, once; false when it was already decided. */
export function decideItem(
  db: DbExecutor,
  itemId: number,
  decision: Pick<BoardItemRow, 'outcome' | 'decidedBy' | 'reason' | 'decidedAt'>,
): boolean {
  return (
    db
      .update(cabItems)
      .set(decision)
      .where(and(eq(cabItems.id, itemId), isNull(cabItems.outcome)))
      .returning({ id: cabItems.id })
      .all().length === 1
  );
}

// Read-only queries for the evidence pack (issue 14.5): plain objects, read a batch of changes at a time.
import { and, asc, eq, gt, gte, inArray, lt, or } from 'drizzle-orm';
import type { Minutes } from '../domain/cab.js';
import type { ScheduleException } from '../domain/schedule.js';
import type { ChangeRow, ReviewRow, RollbackRow, VerificationRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import {
  approvalDecisions,
  approvalRequirements,
  auditEvents,
  cabItems,
  cabMeetings,
  cabVotes,
  changeEvidence,
  changes,
  postImplementationReviews,
  rollbacks,
  verbalApprovalConfirmations,
  verbalApprovals,
  verifications,
} from './schema.js';

/** Instants, start included and end excluded. */
export interface EvidencePeriod {
  start: Date;
  end: Date;
}

/** One approval decision as the decisions table holds it, with what explains who took it. */
export interface DecisionEvidence {
  id: number;
  phase: string | null;
  role: string | null;
  /** Set when nobody else held `role`: this role's members were asked, on behalf of `role`. */
  fallbackRole: string | null;
  approverId: string | null;
  /** A delegate's decision: the delegator it was taken for. */
  onBehalfOf: string | null;
  decision: 'approve' | 'reject';
  source: 'button' | 'verbal' | 'cab' | 'pre_approved';
  reason: string | null;
  decidedAt: Date;
  /** Who recorded a verbal approval in the approver's name. */
  recordedBy: string | null;
  /** The meeting whose board took a CAB decision. */
  cabMeetingId: number | null;
  voidedAt: Date | null;
  voidReason: string | null;
}

export interface VerbalApprovalEvidence {
  id: number;
  approverId: string;
  role: string;
  medium: string;
  givenAt: Date;
  note: string | null;
  recordedBy: string;
  recordedAt: Date;
  decisionId: number | null;
  confirmation: {
    outcome: 'confirmed' | 'disputed';
    respondedBy: string;
    respondedAt: Date;
    comment: string | null;
  } | null;
}

/** A record of a test or step item (POL-SEC-008 8.1, 9.3; 003), as its write-once row holds it. */
export interface EvidenceRecordEvidence {
  id: number;
  scope: 'test' | 'step';
  item: string;
  label: string;
  evidence: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface ChangeEvidence {
  change: Omit<ChangeRow, 'submissionKey'>;
  decisions: DecisionEvidence[];
  verbalApprovals: VerbalApprovalEvidence[];
  /** Its tests and step items recorded with Add evidence, oldest first. */
  evidenceRecords: EvidenceRecordEvidence[];
  /** When it entered implementing, and when it left it (completed or failed): from its audit events. */
  implementation: { startedAt: Date | null; endedAt: Date | null; closedAt: Date | null };
  verification: Omit<VerificationRow, 'id' | 'changeId'> | null;
  review: Omit<ReviewRow, 'id' | 'changeId'> | null;
  rollback: Omit<RollbackRow, 'id' | 'changeId'> | null;
  scheduleException: ScheduleException | null;
}

export interface CabVoteEvidence {
  itemId: number;
  changeId: number;
  voterId: string;
  vote: string;
  votedAt: Date;
}

export interface CabItemEvidence {
  id: number;
  changeId: number;
  phase: string;
  outcome: string | null;
  decidedBy: string | null;
  reason: string | null;
  decidedAt: Date | null;
}

export interface CabMeetingEvidence {
  id: number;
  kind: 'regular' | 'emergency';
  meetingAt: Date;
  late: boolean;
  openedBy: string;
  closedAt: Date | null;
  closedBy: string | null;
  notes: string | null;
  minutes: Minutes | null;
  items: CabItemEvidence[];
  votes: CabVoteEvidence[];
}

function groupByChange<T extends { changeId: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.changeId);
    if (group) group.push(row);
    else groups.set(row.changeId, [row]);
  }
  return groups;
}

function byChange<T extends { changeId: number }>(rows: readonly T[]): Map<number, Omit<T, 'changeId'>> {
  return new Map(rows.map(({ changeId, ...rest }) => [changeId, rest]));
}

/**
 * The next `limit` changes after `afterId` (by id) created in the period or with a decision taken in
 * it, each with its decisions, verbal approvals and implementation record.
 */
export function changeEvidenceBatch(
  db: DbExecutor,
  period: EvidencePeriod,
  page: { afterId: number; limit: number },
): ChangeEvidence[] {
  const decidedInPeriod = db
    .select({ id: approvalDecisions.changeId })
    .from(approvalDecisions)
    .where(and(gte(approvalDecisions.decidedAt, period.start), lt(approvalDecisions.decidedAt, period.end)));
  const rows = db
    .select()
    .from(changes)
    .where(
      and(
        gt(changes.id, page.afterId),
        or(
          and(gte(changes.createdAt, period.start), lt(changes.createdAt, period.end)),
          inArray(changes.id, decidedInPeriod),
        ),
      ),
    )
    .orderBy(asc(changes.id))
    .limit(page.limit)
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const decisions = groupByChange(decisionsOf(db, ids));
  const verbal = groupByChange(verbalApprovalsOf(db, ids));
  const records = groupByChange(
    db.select().from(changeEvidence).where(inArray(changeEvidence.changeId, ids)).orderBy(asc(changeEvidence.id)).all(),
  );
  const times = implementationTimesOf(db, ids);
  const verified = byChange(db.select().from(verifications).where(inArray(verifications.changeId, ids)).all());
  const reviewed = byChange(
    db.select().from(postImplementationReviews).where(inArray(postImplementationReviews.changeId, ids)).all(),
  );
  const rolledBack = byChange(db.select().from(rollbacks).where(inArray(rollbacks.changeId, ids)).all());
  return rows.map(({ submissionKey: _key, ...change }) => ({
    change,
    decisions: (decisions.get(change.id) ?? []).map(({ changeId: _id, ...decision }) => decision),
    verbalApprovals: (verbal.get(change.id) ?? []).map(({ changeId: _id, ...approval }) => approval),
    evidenceRecords: (records.get(change.id) ?? []).map(({ changeId: _id, ...record }) => record),
    implementation: times.get(change.id) ?? { startedAt: null, endedAt: null, closedAt: null },
    verification: withoutId(verified.get(change.id)),
    review: withoutId(reviewed.get(change.id)),
    rollback: withoutId(rolledBack.get(change.id)),
    scheduleException: change.scheduleException ?? null,
  }));
}

function withoutId<T extends { id: number }>(row: T | undefined): Omit<T, 'id'> | null {
  if (!row) return null;
  const { id: _id, ...rest } = row;
  return rest;
}

function decisionsOf(db: DbExecutor, ids: number[]): (DecisionEvidence & { changeId: number })[] {
  return (
    db
      .select({
        changeId: approvalDecisions.changeId,
        id: approvalDecisions.id,
        phase: approvalRequirements.phase,
        role: approvalDecisions.role,
        fallbackRole: approvalRequirements.fallbackRole,
        approverId: approvalDecisions.approverId,
        onBehalfOf: approvalDecisions.onBehalfOf,
        decision: approvalDecisions.decision,
        source: approvalDecisions.source,
        reason: approvalDecisions.reason,
        decidedAt: approvalDecisions.decidedAt,
        recordedBy: verbalApprovals.recordedBy,
        cabMeetingId: cabItems.meetingId,
        voidedAt: approvalDecisions.voidedAt,
        voidReason: approvalDecisions.voidReason,
      })
      .from(approvalDecisions)
      .leftJoin(approvalRequirements, eq(approvalDecisions.requirementId, approvalRequirements.id))
      .leftJoin(verbalApprovals, eq(verbalApprovals.decisionId, approvalDecisions.id))
      // The board's item decision is written with the same instant as the decision it leads to.
      .leftJoin(
        cabItems,
        and(
          eq(approvalDecisions.source, 'cab'),
          eq(cabItems.changeId, approvalDecisions.changeId),
          eq(cabItems.phase, approvalRequirements.phase),
          eq(cabItems.decidedAt, approvalDecisions.decidedAt),
        ),
      )
      .where(inArray(approvalDecisions.changeId, ids))
      .orderBy(asc(approvalDecisions.id))
      .all()
  );
}

function verbalApprovalsOf(db: DbExecutor, ids: number[]): (VerbalApprovalEvidence & { changeId: number })[] {
  return db
    .select({
      verbal: verbalApprovals,
      confirmation: verbalApprovalConfirmations,
    })
    .from(verbalApprovals)
    .leftJoin(verbalApprovalConfirmations, eq(verbalApprovalConfirmations.verbalApprovalId, verbalApprovals.id))
    .where(inArray(verbalApprovals.changeId, ids))
    .orderBy(asc(verbalApprovals.id))
    .all()
    .map(({ verbal: { submissionKey: _key, ...verbal }, confirmation }) => ({
      ...verbal,
      confirmation: confirmation
        ? {
            outcome: confirmation.outcome,
            respondedBy: confirmation.respondedBy,
            respondedAt: confirmation.respondedAt,
            comment: confirmation.comment,
          }
        : null,
    }));
}

type ImplementationTimes = ChangeEvidence['implementation'];

/** The first time each change entered implementing, left it, and closed, as its transitions were audited. */
function implementationTimesOf(db: DbExecutor, ids: number[]): Map<number, ImplementationTimes> {
  const events = db
    .select({ changeId: auditEvents.changeId, toState: auditEvents.toState, occurredAt: auditEvents.occurredAt })
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.changeId, ids),
        inArray(auditEvents.toState, ['implementing', 'completed', 'failed', 'closed']),
      ),
    )
    .orderBy(asc(auditEvents.id))
    .all();
  const times = new Map<number, ImplementationTimes>();
  for (const event of events) {
    if (event.changeId === null) continue;
    const entry = times.get(event.changeId) ?? { startedAt: null, endedAt: null, closedAt: null };
    if (event.toState === 'implementing') entry.startedAt ??= event.occurredAt;
    else if (event.toState === 'closed') entry.closedAt ??= event.occurredAt;
    else entry.endedAt ??= event.occurredAt;
    times.set(event.changeId, entry);
  }
  return times;
}

/** CAB meetings held (by meeting time) in the period, oldest first, with their items and votes. */
export function cabMeetingsInPeriod(db: DbExecutor, period: EvidencePeriod): CabMeetingEvidence[] {
  const meetings = db
    .select()
    .from(cabMeetings)
    .where(and(gte(cabMeetings.meetingAt, period.start), lt(cabMeetings.meetingAt, period.end)))
    .orderBy(asc(cabMeetings.meetingAt), asc(cabMeetings.id))
    .all();
  if (meetings.length === 0) return [];
  const meetingIds = meetings.map((meeting) => meeting.id);
  const items = db
    .select()
    .from(cabItems)
    .where(inArray(cabItems.meetingId, meetingIds))
    .orderBy(asc(cabItems.id))
    .all();
  const votes = db
    .select({
      meetingId: cabItems.meetingId,
      itemId: cabVotes.itemId,
      changeId: cabItems.changeId,
      voterId: cabVotes.voterId,
      vote: cabVotes.vote,
      votedAt: cabVotes.votedAt,
    })
    .from(cabVotes)
    .innerJoin(cabItems, eq(cabVotes.itemId, cabItems.id))
    .where(inArray(cabItems.meetingId, meetingIds))
    .orderBy(asc(cabVotes.itemId), asc(cabVotes.id))
    .all();
  return meetings.map((meeting) => ({
    id: meeting.id,
    kind: meeting.kind,
    meetingAt: meeting.meetingAt,
    late: meeting.late,
    openedBy: meeting.openedBy,
    closedAt: meeting.closedAt,
    closedBy: meeting.closedBy,
    notes: meeting.notes,
    minutes: meeting.minutes,
    items: items
      .filter((item) => item.meetingId === meeting.id)
      .map((item) => ({
        id: item.id,
        changeId: item.changeId,
        phase: item.phase,
        outcome: item.outcome,
        decidedBy: item.decidedBy,
        reason: item.reason,
        decidedAt: item.decidedAt,
      })),
    votes: votes.filter((vote) => vote.meetingId === meeting.id).map(({ meetingId: _id, ...vote }) => vote),
  }));
}

// What waits for one person, read through indexes: the candidates by user, the changes by requester and owner,
// the verbal approvals by approver, the open CAB meetings.
import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  ne,
  not,
  notExists,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { type AnySQLiteColumn, alias } from 'drizzle-orm/sqlite-core';
import { FINISHED_STATES, STEP_STATES } from '../domain/inbox.js';
import { DECIDING_STATES, decisionStageOf } from '../domain/lifecycle.js';
import type { ChangeRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import {
  approvalCandidates,
  approvalDecisions,
  approvalRequirements,
  cabItems,
  cabMeetings,
  cabVotes,
  changes,
  delegations,
  verbalApprovalConfirmations,
  verbalApprovals,
} from './schema.js';

/** One open requirement someone was asked to satisfy and has not decided on yet. */
export interface WaitingRequirementRow {
  userId: string;
  changeId: number;
  title: string;
  type: ChangeRow['type'];
  riskLevel: string | null;
  requesterId: string;
  requirementId: number;
  phase: (typeof approvalRequirements.$inferSelect)['phase'];
  role: string;
  fallbackRole: string | null;
  dueAt: Date | null;
  /** Asked as the delegate of this person, or (`reassignedBy`) by an admin's reassignment; else in their own right. */
  onBehalfOf: string | null;
  reassignedBy: string | null;
}

/** The phase a requirement belongs to is the one its change waits in. */
function inWaitingPhase(phase: AnySQLiteColumn): SQL {
  return and(
    inArray(changes.state, DECIDING_STATES),
    or(...DECIDING_STATES.map((state) => and(eq(changes.state, state), eq(phase, decisionStageOf(state).phase)))),
  ) as SQL;
}

const decidedRequirement = alias(approvalRequirements, 'decided_requirement');

/**
 * Open requirements of the phase each change waits in, whose candidate (`userId`, or everyone) may still decide:
 * not the board's own (the CAB decides it), not a stand-in before the authorization was escalated, not one asked of a
 * delegate whose delegation no longer runs (`today`: the policy timezone's date), and not one the candidate decided
 * already, themselves or through a delegate (or, with one role per person, any of that change's phase). Oldest
 * change first.
 */
export function waitingRequirements(
  db: DbExecutor,
  filter: { userId?: string; boardRole: string; oneRolePerPerson: boolean; today: string },
): WaitingRequirementRow[] {
  const { userId, boardRole, oneRolePerPerson, today } = filter;
  const delegationRuns = db
    .select({ one: sql`1` })
    .from(delegations)
    .where(
      and(
        eq(delegations.delegatorId, approvalCandidates.onBehalfOf),
        eq(delegations.delegateId, approvalCandidates.userId),
        isNull(delegations.endedAt),
        gte(delegations.until, today),
      ),
    );
  const decided = db
    .select({ one: sql`1` })
    .from(approvalDecisions)
    .innerJoin(decidedRequirement, eq(approvalDecisions.requirementId, decidedRequirement.id))
    .where(
      and(
        // Whose approval it gives: the approver's, and the delegator's a delegate approved for; a delegate's own or
        // their delegator's (the delegate decides for them) leaves a delegate's request nothing to decide.
        or(
          eq(approvalDecisions.approverId, approvalCandidates.userId),
          eq(approvalDecisions.onBehalfOf, approvalCandidates.userId),
          eq(approvalDecisions.approverId, approvalCandidates.onBehalfOf),
          eq(approvalDecisions.onBehalfOf, approvalCandidates.onBehalfOf),
        ),
        isNull(approvalDecisions.voidedAt),
        oneRolePerPerson
          ? and(
              eq(decidedRequirement.changeId, approvalRequirements.changeId),
              eq(decidedRequirement.phase, approvalRequirements.phase),
            )
          : eq(decidedRequirement.id, approvalRequirements.id),
      ),
    );
  return db
    .select({
      userId: approvalCandidates.userId,
      changeId: changes.id,
      title: changes.title,
      type: changes.type,
      riskLevel: changes.riskLevel,
      requesterId: changes.requesterId,
      requirementId: approvalRequirements.id,
      phase: approvalRequirements.phase,
      role: approvalRequirements.role,
      fallbackRole: approvalRequirements.fallbackRole,
      dueAt: approvalRequirements.dueAt,
      onBehalfOf: approvalCandidates.onBehalfOf,
      reassignedBy: approvalCandidates.reassignedBy,
    })
    .from(approvalCandidates)
    .innerJoin(approvalRequirements, eq(approvalCandidates.requirementId, approvalRequirements.id))
    .innerJoin(changes, eq(approvalRequirements.changeId, changes.id))
    .where(
      and(
        // Read from the few changes waiting for a decision, not from everything the person was ever asked: the unary
        // plus keeps SQLite from driving the query by the candidates' user index.
        userId === undefined ? undefined : sql`+${approvalCandidates.userId} = ${userId}`,
        isNull(approvalRequirements.satisfiedAt),
        inWaitingPhase(approvalRequirements.phase),
        not(and(eq(approvalRequirements.role, boardRole), ne(approvalRequirements.phase, 'authorization')) as SQL),
        // An emergency's stand-in authorizers wait until it is escalated (domain/approvers.ts isAskedNow).
        or(
          eq(approvalRequirements.alternative, false),
          ne(approvalRequirements.phase, 'authorization'),
          isNotNull(changes.authorizationEscalatedAt),
        ),
        or(isNull(approvalCandidates.onBehalfOf), exists(delegationRuns)),
        notExists(decided),
      ),
    )
    .orderBy(asc(changes.id), asc(approvalRequirements.id))
    .all();
}

/** A verbal approval recorded in someone's name that they have not confirmed or disputed yet. */
export interface UnansweredVerbalRow {
  verbalApprovalId: number;
  changeId: number;
  title: string;
  recordedBy: string;
  givenAt: Date;
}

export function unansweredVerbalApprovals(db: DbExecutor, approverId: string): UnansweredVerbalRow[] {
  return db
    .select({
      verbalApprovalId: verbalApprovals.id,
      changeId: changes.id,
      title: changes.title,
      recordedBy: verbalApprovals.recordedBy,
      givenAt: verbalApprovals.givenAt,
    })
    .from(verbalApprovals)
    .innerJoin(changes, eq(verbalApprovals.changeId, changes.id))
    .leftJoin(verbalApprovalConfirmations, eq(verbalApprovalConfirmations.verbalApprovalId, verbalApprovals.id))
    .where(and(eq(verbalApprovals.approverId, approverId), isNull(verbalApprovalConfirmations.id)))
    .orderBy(asc(verbalApprovals.id))
    .all();
}

/** A change put to the board at an open meeting that the board can still decide there. */
export interface OpenBoardItemRow {
  itemId: number;
  changeId: number;
  title: string;
  phase: (typeof cabItems.$inferSelect)['phase'];
  meetingKind: (typeof cabMeetings.$inferSelect)['kind'];
  meetingAt: Date;
}

const laterItem = alias(cabItems, 'later_item');

/**
 * Undecided items of open meetings, each its change's latest, whose change still waits for the board in that phase;
 * none the person requested or owns, and (`voterId`) none they voted on already. Oldest first.
 */
export function openBoardItems(
  db: DbExecutor,
  filter: { boardRole: string; personId: string; voterId?: string },
): OpenBoardItemRow[] {
  const { boardRole, personId, voterId } = filter;
  const later = db
    .select({ one: sql`1` })
    .from(laterItem)
    .where(and(eq(laterItem.changeId, cabItems.changeId), gt(laterItem.id, cabItems.id)));
  const boardRequirementOpen = db
    .select({ one: sql`1` })
    .from(approvalRequirements)
    .where(
      and(
        eq(approvalRequirements.changeId, cabItems.changeId),
        eq(approvalRequirements.phase, cabItems.phase),
        eq(approvalRequirements.role, boardRole),
        isNull(approvalRequirements.satisfiedAt),
      ),
    );
  const voted = db
    .select({ one: sql`1` })
    .from(cabVotes)
    .where(and(eq(cabVotes.itemId, cabItems.id), eq(cabVotes.voterId, voterId ?? '')));
  return db
    .select({
      itemId: cabItems.id,
      changeId: changes.id,
      title: changes.title,
      phase: cabItems.phase,
      meetingKind: cabMeetings.kind,
      meetingAt: cabMeetings.meetingAt,
    })
    .from(cabMeetings)
    .innerJoin(cabItems, eq(cabItems.meetingId, cabMeetings.id))
    .innerJoin(changes, eq(cabItems.changeId, changes.id))
    .where(
      and(
        isNull(cabMeetings.closedAt),
        isNull(cabItems.outcome),
        inWaitingPhase(cabItems.phase),
        ne(changes.requesterId, personId),
        ne(changes.ownerId, personId),
        notExists(later),
        exists(boardRequirementOpen),
        voterId === undefined ? undefined : notExists(voted),
      ),
    )
    .orderBy(asc(cabItems.id))
    .all();
}

/** A page of changes and how many there are in all. */
export interface ChangePage {
  rows: ChangeRow[];
  total: number;
}

function changePage(
  db: DbExecutor,
  where: SQL | undefined,
  query: { limit: number; newestFirst: boolean },
): ChangePage {
  const rows = db
    .select()
    .from(changes)
    .where(where)
    .orderBy(query.newestFirst ? desc(changes.id) : asc(changes.id))
    .limit(query.limit)
    .all();
  const total = db.select({ total: count() }).from(changes).where(where).get()?.total ?? 0;
  return { rows, total };
}

/** The planned changes someone owns that wait for one of their implementation steps, oldest first. */
function ownsStep(ownerId: string): SQL {
  return and(
    eq(changes.ownerId, ownerId),
    ne(changes.type, 'emergency'),
    inArray(changes.state, [...STEP_STATES]),
  ) as SQL;
}

export function changesAwaitingStepOf(db: DbExecutor, ownerId: string, limit: number): ChangePage {
  return changePage(db, ownsStep(ownerId), { limit, newestFirst: false });
}

/** The changes someone requested or owns that are not finished, but those waiting for their step; newest first. */
export function activeChangesOf(db: DbExecutor, userId: string, limit: number): ChangePage {
  const where = and(
    or(eq(changes.requesterId, userId), eq(changes.ownerId, userId)),
    notInArray(changes.state, [...FINISHED_STATES]),
    not(ownsStep(userId)),
  );
  return changePage(db, where, { limit, newestFirst: true });
}

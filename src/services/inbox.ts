import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { homeViewer } from '../db/home-viewers.js';
import {
  activeChangesOf,
  changesAwaitingStepOf,
  type OpenBoardItemRow,
  openBoardItems,
  type UnansweredVerbalRow,
  unansweredVerbalApprovals,
  type WaitingRequirementRow,
  waitingRequirements,
} from '../db/inbox.js';
import type { PlannedChangeRow } from '../db/schedule.js';
import { requirementsOf } from '../domain/approvers.js';
import { formatChangeRef } from '../domain/change-ref.js';
import type { ApprovalPhase } from '../domain/lifecycle.js';
import type { Freeze } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from './context.js';
import { todayOf } from './delegates.js';
import { type Delegation, delegationStatus } from './delegations.js';
import { upcomingCalendar } from './freezes.js';

/** One change waiting for someone's decision in one phase. */
export interface WaitingDecision {
  changeId: number;
  ref: string;
  title: string;
  type: WaitingRequirementRow['type'];
  riskLevel: string | null;
  requesterId: string;
  phase: ApprovalPhase;
  /** The roles they were asked for. */
  roles: string[];
  /** When the first of those requirements' SLA runs out (null: none has one). */
  dueAt: Date | null;
}

/** A change as one person's open decision in `phase`: the roles they were asked for, and the soonest due. */
export function waitingDecisionOf(
  record: ChangeRecord,
  asked: { userId: string; phase: ApprovalPhase },
): WaitingDecision {
  const open = requirementsOf(record, asked.phase).filter(
    (requirement) => requirement.satisfiedAt === null && requirement.candidates.includes(asked.userId),
  );
  const dues = open.flatMap((requirement) => (requirement.dueAt ? [requirement.dueAt.getTime()] : []));
  return {
    changeId: record.change.id,
    ref: record.ref,
    title: record.change.title,
    type: record.change.type,
    riskLevel: record.change.riskLevel,
    requesterId: record.change.requesterId,
    phase: asked.phase,
    roles: open.map((requirement) => requirement.role),
    dueAt: dues.length > 0 ? new Date(Math.min(...dues)) : null,
  };
}

/** Where and when to read what waits. */
export interface WaitingSource {
  db: DbExecutor;
  policy: Policy;
  now: Date;
}

const earlier = (a: Date | null, b: Date | null) => (a === null || (b !== null && b < a) ? b : a);

/** One decision per person, change and phase (a person may be asked for two roles), in the order of the rows. */
export function decisionsOf(rows: readonly WaitingRequirementRow[]): Map<string, WaitingDecision[]> {
  const byPerson = new Map<string, Map<string, WaitingDecision>>();
  for (const row of rows) {
    const decisions = byPerson.get(row.userId) ?? new Map<string, WaitingDecision>();
    byPerson.set(row.userId, decisions);
    const key = `${row.changeId}:${row.phase}`;
    const known = decisions.get(key);
    if (known) {
      known.roles.push(row.role);
      known.dueAt = earlier(known.dueAt, row.dueAt);
      continue;
    }
    decisions.set(key, {
      changeId: row.changeId,
      ref: formatChangeRef(row.changeId),
      title: row.title,
      type: row.type,
      riskLevel: row.riskLevel,
      requesterId: row.requesterId,
      phase: row.phase,
      roles: [row.role],
      dueAt: row.dueAt,
    });
  }
  return new Map([...byPerson].map(([userId, decisions]) => [userId, [...decisions.values()]]));
}

/** What waits, and for whom, as of `now`: a delegate's requests only while the delegation runs. */
export function waitingFilter(at: { policy: Policy; now: Date }) {
  const { policy } = at;
  return { boardRole: policy.cab.role, oneRolePerPerson: policy.approvals.one_role_per_person, today: todayOf(at) };
}

/** The decisions waiting for someone (approvals, authorizations, retro-approvals), oldest change first. */
export function decisionsWaitingFor(source: WaitingSource, userId: string): WaitingDecision[] {
  const rows = waitingRequirements(source.db, { userId, ...waitingFilter(source) });
  return decisionsOf(rows).get(userId) ?? [];
}

/** A change put to the board that waits for someone's vote, or (`decides`) for the chair's decision. */
export interface BoardItemWaiting extends OpenBoardItemRow {
  ref: string;
  decides: boolean;
}

export interface VerbalWaiting extends UnansweredVerbalRow {
  ref: string;
}

/** A few changes, loaded whole to show their status and next step, and how many there are in all. */
export interface ChangesShown {
  records: ChangeRecord[];
  total: number;
}

/** Everything that waits for one person, as their Home shows it. */
export interface Inbox {
  decisions: WaitingDecision[];
  confirmations: VerbalWaiting[];
  boardItems: BoardItemWaiting[];
  /** The changes they own that wait for an implementation step, oldest first. */
  toImplement: ChangesShown;
  /** The other changes they requested or own that are not finished, newest first. */
  active: ChangesShown;
  calendar: { changes: PlannedChangeRow[]; freezes: Freeze[] };
  /** The answer to their last click in the Home, while it is recent. */
  notice: string | undefined;
  /** The delegation they gave and those they hold, running now. */
  delegation: { given: Delegation | undefined; held: Delegation[] };
}

/** How long the answer to a click stays on top of someone's Home. */
const NOTICE_MS = 10 * 60_000;
/** The calendar a Home shows. */
export const HOME_CALENDAR_DAYS = 7;

function boardItemsFor(ctx: UseCaseContext, viewer: { userId: string; boardMember: boolean }): BoardItemWaiting[] {
  const { cab } = ctx.policy;
  const decides = cab.decision_rule === 'chair' && cab.chair === viewer.userId;
  if (!decides && !viewer.boardMember) return [];
  const rows = openBoardItems(ctx.db, {
    boardRole: cab.role,
    personId: viewer.userId,
    ...(decides ? {} : { voterId: viewer.userId }),
  });
  return rows.map((row) => ({ ...row, ref: formatChangeRef(row.changeId), decides }));
}

function shown(db: DbExecutor, page: { rows: { id: number }[]; total: number }): ChangesShown {
  return { records: page.rows.flatMap((row) => loadChangeRecord(db, row.id) ?? []), total: page.total };
}

/**
 * What waits for one person: decisions they were asked for, verbal approvals to confirm, the board's items (the
 * chair's decisions, a member's votes), their changes (at most `changesShown` of each list loaded whole), the next
 * days' calendar and the freezes, and the answer to their last click in the Home.
 */
export function inboxOf(
  ctx: UseCaseContext,
  viewer: { userId: string; boardMember: boolean; changesShown: number },
): Inbox {
  const { db, now } = ctx;
  const { userId, changesShown } = viewer;
  const noticed = homeViewer(db, userId);
  return {
    decisions: decisionsWaitingFor(ctx, userId),
    confirmations: unansweredOf(db, userId),
    boardItems: boardItemsFor(ctx, viewer),
    toImplement: shown(db, changesAwaitingStepOf(db, userId, changesShown)),
    active: shown(db, activeChangesOf(db, userId, changesShown)),
    calendar: upcomingCalendar(ctx, HOME_CALENDAR_DAYS),
    notice:
      noticed?.notice && noticed.noticeAt && now.getTime() - noticed.noticeAt.getTime() < NOTICE_MS
        ? noticed.notice
        : undefined,
    delegation: delegationStatus({ ...ctx, actorId: userId }),
  };
}

function unansweredOf(db: DbExecutor, userId: string): VerbalWaiting[] {
  return unansweredVerbalApprovals(db, userId).map((row) => ({ ...row, ref: formatChangeRef(row.changeId) }));
}

import type { Policy } from '../policy/schema.js';
import { localDate } from './business-hours.js';
import { formatChangeRef } from './change-ref.js';
import { type ObligationKind, outstandingPaperwork, type VerbalApprovalState } from './emergency.js';
import type { ApprovalPhase, ChangeState, ChangeType } from './lifecycle.js';
import { FREEZES_LISTED_DAYS, policyFreezes } from './policy-freezes.js';
import { addDays, type Interval } from './schedule.js';
import { slaBusinessDays, slaDueAt } from './sla.js';

/** How a change is named everywhere on the agenda (7.3): its ID, title, risk and owner. */
export interface ChangeHeadline {
  id: number;
  ref: string;
  title: string;
  type: ChangeType;
  state: ChangeState;
  riskLevel: string | null;
  ownerId: string;
}

/** What the agenda needs to know about one change, read from the database by the caller. */
export interface AgendaChangeFacts extends ChangeHeadline {
  createdAt: Date;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  flaggedAt: Date | null;
  flagReason: string | null;
  /** The phase it waits in and the roles still open in it (empty when it waits for no decision). */
  phase: ApprovalPhase | undefined;
  openRoles: string[];
  /** When the approvals of its current phase were asked for. */
  approvalRequestedAt: Date | null;
  /**
   * When the first of its open requirements' 4.4 SLA runs out, as recorded when they were asked (the time the
   * reminders and the escalation keep); null when none was recorded (asked before due times were kept).
   */
  slaDueAt: Date | null;
  verbalApprovals: { approverId: string; state: VerbalApprovalState; answeredAt: Date | null }[];
  /** An authorization disputed after the fact and not resolved yet (6.3): it may not close. */
  openDispute: { disputedBy: string; disputedAt: Date } | null;
  obligations: { kind: ObligationKind; dueAt: Date | null; completedAt: Date | null }[];
  /** Completions, failures and rollbacks, with when they happened. */
  outcomes: { state: ChangeState; at: Date }[];
}

export interface UndeliveredMessage {
  changeId: number | null;
  kind: string;
  error: string | null;
  at: Date;
}

export interface AgendaFacts {
  changes: AgendaChangeFacts[];
  /** Slack messages the outbox gave up on. */
  undelivered: UndeliveredMessage[];
}

/**
 * The meeting the agenda is for, the previous one ("since the last CAB" starts there) and the time
 * the facts were read: what happened, and what is overdue, is counted up to `now`.
 */
export interface AgendaWindow {
  meetingAt: Date;
  since: Date;
  now: Date;
}

// Times are ISO strings: the agenda is stored as JSON with its meeting.
export interface Agenda {
  meetingAt: string;
  since: string;
  calendarUntil: string;
  /** 7.3 (1) */
  previousChanges: { change: ChangeHeadline; outcome: ChangeState; at: string }[];
  /** 7.3 (2) */
  emergencyChanges: {
    change: ChangeHeadline;
    verbalApprovals: { approverId: string; state: VerbalApprovalState }[];
    overdue: ObligationKind[];
    owesPresentation: boolean;
  }[];
  /** 7.3 (3): changes whose board approval is open; each gets vote buttons. */
  forApproval: { change: ChangeHeadline; phase: ApprovalPhase; waitingAlsoFor: string[] }[];
  /** 7.3 (4) */
  calendar: { change: ChangeHeadline; start: string; end: string | null }[];
  /** 7.3 (5) */
  freezes: { from: string; to: string; reason: string; plannedInside: ChangeHeadline[] }[];
  /** 7.3 (6) */
  openIssues: {
    overduePaperwork: { change: ChangeHeadline; kinds: ObligationKind[]; dueAt: string }[];
    pastApprovalSla: { change: ChangeHeadline; dueAt: string; waitingFor: string[] }[];
    disputedVerbalApprovals: { change: ChangeHeadline; approverId: string; at: string }[];
    /** Open until resolved, however long ago; absent from agendas stored before it existed. */
    disputedAuthorizations?: { change: ChangeHeadline; approverId: string; at: string }[];
    flagged: { change: ChangeHeadline; reason: string; at: string }[];
    undelivered: { ref: string | null; kind: string; error: string | null; at: string }[];
  };
}

/** States in which a change is still planned to run, for the calendar. */
const CALENDAR_STATES: readonly ChangeState[] = [
  'submitted',
  'pending_approval',
  'approved',
  'scheduled',
  'implementing',
];
const OUTCOME_STATES: readonly ChangeState[] = ['completed', 'failed', 'rolled_back'];

function headline(facts: AgendaChangeFacts): ChangeHeadline {
  const { id, ref, title, type, state, riskLevel, ownerId } = facts;
  return { id, ref, title, type, state, riskLevel, ownerId };
}

const within = (at: Date | null, from: Date, to: Date) => at !== null && at >= from && at < to;
const byTime =
  <T>(time: (entry: T) => string) =>
  (a: T, b: T) =>
    time(a).localeCompare(time(b));

/** The changes awaiting the board in this phase: the board's own requirement is still open. */
export function awaitsBoard(
  facts: Pick<AgendaChangeFacts, 'phase' | 'openRoles'>,
  policy: Pick<Policy, 'cab'>,
): boolean {
  return (facts.phase === 'approval' || facts.phase === 'retro_approval') && facts.openRoles.includes(policy.cab.role);
}

type AgendaPolicy = Pick<
  Policy,
  'cab' | 'timezone' | 'business_hours' | 'holidays' | 'approval_sla' | 'approvals' | 'freezes'
>;

/**
 * When a change waiting for approval is past its 4.4 SLA: the due time recorded on its requirements or, for one
 * asked before they were recorded, counted the same way from when it was asked (the first open role's SLA).
 */
function approvalDueAt(change: AgendaChangeFacts, policy: AgendaPolicy): Date | undefined {
  if (change.state !== 'pending_approval') return undefined;
  if (change.slaDueAt) return change.slaDueAt;
  const askedAt = change.approvalRequestedAt;
  const days = change.openRoles.flatMap((role) => {
    const sla = slaBusinessDays({ role, phase: 'approval' }, change.riskLevel, policy);
    return sla === undefined ? [] : [sla];
  });
  return askedAt && days.length > 0 ? slaDueAt(askedAt, Math.min(...days), policy) : undefined;
}

const DAY_MS = 86_400_000;

/** The changes the calendar (7.3 (4)) lists start before this: the meeting plus the policy's `cab.calendar_days`. */
const calendarUntilOf = (policy: Pick<Policy, 'cab'>, meetingAt: Date) =>
  new Date(meetingAt.getTime() + policy.cab.calendar_days * DAY_MS);

/** The freezes 7.3 (5) lists: the coming year's. */
function listedFreezes(policy: Pick<Policy, 'freezes' | 'timezone'>, now: Date) {
  const today = localDate(now, policy.timezone);
  return policyFreezes(policy.freezes, { from: today, to: addDays(today, FREEZES_LISTED_DAYS) });
}

/**
 * The planned changes the agenda can show, whatever their state: those ending after `start` and starting before
 * `end` (the calendar's reach, or the last listed freeze's end). Changes planned outside it are not read, however
 * many there are; the slack of a day on each side covers local dates in any timezone.
 */
export function agendaPlannedReach(policy: AgendaPolicy, window: Omit<AgendaWindow, 'since'>): Interval {
  const freezeEnds = listedFreezes(policy, window.now).map((freeze) =>
    Date.parse(`${addDays(freeze.to, 2)}T00:00:00Z`),
  );
  return {
    start: new Date(window.now.getTime() - DAY_MS),
    end: new Date(Math.max(calendarUntilOf(policy, window.meetingAt).getTime(), ...freezeEnds)),
  };
}

/**
 * Builds the CAB agenda (POL-SEC-008 7.3) from facts read at `window.now`. Pure: the same
 * facts and window always give the same agenda.
 */
export function buildAgenda(facts: AgendaFacts, policy: AgendaPolicy, window: AgendaWindow): Agenda {
  const { meetingAt, since, now } = window;
  const calendarUntil = calendarUntilOf(policy, meetingAt);
  const changes = [...facts.changes].sort((a, b) => a.id - b.id);
  const overdueOf = (change: AgendaChangeFacts) =>
    outstandingPaperwork(change.obligations, change.state).filter((o) => o.dueAt !== null && o.dueAt < now);

  const previousChanges = changes
    .flatMap((change) =>
      change.outcomes
        .filter((o) => OUTCOME_STATES.includes(o.state) && within(o.at, since, now))
        .map((o) => ({ change: headline(change), outcome: o.state, at: o.at.toISOString() })),
    )
    .sort(byTime((entry) => entry.at));

  const emergencyChanges = changes
    .filter((change) => change.type === 'emergency')
    .map((change) => ({
      facts: change,
      overdue: overdueOf(change).map((o) => o.kind),
      owesPresentation: change.obligations.some((o) => o.kind === 'cab_presentation' && o.completedAt === null),
    }))
    .filter(
      ({ facts: change, overdue, owesPresentation }) =>
        within(change.createdAt, since, now) || overdue.length > 0 || owesPresentation,
    )
    .map(({ facts: change, overdue, owesPresentation }) => ({
      change: headline(change),
      verbalApprovals: change.verbalApprovals.map(({ approverId, state }) => ({ approverId, state })),
      overdue,
      owesPresentation,
    }));

  const forApproval = changes
    .filter((change) => awaitsBoard(change, policy))
    .map((change) => ({
      change: headline(change),
      phase: change.phase ?? 'approval',
      waitingAlsoFor: change.openRoles.filter((role) => role !== policy.cab.role),
    }));

  const calendar = changes
    .filter((change) => CALENDAR_STATES.includes(change.state) && within(change.plannedStart, now, calendarUntil))
    .map((change) => ({
      change: headline(change),
      start: change.plannedStart?.toISOString() ?? '',
      end: change.plannedEnd?.toISOString() ?? null,
    }))
    .sort(byTime((entry) => entry.start));

  const freezes = listedFreezes(policy, now)
    .sort(byTime((freeze) => freeze.from))
    .map((freeze) => ({
      from: freeze.from,
      to: freeze.to,
      reason: freeze.reason,
      plannedInside: changes
        .filter((change) => CALENDAR_STATES.includes(change.state) && change.plannedStart !== null)
        .filter((change) => {
          const start = localDate(change.plannedStart ?? now, policy.timezone);
          const end = localDate(change.plannedEnd ?? change.plannedStart ?? now, policy.timezone);
          return start <= freeze.to && end >= freeze.from;
        })
        .map(headline),
    }));

  const overduePaperwork = changes.flatMap((change) => {
    const overdue = overdueOf(change);
    const dueAt = overdue[0]?.dueAt;
    return dueAt ? [{ change: headline(change), kinds: overdue.map((o) => o.kind), dueAt: dueAt.toISOString() }] : [];
  });
  const pastApprovalSla = changes.flatMap((change) => {
    const dueAt = approvalDueAt(change, policy);
    return dueAt && dueAt < now
      ? [{ change: headline(change), dueAt: dueAt.toISOString(), waitingFor: [...change.openRoles] }]
      : [];
  });
  // Listed while open, whenever it was disputed: the change may not close until it is resolved.
  const disputedAuthorizations = changes.flatMap((change) =>
    change.openDispute
      ? [
          {
            change: headline(change),
            approverId: change.openDispute.disputedBy,
            at: change.openDispute.disputedAt.toISOString(),
          },
        ]
      : [],
  );
  const openlyDisputed = new Set(disputedAuthorizations.map((entry) => entry.change.id));
  // A dispute of an authorization already reached is listed once, as the open dispute.
  const disputedVerbalApprovals = changes.flatMap((change) =>
    change.verbalApprovals
      .filter(
        (verbal) =>
          verbal.state === 'disputed' && within(verbal.answeredAt, since, now) && !openlyDisputed.has(change.id),
      )
      .map((verbal) => ({
        change: headline(change),
        approverId: verbal.approverId,
        at: verbal.answeredAt?.toISOString() ?? '',
      })),
  );
  // A dispute flags its change too; it is listed once, as the dispute.
  const disputed = new Set([...disputedVerbalApprovals, ...disputedAuthorizations].map((entry) => entry.change.id));
  const flagged = changes
    .filter((change) => within(change.flaggedAt, since, now) && !disputed.has(change.id))
    .map((change) => ({
      change: headline(change),
      reason: change.flagReason ?? '',
      at: change.flaggedAt?.toISOString() ?? '',
    }));
  const refs = new Map(changes.map((change) => [change.id, change.ref]));
  const undelivered = facts.undelivered
    .filter((message) => within(message.at, since, now))
    .map((message) => ({
      ref: message.changeId === null ? null : (refs.get(message.changeId) ?? formatChangeRef(message.changeId)),
      kind: message.kind,
      error: message.error,
      at: message.at.toISOString(),
    }));

  return {
    meetingAt: meetingAt.toISOString(),
    since: since.toISOString(),
    calendarUntil: calendarUntil.toISOString(),
    previousChanges,
    emergencyChanges,
    forApproval,
    calendar,
    freezes,
    openIssues: {
      overduePaperwork,
      pastApprovalSla,
      disputedVerbalApprovals,
      disputedAuthorizations,
      flagged,
      undelivered,
    },
  };
}

/** How many changes an agenda names, for the chair's DM and the preview. */
export function agendaSize(agenda: Agenda): { forApproval: number; issues: number } {
  const issues = agenda.openIssues;
  return {
    forApproval: agenda.forApproval.length,
    issues:
      issues.overduePaperwork.length +
      issues.pastApprovalSla.length +
      issues.disputedVerbalApprovals.length +
      (issues.disputedAuthorizations?.length ?? 0) +
      issues.flagged.length +
      issues.undelivered.length,
  };
}

import { recordAudit } from '../db/audit-log.js';
import {
  type CabMeetingRow,
  closedMeetingsBetween,
  decideItem,
  insertItem,
  insertMeeting,
  itemById,
  itemsOfMeeting,
  loadAgendaFacts,
  meetingById,
  meetingOfSlot,
  openEmergencyItem,
  previousRegularMeeting,
  recentClosedMeetings,
  recordVote,
  undecidedPostedItems,
  updateMeeting,
  votesOf,
} from '../db/cab.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { CabinetDb, DbExecutor } from '../db/client.js';
import { announcedFreezes } from '../db/freezes.js';
import { enqueue } from '../db/outbox.js';
import { type Agenda, agendaPlannedReach, buildAgenda } from '../domain/agenda.js';
import { openBoardRequirement } from '../domain/approvers.js';
import { localDate } from '../domain/business-hours.js';
import {
  type BallotKind,
  type BallotRefusal,
  ballotKindOf,
  ballotRefusal,
  buildMinutes,
  CAB_DECIDED,
  type CabOutcome,
  type DecisionRule,
  decisionRuleFor,
  mayCloseMeeting,
  quorumOutcome,
  tally,
} from '../domain/cab.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { previousSlot } from '../domain/cron-slots.js';
import { type ChangeState, decisionStage } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import { evidenceMissingFor } from './change-evidence.js';
import { changeOfBoardItem } from './change-queries.js';
import { type ChangeRefusal, changeNotFound, type Refusal, SYSTEM_ACTOR, type UseCaseContext } from './context.js';
import { recordBoardDecision } from './decide.js';

const WEEK_MS = 7 * 86_400_000;

/**
 * The agenda for the meeting at `meetingAt`, from the database as it is `now`. "Since the last CAB"
 * starts when the previous regular meeting's agenda was read (so an agenda posted early or late
 * leaves nothing out), or at the schedule's previous slot before any was held.
 */
export function agendaFor(db: DbExecutor, policy: Policy, meetingAt: Date, now: Date): Agenda {
  const since =
    previousRegularMeeting(db, meetingAt)?.createdAt ??
    previousSlot(policy.cab.schedule, policy.timezone, new Date(meetingAt.getTime() - 1000)) ??
    new Date(meetingAt.getTime() - WEEK_MS);
  // 7.3 (5) lists the freezes announced from Slack as well as the policy file's.
  const agendaPolicy = { ...policy, freezes: [...policy.freezes, ...announcedFreezes(db)] };
  const planned = agendaPlannedReach(agendaPolicy, { meetingAt, now });
  return buildAgenda(loadAgendaFacts(db, { since, planned }), agendaPolicy, { meetingAt, since, now });
}

export type OpenedMeeting = { ok: true; meetingId: number; created: boolean };

/** The policy names no CAB channel, so there is nowhere to post. */
export type NoCabChannel = Refusal<'no_cab_channel'>;

export type ConveneOutcome =
  | OpenedMeeting
  | NoCabChannel
  | ChangeRefusal
  | Refusal<'not_involved', { ref: string }>
  | Refusal<'not_waiting', { ref: string; state: ChangeState }>;

/**
 * Opens the regular meeting of a cron slot (from the job, late or on time, or the chair's "Post
 * now"): the agenda is built, its changes for approval put to the board, and the post queued, in
 * one transaction. The unique slot makes a second call for the same slot a no-op.
 */
export function openRegularMeeting(
  db: CabinetDb,
  policy: Policy,
  request: { slot: Date; late: boolean; openedBy: string },
  now: Date,
): OpenedMeeting | NoCabChannel {
  const channelId = policy.cab.channel;
  if (!channelId) return { ok: false, code: 'no_cab_channel' };
  return db.transaction(
    (tx) => {
      const slot = request.slot.toISOString();
      const existing = meetingOfSlot(tx, slot);
      if (existing) return { ok: true as const, meetingId: existing.id, created: false };
      const agenda = agendaFor(tx, policy, request.slot, now);
      const meetingId = insertMeeting(tx, {
        kind: 'regular',
        slot,
        meetingAt: request.slot,
        late: request.late,
        openedBy: request.openedBy,
        agenda,
        channelId,
        createdAt: now,
      });
      recordAudit(
        tx,
        {
          changeId: null,
          actorId: request.openedBy,
          type: 'cab.meeting_opened',
          data: { meetingId: meetingId, kind: 'regular', slot, late: request.late },
        },
        now,
      );
      for (const entry of agenda.forApproval) {
        // An earlier meeting's item of the change loses its buttons: the votes belong on this one.
        for (const earlier of undecidedPostedItems(tx, entry.change.id))
          enqueue(tx, { kind: 'refresh_cab_item', changeId: earlier.changeId, itemId: earlier.id }, now);
        insertItem(tx, { meetingId, changeId: entry.change.id, phase: entry.phase, createdAt: now });
        recordAudit(
          tx,
          {
            changeId: entry.change.id,
            actorId: request.openedBy,
            type: 'cab.put_to_board',
            data: { meetingId: meetingId, phase: entry.phase },
          },
          now,
        );
      }
      enqueue(tx, { kind: 'cab_meeting', meetingId: meetingId }, now, { dedupeKey: `cab_meeting:${meetingId}` });
      return { ok: true as const, meetingId: meetingId, created: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * An emergency CAB (7.2) for one change waiting for the board: posted to the CAB channel with the
 * vote buttons, the members mentioned. The chair, a member, or the change's requester or owner may
 * convene it; convening again while it is open posts nothing new.
 */
export function conveneEmergencyCab(
  ctx: UseCaseContext,
  input: { changeId: number; members: readonly string[] },
): ConveneOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId, members } = input;
  const channelId = policy.cab.channel;
  if (!channelId) return { ok: false, code: 'no_cab_channel' };
  return db.transaction(
    (tx): ConveneOutcome => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return changeNotFound;
      const { change, ref } = record;
      if (
        actorId !== policy.cab.chair &&
        !members.includes(actorId) &&
        actorId !== change.requesterId &&
        actorId !== change.ownerId
      )
        return { ok: false, code: 'not_involved', ref };
      const requirement = openBoardRequirement(record, policy);
      if (!requirement) return { ok: false, code: 'not_waiting', ref, state: change.state };
      const open = openEmergencyItem(tx, changeId);
      if (open) return { ok: true, meetingId: open.meetingId, created: false };
      const meetingId = insertMeeting(tx, {
        kind: 'emergency',
        meetingAt: now,
        openedBy: actorId,
        channelId,
        createdAt: now,
      });
      for (const earlier of undecidedPostedItems(tx, changeId))
        enqueue(tx, { kind: 'refresh_cab_item', changeId, itemId: earlier.id }, now);
      const itemId = insertItem(tx, { meetingId, changeId, phase: requirement.phase, createdAt: now });
      // 7.2 "within 4 hours": a durable timer chases the board if it has not decided by then.
      const dueAt = new Date(now.getTime() + policy.cab.emergency_within_hours * 3_600_000);
      enqueue(tx, { kind: 'cab_deadline', meetingId, itemId }, now, { dueAt, dedupeKey: `cab_deadline:${itemId}` });
      recordAudit(
        tx,
        {
          changeId,
          actorId,
          type: 'cab.emergency_convened',
          data: { meetingId: meetingId, phase: requirement.phase },
        },
        now,
      );
      enqueue(tx, { kind: 'cab_meeting', meetingId: meetingId }, now, { dedupeKey: `cab_meeting:${meetingId}` });
      return { ok: true, meetingId: meetingId, created: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * An emergency CAB's deadline (7.2): when its item is still undecided and the meeting open, the overdue is audited
 * and the board is chased in the meeting's thread; otherwise nothing.
 */
export function emergencyCabDeadline(ctx: UseCaseContext, due: { meetingId: number; itemId: number }): void {
  const { db, now } = ctx;
  db.transaction(
    (tx) => {
      const meeting = meetingById(tx, due.meetingId);
      const item = itemById(tx, due.itemId);
      if (!meeting || !item || meeting.closedAt || item.outcome) return;
      recordAudit(
        tx,
        {
          changeId: item.changeId,
          actorId: SYSTEM_ACTOR,
          type: 'cab.emergency_overdue',
          data: { meetingId: meeting.id, itemId: item.id, withinHours: ctx.policy.cab.emergency_within_hours },
        },
        now,
      );
      enqueue(tx, { kind: 'cab_overdue', meetingId: meeting.id, itemId: item.id }, now);
    },
    { behavior: 'immediate' },
  );
}

export interface BallotRequest {
  itemId: number;
  kind: BallotKind;
  outcome: CabOutcome;
  /** The chair's reason (required to reject); votes carry none. */
  reason?: string;
}

export type BallotResult =
  | { ok: true; ref: string; kind: BallotKind; decided: CabOutcome | undefined }
  | Refusal<'item_not_found'>
  | Refusal<'already_decided', { ref: string; outcome: CabOutcome }>
  | Refusal<'meeting_closed' | 'put_to_board_again' | 'decided_meanwhile', { ref: string }>
  | Refusal<'not_waiting', { ref: string; state: ChangeState }>
  | Refusal<'already_voted', { ref: string; vote: CabOutcome }>
  /** `testing.required_before: approval`: the board approves only once the required tests are recorded (8.1). */
  | Refusal<'evidence_missing', { ref: string; missing: string[] }>
  | ({ ok: false } & BallotRefusal);

/** Why the board decided as it did, in the words the requester and the auditors read. */
function boardReason(
  policy: Policy,
  decision: {
    rule: DecisionRule;
    meeting: CabMeetingRow;
    outcome: CabOutcome;
    votes: ReturnType<typeof votesOf>;
    chairReason: string | undefined;
  },
): string {
  const { rule, meeting, outcome, votes, chairReason } = decision;
  const board = meeting.kind === 'emergency' ? 'emergency CAB' : 'CAB';
  const held = `${board} of ${localDate(meeting.meetingAt, policy.timezone)}`;
  const { approve, reject, defer } = tally(votes);
  const votesText = `votes: approve ${approve.length}, reject ${reject.length}, defer ${defer.length}`;
  if (chairReason) return `${chairReason} (${held}; ${votesText})`;
  const by = rule === 'quorum' ? `a quorum of ${policy.cab.quorum}` : 'the chair';
  return `${CAB_DECIDED[outcome]} by ${by} at the ${held} (${votesText})`;
}

/**
 * What the actor's click on an item's button casts (under the chair rule the chair's click decides),
 * with the item's change: the Slack edge asks the chair why before a rejection or a deferral.
 * castBallot settles it again in its transaction.
 */
export function clickedBallot(
  ctx: UseCaseContext,
  click: Pick<BallotRequest, 'itemId' | 'kind'>,
): { kind: BallotKind; record: ChangeRecord } | undefined {
  const record = changeOfBoardItem(ctx, click.itemId);
  if (!record) return undefined;
  const rule = decisionRuleFor(ctx.policy.cab, record.change);
  return { kind: ballotKindOf({ rule, chairId: ctx.policy.cab.chair }, ctx.actorId, click.kind), record };
}

/**
 * A member's vote or the chair's decision on a change put to the board. Checked and written in one
 * immediate transaction: the meeting must be open, the item undecided, the change still waiting for
 * the board in that phase, and the actor allowed (members vote; the chair, or a quorum, decides).
 * Under the chair rule the chair's click on any button is the decision, whichever the message showed.
 */
export function castBallot(
  ctx: UseCaseContext,
  input: { ballot: BallotRequest; members: readonly string[] },
): BallotResult {
  const { db, policy, now, actorId } = ctx;
  const { ballot: request, members } = input;
  return db.transaction(
    (tx): BallotResult => {
      const item = itemById(tx, request.itemId);
      const meeting = item ? meetingById(tx, item.meetingId) : undefined;
      const record = item ? loadChangeRecord(tx, item.changeId) : undefined;
      if (!item || !meeting || !record) return { ok: false, code: 'item_not_found' };
      const { ref } = record;
      if (item.outcome) return { ok: false, code: 'already_decided', ref, outcome: item.outcome };
      if (meeting.closedAt) return { ok: false, code: 'meeting_closed', ref };
      // Put to the board again since (a later agenda, an emergency CAB): the votes belong there.
      if (record.boardItems.at(-1)?.id !== item.id) return { ok: false, code: 'put_to_board_again', ref };
      const stage = decisionStage(record.change.state);
      const requirement = openBoardRequirement(record, policy);
      if (!stage || !requirement || stage.phase !== item.phase)
        return { ok: false, code: 'not_waiting', ref, state: record.change.state };
      const rule = decisionRuleFor(policy.cab, record.change);
      const kind = ballotKindOf({ rule, chairId: policy.cab.chair }, actorId, request.kind);
      const refusal = ballotRefusal(
        {
          ref: record.ref,
          rule,
          quorum: policy.cab.quorum,
          chairId: policy.cab.chair,
          members,
          requesterId: record.change.requesterId,
          ownerId: record.change.ownerId,
        },
        actorId,
        kind,
      );
      if (refusal) return { ok: false, ...refusal };
      // A ballot that may approve the change (the decision; under a quorum, any vote) waits for its tests, as an
      // approver's Approve does.
      const mayApprove = request.outcome === 'approve' && (kind === 'decide' || rule === 'quorum');
      const missing = mayApprove && stage.phase === 'approval' ? evidenceMissingFor(record, policy, 'approval') : [];
      if (missing.length > 0) return { ok: false, code: 'evidence_missing', ref, missing: missing.map((i) => i.label) };

      let decided: CabOutcome | undefined;
      if (kind === 'vote') {
        if (!recordVote(tx, item.id, { voterId: actorId, vote: request.outcome }, now))
          return { ok: false, code: 'already_voted', ref, vote: request.outcome };
        recordAudit(
          tx,
          {
            changeId: record.change.id,
            actorId,
            type: 'cab.voted',
            data: { meetingId: meeting.id, itemId: item.id, vote: request.outcome },
          },
          now,
        );
        if (rule === 'quorum') decided = quorumOutcome(votesOf(tx, item.id), policy.cab.quorum);
      } else {
        decided = request.outcome;
      }
      if (decided) {
        const reason = boardReason(policy, {
          rule,
          meeting,
          outcome: decided,
          votes: votesOf(tx, item.id),
          chairReason: kind === 'decide' ? request.reason : undefined,
        });
        if (!decideItem(tx, item.id, { outcome: decided, decidedBy: actorId, reason, decidedAt: now }))
          return { ok: false, code: 'decided_meanwhile', ref };
        recordAudit(
          tx,
          {
            changeId: record.change.id,
            actorId,
            type: 'cab.decided',
            data: { meetingId: meeting.id, itemId: item.id, outcome: decided, rule, reason },
          },
          now,
        );
        if (decided === 'defer') {
          announce(tx, record.change, 'cab_deferred', now);
        } else {
          const state = recordBoardDecision(tx, { policy, now }, record, {
            stage,
            requirement,
            decision: decided,
            deciderId: actorId,
            reason,
          });
          // A decided change was announced by the decision; one still waiting for others hears of the board's approval.
          if (state === record.change.state) announce(tx, record.change, 'cab_approved', now);
        }
        enqueue(tx, { kind: 'refresh_messages', changeId: record.change.id }, now);
      } else {
        enqueue(tx, { kind: 'refresh_cab_item', changeId: record.change.id, itemId: item.id }, now);
      }
      return { ok: true, ref: record.ref, kind, decided };
    },
    { behavior: 'immediate' },
  );
}

/**
 * The chair closes a meeting: the minutes (who voted, decisions, deferrals, notes) are built from
 * the record and stored, and posting them is queued. Undecided changes simply stay for the next CAB.
 */
export type CloseMeetingOutcome =
  | { ok: true }
  | Refusal<'meeting_not_found' | 'not_chair'>
  | Refusal<'already_closed', { closedBy: string | null }>;

export function closeMeeting(
  ctx: UseCaseContext,
  input: { meetingId: number; notes: string | null; members: readonly string[] },
): CloseMeetingOutcome {
  const { db, policy, now, actorId } = ctx;
  const { meetingId, notes, members } = input;
  return db.transaction(
    (tx): CloseMeetingOutcome => {
      const meeting = meetingById(tx, meetingId);
      if (!meeting) return { ok: false, code: 'meeting_not_found' };
      if (meeting.closedAt) return { ok: false, code: 'already_closed', closedBy: meeting.closedBy };
      if (!mayCloseMeeting(actorId, policy.cab.chair, members)) return { ok: false, code: 'not_chair' };
      const items = itemsOfMeeting(tx, meetingId).map((item) => {
        const record = loadChangeRecord(tx, item.changeId);
        return {
          ref: formatChangeRef(item.changeId),
          title: record?.change.title ?? '',
          phase: item.phase,
          outcome: item.outcome,
          decidedBy: item.decidedBy,
          reason: item.reason,
          votes: votesOf(tx, item.id),
        };
      });
      const minutes = buildMinutes(
        {
          kind: meeting.kind,
          meetingAt: meeting.meetingAt.toISOString(),
          late: meeting.late,
          chairId: policy.cab.chair ?? null,
          closedBy: actorId,
          notes,
          items,
        },
        now,
      );
      updateMeeting(tx, meetingId, { closedAt: now, closedBy: actorId, notes, minutes });
      recordAudit(
        tx,
        {
          changeId: null,
          actorId,
          type: 'cab.meeting_closed',
          data: { meetingId, items: items.length, decided: items.filter((item) => item.outcome).length },
        },
        now,
      );
      enqueue(tx, { kind: 'cab_minutes', meetingId }, now, { dedupeKey: `cab_minutes:${meetingId}` });
      return { ok: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Minutes of the meetings held on a date (YYYY-MM-DD in the policy time zone), or of the latest
 * meeting without a date; with the dates of recent meetings, to suggest when none match.
 */
export function minutesOn(
  db: DbExecutor,
  policy: Policy,
  date: string | undefined,
): { meetings: CabMeetingRow[]; recentDates: string[] } {
  const recent = recentClosedMeetings(db, 10);
  const recentDates = [...new Set(recent.map((meeting) => localDate(meeting.meetingAt, policy.timezone)))];
  if (date === undefined) return { meetings: recent.slice(0, 1), recentDates };
  // A day anywhere on Earth lies within 14 hours either side of that day in UTC.
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const candidates = closedMeetingsBetween(
    db,
    new Date(dayStart - 14 * 3_600_000),
    new Date(dayStart + 38 * 3_600_000),
  );
  return {
    meetings: candidates.filter((meeting) => localDate(meeting.meetingAt, policy.timezone) === date),
    recentDates,
  };
}

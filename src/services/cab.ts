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
import { loadChangeRecord } from '../db/change-record.js';
import type { CabinetDb, DbExecutor } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { enqueue } from '../db/outbox.js';
import { type Agenda, buildAgenda } from '../domain/agenda.js';
import { openBoardRequirement } from '../domain/approvers.js';
import { localDate } from '../domain/business-hours.js';
import {
  type BallotKind,
  ballotRefusal,
  buildMinutes,
  CAB_OUTCOME_WORDS,
  type CabOutcome,
  type DecisionRule,
  decisionRuleFor,
  mayCloseMeeting,
  quorumOutcome,
  tally,
} from '../domain/cab.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { previousSlot } from '../domain/cron-slots.js';
import { decisionStage, describeState } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { announce } from './announce.js';
import { recordBoardDecision } from './decide.js';

type Refusal = { ok: false; reason: string };
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
  return buildAgenda(
    loadAgendaFacts(db, since),
    { ...policy, freezes: loadFreezes(db, policy) },
    { meetingAt, since, now },
  );
}

export type OpenedMeeting = { ok: true; meetingId: number; created: boolean };

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
): OpenedMeeting | Refusal {
  const channelId = policy.cab.channel;
  if (!channelId)
    return { ok: false, reason: 'No CAB channel is set (policy cab.channel), so there is nowhere to post the agenda.' };
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
      enqueue(tx, { kind: 'cab_meeting', meetingId: meetingId }, now, `cab_meeting:${meetingId}`);
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
  db: CabinetDb,
  policy: Policy,
  changeId: number,
  actorId: string,
  members: readonly string[],
  now: Date,
): OpenedMeeting | Refusal {
  const channelId = policy.cab.channel;
  if (!channelId)
    return { ok: false, reason: 'No CAB channel is set (policy cab.channel), so there is nowhere to convene the CAB.' };
  return db.transaction(
    (tx): OpenedMeeting | Refusal => {
      const record = loadChangeRecord(tx, changeId);
      if (!record) return { ok: false, reason: `${formatChangeRef(changeId)} does not exist.` };
      const { change } = record;
      if (
        actorId !== policy.cab.chair &&
        !members.includes(actorId) &&
        actorId !== change.requesterId &&
        actorId !== change.ownerId
      ) {
        return {
          ok: false,
          reason: `Only the CAB chair, a CAB member, or the requester or owner of ${record.ref} may convene an emergency CAB for it.`,
        };
      }
      const requirement = openBoardRequirement(record, policy);
      if (!requirement)
        return {
          ok: false,
          reason: `${record.ref} is not waiting for a CAB decision (it is ${describeState(change.state)}); there is nothing to convene for.`,
        };
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
      insertItem(tx, { meetingId, changeId, phase: requirement.phase, createdAt: now });
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
      enqueue(tx, { kind: 'cab_meeting', meetingId: meetingId }, now, `cab_meeting:${meetingId}`);
      return { ok: true, meetingId: meetingId, created: true };
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

export type BallotResult = { ok: true; ref: string; decided: CabOutcome | undefined } | Refusal;

/** Why the board decided as it did, in the words the requester and the auditors read. */
function boardReason(
  policy: Policy,
  rule: DecisionRule,
  meeting: CabMeetingRow,
  outcome: CabOutcome,
  votes: ReturnType<typeof votesOf>,
  chairReason: string | undefined,
): string {
  const held = `${meeting.kind === 'emergency' ? 'emergency CAB' : 'CAB'} of ${localDate(meeting.meetingAt, policy.timezone)}`;
  const counts = tally(votes);
  const votesText = `votes: approve ${counts.approve.length}, reject ${counts.reject.length}, defer ${counts.defer.length}`;
  if (chairReason) return `${chairReason} (${held}; ${votesText})`;
  const by = rule === 'quorum' ? `a quorum of ${policy.cab.quorum}` : 'the chair';
  return `${CAB_OUTCOME_WORDS[outcome].past} by ${by} at the ${held} (${votesText})`;
}

/**
 * A member's vote or the chair's decision on a change put to the board. Checked and written in one
 * immediate transaction: the meeting must be open, the item undecided, the change still waiting for
 * the board in that phase, and the actor allowed (members vote; the chair, or a quorum, decides).
 */
export function castBallot(
  db: CabinetDb,
  policy: Policy,
  request: BallotRequest,
  actorId: string,
  members: readonly string[],
  now: Date,
): BallotResult {
  return db.transaction(
    (tx): BallotResult => {
      const item = itemById(tx, request.itemId);
      const meeting = item ? meetingById(tx, item.meetingId) : undefined;
      const record = item ? loadChangeRecord(tx, item.changeId) : undefined;
      if (!item || !meeting || !record)
        return { ok: false, reason: 'That agenda item does not exist; nothing was recorded.' };
      if (item.outcome)
        return {
          ok: false,
          reason: `The board already decided ${record.ref}: ${CAB_OUTCOME_WORDS[item.outcome].past}.`,
        };
      if (meeting.closedAt)
        return {
          ok: false,
          reason: `That meeting is closed; ${record.ref} goes to the next CAB. Nothing was recorded.`,
        };
      // Put to the board again since (a later agenda, an emergency CAB): the votes belong there.
      if (record.boardItems.at(-1)?.id !== item.id)
        return {
          ok: false,
          reason: `${record.ref} was put to the board again since; vote on its latest agenda. Nothing was recorded.`,
        };
      const stage = decisionStage(record.change.state);
      const requirement = openBoardRequirement(record, policy);
      if (!stage || !requirement || stage.phase !== item.phase) {
        return {
          ok: false,
          reason: `${record.ref} no longer waits for the board (it is ${describeState(record.change.state)}); nothing was recorded.`,
        };
      }
      const rule = decisionRuleFor(policy.cab, record.change);
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
        request.kind,
      );
      if (refusal) return { ok: false, reason: refusal };

      let decided: CabOutcome | undefined;
      if (request.kind === 'vote') {
        if (!recordVote(tx, item.id, { voterId: actorId, vote: request.outcome }, now)) {
          return { ok: false, reason: `Your vote to ${request.outcome} ${record.ref} is already recorded.` };
        }
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
        const reason = boardReason(
          policy,
          rule,
          meeting,
          decided,
          votesOf(tx, item.id),
          request.kind === 'decide' ? request.reason : undefined,
        );
        if (!decideItem(tx, item.id, { outcome: decided, decidedBy: actorId, reason, decidedAt: now }))
          return { ok: false, reason: `The board already decided ${record.ref}.` };
        recordAudit(
          tx,
          {
            changeId: record.change.id,
            actorId,
            type: 'cab.decided',
            data: { meetingId: meeting.id, itemId: item.id, outcome: decided, reason },
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
      return { ok: true, ref: record.ref, decided };
    },
    { behavior: 'immediate' },
  );
}

/**
 * The chair closes a meeting: the minutes (who voted, decisions, deferrals, notes) are built from
 * the record and stored, and posting them is queued. Undecided changes simply stay for the next CAB.
 */
export function closeMeeting(
  db: CabinetDb,
  policy: Policy,
  meetingId: number,
  actorId: string,
  notes: string | null,
  members: readonly string[],
  now: Date,
): { ok: true } | Refusal {
  return db.transaction(
    (tx): { ok: true } | Refusal => {
      const meeting = meetingById(tx, meetingId);
      if (!meeting) return { ok: false, reason: 'That meeting does not exist.' };
      if (meeting.closedAt)
        return {
          ok: false,
          reason: `That meeting was already closed by <@${meeting.closedBy ?? ''}>; its minutes are in its thread.`,
        };
      if (!mayCloseMeeting(actorId, policy.cab.chair, members))
        return { ok: false, reason: 'Only the CAB chair closes the meeting.' };
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
      enqueue(tx, { kind: 'cab_minutes', meetingId }, now, `cab_minutes:${meetingId}`);
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

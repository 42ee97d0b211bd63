import type { Policy } from '../policy/schema.js';
import { nextSlot } from './cron-slots.js';
import type { ApprovalPhase } from './lifecycle.js';

/** What the board can do with a change put to it (7.3 "High/Critical changes for approval"). */
export const CAB_OUTCOMES = ['approve', 'reject', 'defer'] as const;
export type CabOutcome = (typeof CAB_OUTCOMES)[number];

/** The board's decision as the record states it (the reason stored with it, the minutes): "approved". */
export const CAB_DECIDED: Record<CabOutcome, string> = { approve: 'approved', reject: 'rejected', defer: 'deferred' };

/** When the CAB next meets after `after` (policy `cab.schedule` in the policy time zone). */
export function nextMeetingAt(policy: Pick<Policy, 'cab' | 'timezone'>, after: Date): Date | undefined {
  return nextSlot(policy.cab.schedule, policy.timezone, after);
}

/** A member's vote, or (under the chair rule) the chair's decision. */
export type BallotKind = 'vote' | 'decide';

export interface CabVote {
  voterId: string;
  vote: CabOutcome;
}

/** Who voted what, in the order of CAB_OUTCOMES. */
export function tally(votes: readonly CabVote[]): Record<CabOutcome, string[]> {
  const counts: Record<CabOutcome, string[]> = { approve: [], reject: [], defer: [] };
  for (const { voterId, vote } of votes) counts[vote].push(voterId);
  return counts;
}

/**
 * Under the quorum rule the board decides when one outcome has `quorum` votes. Should two reach it
 * at once (the quorum was lowered), the more cautious wins: reject, then defer.
 */
export function quorumOutcome(votes: readonly CabVote[], quorum: number): CabOutcome | undefined {
  const counts = tally(votes);
  return (['reject', 'defer', 'approve'] as const).find((outcome) => counts[outcome].length >= quorum);
}

export type DecisionRule = Policy['cab']['decision_rule'];

/**
 * How the board decides one change: the policy's rule, except that a chair who requested or owns the
 * change cannot decide it, so the members' quorum does (else the change could never be decided).
 */
export function decisionRuleFor(
  cab: Pick<Policy['cab'], 'decision_rule' | 'chair'>,
  change: { requesterId: string; ownerId: string },
): DecisionRule {
  const chairInvolved = cab.chair !== undefined && (cab.chair === change.requesterId || cab.chair === change.ownerId);
  return cab.decision_rule === 'chair' && chairInvolved ? 'quorum' : cab.decision_rule;
}

export interface BallotContext {
  ref: string;
  rule: DecisionRule;
  quorum: number;
  chairId: string | undefined;
  /** The members of the board's role, user groups expanded. */
  members: readonly string[];
  requesterId: string;
  ownerId: string;
}

/** Why someone may not cast a ballot on a change put to the board. */
export type BallotRefusal =
  | { code: 'own_request' | 'own_change' | 'not_chair' | 'not_member'; ref: string }
  | { code: 'decided_by_quorum'; ref: string; quorum: number };

/**
 * Why `actorId` may not cast this ballot, or undefined when they may. Members vote; under the chair
 * rule only the chair decides (7.1 "final decisions"); nobody votes on a change they requested or own.
 */
export function ballotRefusal(context: BallotContext, actorId: string, kind: BallotKind): BallotRefusal | undefined {
  const { ref } = context;
  if (actorId === context.requesterId) return { code: 'own_request', ref };
  if (actorId === context.ownerId) return { code: 'own_change', ref };
  if (kind === 'decide') {
    if (context.rule !== 'chair') return { code: 'decided_by_quorum', ref, quorum: context.quorum };
    if (actorId !== context.chairId) return { code: 'not_chair', ref };
    return undefined;
  }
  if (actorId === context.chairId || context.members.includes(actorId)) return undefined;
  return { code: 'not_member', ref };
}

/**
 * What a click on one of an item's buttons casts. A channel message shows everyone the same buttons,
 * so under the chair rule the chair's click is the board's decision; anyone else's is as clicked.
 */
export function ballotKindOf(
  context: Pick<BallotContext, 'rule' | 'chairId'>,
  actorId: string,
  clicked: BallotKind,
): BallotKind {
  return context.rule === 'chair' && actorId === context.chairId ? 'decide' : clicked;
}

/** Who may close a meeting and record its minutes: the chair, or any member when the policy names no chair. */
export function mayCloseMeeting(actorId: string, chairId: string | undefined, members: readonly string[]): boolean {
  return chairId ? actorId === chairId : members.includes(actorId);
}

export interface MinutesItem {
  ref: string;
  title: string;
  phase: ApprovalPhase;
  outcome: CabOutcome | null;
  decidedBy: string | null;
  reason: string | null;
  votes: CabVote[];
}

/** The record of a meeting (11.1 "CAB Meeting Minutes"), stored when the chair closes it. */
export interface Minutes {
  kind: 'regular' | 'emergency';
  meetingAt: string;
  late: boolean;
  chairId: string | null;
  closedBy: string;
  closedAt: string;
  notes: string | null;
  /** Everyone who voted, decided or closed the meeting. */
  participants: string[];
  items: MinutesItem[];
}

export function buildMinutes(meeting: Omit<Minutes, 'participants' | 'closedAt'>, closedAt: Date): Minutes {
  const participants = new Set<string>();
  for (const item of meeting.items) {
    for (const vote of item.votes) participants.add(vote.voterId);
    if (item.decidedBy) participants.add(item.decidedBy);
  }
  participants.add(meeting.closedBy);
  return { ...meeting, closedAt: closedAt.toISOString(), participants: [...participants] };
}

import { type BallotRefusal, CAB_DECIDED, type CabOutcome } from '../../domain/cab.js';
import type { BallotResult, CloseMeetingOutcome, ConveneOutcome, NoCabChannel } from '../../services/cab.js';
import { evidenceMissingText } from './evidence.js';
import { describeState } from './states.js';

/** How each outcome reads on the board's buttons and tallies, keyed by the domain's outcome. */
export const CAB_OUTCOME_WORDS: Record<CabOutcome, { button: string; past: string; emoji: string }> = {
  approve: { button: 'Approve', past: CAB_DECIDED.approve, emoji: ':white_check_mark:' },
  reject: { button: 'Reject', past: CAB_DECIDED.reject, emoji: ':no_entry:' },
  defer: { button: 'Defer', past: CAB_DECIDED.defer, emoji: ':double_vertical_bar:' },
};

/** Why the agenda could not be posted. */
export function openMeetingRefusalText(refusal: NoCabChannel): string {
  switch (refusal.code) {
    case 'no_cab_channel':
      return 'No CAB channel is set (policy cab.channel), so there is nowhere to post the agenda.';
  }
}

/**
 * What convening an emergency CAB did, or why it did not: `request` names the change asked for and
 * where and how fast the board is asked to decide.
 */
export function conveneText(
  outcome: ConveneOutcome,
  request: { ref: string; channelId: string; withinHours: number },
): string {
  const { ref, channelId, withinHours } = request;
  if (outcome.ok)
    return outcome.created
      ? `Emergency CAB convened for ${ref} in <#${channelId}>; its members are asked to decide within ` +
          `${withinHours} hours.`
      : `An emergency CAB for ${ref} is already open in <#${channelId}>.`;
  switch (outcome.code) {
    case 'no_cab_channel':
      return 'No CAB channel is set (policy cab.channel), so there is nowhere to convene the CAB.';
    case 'change_not_found':
      return `${ref} does not exist.`;
    case 'not_involved':
      return (
        `Only the CAB chair, a CAB member, or the requester or owner of ${outcome.ref} ` +
        'may convene an emergency CAB for it.'
      );
    case 'not_waiting':
      return (
        `${outcome.ref} is not waiting for a CAB decision (it is ${describeState(outcome.state)}); ` +
        'there is nothing to convene for.'
      );
  }
}

/** Why someone may not cast a ballot on a change put to the board. */
export function ballotRefusalText(refusal: BallotRefusal): string {
  const { ref } = refusal;
  switch (refusal.code) {
    case 'own_request':
      return `You requested ${ref}, so the board decides it without you.`;
    case 'own_change':
      return `You own ${ref}, so the board decides it without you.`;
    case 'decided_by_quorum':
      return `The CAB decides ${ref} by a quorum of ${refusal.quorum} votes; vote instead.`;
    case 'not_chair':
      return `Only the CAB chair decides ${ref}; your vote is shown beside the chair's buttons.`;
    case 'not_member':
      return `Only CAB members vote on ${ref}; nothing was recorded.`;
  }
}

/**
 * What a vote or the chair's decision did (`ballot`: the button clicked; the chair's click on any
 * button under the chair rule is the board's decision), or why it was not recorded.
 */
export function ballotText(outcome: BallotResult, ballot: { outcome: CabOutcome }): string {
  if (!outcome.ok) return ballotRefusedText(outcome);
  const recorded =
    outcome.kind === 'vote'
      ? `Your vote to ${ballot.outcome} ${outcome.ref} is recorded.`
      : 'Your decision is recorded.';
  const decided = outcome.decided
    ? ` The board's decision: ${outcome.ref} is ${CAB_OUTCOME_WORDS[outcome.decided].past}.`
    : '';
  return recorded + decided;
}

/** Why a vote or the chair's decision was not recorded. */
export function ballotRefusedText(outcome: Exclude<BallotResult, { ok: true }>): string {
  switch (outcome.code) {
    case 'item_not_found':
      return 'That agenda item does not exist; nothing was recorded.';
    case 'already_decided':
      return `The board already decided ${outcome.ref}: ${CAB_OUTCOME_WORDS[outcome.outcome].past}.`;
    case 'meeting_closed':
      return `That meeting is closed; ${outcome.ref} goes to the next CAB. Nothing was recorded.`;
    case 'put_to_board_again':
      return `${outcome.ref} was put to the board again since; vote on its latest agenda. Nothing was recorded.`;
    case 'not_waiting':
      return (
        `${outcome.ref} no longer waits for the board (it is ${describeState(outcome.state)}); ` +
        'nothing was recorded.'
      );
    case 'already_voted':
      return `Your vote to ${outcome.vote} ${outcome.ref} is already recorded.`;
    case 'decided_meanwhile':
      return `The board already decided ${outcome.ref}.`;
    case 'evidence_missing':
      return `${evidenceMissingText(outcome.ref, 'be approved', outcome.missing)} Nothing was recorded.`;
    default:
      return ballotRefusalText(outcome);
  }
}

/** Why the meeting was not closed. */
export function closeMeetingRefusalText(refusal: Exclude<CloseMeetingOutcome, { ok: true }>): string {
  switch (refusal.code) {
    case 'meeting_not_found':
      return 'That meeting does not exist.';
    case 'already_closed':
      return `That meeting was already closed by <@${refusal.closedBy ?? ''}>; its minutes are in its thread.`;
    case 'not_chair':
      return 'Only the CAB chair closes the meeting.';
  }
}

/** Answer to a CAB command where the policy has no CAB. */
export const NO_CAB_TEXT =
  'This organisation has no CAB (policy `cab: none`): changes are approved by the matrix alone.';

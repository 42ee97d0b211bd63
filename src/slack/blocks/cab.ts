import type { types } from '@slack/bolt';
import type { CabMeetingRow } from '../../db/cab.js';
import type { BoardItemRow, ChangeRecord } from '../../db/change-record.js';
import { openBoardRequirement } from '../../domain/approvers.js';
import {
  CAB_OUTCOMES,
  type CabOutcome,
  type CabVote,
  type DecisionRule,
  decisionRuleFor,
  type Minutes,
  tally,
} from '../../domain/cab.js';
import type { Policy } from '../../policy/schema.js';
import {
  ACTIONS,
  CAB_NOTES_BLOCK,
  CAB_REASON_BLOCK,
  cabBallotActionId,
  encodeBallotValue,
  encodeChangeValue,
  encodeMeetingValue,
  VIEWS,
} from '../ids.js';
import { CAB_OUTCOME_WORDS } from '../words/cab.js';
import { citationOf, sectionRef } from '../words/citations.js';
import { describeState } from '../words/states.js';
import { closeMeetingActions, meetingTimeText, type SlackMessage } from './agenda.js';
import {
  button,
  context,
  header,
  linesToSections,
  paginate,
  SECTION_TEXT_LIMIT,
  section,
  slackDate,
  truncate,
} from './blocks.js';
import { changeSummaryBlocks } from './change-message.js';
import { escapedLines, escapeMrkdwn, mentionMember } from './mrkdwn.js';

export interface BoardItemContext {
  item: BoardItemRow;
  meeting: CabMeetingRow;
  record: ChangeRecord;
  votes: CabVote[];
  policy: Policy;
  now: Date;
}

function votesLine(votes: readonly CabVote[], policy: Policy, rule: DecisionRule): string {
  const counts = tally(votes);
  const parts = CAB_OUTCOMES.map(
    (outcome) =>
      `${CAB_OUTCOME_WORDS[outcome].emoji} ${CAB_OUTCOME_WORDS[outcome].button} (${counts[outcome].length})` +
      (counts[outcome].length > 0 ? `: ${counts[outcome].map(mentionMember).join(', ')}` : ''),
  );
  const chairInvolved = rule !== policy.cab.decision_rule ? ' (the chair requested or owns this change)' : '';
  const ruleText =
    rule === 'chair'
      ? 'The chair decides; the votes advise.'
      : `The first outcome with ${policy.cab.quorum} votes decides${chairInvolved}.`;
  return `*Votes* — ${parts.join('   ')}\n_${ruleText}_`;
}

/** Approve, Reject and Defer on a change put to the board: a member's vote, or (chair rule) the chair's decision. */
export function ballotButtons(itemId: number): types.Button[] {
  return CAB_OUTCOMES.map((outcome) =>
    button(
      CAB_OUTCOME_WORDS[outcome].button,
      cabBallotActionId('vote', outcome),
      encodeBallotValue({ itemId, kind: 'vote', outcome }),
    ),
  );
}

/** What an item shows under the change: the decision, why it cannot be voted on any more, or the buttons. */
function ballotBlocks({ item, meeting, record, policy }: BoardItemContext): types.KnownBlock[] {
  if (item.outcome) {
    const words = CAB_OUTCOME_WORDS[item.outcome];
    return [
      section(
        `${words.emoji} *${words.past[0]?.toUpperCase()}${words.past.slice(1)} by the ` +
          `board* — ${mentionMember(item.decidedBy ?? '')} ` +
          `${item.decidedAt ? slackDate(item.decidedAt) : ''}: ` +
          `${escapeMrkdwn(item.reason ?? '')}`,
      ),
    ];
  }
  if (meeting.closedAt) return [context('Not decided at this meeting: it goes to the next CAB.')];
  if (record.boardItems.at(-1)?.id !== item.id)
    return [context(`${record.ref} was put to the board again since: vote there.`)];
  const requirement = openBoardRequirement(record, policy);
  if (!requirement)
    return [context(`No longer waiting for the board: ${record.ref} is ${describeState(record.change.state)}.`)];
  const details = button('Details', ACTIONS.details, encodeChangeValue(record.change.id));
  const votes: types.ActionsBlock = {
    type: 'actions',
    block_id: 'cab_vote',
    elements: [...ballotButtons(item.id), details],
  };
  if (decisionRuleFor(policy.cab, record.change) !== 'chair') return [votes];
  // One set of buttons for everyone: the chair's click on any of them is the board's decision.
  return [
    votes,
    context(
      `Chair${policy.cab.chair ? ` ${mentionMember(policy.cab.chair)}` : ''}: your click is the board's decision; ` +
        "the members' clicks are votes.",
    ),
  ];
}

/** A change put to the board: the change, the votes so far, and the buttons while it can be decided. */
export function boardItemBlocks(context_: BoardItemContext): types.KnownBlock[] {
  const { item, record, votes, policy, now } = context_;
  const what =
    item.phase === 'retro_approval'
      ? `the formal approval of this emergency change${sectionRef(policy, 'emergency_paperwork')}`
      : 'its approval';
  return [
    ...changeSummaryBlocks(record, policy, now),
    context(`The board decides ${what}.`),
    section(votesLine(votes, policy, decisionRuleFor(policy.cab, record.change))),
    ...ballotBlocks(context_),
  ];
}

export function boardItemMessage(context_: BoardItemContext): SlackMessage {
  const { record } = context_;
  return { text: `CAB: ${record.ref} · ${escapeMrkdwn(record.change.title)}`, blocks: boardItemBlocks(context_) };
}

/** Who an emergency CAB calls (the chair and the members, each once), and by when: "… by <date> (within 4 h, …)". */
function emergencyCabCall(
  context_: BoardItemContext,
  members: readonly string[],
): { called: string; deadline: string } {
  const { meeting, policy } = context_;
  const decideBy = new Date(meeting.meetingAt.getTime() + policy.cab.emergency_within_hours * 3_600_000);
  const called = [...new Set([...(policy.cab.chair ? [policy.cab.chair] : []), ...members])]
    .map(mentionMember)
    .join(' ');
  const citation = citationOf(policy, 'emergency_cab');
  const within = `within ${policy.cab.emergency_within_hours} h${citation ? `, ${citation}` : ''}`;
  return { called, deadline: `${slackDate(decideBy)} (${within})` };
}

/** An emergency CAB (7.2): who is called, by when, then the change with its buttons and the close button. */
export function emergencyCabMessage(context_: BoardItemContext, members: readonly string[]): SlackMessage {
  const { meeting, record } = context_;
  const { called, deadline } = emergencyCabCall(context_, members);
  const intro = section(
    `:rotating_light: *Emergency CAB* for *${record.ref} · ` +
      `${escapeMrkdwn(record.change.title)}*, convened by ` +
      `${mentionMember(meeting.openedBy)}.\n${called}: please decide by ${deadline}.`,
  );
  const footer = meeting.closedAt ? context(closedMeetingText(meeting)) : closeMeetingActions(meeting.id);
  return {
    text: `Emergency CAB: ${record.ref} · ${escapeMrkdwn(record.change.title)}`,
    blocks: [intro, ...boardItemBlocks(context_), footer],
  };
}

/** In the emergency CAB's thread once its deadline passed with the change undecided (7.2). */
export function emergencyCabOverdueMessage(context_: BoardItemContext, members: readonly string[]): SlackMessage {
  const { record } = context_;
  const { called, deadline } = emergencyCabCall(context_, members);
  const text =
    `:alarm_clock: ${called}: the board's decision on *${record.ref} · ${escapeMrkdwn(record.change.title)}* ` +
    `was due ${deadline} and is still open. Vote on the change above, or the chair decides.`;
  return { text, blocks: [section(text)] };
}

/** What a closed meeting's first message says instead of the close button. */
export function closedMeetingText(meeting: CabMeetingRow): string {
  return (
    `Closed by ${mentionMember(meeting.closedBy ?? '')} ` +
    `${meeting.closedAt ? slackDate(meeting.closedAt) : ''}; the minutes are in the thread.`
  );
}

/** An item of the minutes: the decision and the votes on one line, the reason on its own lines (it may be long). */
function minutesItemLines(item: Minutes['items'][number]): string[] {
  const counts = tally(item.votes);
  const votes = CAB_OUTCOMES.filter((outcome) => counts[outcome].length > 0).map(
    (outcome) => `${CAB_OUTCOME_WORDS[outcome].button.toLowerCase()}: ${counts[outcome].map(mentionMember).join(', ')}`,
  );
  const outcome = item.outcome
    ? `*${CAB_OUTCOME_WORDS[item.outcome].past}* by ${mentionMember(item.decidedBy ?? '')}`
    : '*not decided* (goes to the next CAB)';
  const reason = item.reason ? escapedLines(item.reason, SECTION_TEXT_LIMIT - 10).map((line) => `    ${line}`) : [];
  return [
    `• *${item.ref}* · ${escapeMrkdwn(item.title)} — ${outcome}. Votes: ${votes.join('; ') || 'none'}.`,
    ...reason,
  ];
}

/**
 * The minutes (11.1), as messages within Slack's limits: posted
 * in the meeting's thread and shown by `/change cab minutes`.
 */
export function minutesMessages(minutes: Minutes, policy: Policy): SlackMessage[] {
  const meetingAt = new Date(minutes.meetingAt);
  const meetingKind = minutes.kind === 'emergency' ? 'Emergency CAB' : 'CAB';
  const title = `${meetingKind} minutes · ${meetingTimeText(meetingAt, policy)}`;
  const facts = [
    `Chair: ${minutes.chairId ? mentionMember(minutes.chairId) : 'none set'} · closed by ` +
      `${mentionMember(minutes.closedBy)} ` +
      `${slackDate(new Date(minutes.closedAt))}${minutes.late ? ' · agenda posted late' : ''}`,
    `Took part: ${minutes.participants.map(mentionMember).join(', ') || 'nobody'}`,
  ];
  const decided = minutes.items.filter((item) => item.outcome);
  const lines = [
    `*Decisions* (${decided.length} of ${minutes.items.length} changes decided)`,
    ...(minutes.items.length > 0 ? minutes.items.flatMap(minutesItemLines) : ['_No change was put to the board._']),
    '*Notes*',
    ...(minutes.notes ? escapedLines(minutes.notes, SECTION_TEXT_LIMIT) : ['_None._']),
  ];
  const top = [header(title), context(facts.join('\n'))];
  const pages = paginate(linesToSections(lines), { blocks: top.length, chars: title.length + facts.join('\n').length });
  return pages.map((blocks, index) => ({
    text: index === 0 ? title : `${title} (continued)`,
    blocks:
      index === 0
        ? [...top, ...blocks]
        : [context(`${escapeMrkdwn(title)} — continued, ${index + 1} of ${pages.length}`), ...blocks],
  }));
}

/** The chair's reason for rejecting or deferring a change at the CAB. */
export function boardReasonModal(record: ChangeRecord, value: string, outcome: CabOutcome): types.ModalView {
  const verb = CAB_OUTCOME_WORDS[outcome].button;
  return {
    type: 'modal',
    callback_id: VIEWS.cabDecisionReason,
    private_metadata: value,
    title: { type: 'plain_text', text: truncate(`${verb} ${record.ref}`, 24) },
    submit: { type: 'plain_text', text: verb },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `*${record.ref} · ${escapeMrkdwn(record.change.title)}* — the board's decision: ` +
          `*${CAB_OUTCOME_WORDS[outcome].past}*`,
      ),
      {
        type: 'input',
        block_id: CAB_REASON_BLOCK,
        optional: outcome === 'defer',
        label: {
          type: 'plain_text',
          text:
            outcome === 'reject'
              ? 'Why? The requester and the auditors read it'
              : 'What should come back to the next CAB?',
        },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}

/** Closing a meeting: optional notes for the minutes. */
export function closeMeetingModal(meetingId: number): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.cabClose,
    private_metadata: encodeMeetingValue(meetingId),
    title: { type: 'plain_text', text: 'Close the CAB meeting' },
    submit: { type: 'plain_text', text: 'Close & post minutes' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section('The minutes record every vote, decision and deferral. Changes not decided go to the next CAB.'),
      {
        type: 'input',
        block_id: CAB_NOTES_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Notes for the minutes' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2900 },
      },
    ],
  };
}

import type { types } from '@slack/bolt';
import type { Agenda, ChangeHeadline } from '../../domain/agenda.js';
import type { Policy } from '../../policy/schema.js';
import { ACTIONS, encodeMeetingValue } from '../ids.js';
import { sectionRef } from '../words/citations.js';
import { OBLIGATION_LABELS } from '../words/paperwork.js';
import { describeState } from '../words/states.js';
import {
  button,
  context,
  HEADER_TEXT_LIMIT,
  header,
  linesToSections,
  paginate,
  slackDate,
  truncate,
} from './blocks.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** A risk level as the policy names it. */
export function riskName(riskLevel: string | null, policy: Policy): string {
  if (riskLevel === null) return 'risk not assessed yet';
  return policy.risk.levels.find((level) => level.id === riskLevel)?.label ?? riskLevel;
}

/** How the agenda names a change (7.3): ID, title, risk and owner. */
export function headlineText(change: ChangeHeadline, policy: Policy): string {
  return (
    `*${change.ref}* · ${escapeMrkdwn(change.title)} · ${riskName(change.riskLevel, policy)} ` +
    `· owner ${mentionMember(change.ownerId)}`
  );
}

type SectionId = Policy['cab']['agenda_sections'][number]['id'];

function sectionLines(agenda: Agenda, id: SectionId, policy: Policy): string[] {
  const name = (change: ChangeHeadline) => headlineText(change, policy);
  switch (id) {
    case 'previous_changes':
      return agenda.previousChanges.map(
        (entry) => `• ${name(entry.change)} — ${describeState(entry.outcome)} ${slackDate(new Date(entry.at))}`,
      );
    case 'emergency_changes':
      return agenda.emergencyChanges.map((entry) => {
        const verbal =
          entry.verbalApprovals.length > 0
            ? entry.verbalApprovals.map((v) => `${mentionMember(v.approverId)} ${v.state}`).join(', ')
            : 'none';
        const overdue =
          entry.overdue.length > 0
            ? `; :red_circle: overdue: ${entry.overdue.map((kind) => OBLIGATION_LABELS[kind].toLowerCase()).join(', ')}`
            : '';
        const presentation = entry.owesPresentation
          ? `; to be presented to the CAB${sectionRef(policy, 'emergency_paperwork')}`
          : '';
        return (
          `• ${name(entry.change)} — ${describeState(entry.change.state)}; verbal approvals: ` +
          `${verbal}${overdue}${presentation}`
        );
      });
    case 'changes_for_approval':
      return agenda.forApproval.map((entry) => {
        const what = entry.phase === 'retro_approval' ? 'formal approval of an emergency' : 'approval';
        const others = entry.waitingAlsoFor.length > 0 ? `; also waiting for ${entry.waitingAlsoFor.join(', ')}` : '';
        return `• ${name(entry.change)} — ${what}${others}. Vote in the thread.`;
      });
    case 'change_calendar':
      return agenda.calendar.map(
        (entry) =>
          `• ${slackDate(new Date(entry.start))}${entry.end ? ` → ${slackDate(new Date(entry.end))}` : ''} ` +
          `${name(entry.change)} (${describeState(entry.change.state)})`,
      );
    case 'change_freezes':
      // One line per change planned inside a freeze: a long list must split between sections, not be cut.
      return agenda.freezes.flatMap((freeze) => [
        `• ${freeze.from} → ${freeze.to}: ${escapeMrkdwn(freeze.reason)}` +
          (freeze.plannedInside.length > 0
            ? ` — :warning: ${freeze.plannedInside.length} change(s) planned inside it:`
            : ''),
        ...freeze.plannedInside.map((change) => `    ◦ ${name(change)}`),
      ]);
    case 'open_issues': {
      const issues = agenda.openIssues;
      return [
        ...issues.overduePaperwork.map(
          (entry) =>
            `• :red_circle: Paperwork overdue since ${slackDate(new Date(entry.dueAt))}: ` +
            `${name(entry.change)} — ` +
            `${entry.kinds.map((kind) => OBLIGATION_LABELS[kind].toLowerCase()).join(', ')}`,
        ),
        ...issues.pastApprovalSla.map(
          (entry) =>
            `• :hourglass: Approval past its SLA (due ` +
            `${slackDate(new Date(entry.dueAt))}): ${name(entry.change)} — waiting for ` +
            `${entry.waitingFor.join(', ') || 'nobody'}`,
        ),
        ...issues.disputedVerbalApprovals.map(
          (entry) =>
            `• :warning: Verbal approval disputed by ${mentionMember(entry.approverId)} ` +
            `${slackDate(new Date(entry.at))}: ${name(entry.change)}`,
        ),
        ...(issues.disputedAuthorizations ?? []).map(
          (entry) =>
            `• :warning: Authorization disputed by ${mentionMember(entry.approverId)} ` +
            `${slackDate(new Date(entry.at))}, not resolved yet (it cannot close): ${name(entry.change)}`,
        ),
        ...issues.flagged.map(
          (entry) =>
            `• :triangular_flag_on_post: Flagged for the CAB: ${name(entry.change)} — ${escapeMrkdwn(entry.reason)}`,
        ),
        ...issues.undelivered.map(
          (entry) =>
            `• :mailbox_with_no_mail: A Slack message could not be delivered: ` +
            `${entry.ref ?? 'no change'} ` +
            `(${escapeMrkdwn(entry.kind)}${entry.error ? `: ${escapeMrkdwn(entry.error)}` : ''})`,
        ),
      ];
    }
  }
}

/** The agenda's sections, in the policy's order, each its title and then its lines. */
function agendaBodyBlocks(agenda: Agenda, policy: Policy): types.KnownBlock[] {
  return policy.cab.agenda_sections.flatMap((entry, index) => {
    const lines = sectionLines(agenda, entry.id, policy);
    return linesToSections([
      `*${index + 1}. ${escapeMrkdwn(entry.title)}*`,
      ...(lines.length > 0 ? lines : ['_Nothing to report._']),
    ]);
  });
}

export interface AgendaHeading {
  title: string;
  /** Context lines under the title, e.g. "posted late". */
  notes: string[];
  /** What the first message ends with: the close button, a preview's "Post now", or nothing. */
  actions: types.ActionsBlock | undefined;
}

// Room kept on the first message for the heading and the actions, the same whatever they say, so
// re-rendering the first message (e.g. once the meeting is closed) never moves the page breaks.
const HEADING_RESERVE = { blocks: 3, chars: 1_000 };

/**
 * The agenda as Slack messages: the first carries the heading and the actions, the rest continue in
 * the thread. Each stays within 50 blocks, 3,000 characters a section and the message size Slack takes.
 */
export function agendaMessages(agenda: Agenda, policy: Policy, heading: AgendaHeading): SlackMessage[] {
  const top: types.KnownBlock[] = [
    header(heading.title),
    context(
      truncate(
        [
          `Changes since ${slackDate(new Date(agenda.since))} · calendar to ` +
            `${slackDate(new Date(agenda.calendarUntil))}`,
          ...heading.notes,
        ].join('\n'),
        HEADING_RESERVE.chars / 2,
      ),
    ),
  ];
  const bottom: types.KnownBlock[] = heading.actions ? [heading.actions] : [];
  const pages = paginate(agendaBodyBlocks(agenda, policy), HEADING_RESERVE);
  return pages.map((blocks, index) =>
    index === 0
      ? { text: heading.title, blocks: [...top, ...blocks, ...bottom] }
      : {
          text: `${heading.title} (continued, ${index + 1} of ${pages.length})`,
          blocks: [
            context(
              `${escapeMrkdwn(truncate(heading.title, HEADER_TEXT_LIMIT))} — continued, ` +
                `${index + 1} of ${pages.length}`,
            ),
            ...blocks,
          ],
        },
  );
}

/** When a meeting is held, in the policy time zone (plain text, for headers). */
export function meetingTimeText(meetingAt: Date, policy: Policy): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: policy.timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(meetingAt);
}

/** The title of a regular meeting's agenda. */
export function agendaTitle(meetingAt: Date, policy: Policy): string {
  return `CAB agenda · ${meetingTimeText(meetingAt, policy)}`;
}

/** The chair's button at the end of an open meeting's agenda. */
export function closeMeetingActions(meetingId: number): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: 'cab_meeting',
    elements: [button('Close meeting & record minutes', ACTIONS.cabClose, encodeMeetingValue(meetingId))],
  };
}

/** `/change agenda`: the first page of the next agenda, for anyone; the chair may post it now. */
export function agendaPreview(agenda: Agenda, policy: Policy, isChair: boolean): SlackMessage {
  const meetingAt = new Date(agenda.meetingAt);
  const actions: types.ActionsBlock | undefined = isChair
    ? {
        type: 'actions',
        block_id: 'cab_preview',
        elements: [button('Post now', ACTIONS.cabPostNow, 'next', 'primary')],
      }
    : undefined;
  const messages = agendaMessages(agenda, policy, {
    title: `Preview: ${agendaTitle(meetingAt, policy)}`,
    notes: [`Posted automatically ${slackDate(meetingAt)}${policy.cab.channel ? ` in <#${policy.cab.channel}>` : ''}.`],
    actions,
  });
  const [first] = messages;
  if (!first) return { text: 'No agenda', blocks: [] };
  if (messages.length === 1) return first;
  // The preview is one message: say what is left out instead of posting the rest ephemerally.
  const more = context(`…and ${messages.length - 1} more message(s) of agenda, posted in the thread with it.`);
  return {
    text: first.text,
    blocks: [...first.blocks.slice(0, actions ? -1 : undefined), more, ...(actions ? [actions] : [])],
  };
}

import type { types } from '@slack/bolt';
import type { ChangeRecord } from '../../db/change-record.js';
import type { Policy } from '../../policy/schema.js';
import { HOME_CALENDAR_DAYS, type Inbox, type WaitingDecision } from '../../services/inbox.js';
import { ACTIONS, encodeChangeValue } from '../ids.js';
import { delegationStatusText } from '../words/delegations.js';
import {
  activeChangeLine,
  boardItemLine,
  CALENDAR_MORE,
  decisionLine,
  HOME_DELEGATION_TITLE,
  HOME_HELP,
  HOME_POLICY_POINTER,
  HOME_SECTIONS,
  HOME_TITLE,
  moreText,
  NOTHING_ACTIVE,
  toImplementLine,
  VERBAL_MORE,
  verbalLine,
} from '../words/home.js';
import { button, context, divider, header, linesToSections, section } from './blocks.js';
import { ballotButtons } from './cab.js';
import { decisionButtons, nextStepText } from './change-message.js';
import { verbalAnswerButtons } from './emergency.js';
import { implementationButtons } from './implementation.js';
import { emergencyAuthorizationSection } from './policy-summary.js';
import { calendarLines, NOTHING_PLANNED } from './schedule.js';

/**
 * How much of each list a Home shows; the rest is counted and pointed to. Each item is a section and its buttons:
 * 2 + 2·12 + 2·3 + 2·8 + 2·6 (with a heading and a "more" line each) + 3 (your changes) + 4 (calendar) + 10 (title,
 * answer, dividers, policy) = 85 blocks at most, under Slack's 100 for a view, however much waits.
 */
export const HOME_SHOWN = { decisions: 12, confirmations: 3, board: 8, toImplement: 6, active: 10, calendar: 3 };

/** One thing to do: what it is, and its buttons. */
export function item(line: string, buttons: types.Button[]): types.KnownBlock[] {
  return [section(line), { type: 'actions', elements: buttons }];
}

/** The first `shown` of a list, each rendered, and a line counting the rest when some are left out. */
function listBlocks<T>(
  items: readonly T[],
  shown: number,
  render: (entry: T) => types.KnownBlock[],
  more: (leftOut: number) => string,
): types.KnownBlock[] {
  const blocks = items.slice(0, shown).flatMap(render);
  return items.length > shown ? [...blocks, context(more(items.length - shown))] : blocks;
}

/** The decision blocks of a Home or a digest: the change, and Approve / Reject / Details as on the request. */
export function decisionBlocks(decision: WaitingDecision, policy: Policy): types.KnownBlock[] {
  return item(decisionLine(decision, policy), decisionButtons(decision.changeId, decision.phase));
}

const details = (changeId: number) => button('Details', ACTIONS.details, encodeChangeValue(changeId));

/** What waits for the person's decision, vote or answer; the decisions heading shows even when nothing waits. */
function waitingBlocks(inbox: Inbox, policy: Policy): types.KnownBlock[] {
  const { decisions, confirmations, boardItems } = inbox;
  return [
    section(HOME_SECTIONS.decisions(decisions.length)),
    ...listBlocks(
      decisions,
      HOME_SHOWN.decisions,
      (decision) => decisionBlocks(decision, policy),
      (leftOut) => moreText(leftOut, 'list pending'),
    ),
    ...(confirmations.length > 0
      ? [
          section(HOME_SECTIONS.confirmations(confirmations.length)),
          ...listBlocks(
            confirmations,
            HOME_SHOWN.confirmations,
            (verbal) => item(verbalLine(verbal), verbalAnswerButtons(verbal.ref, policy, verbal.verbalApprovalId)),
            VERBAL_MORE,
          ),
        ]
      : []),
    ...(boardItems.length > 0
      ? [
          section(HOME_SECTIONS.board(boardItems.length)),
          ...listBlocks(
            boardItems,
            HOME_SHOWN.board,
            (entry) => item(boardItemLine(entry), [...ballotButtons(entry.itemId), details(entry.changeId)]),
            (leftOut) => moreText(leftOut, 'agenda'),
          ),
        ]
      : []),
  ];
}

function toImplementBlocks({ toImplement }: Inbox, policy: Policy): types.KnownBlock[] {
  if (toImplement.total === 0) return [];
  const render = (record: ChangeRecord) => [
    section(`${toImplementLine(record)}\n${nextStepText(record)}`),
    { type: 'actions' as const, elements: [...implementationButtons(record, policy), details(record.change.id)] },
  ];
  const shown = toImplement.records.slice(0, HOME_SHOWN.toImplement);
  const leftOut = toImplement.total - shown.length;
  return [
    section(HOME_SECTIONS.toImplement(toImplement.total)),
    ...shown.flatMap(render),
    ...(leftOut > 0 ? [context(moreText(leftOut, 'list mine'))] : []),
  ];
}

function activeBlocks({ active }: Inbox, policy: Policy): types.KnownBlock[] {
  if (active.total === 0) return [section(NOTHING_ACTIVE)];
  const shown = active.records.slice(0, HOME_SHOWN.active);
  const leftOut = active.total - shown.length;
  return [
    ...linesToSections([
      HOME_SECTIONS.active(active.total),
      ...shown.map((record) => activeChangeLine(record, policy)),
    ]).slice(0, 2),
    ...(leftOut > 0 ? [context(moreText(leftOut, 'list mine'))] : []),
  ];
}

function calendarBlocks({ calendar }: Inbox, policy: Policy, now: Date): types.KnownBlock[] {
  const lines = calendarLines(calendar, policy, now, HOME_CALENDAR_DAYS);
  const sections = linesToSections([
    HOME_SECTIONS.calendar(HOME_CALENDAR_DAYS),
    ...(lines.length > 0 ? lines : [NOTHING_PLANNED]),
  ]);
  return [
    ...sections.slice(0, HOME_SHOWN.calendar),
    ...(sections.length > HOME_SHOWN.calendar ? [context(CALENDAR_MORE(HOME_CALENDAR_DAYS))] : []),
  ];
}

/**
 * Someone's App Home, their inbox: the answer to their last click there, what waits for their decision, the changes
 * they implement, their other changes with status and next step, the next days' calendar and freezes, then who
 * authorizes an emergency now and where the whole policy is.
 */
export function homeView(inbox: Inbox, policy: Policy, now: Date): types.HomeView {
  return {
    type: 'home',
    blocks: [
      header(HOME_TITLE),
      ...(inbox.notice ? [context(`:speech_balloon: ${inbox.notice}`)] : []),
      ...waitingBlocks(inbox, policy),
      divider,
      ...toImplementBlocks(inbox, policy),
      ...activeBlocks(inbox, policy),
      section(`*${HOME_DELEGATION_TITLE}*\n${delegationStatusText(inbox.delegation, policy.timezone)}`),
      divider,
      ...calendarBlocks(inbox, policy, now),
      divider,
      emergencyAuthorizationSection(policy, now),
      context(`${HOME_POLICY_POINTER} ${HOME_HELP}`),
    ],
  };
}

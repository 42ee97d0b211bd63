import type { ChangeRecord } from '../../db/change-record.js';
import { isAskedNow, requirementsOf } from '../../domain/approvers.js';
import { outstandingPaperwork } from '../../domain/emergency.js';
import { decisionStage } from '../../domain/lifecycle.js';
import type { Policy } from '../../policy/schema.js';
import type { BoardItemWaiting, VerbalWaiting, WaitingDecision } from '../../services/inbox.js';
import { slackDate, truncate } from '../blocks/blocks.js';
import { escapeMrkdwn, mentionMember } from '../blocks/mrkdwn.js';
import { CHANGE_COMMAND } from '../ids.js';
import { sectionRef } from './citations.js';
import { describeState } from './states.js';

// The sentences of each person's App Home (their inbox) and of their morning digest.

export const HOME_TITLE = 'Cabinet — what waits for you';
export const HOME_HELP = `Type \`${CHANGE_COMMAND} help\` in any channel to see what you can do.`;
const POLICY_COMMAND = `\`${CHANGE_COMMAND} policy\``;
export const HOME_POLICY_POINTER = `The whole policy (risk levels, approvals, windows, the CAB): ${POLICY_COMMAND}.`;

export const titleOf = (ref: string, title: string) => `*${ref} · ${escapeMrkdwn(truncate(title, 80))}*`;

const countOf = (count: number) => (count > 0 ? ` (${count})` : '');

export const HOME_SECTIONS = {
  decisions: (count: number) =>
    count > 0 ? `*Waiting for your decision*${countOf(count)}, oldest first` : 'Nothing waits for your decision.',
  confirmations: (count: number) => `*Verbal approvals recorded in your name*${countOf(count)}: confirm or dispute`,
  board: (count: number) => `*Put to the CAB*${countOf(count)}`,
  toImplement: (count: number) => `*Waiting for you to implement*${countOf(count)}`,
  active: (count: number) => `*Your changes*${countOf(count)}, newest first`,
  calendar: (days: number) => `*The next ${days} days* (change calendar and freezes)`,
};

export const NOTHING_ACTIVE = 'None of your changes is open.';

/** "…and 12 more: `/change list pending`": what a section leaves out, and where to see it. */
export function moreText(leftOut: number, where: string): string {
  return `…and ${leftOut} more: \`${CHANGE_COMMAND} ${where}\`.`;
}

const dueText = (dueAt: Date | null) => (dueAt ? `; due ${slackDate(dueAt)}` : '');

/** One decision waiting for someone: the change, its risk and requester, the roles asked for, the SLA due time. */
export function decisionLine(decision: WaitingDecision, policy: Policy): string {
  const risk = policy.risk.levels.find((level) => level.id === decision.riskLevel)?.label ?? decision.riskLevel;
  const what =
    decision.phase === 'authorization'
      ? ':rotating_light: emergency authorization'
      : decision.phase === 'retro_approval'
        ? `formal approval of an emergency${sectionRef(policy, 'emergency_paperwork')}`
        : decision.phase === 'closure'
          ? 'approval to close'
          : `${risk ?? 'unassessed'} risk`;
  return (
    `${titleOf(decision.ref, decision.title)}\n${what}, requested by ${mentionMember(decision.requesterId)}; ` +
    `you are asked as ${decision.roles.join(', ')}${dueText(decision.dueAt)}`
  );
}

export function verbalLine(verbal: VerbalWaiting): string {
  return (
    `${titleOf(verbal.ref, verbal.title)}\n${mentionMember(verbal.recordedBy)} recorded that you approved it ` +
    `${slackDate(verbal.givenAt)}`
  );
}

export function boardItemLine(item: BoardItemWaiting): string {
  const board = item.meetingKind === 'emergency' ? 'the emergency CAB' : 'the CAB';
  const part = item.decides ? 'your decision as chair' : 'your vote';
  return `${titleOf(item.ref, item.title)}\nPut to ${board} of ${slackDate(item.meetingAt)}: ${part}`;
}

/** Who the change waits for in the phase it is in, and when the first of their SLAs runs out. */
function waitingFor(record: ChangeRecord, policy: Policy): string {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return '';
  const open = requirementsOf(record, phase).filter(
    (requirement) => requirement.satisfiedAt === null && isAskedNow(requirement, record),
  );
  const roles = [
    ...new Set(open.map((requirement) => (requirement.role === policy.cab.role ? 'the CAB' : requirement.role))),
  ];
  const due = open
    .flatMap((requirement) => (requirement.dueAt ? [requirement.dueAt] : []))
    .reduce<Date | null>((first, at) => (first === null || at < first ? at : first), null);
  return `waiting for ${roles.join(', ') || 'nobody — ask your Cabinet admin'}${dueText(due)}`;
}

/** What comes next for a change, as its requester or owner reads it. */
function nextStep(record: ChangeRecord, policy: Policy): string {
  const { change } = record;
  switch (change.state) {
    case 'submitted':
      return 'its approvers are being asked';
    case 'pending_approval':
    case 'pending_authorization':
    case 'pending_retro_approval':
    case 'pending_closure':
      return waitingFor(record, policy);
    case 'approved':
    case 'scheduled':
      return `${mentionMember(change.ownerId)} starts it`;
    case 'implementing':
      return `${mentionMember(change.ownerId)} is implementing it`;
    case 'completed':
      return 'its production validation, review and closure next';
    case 'authorized': {
      const dueAt = outstandingPaperwork(record.obligations, change.state)[0]?.dueAt;
      const due = dueAt ? `, due ${slackDate(dueAt)}` : '';
      return `its paperwork${sectionRef(policy, 'emergency_paperwork')} next${due}`;
    }
    case 'reviewed':
      return 'its closure next';
    case 'closure_rejected':
      return `${mentionMember(change.ownerId)} closes it again once the refusal is dealt with`;
    default:
      return 'its post-implementation review next';
  }
}

/** One of someone's changes: status and next step. */
export function activeChangeLine(record: ChangeRecord, policy: Policy): string {
  return (
    `• ${titleOf(record.ref, record.change.title)} — ${describeState(record.change.state)}; ` +
    `${nextStep(record, policy)}`
  );
}

export function toImplementLine(record: ChangeRecord): string {
  const planned = record.change.plannedStart ? `; planned ${slackDate(record.change.plannedStart)}` : '';
  return `${titleOf(record.ref, record.change.title)}\n${describeState(record.change.state)}${planned}`;
}

/** The digest's opening line. */
export function digestIntro(count: number): string {
  return count === 1
    ? 'Good morning. One decision waits for you:'
    : `Good morning. ${count} decisions wait for you, oldest first:`;
}

export function digestText(count: number): string {
  return count === 1 ? 'One decision waits for you' : `${count} decisions wait for you`;
}

export const DIGEST_MORE = (leftOut: number) =>
  `…and ${leftOut} more in your Cabinet Home, or \`${CHANGE_COMMAND} list pending\`.`;

export const VERBAL_MORE = (leftOut: number) => `…and ${leftOut} more in Cabinet's messages to you.`;

export const CALENDAR_MORE = (days: number) => `More: \`${CHANGE_COMMAND} calendar ${days}\`.`;

/** The Home's section on the person's delegation (out of office). */
export const HOME_DELEGATION_TITLE = 'Out of office';

import type { ChangeRecord, RequirementRecord } from '../../db/change-record.js';
import { isBoardRequirement, requirementsOf } from '../../domain/approvers.js';
import { nextMeetingAt } from '../../domain/cab.js';
import type { ApprovalPhase } from '../../domain/lifecycle.js';
import type { EscalationTargets } from '../../domain/sla.js';
import type { Policy } from '../../policy/schema.js';
import type { RemindOutcome } from '../../services/sla.js';
import { slackDate } from '../blocks/blocks.js';
import { escapeMrkdwn, mentionMember, quoteUserText } from '../blocks/mrkdwn.js';
import { cited } from './citations.js';
import { changeRefusalText } from './refusals.js';
import { describeState } from './states.js';

// The 4.4 SLA clock as people read it: reminders to those asked, the escalation once it has passed, and what
// `/change remind` did.

const titleOf = (record: ChangeRecord) => `${record.ref} · ${escapeMrkdwn(record.change.title)}`;

/** The earliest due time of some requirements, if any has one. */
function earliestDue(requirements: readonly RequirementRecord[]): Date | undefined {
  const times = requirements.flatMap((requirement) => (requirement.dueAt ? [requirement.dueAt.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

function dueText(due: Date | undefined, now: Date): string {
  if (!due) return '';
  return now < due ? ` It is due ${slackDate(due)}.` : ` It was due ${slackDate(due)}.`;
}

/**
 * A reminder to someone asked and not yet decided (by the SLA clock, or by `nudgedBy` through `/change remind`),
 * naming the roles they were asked for and when the first is due.
 */
/** The person's requirements of the phase still open. */
const openRequirementsOf = (record: ChangeRecord, of: { userId: string; phase: ApprovalPhase }) =>
  requirementsOf(record, of.phase).filter(
    (requirement) => requirement.satisfiedAt === null && requirement.candidates.includes(of.userId),
  );
const rolesText = (open: readonly RequirementRecord[]) =>
  open.length > 0 ? ` (as ${open.map((requirement) => requirement.role).join(', ')})` : '';

/** In the thread of a request the person decided or that waited its turn: the change is put to them again. */
export function askedAgainText(
  record: ChangeRecord,
  request: { userId: string; phase: ApprovalPhase },
  now: Date,
): string {
  const open = openRequirementsOf(record, request);
  const due = dueText(earliestDue(open), now);
  return `:bell: ${titleOf(record)} waits for your decision again${rolesText(open)}: the buttons above are live.${due}`;
}

export function reminderText(
  record: ChangeRecord,
  reminder: { userId: string; phase: ApprovalPhase; nudgedBy?: string },
  now: Date,
): string {
  const open = openRequirementsOf(record, reminder);
  const roles = rolesText(open);
  const asking = reminder.nudgedBy
    ? `${mentionMember(reminder.nudgedBy)} asks you to decide on ${titleOf(record)}`
    : `Reminder: ${titleOf(record)} still waits for your decision`;
  return `:bell: ${asking}${roles}.${dueText(earliestDue(open), now)}`;
}

/** One late requirement and who it waits for. */
function lateLine(requirement: RequirementRecord, policy: Policy, now: Date): string {
  if (isBoardRequirement(requirement, policy)) {
    const next = nextMeetingAt(policy, now);
    const meeting = next ? `it next meets ${slackDate(next)}` : 'no meeting is scheduled';
    return `• *${requirement.role}* — the CAB's decision; ${meeting}`;
  }
  const asked = requirement.candidates.map(mentionMember).join(', ') || 'nobody holds this role';
  return `• *${requirement.role}* — asked: ${asked}`;
}

/** To those escalated to: the requirements of a change past their SLA, who was asked, and who requested it. */
export function escalationText(
  record: ChangeRecord,
  late: { requirements: readonly RequirementRecord[]; dueAt: Date },
  policy: Policy,
  now: Date,
): string {
  const lines = late.requirements.map((requirement) => lateLine(requirement, policy, now));
  return (
    `:alarm_clock: ${titleOf(record)} is past its approval SLA${cited(policy, 'approval_sla')}: it was due ` +
    `${slackDate(late.dueAt)} and still waits for:\n${lines.join('\n')}\n` +
    `Requested by ${mentionMember(record.change.requesterId)}.`
  );
}

/** To the requester: their change is past its SLA, and who Cabinet told. */
export function requesterEscalationText(
  record: ChangeRecord,
  late: { requirements: readonly RequirementRecord[]; dueAt: Date },
  told: EscalationTargets,
): string {
  const roles = late.requirements.map((requirement) => `*${requirement.role}*`).join(', ');
  const who = [...told.userIds.map(mentionMember), ...told.roles.map((role) => `the ${role} role`)];
  const toldText = who.length > 0 ? ` Cabinet told ${who.join(' and ')}.` : '';
  return (
    `:alarm_clock: Your change ${titleOf(record)} is past its approval SLA: it was due ` +
    `${slackDate(late.dueAt)} and still waits for ${roles}.${toldText}`
  );
}

/** How to type `/change remind`, and why what was typed is not a change ID. */
export function remindUsageText(typed: string): string {
  const why = typed ? ` (\`${quoteUserText(typed)}\` is not a change ID)` : '';
  return `Type \`/change remind CHG-<number>\`, e.g. \`/change remind CHG-12\`${why}.`;
}

/** What `/change remind` did, or why nobody was reminded. */
export function remindText(outcome: RemindOutcome): string {
  if (outcome.ok) {
    const people = outcome.people.map(mentionMember).join(', ');
    return `Reminded ${people} about ${outcome.ref}, in the thread of their request.`;
  }
  switch (outcome.code) {
    case 'change_not_found':
      return changeRefusalText(outcome, 'read');
    case 'not_requester_or_owner':
      return `Only the requester or the owner of ${outcome.ref} can send a reminder about it.`;
    case 'nothing_to_decide':
      return `${outcome.ref} is ${describeState(outcome.state)}: it waits for no decision, so nobody was reminded.`;
    case 'nobody_to_remind':
      return (
        `Nobody can be reminded about ${outcome.ref}: it waits for ${outcome.roles.join(', ') || 'no role'}, ` +
        'whose decision Cabinet does not ping anyone for (the CAB decides at its meeting; quiet roles decide from ' +
        'the Home or Details).'
      );
    case 'too_soon':
      return (
        `${outcome.ref} was nudged less than ${outcome.hours} hours ago; nobody was reminded. ` +
        `The next reminder can go ${slackDate(outcome.nextAt)}.`
      );
  }
}

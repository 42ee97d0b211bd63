import type { DelegationIssue } from '../../domain/delegation.js';
import type { Delegation, DelegationRefusal } from '../../services/delegations.js';
import { escapeMrkdwn, mentionMember, quoteUserText } from '../blocks/mrkdwn.js';

export const DELEGATE_USAGE =
  'Type `/change delegate @someone until YYYY-MM-DD [reason]` (pick the person from the list Slack shows as you ' +
  'type @), `/change delegate off` to end it, or `/change delegate` to see it.';

const untilText = (delegation: Delegation, timeZone: string) => `the end of ${delegation.until} (${timeZone})`;
const reasonText = (delegation: Delegation) => (delegation.reason ? ` (“${escapeMrkdwn(delegation.reason)}”)` : '');

/** A first word that is not a user Slack sent as a mention. */
export function notAMentionText(typed: string): string {
  return `\`${quoteUserText(typed)}\` is not a person Slack recognised; nothing was set. ${DELEGATE_USAGE}`;
}

function issueText(issue: DelegationIssue): string {
  switch (issue.code) {
    case 'self':
      return 'You cannot delegate to yourself; name someone else.';
    case 'not_a_date':
      return 'The last day must be a date written YYYY-MM-DD, e.g. `until 2026-12-24`.';
    case 'over_already':
      return `That day is past: the last day must be today (${issue.today}) or later.`;
    case 'too_far':
      return `A delegation runs for a year at most: the last day can be ${issue.latest} at the latest.`;
    case 'reason_too_long':
      return `Keep the reason under ${issue.max} characters.`;
  }
}

/** Why a delegation was not set. */
export function delegationRefusalText(refusal: DelegationRefusal): string {
  switch (refusal.code) {
    case 'invalid':
      return `${issueText(refusal.issue)} Nothing was set. ${DELEGATE_USAGE}`;
    case 'delegate_away': {
      const { delegatorId, delegateId, until } = refusal.delegation;
      return (
        `${mentionMember(delegatorId)} has delegated their own approvals (to ${mentionMember(delegateId)}, until ` +
        `${until}), so they cannot take yours: what was delegated is not delegated again. Pick someone else.`
      );
    }
    case 'holds_delegation':
      return (
        `You decide for ${refusal.delegatorIds.map(mentionMember).join(', ')} while they are away, so you cannot ` +
        'delegate: what was delegated to you is not delegated again. Nothing was set.'
      );
  }
}

/** A delegation set: until when, what the delegate may do, and which open requests went to them. */
export function delegationSetText(
  set: { delegation: Delegation; replaced: Delegation | undefined; forwarded: readonly string[] },
  timeZone: string,
): string {
  const { delegation, replaced, forwarded } = set;
  const delegate = mentionMember(delegation.delegateId);
  const replacing = replaced ? ` It replaces your delegation to ${mentionMember(replaced.delegateId)}.` : '';
  const sent =
    forwarded.length > 0
      ? ` Your open requests were sent to them too: ${forwarded.join(', ')}.`
      : ' You have no open requests to send them.';
  return (
    `Until ${untilText(delegation, timeZone)}, your approval requests go to ${delegate} as well as to you, and ` +
    `${delegate} may decide for you (never on a change they requested or own).${replacing}${sent} ` +
    '`/change delegate off` ends it sooner.'
  );
}

/** `/change delegate off`. */
export function delegationEndedText(ended: { ok: true; delegation: Delegation } | { ok: false }): string {
  if (!ended.ok) return 'You have no delegation running; nothing changed.';
  const delegate = mentionMember(ended.delegation.delegateId);
  return (
    `Your delegation to ${delegate} has ended: new requests come to you alone, and ${delegate} can no longer ` +
    'decide for you. The decisions they took for you stand.'
  );
}

/** `/change delegate`: the delegation given and those held. */
export function delegationStatusText(
  status: { given: Delegation | undefined; held: readonly Delegation[] },
  timeZone: string,
): string {
  const { given, held } = status;
  const lines = [
    given
      ? `Your approval requests also go to ${mentionMember(given.delegateId)} until ` +
        `${untilText(given, timeZone)}${reasonText(given)}. \`/change delegate off\` ends it.`
      : 'You have not delegated your approvals. When you are away, type ' +
        '`/change delegate @someone until YYYY-MM-DD [reason]`.',
    ...held.map(
      (delegation) =>
        `You decide for ${mentionMember(delegation.delegatorId)} until ${untilText(delegation, timeZone)}` +
        `${reasonText(delegation)}.`,
    ),
  ];
  return lines.join('\n');
}

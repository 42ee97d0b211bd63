import type { VerbalMedium } from '../../domain/emergency.js';
import type { Policy } from '../../policy/schema.js';
import type {
  AnswerVerbalOutcome,
  AuthorizingRoles,
  RecordVerbalOutcome,
  VerbalRecordingRefusal,
} from '../../services/verbal-approvals.js';
import { cited } from './citations.js';
import { verbalApprovalErrors } from './forms.js';
import { changeRefusalText } from './refusals.js';
import { describeState } from './states.js';

/** e.g. "manager, security, or instead cto, ciso". */
function authorizingRolesText({ roles, standIns }: AuthorizingRoles): string {
  const instead = standIns.length > 0 ? `, or instead ${standIns.join(', ')}` : '';
  return `${roles.join(', ') || 'nobody'}${instead}`;
}

/** Why the user may not record a verbal approval on a change now. */
export function verbalRecordingRefusalText(refusal: VerbalRecordingRefusal, policy: Pick<Policy, 'document'>): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'not_emergency':
      return (
        `${refusal.ref} is not an emergency change; ` +
        `verbal approvals are for emergencies${cited(policy, 'verbal_approval')}.`
      );
    case 'not_pending':
      return `${refusal.ref} is already ${describeState(refusal.state)}; no verbal approval is needed.`;
    case 'not_involved':
      return `Only the requester, the owner or an authorizer of ${refusal.ref} records its verbal approvals.`;
  }
}

/**
 * What recording a verbal approval did, or why it did not. Refusals are shown on the modal's
 * approver field, in plain text: they carry no mentions.
 */
export function recordVerbalText(outcome: RecordVerbalOutcome, policy: Pick<Policy, 'document'>): string {
  switch (outcome.code) {
    case 'recorded': {
      const effect = {
        authorized: `${outcome.ref} is now authorized`,
        counts: 'it counts toward the authorization',
        on_confirmation: 'it will count once they confirm it',
      }[outcome.effect];
      return (
        `Verbal approval by <@${outcome.approverId}> recorded on ${outcome.ref}; ${effect}. ` +
        'They are asked to confirm it in writing.'
      );
    }
    case 'already_recorded':
      return `That verbal approval of ${outcome.ref} is already recorded.`;
    case 'own_approval':
      return `You cannot record your own verbal approval: use the Authorize button on your request for ${outcome.ref}.`;
    case 'authorizers_unknown':
      return `Cabinet is still looking up who can authorize ${outcome.ref}; submit again in a moment.`;
    case 'cannot_authorize':
      return (
        `That person cannot authorize ${outcome.ref}. ` +
        `Who can: ${authorizingRolesText(outcome)} (the people listed above).`
      );
    case 'already_pending':
      return `A verbal approval by this person is already recorded on ${outcome.ref} and waits for their confirmation.`;
    case 'already_authorized':
      return `This person's authorization of ${outcome.ref} is already recorded.`;
    case 'form_issue':
      return Object.values(verbalApprovalErrors([outcome.issue])).join(' ');
    default:
      return verbalRecordingRefusalText(outcome, policy);
  }
}

/** What the named approver's answer to a verbal approval did, or why it was not taken. */
export function answerVerbalText(outcome: AnswerVerbalOutcome): string {
  switch (outcome.code) {
    case 'confirmed':
      return `Thank you: your verbal approval of ${outcome.ref} is confirmed.`;
    case 'disputed':
      return (
        `Recorded: you dispute the verbal approval of ${outcome.ref}. ` +
        'It no longer counts, and the change goes to the CAB.'
      );
    case 'verbal_not_found':
      return 'That verbal approval does not exist; nothing was recorded.';
    case 'not_approver': {
      const approver = `<@${outcome.approverId}>`;
      return `Only ${approver}, who is named as the approver, can confirm or dispute this verbal approval.`;
    }
    case 'already_answered':
      return `You already ${outcome.answer} this verbal approval of ${outcome.ref}.`;
  }
}

/** How a verbal approval was given, as the modal's options and the record say it. */
export const VERBAL_MEDIUM_LABELS: Record<VerbalMedium, string> = {
  phone: 'Phone',
  video_call: 'Video call',
  in_person: 'In person',
  chat: 'Chat',
};

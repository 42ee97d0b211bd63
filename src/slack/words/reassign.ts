import type { ReassignRefusal } from '../../services/reassign.js';
import { mentionMember } from '../blocks/mrkdwn.js';
import { changeRefusalText } from './refusals.js';
import { describeState } from './states.js';

/** Why a reassignment was refused. */
export function reassignRefusalText(refusal: ReassignRefusal): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'not_admin':
      return (
        `Only the ${refusal.roles.join(', ')} can reassign an approval (policy \`approvals.admin_roles\`); ` +
        'nothing was recorded.'
      );
    case 'out_of_date':
      return `That form is out of date: ${refusal.ref} is now ${describeState(refusal.state)}; nothing was recorded.`;
    case 'requirement_closed':
      return `That approval of ${refusal.ref} is no longer open to reassign; nothing was recorded.`;
    case 'requester':
      return `${mentionMember(refusal.userId)} requested ${refusal.ref}, so cannot approve it. Name someone else.`;
    case 'owner':
      return `${mentionMember(refusal.userId)} owns ${refusal.ref}, so cannot approve it. Name someone else.`;
    case 'already_reassigned':
      return (
        `The ${refusal.role} approval of ${refusal.ref} is already reassigned to ` +
        `${mentionMember(refusal.userId)}; nothing was recorded.`
      );
    case 'reason_required':
      return 'Say why: the requester and the auditors will read it.';
    case 'reason_too_long':
      return `Keep the reason under ${refusal.max} characters.`;
  }
}

/** A reassignment recorded. */
export function reassignedText(done: { ref: string; role: string; assigneeId: string }): string {
  return (
    `${mentionMember(done.assigneeId)} is asked for the ${done.role} approval of ${done.ref} and may decide for it. ` +
    'The requester is told.'
  );
}

/** The title of the notices the Reassign button and form answer with. */
export const REASSIGN_TITLE = 'Reassign';

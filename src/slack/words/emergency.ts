import type { EscalationOutcome } from '../../services/emergency.js';
import { changeRefusalText } from './refusals.js';
import { describeState } from './states.js';

/** What asking the stand-in authorizers did, or why they were not asked. */
export function escalationText(outcome: EscalationOutcome): string {
  if (outcome.ok) return `Asked the stand-in authorizers of ${outcome.ref} (${outcome.roles.join(', ')}).`;
  switch (outcome.code) {
    case 'change_not_found':
      return changeRefusalText(outcome, 'read');
    case 'not_pending':
      return `${outcome.ref} is already ${describeState(outcome.state)}; nobody else needs asking.`;
    case 'already_escalated':
      return `The stand-in authorizers of ${outcome.ref} were already asked.`;
    case 'not_involved':
      return `Only the requester, the owner or an authorizer of ${outcome.ref} can ask the stand-ins.`;
    case 'no_stand_ins':
      return 'The policy names no stand-in authorizers (emergency.authorizers.fallback_any_of).';
  }
}

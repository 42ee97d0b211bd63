import type { ResolveDisputeOutcome } from '../../services/disputes.js';
import { changeRefusalText } from './refusals.js';

/** What resolving a disputed authorization did, or why it was not taken. */
export function resolveDisputeText(outcome: ResolveDisputeOutcome): string {
  switch (outcome.code) {
    case 'resolved':
      return (
        `The disputed authorization of ${outcome.ref} is resolved ` +
        `(${outcome.capacity === 'cab_chair' ? 'for the CAB' : 'as a dispute resolver'}); it may close again.`
      );
    case 'not_resolver':
      return (
        `Only the CAB chair or the ${outcome.roles.join(', ') || 'dispute resolvers'} can resolve the disputed ` +
        `authorization of ${outcome.ref} (policy \`emergency.dispute_resolver_roles\`); nothing was recorded.`
      );
    case 'no_open_dispute':
      return `${outcome.ref} has no disputed authorization to resolve; nothing was recorded.`;
    case 'note_required':
      return (
        `Say how the dispute of ${outcome.ref} was resolved, in up to 3000 characters: ` +
        `\`/change resolve ${outcome.ref} <note>\`.`
      );
    default:
      return changeRefusalText(outcome, 'write');
  }
}

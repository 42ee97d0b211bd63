import { OBLIGATION_LABELS } from '../../domain/emergency.js';
import type { EvidenceOutcome, ObligationRefusal } from '../../services/paperwork.js';
import { changeRefusalText } from './refusals.js';

/** Why a checklist item (the documentation, a ticket, an analysis, the CAB presentation) may not be completed now. */
export function obligationRefusalText(refusal: ObligationRefusal): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'not_owed': {
      const yet = refusal.emergency ? ' yet' : '';
      return `${refusal.ref} does not owe "${OBLIGATION_LABELS[refusal.kind]}"${yet}; nothing was recorded.`;
    }
    case 'not_chair':
      return `Only the CAB chair marks ${refusal.ref} as presented to the CAB.`;
    case 'not_requester_or_owner':
      return `Only the requester or the owner of ${refusal.ref} completes its paperwork.`;
    case 'already_done':
      return `"${OBLIGATION_LABELS[refusal.kind]}" is already done for ${refusal.ref}.`;
  }
}

/** What adding evidence to a checklist item did, or why it was not added. */
export function evidenceText(outcome: EvidenceOutcome): string {
  if (!outcome.ok) return obligationRefusalText(outcome);
  const label = OBLIGATION_LABELS[outcome.kind];
  return outcome.code === 'recorded'
    ? `"${label}" is recorded for ${outcome.ref}.`
    : `"${label}" is already recorded for ${outcome.ref}.`;
}

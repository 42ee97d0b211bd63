import type { ObligationKind } from '../../domain/emergency.js';
import type { EvidenceOutcome, ObligationRefusal } from '../../services/paperwork.js';
import { changeRefusalText } from './refusals.js';

/** The 6.4 paperwork, as the owner's checklist and the agenda name it. */
export const OBLIGATION_LABELS: Record<ObligationKind, string> = {
  documentation: 'Document the emergency change',
  retro_ticket: 'Create retrospective change ticket',
  retro_approval: 'Obtain formal approval',
  root_cause_analysis: 'Complete root cause analysis',
  cab_presentation: 'Present to CAB',
};

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

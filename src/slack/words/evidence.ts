// What Cabinet says about the evidence a change owes (POL-SEC-008 8.1 tests, the policy's step_evidence).
import type { EvidenceIssue } from '../../domain/change-evidence.js';
import type { EvidenceRecordOutcome, EvidenceRecordRefusal } from '../../services/change-evidence.js';
import { EVIDENCE_FIELDS } from '../blocks/form-fields.js';
import { escapeMrkdwn } from '../blocks/mrkdwn.js';
import { changeRefusalText } from './refusals.js';
import { describeState } from './states.js';

/** The labels of what is missing, quoted and joined: “Unit tests”, “Staging”. */
const listed = (labels: readonly string[]) => labels.map((label) => `“${escapeMrkdwn(label)}”`).join(', ');

/** A step (or the approval) refused because evidence is missing: which, and where to record it. */
export function evidenceMissingText(ref: string, action: string, missing: readonly string[]): string {
  return (
    `${ref} cannot ${action} yet: its evidence is not recorded for ${listed(missing)}. ` +
    `Its requester or owner records it with *Add evidence* on the change.`
  );
}

function recordRefusalText(refusal: EvidenceRecordRefusal): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'not_requester_or_owner':
      return `Only the requester or the owner of ${refusal.ref} records its evidence.`;
    case 'ended':
      return `${refusal.ref} is ${describeState(refusal.state)}; its record is final, so nothing was recorded.`;
    case 'nothing_owed':
      return `The policy asks ${refusal.ref} for no such evidence; nothing was recorded.`;
  }
}

/** What recording evidence did, or why it did not. */
export function evidenceRecordText(outcome: EvidenceRecordOutcome): string {
  return outcome.ok
    ? `Evidence for “${escapeMrkdwn(outcome.label)}” is recorded on ${outcome.ref}.`
    : recordRefusalText(outcome);
}

/** The evidence form's issues, by block. */
export function evidenceFormErrors(issues: readonly EvidenceIssue[]): Record<string, string> {
  return Object.fromEntries(
    issues.map((issue) => {
      if (issue.field === 'evidenceItem')
        return [EVIDENCE_FIELDS.evidenceItem, 'Pick what the evidence is for from the list.'];
      const sentence =
        issue.code === 'too_long'
          ? `Keep the evidence under ${issue.max} characters, or give a link to it.`
          : 'Enter the evidence: what was done and its result, or a link to it.';
      return [EVIDENCE_FIELDS.evidenceText, sentence];
    }),
  );
}

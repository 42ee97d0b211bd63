// The evidence a change owes (POL-SEC-008 8.1 tests, the policy's step_evidence): its lines on every view of the
// change, the button that records it, and the form.
import type { types } from '@slack/bolt';
import type { ChangeRecord, EvidenceRow } from '../../db/change-record.js';
import { acceptsEvidence, type EvidenceItem, evidenceKey } from '../../domain/change-evidence.js';
import { TEXT_MAX } from '../../domain/change-request.js';
import type { Policy } from '../../policy/schema.js';
import { itemsOf } from '../../services/change-evidence.js';
import { ACTIONS, encodeChangeValue, VIEWS } from '../ids.js';
import { button, section, slackDate, truncate } from './blocks.js';
import { FORM_ACTION, input, option, plain, textInput, type ViewStateValues } from './change-form.js';
import { EVIDENCE_FIELDS } from './form-fields.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

/** How the owner's buttons name the step an item holds up. */
const GATE_WORDS = {
  approval: 'approval',
  start: 'Start',
  complete: 'Complete',
  verify: 'Verify',
  review: 'Review',
  close: 'Close',
} as const;

/** The newest record of each item, by key. */
function latestRecords(record: ChangeRecord): Map<string, EvidenceRow> {
  return new Map(record.evidence.map((row) => [evidenceKey({ scope: row.scope, id: row.item }), row]));
}

function itemLine(item: EvidenceItem, row: EvidenceRow | undefined): string {
  const label = `*${escapeMrkdwn(item.label)}*`;
  if (row)
    return (
      `:white_check_mark: ${label} — ${escapeMrkdwn(truncate(row.evidence, 200))} ` +
      `(${mentionMember(row.recordedBy)} ${slackDate(row.recordedAt)})`
    );
  if (!item.required) return `:heavy_minus_sign: ${label} — recommended`;
  const due = item.before ? `required before ${GATE_WORDS[item.before]}` : 'required';
  return `:hourglass_flowing_sand: ${label} — ${due}, not recorded yet`;
}

/** The tests and the step evidence, each recorded (with its newest record) or still due. */
export function evidenceLines(record: ChangeRecord, policy: Policy): string[] {
  const items = itemsOf(record, policy);
  const latest = latestRecords(record);
  const group = (scope: EvidenceItem['scope'], title: string) => {
    const lines = items
      .filter((item) => item.scope === scope)
      .map((item) => itemLine(item, latest.get(evidenceKey(item))));
    return lines.length > 0 ? [title, ...lines] : [];
  };
  return [...group('test', '*Testing*'), ...group('step', '*Evidence by step*')];
}

/** "Add evidence", while the change owes some and its record is still open; the click is checked on the server. */
export function evidenceButtons(record: ChangeRecord, policy: Policy): types.Button[] {
  return itemsOf(record, policy).length > 0 && acceptsEvidence(record.change.state)
    ? [button('Add evidence', ACTIONS.recordEvidence, encodeChangeValue(record.change.id))]
    : [];
}

/** Every record of the change's evidence, oldest first, for Details and `/change show`. */
export function evidenceDetailFields(record: ChangeRecord): [string, string][] {
  return record.evidence.map((row) => [
    `${row.label} (${row.recordedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    row.evidence,
  ]);
}

/** The form: which item, and the evidence as text or a link. A later record of an item is added, not replaced. */
export function evidenceModal(record: ChangeRecord, policy: Policy): types.ModalView {
  const latest = latestRecords(record);
  const options = itemsOf(record, policy).map((item) => {
    const key = evidenceKey(item);
    return option(`${latest.has(key) ? '✓ ' : ''}${item.label}`, key);
  });
  return {
    type: 'modal',
    callback_id: VIEWS.changeEvidence,
    private_metadata: encodeChangeValue(record.change.id),
    title: plain(truncate(`Evidence ${record.ref}`, 24), 24),
    submit: plain('Record', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(`*${record.ref} · ${escapeMrkdwn(record.change.title)}*`),
      input(EVIDENCE_FIELDS.evidenceItem, 'Evidence for', { type: 'static_select', action_id: FORM_ACTION, options }),
      textInput(EVIDENCE_FIELDS.evidenceText, 'What was done and its result, or a link to it', {
        maxLength: TEXT_MAX,
        multiline: true,
      }),
    ],
  };
}

export function readEvidenceValues(values: ViewStateValues): { item?: string; evidence?: string } {
  const field = (blockId: string) => values[blockId]?.[FORM_ACTION];
  return {
    item: field(EVIDENCE_FIELDS.evidenceItem)?.selected_option?.value ?? undefined,
    evidence: field(EVIDENCE_FIELDS.evidenceText)?.value ?? undefined,
  };
}

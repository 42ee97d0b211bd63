import type { App } from '@slack/bolt';
import { readEvidenceForm } from '../../../domain/change-evidence.js';
import { itemsOf, recordChangeEvidence } from '../../../services/change-evidence.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { readEvidenceValues } from '../../blocks/change-evidence.js';
import { EVIDENCE_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseChangeValue, VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { evidenceFormErrors, evidenceRecordText } from '../../words/evidence.js';

/**
 * The evidence form submitted: read against the items the change owes now, then recorded as a new row with its
 * audit event. Problems go back on their inputs; a refusal (not the requester or owner, the change closed) on the
 * item select.
 */
export function registerChangeEvidenceSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.changeEvidence, async ({ ack, view, context }) => {
    const refuse = (text: string) =>
      ack({ response_action: 'errors', errors: { [EVIDENCE_FIELDS.evidenceItem]: text } });
    const ctx = useCaseOf(context);
    const changeId = parseChangeValue(view.private_metadata);
    const record = changeId === undefined ? undefined : changeRecordOf(ctx, changeId);
    if (changeId === undefined || !record) {
      await refuse('This form does not refer to a change Cabinet knows; nothing was recorded.');
      return;
    }
    const read = readEvidenceForm(readEvidenceValues(view.state.values), itemsOf(record, ctx.policy));
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: evidenceFormErrors(read.issues) });
      return;
    }
    const outcome = recordChangeEvidence(ctx, { changeId, ...read.value });
    if (!outcome.ok) {
      await refuse(evidenceRecordText(outcome));
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

import type { App } from '@slack/bolt';
import { httpLink } from '../../../domain/change-request.js';
import { addEvidence } from '../../../services/paperwork.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { EVIDENCE_BLOCK, parseObligationValue, VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { evidenceText } from '../../words/paperwork.js';

/** What is wrong with the evidence typed for a checklist item, if anything. */
function evidenceProblem(kind: 'retro_ticket' | 'root_cause_analysis', evidence: string): string | undefined {
  if (kind === 'retro_ticket')
    return httpLink.safeParse(evidence).success
      ? undefined
      : 'Enter the full http(s) link of the ticket, e.g. https://jira.example.com/browse/CHG-12.';
  return evidence === '' ? 'Write the root-cause analysis.' : undefined;
}

/**
 * A checklist item's evidence submitted: a retrospective ticket needs an http(s) link, a root-cause analysis some text.
 */
export function registerEvidenceSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.obligationEvidence, async ({ ack, view, context }) => {
    const item = parseObligationValue(view.private_metadata);
    const evidence = view.state.values[EVIDENCE_BLOCK]?.[FORM_ACTION]?.value?.trim() ?? '';
    if (!item || (item.kind !== 'retro_ticket' && item.kind !== 'root_cause_analysis')) {
      await ack({
        response_action: 'errors',
        errors: { [EVIDENCE_BLOCK]: 'This form does not refer to a checklist item; nothing was recorded.' },
      });
      return;
    }
    const problem = evidenceProblem(item.kind, evidence);
    const outcome =
      problem === undefined
        ? addEvidence(useCaseOf(context), { changeId: item.changeId, kind: item.kind, evidence })
        : undefined;
    const refusal = outcome === undefined ? problem : outcome.ok ? undefined : evidenceText(outcome);
    if (refusal !== undefined) {
      await ack({ response_action: 'errors', errors: { [EVIDENCE_BLOCK]: refusal } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

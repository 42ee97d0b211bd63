import type { App } from '@slack/bolt';
import { z } from 'zod';
import { TEXT_MAX } from '../../../domain/change-request.js';
import { addEvidence } from '../../../services/paperwork.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { EVIDENCE_BLOCK, VIEWS, parseObligationValue } from '../../ids.js';
import { FORM_ACTION } from '../../views/change-form.js';

const ticketLink = z.url({ protocol: /^https?$/ }).max(TEXT_MAX);

/** A checklist item's evidence submitted: a retrospective ticket needs an http(s) link, a root-cause analysis some text. */
export function registerEvidenceSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.obligationEvidence, async ({ ack, body, view }) => {
    const item = parseObligationValue(view.private_metadata);
    const evidence = view.state.values[EVIDENCE_BLOCK]?.[FORM_ACTION]?.value?.trim() ?? '';
    const problem =
      !item || (item.kind !== 'retro_ticket' && item.kind !== 'root_cause_analysis') ? 'This form does not refer to a checklist item; nothing was recorded.'
      : item.kind === 'retro_ticket' && !ticketLink.safeParse(evidence).success ? 'Enter the full http(s) link of the ticket, e.g. https://jira.example.com/browse/CHG-12.'
      : evidence === '' ? 'Write the root-cause analysis.'
      : undefined;
    if (problem !== undefined || !item || (item.kind !== 'retro_ticket' && item.kind !== 'root_cause_analysis')) {
      await ack({ response_action: 'errors', errors: { [EVIDENCE_BLOCK]: problem ?? 'Nothing to record.' } });
      return;
    }
    const outcome = addEvidence(deps.database.db, deps.policy, item.changeId, item.kind, body.user.id, evidence, deps.clock.now());
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [EVIDENCE_BLOCK]: outcome.reason } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

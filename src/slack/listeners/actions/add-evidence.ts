import type { App } from '@slack/bolt';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { addEvidence, evidenceRefusal } from '../../../services/paperwork.js';
import { evidenceModal } from '../../blocks/emergency.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ADD_EVIDENCE_ACTION, parseObligationValue } from '../../ids.js';
import { evidenceText, obligationRefusalText } from '../../words/paperwork.js';
import { onButton } from './change-button.js';

/**
 * A checklist button: the retrospective ticket or the root-cause analysis open a modal for their
 * evidence; "Presented to CAB" (already confirmed in Slack's dialog) is recorded at once.
 */
export function registerAddEvidence(app: App, deps: ListenerDependencies): void {
  onButton(
    app,
    deps,
    { actionId: ADD_EVIDENCE_ACTION, parse: parseObligationValue },
    async ({ target: { changeId, kind }, ctx, userId, triggerId, client, reply }) => {
      if (kind === 'cab_presentation') {
        const outcome = addEvidence(ctx, { changeId, kind, evidence: 'Presented to the CAB' });
        if (outcome.ok) deps.outbox.kick();
        await reply(evidenceText(outcome));
        return;
      }
      if (kind !== 'retro_ticket' && kind !== 'root_cause_analysis') {
        await reply('That checklist item completes itself; there is nothing to add.');
        return;
      }
      const record = changeRecordOf(deps.database, changeId);
      const refusal = evidenceRefusal(record, deps.policy, kind, userId);
      if (refusal !== undefined || !record) await reply(obligationRefusalText(refusal ?? changeNotFound));
      else await client.views.open({ trigger_id: triggerId, view: evidenceModal(record, kind) });
    },
  );
}

import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { loadChangeView } from '../../../db/changes.js';
import { addEvidence, evidenceRefusal } from '../../../services/paperwork.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseObligationValue } from '../../ids.js';
import { evidenceModal } from '../../views/emergency.js';

/**
 * A checklist button: the retrospective ticket or the root-cause analysis open a modal for their
 * evidence; "Presented to CAB" (already confirmed in Slack's dialog) is recorded at once.
 */
export function registerAddEvidence(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.addEvidence, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const item = parseObligationValue(action.value);
    if (!item) {
      await reply('That button does not refer to a checklist item; nothing was recorded.');
      return;
    }
    const userId = body.user.id;
    if (item.kind === 'cab_presentation') {
      const outcome = addEvidence(deps.database.db, deps.policy, item.changeId, 'cab_presentation', userId, 'Presented to the CAB', deps.clock.now());
      if (outcome.ok) deps.outbox.kick();
      await reply(outcome.ok ? outcome.message : outcome.reason);
      return;
    }
    const view = loadChangeView(deps.database.db, item.changeId);
    const refusal = evidenceRefusal(view, deps.policy, item.kind, userId);
    if (refusal !== undefined || !view || (item.kind !== 'retro_ticket' && item.kind !== 'root_cause_analysis')) {
      await reply(refusal ?? 'That checklist item completes itself; nothing to add.');
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: evidenceModal(view, item.kind) });
  });
}

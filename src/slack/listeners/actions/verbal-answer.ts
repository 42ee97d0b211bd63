import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { answerVerbalApproval } from '../../../services/verbal-approvals.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseVerbalValue } from '../../ids.js';

/**
 * Confirm or Dispute on the DM to the person named in a verbal approval. Only they may answer,
 * once; the check and the write happen in one transaction, so a double click records one answer.
 */
export function registerVerbalAnswer(app: App, deps: ListenerDependencies, outcome: 'confirmed' | 'disputed'): void {
  const actionId = outcome === 'confirmed' ? ACTIONS.confirmVerbal : ACTIONS.disputeVerbal;
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
    await ack();
    const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const verbalApprovalId = parseVerbalValue(action.value);
    if (verbalApprovalId === undefined) {
      await reply('That button does not refer to a verbal approval; nothing was recorded.');
      return;
    }
    const result = answerVerbalApproval(deps.database.db, deps.policy, verbalApprovalId, body.user.id, outcome, deps.clock.now());
    if (result.ok) deps.outbox.kick();
    await reply(result.ok ? result.message : result.reason);
  });
}

import type { App } from '@slack/bolt';
import { changeOfVerbalApproval } from '../../../services/change-queries.js';
import { answerVerbalApproval } from '../../../services/verbal-approvals.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseVerbalValue } from '../../ids.js';
import { membersForDecision, ROLE_CHECK_FAILED } from '../../role-members.js';
import { answerVerbalText } from '../../words/verbal.js';
import { onButton } from './change-button.js';

/**
 * Confirm or Dispute on the DM to the person named in a verbal approval. Only they may answer,
 * once; the check and the write happen in one transaction, so a double click records one answer.
 */
export function registerVerbalAnswer(app: App, deps: ListenerDependencies, outcome: 'confirmed' | 'disputed'): void {
  const actionId = outcome === 'confirmed' ? ACTIONS.confirmVerbal : ACTIONS.disputeVerbal;
  onButton(app, deps, { actionId, parse: parseVerbalValue }, async ({ target, ctx, reply }) => {
    const changeId = changeOfVerbalApproval(ctx, target);
    // A confirmation counts only from someone who holds the role now (user groups resolved, briefly cached).
    const membersByRole = changeId === undefined ? undefined : await membersForDecision(deps.roles, ctx, changeId);
    if (changeId !== undefined && !membersByRole) {
      await reply(ROLE_CHECK_FAILED);
      return;
    }
    const result = answerVerbalApproval(ctx, { verbalApprovalId: target, outcome, membersByRole });
    if (result.ok) deps.outbox.kick();
    await reply(answerVerbalText(result));
  });
}

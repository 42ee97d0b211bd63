import type { App } from '@slack/bolt';
import { decisionStage } from '../../../domain/lifecycle.js';
import { approveChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseDecisionValue } from '../../ids.js';
import { membersForDecision, ROLE_CHECK_FAILED } from '../../role-members.js';
import { approvalRecordedText, decisionRefusalText } from '../../words/decisions.js';
import { onButton } from './change-button.js';

/**
 * Approve (or Authorize): acked at once, then the roles' members are resolved (user groups through
 * Slack, briefly cached) so only someone holding the role now decides; recorded at most once per person
 * and requirement; the messages are then updated by the outbox.
 */
export function registerApprove(app: App, deps: ListenerDependencies): void {
  onButton(app, deps, { actionId: ACTIONS.approve, parse: parseDecisionValue }, async ({ target, ctx, reply }) => {
    const membersByRole = await membersForDecision(deps.roles, ctx, target.changeId);
    if (!membersByRole) {
      await reply(ROLE_CHECK_FAILED);
      return;
    }
    const outcome = approveChange(ctx, { ...target, membersByRole });
    if (!outcome.ok) {
      await reply(decisionRefusalText(outcome));
      return;
    }
    deps.outbox.kick();
    const { stage, changeState, ref } = outcome;
    await reply(approvalRecordedText({ ref, stage, moved: decisionStage(changeState) === undefined }));
  });
}

import type { App } from '@slack/bolt';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { actorEligibility } from '../../../services/decide.js';
import { recheckApprovers } from '../../../services/request-approvals.js';
import { rejectReasonModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseDecisionValue } from '../../ids.js';
import { membersForDecision, ROLE_CHECK_FAILED } from '../../role-members.js';
import { eligibilityRefusalText } from '../../words/decisions.js';
import { changeRefusalText } from '../../words/refusals.js';
import { onButton } from './change-button.js';

/**
 * Reject (or Decline): asks for the reason in a modal, but only someone who may decide is asked: a
 * current holder of the role (someone who joined it since is made a candidate here).
 */
export function registerReject(app: App, deps: ListenerDependencies): void {
  onButton(
    app,
    deps,
    { actionId: ACTIONS.reject, parse: parseDecisionValue },
    async ({ target, ctx, triggerId, client, reply }) => {
      const membersByRole = await membersForDecision(deps.roles, ctx, target.changeId);
      if (!membersByRole) {
        await reply(ROLE_CHECK_FAILED);
        return;
      }
      if (recheckApprovers(ctx, { changeId: target.changeId, membersByRole })) deps.outbox.kick();
      const record = changeRecordOf(ctx, target.changeId);
      if (!record) {
        await reply(changeRefusalText(changeNotFound, 'write'));
        return;
      }
      const eligibility = actorEligibility(ctx, { record, membersByRole });
      if (!eligibility.ok) {
        await reply(eligibilityRefusalText(eligibility));
        return;
      }
      await client.views.open({ trigger_id: triggerId, view: rejectReasonModal(record, target.phase) });
    },
  );
}

import type { App } from '@slack/bolt';
import { decisionStage } from '../../../domain/lifecycle.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { eligibilityOf } from '../../../services/decide.js';
import { delegatorsOf } from '../../../services/delegates.js';
import { mayReassign } from '../../../services/reassign.js';
import { changeDetailsModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { holdsRoleNow } from '../../role-members.js';
import { changeRefusalText } from '../../words/refusals.js';
import { onChangeButton } from './change-button.js';

/**
 * Details: every recorded field of the change in a modal, with the decision buttons for whoever may decide now; for
 * the policy's admins, Reassign while an approval is open (a convenience only: the click and the form check again).
 */
export function registerDetails(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.details, deps, async ({ target: changeId, ctx, triggerId, client, reply }) => {
    const record = changeRecordOf(ctx, changeId);
    if (!record) {
      await reply(changeRefusalText(changeNotFound, 'read'));
      return;
    }
    const phase = mayReassign(record, ctx);
    const admin = phase && (await holdsRoleNow(deps.roles, ctx.policy.approvals.admin_roles, ctx.actorId));
    // Whoever may decide now finds the decision buttons here too (as asked; the click checks their role again).
    const eligible = eligibilityOf(record, ctx.policy, {
      actorId: ctx.actorId,
      membersByRole: undefined,
      delegatorsOfActor: delegatorsOf(ctx.db, ctx, ctx.actorId),
    }).ok;
    const decidingIn = eligible ? decisionStage(record.change.state)?.phase : undefined;
    await client.views.open({
      trigger_id: triggerId,
      view: changeDetailsModal(record, ctx.policy, {
        now: ctx.now,
        decidingIn,
        reassignPhase: admin ? phase : undefined,
      }),
    });
  });
}

import type { App } from '@slack/bolt';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { mayReassign } from '../../../services/reassign.js';
import { changeDetailsModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { holdsRoleNow } from '../../role-members.js';
import { changeRefusalText } from '../../words/refusals.js';
import { onChangeButton } from './change-button.js';

/**
 * Details: every recorded field of the change in a modal; for the policy's admins, Reassign while an approval is
 * open (a convenience only: the click and the form check the role again).
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
    await client.views.open({
      trigger_id: triggerId,
      view: changeDetailsModal(record, ctx.policy, ctx.now, admin ? phase : undefined),
    });
  });
}

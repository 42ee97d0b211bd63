import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import type { UseCaseContext } from '../../../services/context.js';
import { reassignmentForm } from '../../../services/reassign.js';
import { noticeModal } from '../../blocks/blocks.js';
import { reassignModal } from '../../blocks/reassign.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseDecisionValue } from '../../ids.js';
import { holdsRoleNow, ROLE_CHECK_FAILED } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { REASSIGN_TITLE, reassignRefusalText } from '../../words/reassign.js';

/** The form for an admin, or a notice saying why there is none. */
async function reassignView(
  deps: ListenerDependencies,
  ctx: UseCaseContext,
  value: string | undefined,
): Promise<types.ModalView> {
  const target = parseDecisionValue(value);
  if (!target) {
    deps.logger.warn(`${ACTIONS.reassign} from ${ctx.actorId} carried an unreadable value; ignored`);
    return noticeModal(REASSIGN_TITLE, 'That button does not refer to anything Cabinet knows; nothing was recorded.');
  }
  const admin = await holdsRoleNow(deps.roles, ctx.policy.approvals.admin_roles, ctx.actorId);
  if (admin === undefined) return noticeModal(REASSIGN_TITLE, ROLE_CHECK_FAILED);
  const form = reassignmentForm(ctx, { ...target, admin });
  return form.ok
    ? reassignModal(form.record, form.requirements, target.phase)
    : noticeModal(REASSIGN_TITLE, reassignRefusalText(form));
}

/**
 * Reassign, on a change's Details: only a member of `approvals.admin_roles` (checked here, whatever the button's
 * presence said) gets the form, pushed over Details; anyone else is told why. The click comes from a modal, which has
 * no response URL: the answer is a view.
 */
export function registerReassign(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTIONS.reassign },
    async ({ ack, body, action, client, context }) => {
      await ack();
      const view = await reassignView(deps, useCaseOf(context), action.value);
      const trigger_id = body.trigger_id;
      await (body.view ? client.views.push({ trigger_id, view }) : client.views.open({ trigger_id, view }));
    },
  );
}

import type { App } from '@slack/bolt';
import { addFreeze } from '../../../services/freezes.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import { freezeAddedText } from '../../blocks/freeze.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { FREEZE_FIELDS, VIEWS } from '../../ids.js';
import { holdsAnyRole, ROLE_CHECK_FAILED } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { freezeIssueTexts } from '../../words/schedule.js';

/**
 * The add-freeze form submitted: who may is checked here, errors go back on their inputs, the result is sent as a DM.
 */
export function registerFreezeSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.freezeAdd, async ({ ack, body, view, client, context }) => {
    const values = view.state.values;
    const roles = deps.policy.scheduling.freeze_manager_roles;
    // Listed members are known at once; a user group costs one Slack call, well inside the 3 s an ack has.
    const holds = await holdsAnyRole(client, deps.policy, roles, body.user.id);
    if (!holds) {
      await ack({
        response_action: 'errors',
        errors: {
          [FREEZE_FIELDS.reason]:
            holds === undefined
              ? ROLE_CHECK_FAILED
              : `Only the ${roles.join(', ')} can add change freezes; nothing was recorded.`,
        },
      });
      return;
    }
    const input = {
      from: values[FREEZE_FIELDS.from]?.[FORM_ACTION]?.selected_date ?? undefined,
      to: values[FREEZE_FIELDS.to]?.[FORM_ACTION]?.selected_date ?? undefined,
      reason: values[FREEZE_FIELDS.reason]?.[FORM_ACTION]?.value ?? undefined,
    };
    // The view ID makes a repeated submission add nothing new.
    const outcome = addFreeze(useCaseOf(context), { input, submissionKey: view.id });
    if (!outcome.ok) {
      const { from, to, reason } = freezeIssueTexts(outcome.issues);
      await ack({
        response_action: 'errors',
        errors: {
          ...(from ? { [FREEZE_FIELDS.from]: from } : {}),
          ...(to ? { [FREEZE_FIELDS.to]: to } : {}),
          ...(reason ? { [FREEZE_FIELDS.reason]: reason } : {}),
        },
      });
      return;
    }
    await ack();
    if (!outcome.created) return;
    try {
      const dm = await client.conversations.open({ users: body.user.id });
      if (dm.channel?.id)
        await client.chat.postMessage({
          channel: dm.channel.id,
          text: freezeAddedText(outcome.freeze, outcome.plannedInside),
        });
    } catch (error) {
      // The freeze is recorded; only the confirmation is lost, and `/change freeze list` shows it.
      deps.logger.warn(`freeze confirmation DM failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

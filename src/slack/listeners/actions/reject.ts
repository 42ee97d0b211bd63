import type { App } from '@slack/bolt';
import { loadChangeView } from '../../../db/changes.js';
import { checkEligibility } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { rejectReasonModal } from '../../views/change-message.js';
import { onChangeButton } from './change-button.js';

/** Reject: asks for the reason in a modal, but only someone who may decide is asked. */
export function registerReject(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.reject, deps, async ({ changeId, userId, triggerId, client, reply }) => {
    const eligibility = checkEligibility(deps.database.db, deps.policy, changeId, userId);
    const view = loadChangeView(deps.database.db, changeId);
    if (!eligibility.ok || !view) {
      await reply(eligibility.ok ? 'That change does not exist; nothing was recorded.' : eligibility.reason);
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: rejectReasonModal(view) });
  });
}

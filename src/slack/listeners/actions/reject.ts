import type { App } from '@slack/bolt';
import { loadChangeView } from '../../../db/changes.js';
import { eligibilityOf } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { rejectReasonModal } from '../../views/change-message.js';
import { onChangeButton } from './change-button.js';

/** Reject: asks for the reason in a modal, but only someone who may decide is asked. */
export function registerReject(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.reject, deps, async ({ changeId, userId, triggerId, client, reply }) => {
    const view = loadChangeView(deps.database.db, changeId);
    if (!view) {
      await reply('That change does not exist; nothing was recorded.');
      return;
    }
    const eligibility = eligibilityOf(view, deps.policy, userId);
    if (!eligibility.ok) {
      await reply(eligibility.reason);
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: rejectReasonModal(view) });
  });
}

import type { App } from '@slack/bolt';
import { loadChangeRecord } from '../../../db/change-record.js';
import { eligibilityOf } from '../../../services/decide.js';
import { rejectReasonModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseDecisionValue } from '../../ids.js';
import { onButton } from './change-button.js';

/** Reject (or Decline): asks for the reason in a modal, but only someone who may decide is asked. */
export function registerReject(app: App, deps: ListenerDependencies): void {
  onButton(app, ACTIONS.reject, deps, parseDecisionValue, async ({ target, userId, triggerId, client, reply }) => {
    const record = loadChangeRecord(deps.database.db, target.changeId);
    if (!record) {
      await reply('That change does not exist; nothing was recorded.');
      return;
    }
    const eligibility = eligibilityOf(record, deps.policy, userId);
    if (!eligibility.ok) {
      await reply(eligibility.reason);
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: rejectReasonModal(record, target.phase) });
  });
}

import type { App } from '@slack/bolt';
import { loadChangeRecord } from '../../../db/change-record.js';
import { changeDetailsModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { onChangeButton } from './change-button.js';

/** Details: every recorded field of the change in a modal. */
export function registerDetails(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.details, deps, async ({ target: changeId, triggerId, client, reply }) => {
    const record = loadChangeRecord(deps.database.db, changeId);
    if (!record) {
      await reply('That change does not exist.');
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: changeDetailsModal(record, deps.policy, deps.clock.now()) });
  });
}

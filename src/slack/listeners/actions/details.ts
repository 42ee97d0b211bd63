import type { App } from '@slack/bolt';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { changeDetailsModal } from '../../blocks/change-message.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { changeRefusalText } from '../../words/refusals.js';
import { onChangeButton } from './change-button.js';

/** Details: every recorded field of the change in a modal. */
export function registerDetails(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.details, deps, async ({ target: changeId, ctx, triggerId, client, reply }) => {
    const record = changeRecordOf(ctx, changeId);
    if (!record) {
      await reply(changeRefusalText(changeNotFound, 'read'));
      return;
    }
    await client.views.open({ trigger_id: triggerId, view: changeDetailsModal(record, ctx.policy, ctx.now) });
  });
}

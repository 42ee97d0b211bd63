import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { verbalApprovalForm } from '../open-verbal-approval.js';
import { onChangeButton } from './change-button.js';

/** "Record verbal approval" on an emergency's messages: the same modal as `/change verbal CHG-<n>`. */
export function registerRecordVerbal(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.recordVerbal, deps, async ({ target: changeId, userId, triggerId, client, reply }) => {
    const form = verbalApprovalForm(deps, changeId, userId);
    if ('refusal' in form) await reply(form.refusal);
    else await client.views.open({ trigger_id: triggerId, view: form.modal });
  });
}

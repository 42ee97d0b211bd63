import type { App } from '@slack/bolt';
import { changeRecordOf } from '../../../services/change-queries.js';
import { changeNotFound } from '../../../services/context.js';
import { evidenceRefusal } from '../../../services/paperwork.js';
import { documentationModal } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { obligationRefusalText } from '../../words/paperwork.js';
import { onChangeButton } from './change-button.js';

/** "Document": the full change record of an emergency, prefilled with what is known (6.4). */
export function registerDocument(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.document, deps, async ({ target: changeId, userId, triggerId, client, reply }) => {
    const record = changeRecordOf(deps.database, changeId);
    const refusal = evidenceRefusal(record, deps.policy, 'documentation', userId);
    if (refusal !== undefined || !record) await reply(obligationRefusalText(refusal ?? changeNotFound));
    else await client.views.open({ trigger_id: triggerId, view: documentationModal(record, deps.policy) });
  });
}

import type { App } from '@slack/bolt';
import { evidenceRecordRefusal } from '../../../services/change-evidence.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { evidenceModal } from '../../blocks/change-evidence.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { evidenceRecordText } from '../../words/evidence.js';
import { onChangeButton } from './change-button.js';

/** "Add evidence": the form opens for the change's requester or owner while it owes evidence. */
export function registerRecordEvidence(app: App, deps: ListenerDependencies): void {
  onChangeButton(
    app,
    ACTIONS.recordEvidence,
    deps,
    async ({ target: changeId, ctx, userId, triggerId, client, reply }) => {
      const record = changeRecordOf(ctx, changeId);
      const refusal = evidenceRecordRefusal(record, ctx.policy, userId);
      if (refusal || !record) await reply(evidenceRecordText(refusal ?? { ok: false, code: 'change_not_found' }));
      else await client.views.open({ trigger_id: triggerId, view: evidenceModal(record, ctx.policy) });
    },
  );
}

import type { App } from '@slack/bolt';
import { rejectChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseDecisionValue, REJECT_REASON_BLOCK, VIEWS } from '../../ids.js';

/** The rejection (or decline) reason submitted: a reason is required, and the decision is authorized again here. */
export function registerRejectReasonSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.rejectReason, async ({ ack, body, view }) => {
    const reason = view.state.values[REJECT_REASON_BLOCK]?.value?.value?.trim() ?? '';
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_REASON_BLOCK]: 'Give a reason: the requester and the auditors will read it.' },
      });
      return;
    }
    const target = parseDecisionValue(view.private_metadata);
    const outcome = target
      ? rejectChange(deps.database.db, deps.policy, target, body.user.id, reason, deps.clock.now())
      : { ok: false as const, reason: 'This form does not refer to a change; nothing was recorded.' };
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: outcome.reason } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

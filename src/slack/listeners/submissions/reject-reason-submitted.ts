import type { App } from '@slack/bolt';
import { rejectChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseDecisionValue, REJECT_REASON_BLOCK, VIEWS } from '../../ids.js';
import { membersForDecision, ROLE_CHECK_FAILED } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { decisionRefusalText } from '../../words/decisions.js';

const FORM_WITHOUT_CHANGE = 'This form does not refer to a change; nothing was recorded.';

/** The rejection (or decline) reason submitted: a reason is required, and the decision is authorized again here. */
export function registerRejectReasonSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.rejectReason, async ({ ack, view, context }) => {
    const reason = view.state.values[REJECT_REASON_BLOCK]?.value?.value?.trim() ?? '';
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_REASON_BLOCK]: 'Give a reason: the requester and the auditors will read it.' },
      });
      return;
    }
    const target = parseDecisionValue(view.private_metadata);
    if (!target) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: FORM_WITHOUT_CHANGE } });
      return;
    }
    const ctx = useCaseOf(context);
    // Usually cached from the Reject click that opened this form, so the ack is not held up.
    const membersByRole = await membersForDecision(deps.roles, ctx, target.changeId);
    if (!membersByRole) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: ROLE_CHECK_FAILED } });
      return;
    }
    const outcome = rejectChange(ctx, { ...target, reason, membersByRole });
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK]: decisionRefusalText(outcome) } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

import type { App } from '@slack/bolt';
import { castBallot } from '../../../services/cab.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { CAB_REASON_BLOCK, parseBallotValue, VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { ballotRefusedText } from '../../words/cab.js';

/** The chair's reason for rejecting or deferring at the CAB: required to reject; then the decision is taken. */
export function registerCabReasonSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.cabDecisionReason, async ({ ack, view, context }) => {
    const ballot = parseBallotValue(view.private_metadata);
    const reason = view.state.values[CAB_REASON_BLOCK]?.[FORM_ACTION]?.value?.trim() ?? '';
    if (!ballot) {
      await ack({
        response_action: 'errors',
        errors: { [CAB_REASON_BLOCK]: 'This form does not refer to an agenda item; nothing was recorded.' },
      });
      return;
    }
    if (ballot.outcome === 'reject' && reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [CAB_REASON_BLOCK]: 'Give a reason: the requester and the auditors will read it.' },
      });
      return;
    }
    // Only the chair decides, so no members are needed (and no Slack call delays the ack).
    const outcome = castBallot(useCaseOf(context), {
      ballot: { ...ballot, kind: 'decide', ...(reason ? { reason } : {}) },
      members: [],
    });
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [CAB_REASON_BLOCK]: ballotRefusedText(outcome) } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

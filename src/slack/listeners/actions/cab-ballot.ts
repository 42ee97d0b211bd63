import type { App } from '@slack/bolt';
import { castBallot, clickedBallot } from '../../../services/cab.js';
import { boardReasonModal } from '../../blocks/cab.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { CAB_BALLOT_ACTION, encodeBallotValue, parseBallotValue } from '../../ids.js';
import { boardMembers } from '../../role-members.js';
import { ballotText } from '../../words/cab.js';
import { onButton } from './change-button.js';

/**
 * A CAB vote or the chair's decision on an agenda item; under the chair rule the chair's click on any
 * of the item's buttons is the decision. Votes and approvals count at once; the chair's rejection or
 * deferral first asks why. Who may do what is checked in the transaction.
 */
export function registerCabBallot(app: App, deps: ListenerDependencies): void {
  onButton(
    app,
    deps,
    { actionId: CAB_BALLOT_ACTION, parse: parseBallotValue },
    async ({ target, ctx, userId, triggerId, client, reply }) => {
      const clicked = clickedBallot(ctx, target);
      if (clicked?.kind === 'decide' && target.outcome !== 'approve' && userId === deps.policy.cab.chair) {
        await client.views.open({
          trigger_id: triggerId,
          view: boardReasonModal(clicked.record, encodeBallotValue({ ...target, kind: 'decide' }), target.outcome),
        });
        return;
      }
      const members = await boardMembers(client, deps.policy);
      const outcome = castBallot(ctx, { ballot: target, members });
      if (outcome.ok) deps.outbox.kick();
      await reply(ballotText(outcome, target));
    },
  );
}

import type { App } from '@slack/bolt';
import { mayCloseMeeting } from '../../../domain/cab.js';
import { closeMeetingModal } from '../../blocks/cab.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseMeetingValue } from '../../ids.js';
import { closersBesideChair } from '../../role-members.js';
import { closeMeetingRefusalText } from '../../words/cab.js';
import { onButton } from './change-button.js';

/** "Close meeting": the chair is asked for notes for the minutes; anyone else is told who closes it. */
export function registerCabClose(app: App, deps: ListenerDependencies): void {
  onButton(
    app,
    deps,
    { actionId: ACTIONS.cabClose, parse: parseMeetingValue },
    async ({ target: meetingId, userId, triggerId, client, reply }) => {
      const members = await closersBesideChair(client, deps.policy);
      if (!mayCloseMeeting(userId, deps.policy.cab.chair, members)) {
        await reply(closeMeetingRefusalText({ ok: false, code: 'not_chair' }));
        return;
      }
      await client.views.open({ trigger_id: triggerId, view: closeMeetingModal(meetingId) });
    },
  );
}

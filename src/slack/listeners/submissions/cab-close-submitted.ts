import type { App } from '@slack/bolt';
import { closeMeeting } from '../../../services/cab.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { CAB_NOTES_BLOCK, parseMeetingValue, VIEWS } from '../../ids.js';
import { closersBesideChair } from '../../role-members.js';

/** The meeting closed with its notes: the minutes are stored, then posted in the thread by the outbox. */
export function registerCabCloseSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.cabClose, async ({ ack, body, view, client }) => {
    const meetingId = parseMeetingValue(view.private_metadata);
    const notes = view.state.values[CAB_NOTES_BLOCK]?.[FORM_ACTION]?.value?.trim() || null;
    const members = await closersBesideChair(client, deps.policy);
    const outcome =
      meetingId === undefined
        ? { ok: false as const, reason: 'This form does not refer to a meeting; nothing was recorded.' }
        : closeMeeting(deps.database.db, deps.policy, meetingId, body.user.id, notes, members, deps.clock.now());
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [CAB_NOTES_BLOCK]: outcome.reason } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

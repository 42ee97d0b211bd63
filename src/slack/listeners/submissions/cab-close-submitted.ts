import type { App } from '@slack/bolt';
import { closeMeeting } from '../../../services/cab.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { CAB_NOTES_BLOCK, parseMeetingValue, VIEWS } from '../../ids.js';
import { closersBesideChair } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { closeMeetingRefusalText } from '../../words/cab.js';

/** The meeting closed with its notes: the minutes are stored, then posted in the thread by the outbox. */
export function registerCabCloseSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.cabClose, async ({ ack, view, client, context }) => {
    const meetingId = parseMeetingValue(view.private_metadata);
    const notes = view.state.values[CAB_NOTES_BLOCK]?.[FORM_ACTION]?.value?.trim() || null;
    const members = await closersBesideChair(client, deps.policy);
    const outcome =
      meetingId === undefined ? undefined : closeMeeting(useCaseOf(context), { meetingId, notes, members });
    if (!outcome?.ok) {
      const refusal = outcome
        ? closeMeetingRefusalText(outcome)
        : 'This form does not refer to a meeting; nothing was recorded.';
      await ack({ response_action: 'errors', errors: { [CAB_NOTES_BLOCK]: refusal } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

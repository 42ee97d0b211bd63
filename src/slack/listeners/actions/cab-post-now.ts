import type { App } from '@slack/bolt';
import { nextMeetingAt } from '../../../domain/cab.js';
import { openRegularMeeting } from '../../../services/cab.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { openMeetingRefusalText } from '../../words/cab.js';
import { onButton } from './change-button.js';

/**
 * The chair's "Post now" on the agenda preview: posts the next meeting's agenda early. It takes that
 * meeting's slot, so the scheduled run finds it posted and posts nothing.
 */
export function registerCabPostNow(app: App, deps: ListenerDependencies): void {
  onButton(app, deps, { actionId: ACTIONS.cabPostNow, parse: (value) => value }, async ({ ctx, userId, reply }) => {
    if (userId !== deps.policy.cab.chair) {
      await reply('Only the CAB chair can post the agenda early; it is posted on schedule otherwise.');
      return;
    }
    const slot = nextMeetingAt(ctx.policy, ctx.now);
    if (!slot) {
      await reply('The CAB schedule has no meeting in the coming year.');
      return;
    }
    const outcome = openRegularMeeting(ctx.db, ctx.policy, { slot, late: false, openedBy: userId }, ctx.now);
    if (!outcome.ok) {
      await reply(openMeetingRefusalText(outcome));
      return;
    }
    deps.outbox.kick();
    await reply(
      outcome.created
        ? `The agenda is being posted in <#${deps.policy.cab.channel ?? ''}>.`
        : `The agenda of that meeting is already posted in <#${deps.policy.cab.channel ?? ''}>.`,
    );
  });
}

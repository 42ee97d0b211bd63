import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseChangeValue } from '../../ids.js';

export interface ChangeButtonClick {
  changeId: number;
  userId: string;
  triggerId: string;
  client: webApi.WebClient;
  /** An ephemeral reply to the person who clicked; the message itself is left as it is. */
  reply(text: string): Promise<void>;
}

function replier(respond: RespondFn) {
  return async (text: string) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  };
}

/**
 * Registers a button about a change: acks at once, then reads the change from the button's value.
 * A value that is not a change ID (forged or stale) is answered and nothing else happens. Who may
 * do what is checked by the handler on the server, whatever buttons the user was shown.
 */
export function onChangeButton(app: App, actionId: string, deps: ListenerDependencies, handle: (click: ChangeButtonClick) => Promise<void>): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replier(respond);
    const changeId = parseChangeValue(action.value);
    if (changeId === undefined) {
      deps.logger.warn(`${actionId} from ${body.user.id} carried no change ID; ignored`);
      await reply('That button does not refer to a change; nothing was recorded.');
      return;
    }
    await handle({ changeId, userId: body.user.id, triggerId: body.trigger_id, client, reply });
  });
}

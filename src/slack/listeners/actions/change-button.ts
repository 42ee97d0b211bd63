import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import type { UseCaseContext } from '../../../services/context.js';
import { noteHomeNotice } from '../../../services/homes.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { publishHomeNow } from '../../home.js';
import { parseChangeValue } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';

export interface ButtonClick<Target> {
  /** What the button's value refers to, parsed. */
  target: Target;
  /** The request's use-case context: pass it to services. */
  ctx: UseCaseContext;
  userId: string;
  triggerId: string;
  client: webApi.WebClient;
  /**
   * Answers the person who clicked: ephemerally under a message; in the App Home, on top of their Home republished
   * as it is now; in a modal, in a DM. The message itself is left as it is.
   */
  reply(text: string): Promise<void>;
}

/**
 * How a click is answered. Only a click in a message has a response_url; the Home has no place for an ephemeral,
 * so the answer is shown on top of the republished Home, where the person is looking (a DM would take them away).
 */
function replier(
  click: { body: BlockAction<ButtonAction>; respond: RespondFn; client: webApi.WebClient; ctx: UseCaseContext },
  deps: ListenerDependencies,
) {
  const { body, respond, client, ctx } = click;
  if (body.response_url)
    return async (text: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    };
  if (body.view?.type === 'home')
    return async (text: string) => {
      noteHomeNotice(ctx, text);
      await publishHomeNow(client, deps, body.user.id);
    };
  return async (text: string) => {
    await client.chat.postMessage({ channel: body.user.id, text });
  };
}

/**
 * Registers a button: acks at once, then parses its value with `parse`. A value that does not parse
 * (forged or stale) is answered and nothing else happens. Who may do what is checked by the handler
 * on the server, whatever buttons the user was shown.
 */
export function onButton<Target>(
  app: App,
  deps: ListenerDependencies,
  button: { actionId: string | RegExp; parse: (value: string | undefined) => Target | undefined },
  handle: (click: ButtonClick<Target>) => Promise<void>,
): void {
  const { actionId, parse } = button;
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: actionId },
    async ({ ack, body, action, respond, client, context }) => {
      await ack();
      const ctx = useCaseOf(context);
      const reply = replier({ body, respond, client, ctx }, deps);
      const target = parse(action.value);
      if (target === undefined) {
        deps.logger.warn(`${action.action_id} from ${body.user.id} carried an unreadable value; ignored`);
        await reply('That button does not refer to anything Cabinet knows; nothing was recorded.');
        return;
      }
      await handle({
        target,
        ctx,
        userId: body.user.id,
        triggerId: body.trigger_id,
        client,
        reply,
      });
    },
  );
}

/** A button whose value is a change ID. */
export function onChangeButton(
  app: App,
  actionId: string,
  deps: ListenerDependencies,
  handle: (click: ButtonClick<number>) => Promise<void>,
): void {
  onButton(app, deps, { actionId, parse: parseChangeValue }, handle);
}

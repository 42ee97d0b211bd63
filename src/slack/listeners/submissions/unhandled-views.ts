import type { App, Middleware, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ListenerDependencies } from '../../dependencies.js';
import { SUBMITTED_VIEWS } from '../../ids.js';

/**
 * Acks what no other listener answers: a view submission with an unknown callback ID (a stale or a
 * notice view) and any view closing. Unacked, Slack waits 3 s and shows the user an error. Bolt runs
 * every matching listener, so submissions a listener handles are left to it. Only the callback ID is
 * logged: the view holds user text.
 */
export function registerUnhandledViews(app: App, deps: ListenerDependencies): void {
  const handled = new Set(SUBMITTED_VIEWS);
  const unhandledOnly: Middleware<SlackViewMiddlewareArgs> = async ({ view, next }) => {
    if (!handled.has(view.callback_id)) await next();
  };
  const ackAndLog: Middleware<SlackViewMiddlewareArgs> = async ({ ack, body, view }) => {
    await ack();
    deps.logger.warn(`unhandled ${body.type} acked (callback_id ${JSON.stringify(view.callback_id)})`);
  };
  app.view({ type: 'view_submission' }, unhandledOnly, ackAndLog);
  app.view({ type: 'view_closed' }, ackAndLog);
}

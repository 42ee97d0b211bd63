import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type CustomRoute, HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';
import { apiRoutes } from '../api/routes.js';
import { calendarFeedRoute } from '../calendar/feed-route.js';
import type { Database } from '../db/client.js';
import type { SlackAppDependencies } from './dependencies.js';
import { boundedBodies, pathOnlyDispatchErrorHandler } from './http-edge.js';
import { EVENTS_PATH, HEALTH_PATH } from './ids.js';
import { registerListeners } from './listeners/index.js';
import { cachedRoleDirectory, slackRoleDirectory } from './role-members.js';
import { useCaseContextMiddleware } from './use-case-context.js';

function healthRoute(database: Database): CustomRoute {
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_request: IncomingMessage, response: ServerResponse) => {
      const healthy = database.isHealthy();
      response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ status: healthy ? 'ok' : 'unavailable', database: healthy ? 'ok' : 'unavailable' }),
      );
    },
  };
}

/** HTTP mode's receiver: bodies bounded before Bolt reads them, unknown routes logged by path only. */
function httpReceiver(
  options: Pick<HTTPReceiverOptions, 'logger' | 'logLevel' | 'customRoutes'>,
  signingSecret: string,
): HTTPReceiver {
  const receiver = new HTTPReceiver({
    ...options,
    signingSecret,
    endpoints: EVENTS_PATH,
    dispatchErrorHandler: pathOnlyDispatchErrorHandler,
  });
  receiver.requestListener = boundedBodies(receiver.requestListener, { path: EVENTS_PATH });
  return receiver;
}

/**
 * Builds the Bolt app: HTTP mode on /slack/events, or Socket Mode when an app token is set. Listeners
 * kick `deps.outbox` after the transactions that queue Slack calls.
 */
export function createSlackApp(deps: SlackAppDependencies): App {
  const { slack, logger } = deps;
  const common = {
    token: slack.botToken,
    logger,
    logLevel: logger.getLevel(),
    customRoutes: [
      healthRoute(deps.database),
      calendarFeedRoute({
        database: deps.database,
        policy: deps.policy,
        clock: deps.clock,
        logger,
        token: deps.calendarToken,
      }),
      ...apiRoutes({ database: deps.database, policy: deps.policy, clock: deps.clock, logger }),
    ],
    // Listeners' own calls (views.open, responses) are not retried: a retry would hold the request up.
    // The outbox sends with its own client (runtime.ts), retried with backoff.
    clientOptions: { ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}), retryConfig: { retries: 0 } },
  };
  const app = slack.appToken
    ? new App({ ...common, socketMode: true, appToken: slack.appToken, installerOptions: { port: deps.port } })
    : // The config requires the signing secret without an app token; an empty one refuses every request.
      new App({ ...common, receiver: httpReceiver(common, slack.signingSecret ?? '') });
  app.use(useCaseContextMiddleware(deps));
  registerListeners(app, {
    ...deps,
    roles: cachedRoleDirectory(slackRoleDirectory(app.client, deps.policy), deps.clock),
  });
  // Bolt calls this for anything a listener throws (and answers Slack itself if nothing was acked yet).
  // Only the code and message are logged: the request carries user text.
  app.error(async (error) => {
    logger.error(`listener failed (${error.code ?? 'no code'}): ${error.message}`);
  });
  return app;
}

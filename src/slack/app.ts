import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type CustomRoute } from '@slack/bolt';
import { calendarFeedRoute } from '../calendar/feed-route.js';
import type { Database } from '../db/client.js';
import type { ListenerDependencies } from './dependencies.js';
import { EVENTS_PATH, HEALTH_PATH } from './ids.js';
import { registerListeners } from './listeners/index.js';
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

/**
 * Builds the Bolt app: HTTP mode on /slack/events, or Socket Mode when an app token is set. Listeners
 * kick `deps.outbox` after the transactions that queue Slack calls.
 */
export function createSlackApp(deps: ListenerDependencies): App {
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
    ],
    // The outbox retries with backoff and survives restarts; the client's own retries would only
    // hold a request or the outbox up.
    clientOptions: { ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}), retryConfig: { retries: 0 } },
  };
  const app = slack.appToken
    ? new App({ ...common, socketMode: true, appToken: slack.appToken, installerOptions: { port: deps.port } })
    : new App({ ...common, signingSecret: slack.signingSecret, endpoints: EVENTS_PATH });
  app.use(useCaseContextMiddleware(deps));
  registerListeners(app, deps);
  // Bolt calls this for anything a listener throws (and answers Slack itself if nothing was acked yet).
  // Only the code and message are logged: the request carries user text.
  app.error(async (error) => {
    logger.error(`listener failed (${error.code ?? 'no code'}): ${error.message}`);
  });
  return app;
}

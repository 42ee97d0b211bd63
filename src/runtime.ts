// The running parts wired together, for main.ts and the test rig alike: the outbox worker (with its
// own rate-limited Slack client and the timers) and the Bolt app whose listeners kick it.
import type { App } from '@slack/bolt';
import { createOutboxWorker, type OutboxWorker } from './jobs/outbox-worker.js';
import { createTimerDispatcher } from './jobs/timers.js';
import type { TimeZoneDirectory } from './services/digest.js';
import type { RoleDirectory } from './services/role-directory.js';
import { createSlackApp } from './slack/app.js';
import type { AppDependencies } from './slack/dependencies.js';
import { createDeliveryClient, createSlackDeliverer } from './slack/outbox-sender.js';
import { slackTimeZones } from './slack/people.js';
import { slackRoleDirectory } from './slack/role-members.js';

export interface CabinetRuntime {
  app: App;
  /** Delivers what listeners queue; start it with the app, stop it before closing the database. */
  outbox: OutboxWorker;
  /** Who holds each role now, through the worker's Slack client: for the timers and the scheduled jobs. */
  roles: RoleDirectory;
  /** Each person's own time zone (users.info, kept an hour): for the morning digest. */
  timeZones: TimeZoneDirectory;
}

export function createCabinet(deps: AppDependencies): CabinetRuntime {
  const { database, policy, clock, logger } = deps;
  const client = createDeliveryClient({ token: deps.slack.botToken, apiUrl: deps.slack.apiUrl, logger });
  const roles = slackRoleDirectory(client, policy);
  const outbox = createOutboxWorker({
    database,
    clock,
    logger,
    pollMs: deps.outboxPollMs,
    deliver: createSlackDeliverer({ client, db: database.db, policy, clock }),
    fireTimer: createTimerDispatcher({ db: database.db, policy, clock, roles }),
  });
  return { app: createSlackApp({ ...deps, outbox }), outbox, roles, timeZones: slackTimeZones(client, clock) };
}

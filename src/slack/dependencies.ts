import type { Logger } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import type { RoleDirectory } from '../services/role-directory.js';

/** Everything the Slack app needs, passed in so tests can build it with a temp DB and a fake clock. */
export interface AppDependencies {
  slack: Config['slack'];
  /** Where /healthz listens in Socket Mode (in HTTP mode it shares the events port). */
  port: number;
  policy: Policy;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** How often the outbox looks for messages due for a retry. */
  outboxPollMs: number;
  /** The secret of the ICS calendar feed (CALENDAR_TOKEN); unset, the feed answers 404. */
  calendarToken?: string;
}

/** What the app is built with: its dependencies plus the outbox listeners kick after acking. */
export interface SlackAppDependencies extends AppDependencies {
  /** Sends what was queued, without waiting. */
  outbox: { kick(): void };
}

/** What listeners get: the app's dependencies plus who holds each role (cached briefly, slack/role-members.ts). */
export interface ListenerDependencies extends SlackAppDependencies {
  roles: RoleDirectory;
}

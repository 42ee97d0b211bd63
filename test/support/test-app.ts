import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { LogLevel } from '@slack/bolt';
import { scheduledJobs } from '../../src/jobs/cab-agenda.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { createLogger, type LogSink } from '../../src/logger.js';
import type { Policy } from '../../src/policy/schema.js';
import { createCabinet } from '../../src/runtime.js';
import { FakeClock } from './clock.js';
import { FakeSlack } from './fake-slack.js';
import { minimalPolicy } from './policy.js';
import {
  type AppResponse,
  eventCallbackBody,
  postSigned,
  type SignedPostOptions,
  slashCommandBody,
} from './slack-request.js';
import { openTempDatabase, type TempDatabase } from './temp-db.js';

export interface TestApp {
  /** Base URL of the running app, e.g. http://127.0.0.1:PORT */
  url: string;
  slack: FakeSlack;
  database: TempDatabase;
  clock: FakeClock;
  policy: Policy;
  signingSecret: string;
  /** Sends a signed slash command, as Slack does; returns the app's HTTP answer (the ack). */
  command(text: string, options?: { userId?: string; command?: string } & SignedPostOptions): Promise<AppResponse>;
  /** Sends a signed Events API callback. */
  event(event: Record<string, unknown>, options?: SignedPostOptions): Promise<AppResponse>;
  /** Sends a signed interactivity payload (block_actions, view_submission), form-encoded as `payload=`. */
  interact(payload: Record<string, unknown>, options?: SignedPostOptions): Promise<AppResponse>;
  post(path: string, body: string, options?: SignedPostOptions): Promise<AppResponse>;
  /** Runs one scheduled job now (as its cron slot would), with the app's database, outbox and role directory. */
  runJob(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  policy?: Policy;
  clock?: FakeClock;
  /** A database to use instead of a fresh one; the caller closes it (e.g. to restart on the same file). */
  database?: TempDatabase;
  /** Receives every log line (level WARN and above are written); default: ERROR lines to the console. */
  logSink?: LogSink;
  /** The lowest level written to `logSink` (default WARN). */
  logLevel?: LogLevel;
  /** The calendar feed's secret (CALENDAR_TOKEN); unset, the feed answers 404. */
  calendarToken?: string;
  /** How often the outbox polls for retries; default 25 ms. Long, it shows what goes out without a poll. */
  outboxPollMs?: number;
  /** Starts the scheduled jobs too, as the real process does (the CAB agenda, with its catch-up at start). */
  scheduler?: boolean;
}

/**
 * The real Bolt app on a random 127.0.0.1 port, talking to a fake Slack Web API over HTTP, with a
 * temp SQLite file migrated by the real migrations and a fake clock.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = await FakeSlack.start();
  const database = options.database ?? openTempDatabase();
  const clock = options.clock ?? new FakeClock();
  const signingSecret = randomBytes(16).toString('hex');
  const policy = options.policy ?? minimalPolicy();
  const logger = createLogger(
    options.logSink ? { level: options.logLevel ?? LogLevel.WARN, sink: options.logSink } : { level: LogLevel.ERROR },
  );
  const { app, outbox, roles, timeZones } = createCabinet({
    slack: { botToken: 'xoxb-test-token', signingSecret, apiUrl: slack.apiUrl },
    port: 0,
    policy,
    database,
    clock,
    logger,
    outboxPollMs: options.outboxPollMs ?? 25,
    calendarToken: options.calendarToken,
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  outbox.start();
  const scheduler = options.scheduler
    ? startScheduler(scheduledJobs({ policy, database, clock, outbox, roles, timeZones }), {
        timezone: policy.timezone,
        database,
        clock,
        logger,
      })
    : undefined;
  await scheduler?.caughtUp;
  const post = (path: string, body: string, postOptions?: SignedPostOptions) =>
    postSigned(`${url}${path}`, signingSecret, body, postOptions);

  return {
    url,
    slack,
    database,
    clock,
    policy,
    signingSecret,
    post,
    async runJob(name) {
      const job = scheduledJobs({ policy, database, clock, outbox, roles, timeZones }).find(
        (candidate) => candidate.name === name,
      );
      if (!job) throw new Error(`no scheduled job ${name}`);
      await job.run(clock.now(), { late: false });
    },
    command: (text, { userId, command = '/change', ...postOptions } = {}) =>
      post('/slack/events', slashCommandBody(command, { text, userId, responseUrl: slack.responseUrl() }), postOptions),
    event: (event, postOptions) =>
      post('/slack/events', eventCallbackBody(event), { contentType: 'application/json', ...postOptions }),
    interact: (payload, postOptions) =>
      post('/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), postOptions),
    async close() {
      await scheduler?.stop();
      await app.stop();
      await outbox.stop();
      await slack.close();
      if (!options.database) database.dispose();
    },
  };
}

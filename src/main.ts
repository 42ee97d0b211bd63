// Composition root: read configuration and policy, open the database, start Slack and the jobs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { scheduledJobs } from './jobs/cab-agenda.js';
import { startScheduler } from './jobs/scheduler.js';
import { createLogger } from './logger.js';
import { loadPolicyFile, PolicyError } from './policy/load.js';
import { createCabinet } from './runtime.js';

const SHUTDOWN_GRACE_MS = 10_000;
const OUTBOX_POLL_MS = 5_000;

/** A file of the project: src/main.ts, dist/main.js and the bundle npm start runs (dist/cabinet.js) sit one below. */
const projectFile = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** A `.env` file beside package.json, as Bolt developers keep one locally; variables already set win. */
function loadDotEnv(): void {
  const path = projectFile('.env');
  if (existsSync(path)) process.loadEnvFile(path);
}

async function main(): Promise<void> {
  const logger = createLogger();
  loadDotEnv();
  const config = loadConfig(process.env);
  const { policy, warnings } = loadPolicyFile(config.policyPath);
  for (const warning of warnings) logger.warn(warning);
  const database = openDatabase(config.databasePath, { migrationsFolder: projectFile('db/migrations') });
  const clock = systemClock;

  const { app, outbox, roles, timeZones } = createCabinet({
    slack: config.slack,
    port: config.port,
    policy,
    database,
    clock,
    logger,
    outboxPollMs: OUTBOX_POLL_MS,
    calendarToken: config.calendarToken,
  });
  const scheduler = startScheduler(scheduledJobs({ policy, database, clock, outbox, roles, timeZones }), {
    timezone: policy.timezone,
    database,
    clock,
    logger,
  });

  if (config.slack.appToken) {
    await app.start();
    logger.info(`Cabinet connected in Socket Mode; health check on port ${config.port}`);
  } else {
    const server = await app.start(config.port);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`Cabinet listening on port ${port} (HTTP mode, POST /slack/events)`);
  }
  // Also delivers what a previous run queued but did not send.
  outbox.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests`);
    setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await scheduler.stop();
    await app.stop();
    await outbox.stop();
    database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration and policy errors are written for the operator: print them alone, on stderr.
  if (error instanceof ConfigError || error instanceof PolicyError) {
    process.stderr.write(`Cabinet cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`Cabinet failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

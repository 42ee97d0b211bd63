import { createServer } from 'node:net';
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { type CabinetRuntime, createCabinet } from '../../src/runtime.js';
import { FakeClock } from '../support/clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { minimalPolicy } from '../support/policy.js';
import { slashCommandPayload } from '../support/slack-request.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

// Bolt's Socket Mode receiver does not report the port of its /healthz server, so pick a free one.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let runtime: CabinetRuntime | undefined;
let slack: FakeSlack | undefined;
let database: TempDatabase | undefined;
afterEach(async () => {
  await runtime?.app.stop();
  await runtime?.outbox.stop();
  await slack?.close();
  database?.dispose();
  runtime = undefined;
  slack = undefined;
  database = undefined;
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects via SLACK_API_URL with the app token, answers /change help in the ack, serves /healthz', async () => {
    slack = await FakeSlack.start();
    database = openTempDatabase();
    const port = await freePort();
    runtime = createCabinet({
      slack: { botToken: 'xoxb-test-token', appToken: 'xapp-1-test-token', apiUrl: slack.apiUrl },
      port,
      policy: minimalPolicy(),
      database,
      clock: new FakeClock(),
      logger: createLogger({ level: LogLevel.ERROR }),
      outboxPollMs: 1000,
    });
    await runtime.app.start();

    const open = await slack.waitForCall('apps.connections.open');
    expect(open.token).toBe('xapp-1-test-token');

    const ack = await slack.deliverOverSocket(
      'slash_commands',
      slashCommandPayload('/change', { text: 'help', responseUrl: slack.responseUrl() }),
    );
    expect(ack.payload?.response_type).toBe('ephemeral');
    expect(String(ack.payload?.text)).toContain('`/change help`');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('logs a request the health port does not serve by its path, never its query string', async () => {
    slack = await FakeSlack.start();
    database = openTempDatabase();
    const port = await freePort();
    const lines: string[] = [];
    runtime = createCabinet({
      slack: { botToken: 'xoxb-test-token', appToken: 'xapp-1-test-token', apiUrl: slack.apiUrl },
      port,
      policy: minimalPolicy(),
      database,
      clock: new FakeClock(),
      logger: createLogger({ level: LogLevel.INFO, sink: (_level, line) => lines.push(line) }),
      outboxPollMs: 1000,
    });
    await runtime.app.start();
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here?token=secret-calendar-token`)).status).toBe(404);
    expect(lines.some((line) => line.includes('/nothing-here'))).toBe(true);
    expect(lines.filter((line) => line.includes('secret-calendar-token'))).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { outbox } from '../../src/db/schema.js';
import { retryDelayMs } from '../../src/jobs/outbox-worker.js';
import { FakeClock } from '../support/clock.js';
import { defaultChangeForm, eventually, submitChangeForm } from '../support/interactions.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const apps: TestApp[] = [];
let database: TempDatabase | undefined;
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  database?.dispose();
  database = undefined;
});

describe('outbox', () => {
  it('backs off exponentially from 5 s to 10 min, never sooner than Retry-After', () => {
    expect([1, 2, 3, 4, 8, 9, 20].map((attempts) => retryDelayMs(attempts, undefined))).toEqual([
      5_000, 10_000, 20_000, 40_000, 600_000, 600_000, 600_000,
    ]);
    expect(retryDelayMs(1, 30_000)).toBe(30_000);
    expect(retryDelayMs(3, 1_000)).toBe(20_000);
  });

  it('keeps what Slack refused across a restart and delivers it from the next run', async () => {
    database = openTempDatabase();
    const clock = new FakeClock('2026-11-18T15:00:00Z');
    const first = await startTestApp({ database, clock, logSink: () => {} });
    apps.push(first);
    first.slack.failNext('conversations.open', { status: 500 }, 100);
    first.slack.failNext('chat.postMessage', { status: 500 }, 100);
    const submitted = await submitChangeForm(first, 'U0REQ0001', defaultChangeForm(clock.now()));
    expect(submitted.text).toBe('');
    await eventually(
      () =>
        database?.db
          .select()
          .from(outbox)
          .all()
          .some((row) => row.kind === 'approval_request' && row.attempts > 0) ?? false,
      'failed approval requests',
    );
    await first.close();
    apps.splice(0);

    // A new process on the same file, after the backoff has passed.
    const reopened = openDatabase(database.path);
    try {
      const second = await startTestApp({
        database: { ...reopened, path: database.path, dispose: () => reopened.close() },
        clock: new FakeClock('2026-11-18T15:10:00Z'),
      });
      apps.push(second);
      await eventually(
        () =>
          second.slack
            .callsTo('chat.postMessage')
            .filter((call) => String(call.params.text).startsWith('Approval requested')).length === 2,
        'approval requests after restart',
      );
      await eventually(
        () =>
          reopened.db
            .select()
            .from(outbox)
            .all()
            // The SLA timers (4.4) are due days later.
            .every((row) => row.status === 'sent' || row.kind === 'sla_milestone'),
        'everything sent',
      );
      await second.close();
      apps.splice(0);
    } finally {
      reopened.close();
    }
  });
});

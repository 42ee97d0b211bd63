import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { jobRuns } from '../../src/db/schema.js';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { FakeClock } from '../support/clock.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

let database: TempDatabase | undefined;
const schedulers: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
  database?.dispose();
  database = undefined;
});

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (condition()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`condition not met within ${timeoutMs} ms`));
      }
    }, 20);
  });
}

describe('scheduler', () => {
  it('runs each cron slot once even with two schedulers on one database, and stops on request', async () => {
    database = openTempDatabase();
    const other = openDatabase(database.path);
    const runs: string[] = [];
    const job = {
      name: 'tick',
      schedule: '* * * * * *',
      run: async (slot: Date) => void runs.push(slot.toISOString()),
    };
    const deps = {
      timezone: 'America/New_York',
      clock: new FakeClock(),
      logger: createLogger({ level: LogLevel.ERROR }),
    };
    schedulers.push(startScheduler([job], { ...deps, database }), startScheduler([job], { ...deps, database: other }));

    await waitUntil(() => runs.length >= 2, 5000);
    await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
    const stoppedAt = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    other.close();

    expect(new Set(runs).size).toBe(runs.length); // no slot ran twice
    expect(runs.length).toBe(stoppedAt); // nothing ran after stop
    const recorded = database.db.select().from(jobRuns).all();
    expect(recorded.map((run) => run.slot).sort()).toEqual([...runs].sort());
    expect(recorded.every((run) => run.status === 'succeeded')).toBe(true);
  });

  it('records a failed run with its error and keeps scheduling', async () => {
    database = openTempDatabase();
    let attempts = 0;
    const job = {
      name: 'flaky',
      schedule: '* * * * * *',
      run: async () => {
        attempts += 1;
        throw new Error('channel_not_found');
      },
    };
    const logged: string[] = [];
    const logger = createLogger({ sink: (_level, line) => logged.push(line) });
    schedulers.push(startScheduler([job], { timezone: 'UTC', database, clock: new FakeClock(), logger }));
    await waitUntil(() => attempts >= 2, 5000);
    expect(
      logged.some(
        (line) => line.includes('ERROR cabinet: job flaky failed for slot') && line.includes('channel_not_found'),
      ),
    ).toBe(true);
    const failed = database.db
      .select()
      .from(jobRuns)
      .all()
      .filter((run) => run.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.error).toBe('channel_not_found');
  });
});

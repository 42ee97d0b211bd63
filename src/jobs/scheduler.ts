import type { Logger } from '@slack/bolt';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { claimJobSlot, finishJobSlot } from '../db/job-runs.js';
import { previousSlot } from '../domain/cron-slots.js';

export interface ScheduledJob {
  name: string;
  /** node-cron expression, read in `timezone`. */
  schedule: string;
  /** A slot missed while the bot was down is run once at start, marked late, if it is at most this old. */
  catchUpWithinMs?: number;
  run(slot: Date, context: { late: boolean }): Promise<void>;
}

export interface Scheduler {
  /** Settles once the missed slots found at start have run. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

interface SchedulerDependencies {
  timezone: string;
  database: Database;
  clock: Clock;
  logger: Logger;
}

// A run this long after its slot is marked late.
const LATE_AFTER_MS = 60_000;

/** A slot's key: the instant to the second, whoever computed it (cron firing or catch-up at start). */
function slotKey(slot: Date): string {
  return new Date(Math.floor(slot.getTime() / 1000) * 1000).toISOString();
}

/**
 * Runs each job on its cron schedule. A slot is claimed in the database before the job runs, so it
 * runs once even when two processes share the database or the bot restarts within the slot.
 */
export function startScheduler(jobs: readonly ScheduledJob[], deps: SchedulerDependencies): Scheduler {
  const runSlot = async (job: ScheduledJob, slot: Date, late: boolean) => {
    const key = slotKey(slot);
    if (!claimJobSlot(deps.database.db, job.name, key, deps.clock.now())) return;
    try {
      await job.run(new Date(key), { late });
      finishJobSlot(deps.database.db, { job: job.name, slot: key }, deps.clock.now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      finishJobSlot(deps.database.db, { job: job.name, slot: key, error: message }, deps.clock.now());
      deps.logger.error(`job ${job.name} failed for slot ${key}: ${message}`);
    }
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      (context) => runSlot(job, context.date, context.triggeredAt.getTime() - context.date.getTime() > LATE_AFTER_MS),
      {
        name: job.name,
        timezone: deps.timezone,
        noOverlap: true,
        // A slot that fires late while the bot runs (a stalled event
        // loop, a paused VM) still runs within the grace period.
        ...(job.catchUpWithinMs === undefined ? {} : { missedExecutionTolerance: job.catchUpWithinMs }),
      },
    ),
  );
  // The last slot before now, if it is recent enough and nobody ran it (the claim decides).
  const now = deps.clock.now();
  const caughtUp = Promise.all(
    jobs.map(async (job) => {
      if (job.catchUpWithinMs === undefined) return;
      const slot = previousSlot(job.schedule, deps.timezone, now);
      if (slot && now.getTime() - slot.getTime() <= job.catchUpWithinMs) await runSlot(job, slot, true);
    }),
  ).then(() => undefined);
  return {
    caughtUp,
    async stop() {
      await caughtUp;
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}

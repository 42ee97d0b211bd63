import type { Logger } from '@slack/bolt';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { claimJobSlot, finishJobSlot } from '../db/job-runs.js';

export interface ScheduledJob {
  name: string;
  /** node-cron expression, read in `timezone`. */
  schedule: string;
  run(slot: Date): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

interface SchedulerDependencies {
  timezone: string;
  database: Database;
  clock: Clock;
  logger: Logger;
}

/**
 * Runs each job on its cron schedule. A slot is claimed in the database before the job runs, so it
 * runs once even when two processes share the database or the bot restarts within the slot.
 */
export function startScheduler(jobs: readonly ScheduledJob[], deps: SchedulerDependencies): Scheduler {
  const runSlot = async (job: ScheduledJob, slot: Date) => {
    const slotKey = slot.toISOString();
    if (!claimJobSlot(deps.database.db, job.name, slotKey, deps.clock.now())) return;
    try {
      await job.run(slot);
      finishJobSlot(deps.database.db, job.name, slotKey, deps.clock.now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      finishJobSlot(deps.database.db, job.name, slotKey, deps.clock.now(), message);
      deps.logger.error(`job ${job.name} failed for slot ${slotKey}: ${message}`);
    }
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, (context) => runSlot(job, context.date), {
      name: job.name,
      timezone: deps.timezone,
      noOverlap: true,
    }),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}

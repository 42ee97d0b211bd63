import { and, eq } from 'drizzle-orm';
import type { CabinetDb } from './client.js';
import { jobRuns } from './schema.js';

/**
 * Claims one slot of a scheduled job. The unique (job, slot) index makes the insert the lock, so
 * exactly one caller wins even across restarts and processes sharing the database.
 */
export function claimJobSlot(db: CabinetDb, job: string, slot: string, at: Date): boolean {
  const inserted = db
    .insert(jobRuns)
    .values({ job, slot, status: 'running', startedAt: at })
    .onConflictDoNothing()
    .returning({ id: jobRuns.id })
    .all();
  return inserted.length === 1;
}

export function finishJobSlot(db: CabinetDb, run: { job: string; slot: string; error?: string }, at: Date): void {
  const { job, slot, error } = run;
  db.update(jobRuns)
    .set({ status: error === undefined ? 'succeeded' : 'failed', finishedAt: at, error: error ?? null })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.slot, slot)))
    .run();
}

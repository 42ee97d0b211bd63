import { and, asc, eq, isNull } from 'drizzle-orm';
import { formatFreezeRef } from '../domain/freeze-ref.js';
import type { Freeze } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import type { DbExecutor } from './client.js';
import { changeFreezes } from './schema.js';

/** Every freeze in force: the policy file's, then those announced from Slack and not removed. */
export function loadFreezes(db: DbExecutor, policy: Pick<Policy, 'freezes'>): Freeze[] {
  const fromPolicy = policy.freezes.map((freeze, index) => ({ id: `policy-${index + 1}`, ...freeze }));
  const announced = db
    .select()
    .from(changeFreezes)
    .where(isNull(changeFreezes.removedAt))
    .orderBy(asc(changeFreezes.fromDate))
    .all();
  return [
    ...fromPolicy,
    ...announced.map((row) => ({
      id: formatFreezeRef(row.id),
      from: row.fromDate,
      to: row.toDate,
      reason: row.reason,
    })),
  ];
}

export type FreezeRow = typeof changeFreezes.$inferSelect;
export type NewFreeze = typeof changeFreezes.$inferInsert;

/** The freeze a modal submission added, if it was already recorded. */
export function freezeOfSubmission(db: DbExecutor, submissionKey: string): FreezeRow | undefined {
  return db.select().from(changeFreezes).where(eq(changeFreezes.submissionKey, submissionKey)).get();
}

export function insertFreeze(db: DbExecutor, freeze: NewFreeze): FreezeRow {
  return db.insert(changeFreezes).values(freeze).returning().get();
}

/** Marks a freeze removed (the row stays as the record); undefined when there is none in force with that id. */
export function markFreezeRemoved(db: DbExecutor, id: number, removedBy: string, at: Date): FreezeRow | undefined {
  return db
    .update(changeFreezes)
    .set({ removedAt: at, removedBy })
    .where(and(eq(changeFreezes.id, id), isNull(changeFreezes.removedAt)))
    .returning()
    .get();
}

import { and, asc, eq, isNull } from 'drizzle-orm';
import { formatFreezeRef } from '../domain/freeze-ref.js';
import { type DateRange, policyFreezes } from '../domain/policy-freezes.js';
import type { Freeze } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import type { DbExecutor } from './client.js';
import { changeFreezes } from './schema.js';

/** The freezes announced from Slack and not removed, earliest first. */
export function announcedFreezes(db: DbExecutor): Freeze[] {
  return db
    .select()
    .from(changeFreezes)
    .where(isNull(changeFreezes.removedAt))
    .orderBy(asc(changeFreezes.fromDate))
    .all()
    .map((row) => ({ id: formatFreezeRef(row.id), from: row.fromDate, to: row.toDate, reason: row.reason }));
}

/** Every freeze touching the range (local dates): the policy file's, then those announced from Slack. */
export function loadFreezes(db: DbExecutor, policy: Pick<Policy, 'freezes'>, range: DateRange): Freeze[] {
  const announced = announcedFreezes(db).filter((freeze) => freeze.from <= range.to && range.from <= freeze.to);
  return [...policyFreezes(policy.freezes, range), ...announced];
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

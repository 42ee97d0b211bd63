import { and, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { delegations } from './schema.js';

export type DelegationRow = typeof delegations.$inferSelect;
export type NewDelegation = typeof delegations.$inferInsert;

export function insertDelegation(db: DbExecutor, delegation: NewDelegation): DelegationRow {
  return db.insert(delegations).values(delegation).returning().get();
}

/** Delegations not ended whose last day is `today` or later (a date in the policy timezone). */
const running = (today: string) => and(isNull(delegations.endedAt), gte(delegations.until, today));

/** The delegations the people gave that run today (one at most each). */
export function runningDelegationsOf(db: DbExecutor, delegatorIds: readonly string[], today: string): DelegationRow[] {
  if (delegatorIds.length === 0) return [];
  return db
    .select()
    .from(delegations)
    .where(and(running(today), inArray(delegations.delegatorId, [...delegatorIds])))
    .all();
}

/** The delegations someone holds today, as the delegate. */
export function runningDelegationsTo(db: DbExecutor, delegateId: string, today: string): DelegationRow[] {
  return db
    .select()
    .from(delegations)
    .where(and(running(today), eq(delegations.delegateId, delegateId)))
    .orderBy(delegations.id)
    .all();
}

/** Delegations whose last day is past but not yet marked ended. */
export function expiredDelegations(db: DbExecutor, today: string): DelegationRow[] {
  return db
    .select()
    .from(delegations)
    .where(and(isNull(delegations.endedAt), lt(delegations.until, today)))
    .all();
}

/** Ends a delegation once; undefined when it had already ended. */
export function markDelegationEnded(
  db: DbExecutor,
  id: number,
  ended: { by: string; at: Date },
): DelegationRow | undefined {
  return db
    .update(delegations)
    .set({ endedAt: ended.at, endedBy: ended.by })
    .where(and(eq(delegations.id, id), isNull(delegations.endedAt)))
    .returning()
    .get();
}

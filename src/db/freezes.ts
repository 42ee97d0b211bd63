import { asc, isNull } from 'drizzle-orm';
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

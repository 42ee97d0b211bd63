// Running delegations as the approval use-cases read them. A delegation runs to the end of its last day in the policy
// timezone; one found past it is ended (and audited) by whichever use-case meets it first, its timer included.

import { changesAskedOnBehalf } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import type { DbExecutor } from '../db/client.js';
import {
  type DelegationRow,
  expiredDelegations,
  markDelegationEnded,
  runningDelegationsOf,
  runningDelegationsTo,
} from '../db/delegations.js';
import { enqueue } from '../db/outbox.js';
import { localDate } from '../domain/business-hours.js';
import { SYSTEM_ACTOR, type UseCaseContext } from './context.js';
import { queueHomesOf } from './homes.js';

type At = Pick<UseCaseContext, 'policy' | 'now'>;

/** Today's date in the policy timezone: a delegation runs through its `until` day. */
export function todayOf(at: At): string {
  return localDate(at.now, at.policy.timezone);
}

/** How a delegation ended: `off` by its delegator, `replaced` by their new one, or `expired` after its last day. */
export type DelegationEnd = 'off' | 'replaced' | 'expired';

/** Ends a delegation with its audit event; false when it had ended already. */
export function endDelegation(
  tx: DbExecutor,
  at: At,
  ending: { delegation: DelegationRow; by: string; how: DelegationEnd },
): boolean {
  const { delegation, by, how } = ending;
  if (!markDelegationEnded(tx, delegation.id, { by, at: at.now })) return false;
  recordAudit(
    tx,
    {
      changeId: null,
      actorId: by,
      type: 'delegation.ended',
      data: {
        delegationId: delegation.id,
        delegatorId: delegation.delegatorId,
        delegateId: delegation.delegateId,
        until: delegation.until,
        how,
      },
    },
    at.now,
  );
  // Their Homes show the delegation, and the delegate's the requests it brought: no change moved to republish them.
  queueHomesOf(tx, [delegation.delegatorId, delegation.delegateId], at.now);
  // The messages of the changes it brought to the delegate name them as asked: they are no longer.
  for (const changeId of changesAskedOnBehalf(tx, delegation))
    enqueue(tx, { kind: 'refresh_messages', changeId }, at.now);
  return true;
}

/** Ends every delegation whose last day is past (call inside the use-case's transaction). */
export function endExpiredDelegations(tx: DbExecutor, at: At): void {
  for (const delegation of expiredDelegations(tx, todayOf(at)))
    endDelegation(tx, at, { delegation, by: SYSTEM_ACTOR, how: 'expired' });
}

/** The delegation each of the people gave that runs now, by delegator. */
export function runningDelegates(tx: DbExecutor, at: At, delegatorIds: readonly string[]): Map<string, DelegationRow> {
  return new Map(runningDelegationsOf(tx, delegatorIds, todayOf(at)).map((row) => [row.delegatorId, row]));
}

/** Those whose delegation to `delegateId` runs now. */
export function delegatorsOf(db: DbExecutor, at: At, delegateId: string): string[] {
  return runningDelegationsTo(db, delegateId, todayOf(at)).map((row) => row.delegatorId);
}

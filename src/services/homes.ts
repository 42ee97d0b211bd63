import type { ChangeRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { addHomeViewer, homeViewersAmong, setHomeNotice } from '../db/home-viewers.js';
import { enqueue } from '../db/outbox.js';
import { isBoardRequirement } from '../domain/approvers.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from './context.js';

/** Remembers that the actor opened their App Home, so it is republished from now on when their changes move. */
export function rememberHomeViewer(ctx: UseCaseContext): void {
  addHomeViewer(ctx.db, ctx.actorId, ctx.now);
}

/** Keeps the answer to the actor's click in their Home (which has no place for an ephemeral reply) to show there. */
export function noteHomeNotice(ctx: UseCaseContext, text: string): void {
  setHomeNotice(ctx.db, ctx.actorId, { text, at: ctx.now });
}

/** Queues someone's Home to be published as it is now (coalesced: one pending publish per person). */
export function queueHomePublish(db: DbExecutor, userId: string, now: Date): void {
  enqueue(db, { kind: 'publish_home', userId }, now);
}

/** Whether the CAB's chair and members have a part in the change: it needs the board or was put to it. */
export function concernsBoard(record: ChangeRecord, policy: Policy): boolean {
  return (
    record.boardItems.length > 0 || record.requirements.some((requirement) => isBoardRequirement(requirement, policy))
  );
}

/** Queues a publish of the Homes of those of `userIds` who have opened theirs (e.g. a delegator and their delegate). */
export function queueHomesOf(db: DbExecutor, userIds: readonly string[], now: Date): void {
  for (const userId of homeViewersAmong(db, userIds)) queueHomePublish(db, userId, now);
}

/**
 * Queues a publish of the Home of everyone concerned by a change who has opened their Home: its requester and
 * owner, everyone asked to decide on it, the approvers named in its verbal approvals, and (`boardMembers`, with the
 * chair) the board when it has a part in it. Returns how many were queued.
 */
export function refreshHomes(
  ctx: Pick<UseCaseContext, 'db' | 'policy' | 'now'>,
  input: { record: ChangeRecord; boardMembers: readonly string[] },
): number {
  const { db, policy, now } = ctx;
  const { record, boardMembers } = input;
  const board = concernsBoard(record, policy) ? [...boardMembers, ...(policy.cab.chair ? [policy.cab.chair] : [])] : [];
  const concerned = new Set([
    record.change.requesterId,
    record.change.ownerId,
    ...record.requirements.flatMap((requirement) => requirement.candidates),
    ...record.verbalApprovals.map((verbal) => verbal.approverId),
    ...board,
  ]);
  return db.transaction((tx) => {
    const viewers = homeViewersAmong(tx, [...concerned]);
    for (const userId of viewers) queueHomePublish(tx, userId, now);
    return viewers.length;
  });
}

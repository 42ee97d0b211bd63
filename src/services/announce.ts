import type { ChangeRow } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import type { ChangeEvent } from '../domain/events.js';

/**
 * Tells the requester, the owner and the log channel what happened to a change. The owner of an
 * approved change is sent the DM they implement it from (Start, Complete, …) instead of a notice;
 * a requester who is also the owner gets both.
 */
export function announce(
  tx: DbExecutor,
  change: Pick<ChangeRow, 'id' | 'type' | 'requesterId' | 'ownerId'>,
  event: ChangeEvent,
  now: Date,
): void {
  const changeId = change.id;
  const implementsIt = event === 'approved' && change.type !== 'emergency';
  if (implementsIt)
    enqueue(tx, { kind: 'implementation_console', changeId, userId: change.ownerId }, now, {
      dedupeKey: `implementation_console:${changeId}`,
    });
  for (const userId of new Set([change.requesterId, change.ownerId])) {
    if (!implementsIt || userId === change.requesterId)
      enqueue(tx, { kind: 'notify_user', changeId, userId, event }, now);
  }
  enqueue(tx, { kind: 'notify_log', changeId, event }, now);
}

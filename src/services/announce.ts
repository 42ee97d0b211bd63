import type { ChangeView, DbExecutor } from '../db/changes.js';
import { type ChangeEvent, enqueue } from '../db/outbox.js';

/** Tells the requester, the owner and the log channel what happened to a change. */
export function announce(tx: DbExecutor, view: ChangeView, event: ChangeEvent, now: Date): void {
  const changeId = view.change.id;
  for (const userId of new Set([view.change.requesterId, view.change.ownerId])) enqueue(tx, { kind: 'notify_user', changeId, userId, event }, now);
  enqueue(tx, { kind: 'notify_log', changeId, event }, now);
}

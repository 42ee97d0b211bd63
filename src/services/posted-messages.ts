import { setImmediate as nextTurn } from 'node:timers/promises';
import { changeVersion } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import { changeIdsOfMessage, recordSlackMessage, type SlackMessageRow, slackMessagesOf } from '../db/slack-messages.js';
import type { MessagePurpose } from '../domain/message-purpose.js';

/** A change as it is now, with the messages posted about it, for Slack to render them. */
export interface ChangeToDeliver {
  record: ChangeRecord;
  messages: SlackMessageRow[];
  /** The change's version as read (changeVersion): a message rendered from this record is stale once it moves. */
  version: number;
}

export function changeToDeliver(db: DbExecutor, changeId: number): ChangeToDeliver | undefined {
  const record = loadChangeRecord(db, changeId);
  return record && { record, messages: slackMessagesOf(db, changeId), version: changeVersion(db, changeId) };
}

/**
 * Remembers where a message about a change was posted, so a refresh renders it again. When the change moved
 * while the message was on its way (`renderedAt` is the version it was rendered from), the refresh queued by that
 * move found nothing to update: one is queued now, so the message does not stay stale.
 */
export function recordPostedMessage(
  db: DbExecutor,
  message: { changeId: number; purpose: MessagePurpose; channelId: string; ts: string; recipientId?: string },
  posted: { at: Date; renderedAt: number },
): void {
  db.transaction((tx) => {
    recordSlackMessage(tx, message, posted.at);
    if (changeVersion(tx, message.changeId) !== posted.renderedAt)
      enqueue(tx, { kind: 'refresh_messages', changeId: message.changeId }, posted.at);
  });
}

/**
 * The changes a posted message shows, as they are now, in the order they were posted: several for approval
 * requests sent together; `known` (one of them, already loaded) is not read again. A turn of the event loop
 * passes between reads: a batch is up to 15 changes, each a few milliseconds, and an ack must not wait for all.
 */
export async function changesOfMessage(
  db: DbExecutor,
  message: { channelId: string; ts: string },
  known: ChangeRecord,
): Promise<ChangeRecord[]> {
  const records: ChangeRecord[] = [];
  for (const id of changeIdsOfMessage(db, message)) {
    if (id === known.change.id) records.push(known);
    else {
      await nextTurn();
      const record = loadChangeRecord(db, id);
      if (record) records.push(record);
    }
  }
  return records;
}

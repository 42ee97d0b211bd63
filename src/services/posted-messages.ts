import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { changeIdsOfMessage, recordSlackMessage, type SlackMessageRow, slackMessagesOf } from '../db/slack-messages.js';
import type { MessagePurpose } from '../domain/message-purpose.js';

/** A change as it is now, with the messages posted about it, for Slack to render them. */
export interface ChangeToDeliver {
  record: ChangeRecord;
  messages: SlackMessageRow[];
}

export function changeToDeliver(db: DbExecutor, changeId: number): ChangeToDeliver | undefined {
  const record = loadChangeRecord(db, changeId);
  return record && { record, messages: slackMessagesOf(db, changeId) };
}

/** Remembers where a message about a change was posted, so a refresh renders it again. */
export function recordPostedMessage(
  db: DbExecutor,
  message: { changeId: number; purpose: MessagePurpose; channelId: string; ts: string; recipientId?: string },
  at: Date,
): void {
  recordSlackMessage(db, message, at);
}

/**
 * The changes a posted message shows, as they are now, in the order they were posted: several for approval
 * requests sent together; `known` (one of them, already loaded) is not read again.
 */
export function changesOfMessage(
  db: DbExecutor,
  message: { channelId: string; ts: string },
  known: ChangeRecord,
): ChangeRecord[] {
  return changeIdsOfMessage(db, message).flatMap((id) =>
    id === known.change.id ? [known] : (loadChangeRecord(db, id) ?? []),
  );
}

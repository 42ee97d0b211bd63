import { and, eq } from 'drizzle-orm';
import type { MessagePurpose } from '../domain/message-purpose.js';
import type { DbExecutor } from './client.js';
import { slackMessages } from './schema.js';

export type SlackMessageRow = typeof slackMessages.$inferSelect;

/** Remembers where a message about a change was posted, so it can be updated when the change moves on. */
export function recordSlackMessage(
  db: DbExecutor,
  message: { changeId: number; purpose: MessagePurpose; channelId: string; ts: string; recipientId?: string },
  at: Date,
): void {
  db.insert(slackMessages)
    .values({ ...message, createdAt: at })
    .onConflictDoNothing()
    .run();
}

export function slackMessagesOf(db: DbExecutor, changeId: number): SlackMessageRow[] {
  return db.select().from(slackMessages).where(eq(slackMessages.changeId, changeId)).orderBy(slackMessages.id).all();
}

/** The changes one Slack message is about: one, or several sent together (a batch of approval requests). */
export function changeIdsOfMessage(db: DbExecutor, message: { channelId: string; ts: string }): number[] {
  return db
    .select({ changeId: slackMessages.changeId })
    .from(slackMessages)
    .where(and(eq(slackMessages.channelId, message.channelId), eq(slackMessages.ts, message.ts)))
    .orderBy(slackMessages.id)
    .all()
    .flatMap((row) => (row.changeId === null ? [] : [row.changeId]));
}

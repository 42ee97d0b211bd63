import type { webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { ChangeRecord } from '../db/change-record.js';
import type { CabinetDb } from '../db/client.js';
import type { SlackDelivery } from '../db/outbox.js';
import type { ChangeEvent } from '../domain/events.js';
import { APPROVAL_PHASES } from '../domain/lifecycle.js';
import { type MessagePurpose, requestPurpose } from '../domain/message-purpose.js';
import type { Policy } from '../policy/schema.js';
import { changeToDeliver, recordPostedMessage } from '../services/posted-messages.js';
import {
  approvalRequestMessage,
  changeNotice,
  emergencyConsoleMessage,
  implementationConsoleMessage,
  logDecisionText,
  logMessage,
} from './blocks/change-message.js';
import { verbalConfirmationMessage } from './blocks/emergency.js';
import { createCabDelivery, isCabMessage } from './cab-sender.js';
import { roleMembers } from './role-members.js';

export interface SlackDeliveryDependencies {
  client: webApi.WebClient;
  db: CabinetDb;
  policy: Policy;
  clock: Clock;
}

/** Makes one queued Slack call, rendering it from the change as it is now; throws to have it retried. */
export type SlackDeliverer = (message: SlackDelivery) => Promise<void>;

export function createSlackDeliverer(deps: SlackDeliveryDependencies): SlackDeliverer {
  const { client, db, policy, clock } = deps;

  const openDm = async (userId: string): Promise<string> => {
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error('conversations.open returned no channel');
    return opened.channel.id;
  };

  const membersOf = (role: string) => roleMembers(client, policy, role);

  /** Renders a posted message again from the change as it is now. */
  const render = (record: ChangeRecord, purpose: MessagePurpose, recipientId: string | null) => {
    const now = clock.now();
    const phase = APPROVAL_PHASES.find((candidate) => requestPurpose(candidate) === purpose);
    if (phase) return approvalRequestMessage(record, policy, { recipientId: recipientId ?? '', phase }, now);
    if (purpose === 'emergency_console') return emergencyConsoleMessage(record, policy, recipientId ?? '', now);
    if (purpose === 'implementation_console') return implementationConsoleMessage(record, policy, now);
    if (purpose === 'verbal_confirmation') return verbalConfirmationMessage(record, policy, recipientId ?? '');
    return logMessage(record, policy, now);
  };

  /** Posts a DM that is kept up to date: it is recorded so every refresh renders it again. */
  const postTrackedDm = async (record: ChangeRecord, purpose: MessagePurpose, userId: string) => {
    const channel = await openDm(userId);
    const posted = await client.chat.postMessage({ channel, ...render(record, purpose, userId) });
    if (posted.ts)
      recordPostedMessage(
        db,
        {
          changeId: record.change.id,
          purpose,
          channelId: posted.channel ?? channel,
          ts: posted.ts,
          recipientId: userId,
        },
        clock.now(),
      );
  };

  const notify = async (record: ChangeRecord, userId: string, event: ChangeEvent) => {
    const channel = await openDm(userId);
    await client.chat.postMessage({ channel, ...changeNotice(record, policy, event, clock.now()) });
  };

  const cab = createCabDelivery({ client, db, policy, clock, openDm });

  const deliver = async (message: SlackDelivery): Promise<void> => {
    if (isCabMessage(message)) {
      await cab.deliver(message);
      return;
    }
    const change = changeToDeliver(db, message.changeId);
    if (!change) return;
    const { record, messages } = change;
    const alreadyPosted = (purpose: MessagePurpose, userId: string) =>
      messages.some((m) => m.purpose === purpose && m.recipientId === userId);
    switch (message.kind) {
      case 'approval_request': {
        const purpose = requestPurpose(message.phase ?? 'approval');
        if (alreadyPosted(purpose, message.userId)) return;
        await postTrackedDm(record, purpose, message.userId);
        return;
      }
      case 'emergency_console':
      case 'implementation_console': {
        if (alreadyPosted(message.kind, message.userId)) return;
        await postTrackedDm(record, message.kind, message.userId);
        return;
      }
      case 'verbal_confirmation': {
        // One DM per verbal approval: a retry after a successful post finds the DM posted since it was recorded.
        const verbal = record.verbalApprovals.find((candidate) => candidate.id === message.verbalApprovalId);
        if (
          !verbal ||
          messages.some(
            (m) =>
              m.purpose === 'verbal_confirmation' &&
              m.recipientId === message.userId &&
              m.createdAt >= verbal.recordedAt,
          )
        )
          return;
        await postTrackedDm(record, 'verbal_confirmation', message.userId);
        return;
      }
      case 'refresh_messages': {
        for (const posted of messages) {
          await client.chat.update({
            channel: posted.channelId,
            ts: posted.ts,
            ...render(record, posted.purpose, posted.recipientId),
          });
        }
        await cab.refreshChangeItems(record.boardItems);
        return;
      }
      case 'notify_user': {
        await notify(record, message.userId, message.event);
        return;
      }
      case 'notify_roles': {
        // Each person once, however many of the roles they hold; those told another way are left out.
        const members = await Promise.all(message.roles.map(membersOf));
        const people = new Set(members.flat().filter((id) => !message.exclude.includes(id)));
        for (const userId of people) await notify(record, userId, message.event);
        return;
      }
      case 'notify_log': {
        const channel = policy.channels.log;
        if (!channel) return;
        const original = messages.find((m) => m.purpose === 'log');
        if (message.event === 'submitted') {
          if (original) return;
          const posted = await client.chat.postMessage({ channel, ...logMessage(record, policy, clock.now()) });
          if (posted.ts)
            recordPostedMessage(
              db,
              { changeId: record.change.id, purpose: 'log', channelId: posted.channel ?? channel, ts: posted.ts },
              clock.now(),
            );
          return;
        }
        const text = logDecisionText(record, policy, message.event, clock.now());
        await client.chat.postMessage(
          original ? { channel, text, thread_ts: original.ts, reply_broadcast: true } : { channel, text },
        );
        return;
      }
    }
  };

  return deliver;
}

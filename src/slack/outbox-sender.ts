import type { Logger, webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { Database } from '../db/client.js';
import {
  claimMessage,
  dueMessages,
  markFailed,
  markSent,
  type OutboxMessage,
  type OutboxRow,
  outboxMessage,
} from '../db/outbox.js';
import { type MessagePurpose, recordSlackMessage, requestPurpose, slackMessagesOf } from '../db/slack-messages.js';
import { requirementsOf } from '../domain/approvers.js';
import { APPROVAL_PHASES, decisionStage } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { escalateAuthorization } from '../services/emergency.js';
import { paperworkDeadline } from '../services/paperwork.js';
import { requestApprovals, rolesToResolve } from '../services/request-approvals.js';
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

export interface OutboxSender {
  /** Sends what is due now, without waiting; call after an ack. */
  kick(): void;
  /** Polls for due messages (retries, and what a previous run left) until stopped. */
  start(): void;
  /** Stops polling and waits for the batch being sent. */
  stop(): Promise<void>;
}

export interface OutboxSenderDependencies {
  client: webApi.WebClient;
  database: Database;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  pollMs: number;
}

const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 10 * 60_000;
// Longer than any one delivery takes; a message whose sender died is sent again after it.
const CLAIM_LEASE_MS = 2 * 60_000;

interface SlackErrorShape {
  code?: string;
  message?: string;
  retryAfter?: number;
  data?: { error?: string };
}

function describeError(error: unknown): { text: string; retryAfterMs: number | undefined } {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SlackErrorShape;
  const text = shape.data?.error ?? shape.message ?? String(error);
  return { text, retryAfterMs: typeof shape.retryAfter === 'number' ? shape.retryAfter * 1000 : undefined };
}

/** Exponential backoff from 5 s to 10 min, never sooner than Slack's Retry-After. */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  return Math.max(Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS), retryAfterMs ?? 0);
}

export function createOutboxSender(deps: OutboxSenderDependencies): OutboxSender {
  const { client, database, policy, clock, logger } = deps;
  const db = database.db;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

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
    if (phase) return approvalRequestMessage(record, policy, recipientId ?? '', phase, now);
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
      recordSlackMessage(
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

  const notify = async (
    record: ChangeRecord,
    userId: string,
    event: Extract<OutboxMessage, { kind: 'notify_user' }>['event'],
  ) => {
    const channel = await openDm(userId);
    await client.chat.postMessage({ channel, ...changeNotice(record, policy, event, clock.now()) });
  };

  const cab = createCabDelivery({ client, db, policy, clock, openDm });

  const deliver = async (message: OutboxMessage): Promise<void> => {
    if (isCabMessage(message)) {
      await cab.deliver(message);
      return;
    }
    const record = loadChangeRecord(db, message.changeId);
    if (!record) return;
    const messages = slackMessagesOf(db, message.changeId);
    const alreadyPosted = (purpose: MessagePurpose, userId: string) =>
      messages.some((m) => m.purpose === purpose && m.recipientId === userId);
    switch (message.kind) {
      case 'request_approvals': {
        const phase = decisionStage(record.change.state)?.phase;
        if (!phase) return;
        const roles = rolesToResolve(requirementsOf(record, phase), policy);
        const resolved = new Map(await Promise.all(roles.map(async (role) => [role, await membersOf(role)] as const)));
        requestApprovals(db, policy, record.change.id, resolved, clock.now());
        again = true; // it queued the approval requests
        return;
      }
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
      case 'escalate_authorization': {
        escalateAuthorization(db, record.change.id, { timer: true }, clock.now());
        again = true;
        return;
      }
      case 'paperwork_deadline': {
        paperworkDeadline(db, policy, record.change.id, message.stage, clock.now());
        again = true;
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
            recordSlackMessage(
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

  const deliverRow = async (row: OutboxRow): Promise<void> => {
    const message = outboxMessage(row);
    const label = `outbox #${row.id} ${row.kind}${row.changeId === null ? '' : ` for CHG-${row.changeId}`}`;
    // Another process sharing the database may have taken it since it was read.
    if (!claimMessage(db, row, clock.now(), CLAIM_LEASE_MS)) return;
    try {
      await deliver(message);
      markSent(db, row.id, clock.now());
    } catch (error) {
      const attempts = row.attempts + 1;
      const { text, retryAfterMs } = describeError(error);
      if (attempts >= MAX_ATTEMPTS) {
        markFailed(db, row.id, { attempts, retryAt: undefined, error: text });
        logger.error(`${label} failed ${attempts} times and is given up: ${text}`);
        return;
      }
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(attempts, retryAfterMs));
      markFailed(db, row.id, { attempts, retryAt, error: text });
      logger.warn(`${label} failed (attempt ${attempts}): ${text}; retrying at ${retryAt.toISOString()}`);
    }
  };

  const sendDue = async (): Promise<void> => {
    do {
      again = false;
      for (const row of dueMessages(db, clock.now(), BATCH_SIZE)) await deliverRow(row);
    } while (again);
  };

  const kick = () => {
    if (running) {
      again = true;
      return;
    }
    running = sendDue()
      .catch((error: unknown) => logger.error(`outbox: ${describeError(error).text}`))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    kick,
    start() {
      kick();
      timer = setInterval(kick, deps.pollMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

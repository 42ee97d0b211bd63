import type { Logger, webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { type ChangeView, loadChangeView, recordSlackMessage, slackMessagesOf } from '../db/changes.js';
import { type OutboxMessage, type OutboxRow, dueMessages, markFailed, markSent, outboxMessage } from '../db/outbox.js';
import type { Policy } from '../policy/schema.js';
import { requestApprovals, rolesToResolve } from '../services/request-approvals.js';
import { approvalRequestMessage, changeNotice, logDecisionText, logMessage } from './views/change-message.js';

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

  // Role members are user IDs or user groups (S…); groups are expanded when the approvals are asked.
  const membersOf = async (role: string): Promise<string[]> => {
    const members = await Promise.all(
      (policy.roles[role] ?? []).map(async (id) => {
        if (!id.startsWith('S')) return [id];
        const group = await client.usergroups.users.list({ usergroup: id });
        return group.users ?? [];
      }),
    );
    return members.flat();
  };

  const render = (view: ChangeView, purpose: string, recipientId: string | null) =>
    purpose === 'approval_request' && recipientId ? approvalRequestMessage(view, policy, recipientId) : logMessage(view, policy);

  const deliver = async (message: OutboxMessage): Promise<void> => {
    const view = loadChangeView(db, message.changeId);
    if (!view) return;
    const messages = slackMessagesOf(db, message.changeId);
    switch (message.kind) {
      case 'request_approvals': {
        const roles = rolesToResolve(view.requirements.map((r) => r.role), policy);
        const resolved = new Map(await Promise.all(roles.map(async (role) => [role, await membersOf(role)] as const)));
        requestApprovals(db, policy, view.change.id, resolved, clock.now());
        again = true; // it queued the approval requests
        return;
      }
      case 'approval_request': {
        if (messages.some((m) => m.purpose === 'approval_request' && m.recipientId === message.userId)) return;
        const channel = await openDm(message.userId);
        const posted = await client.chat.postMessage({ channel, ...approvalRequestMessage(view, policy, message.userId) });
        if (posted.ts) recordSlackMessage(db, { changeId: view.change.id, purpose: 'approval_request', channelId: posted.channel ?? channel, ts: posted.ts, recipientId: message.userId }, clock.now());
        return;
      }
      case 'refresh_messages': {
        for (const posted of messages) {
          await client.chat.update({ channel: posted.channelId, ts: posted.ts, ...render(view, posted.purpose, posted.recipientId) });
        }
        return;
      }
      case 'notify_user': {
        const channel = await openDm(message.userId);
        await client.chat.postMessage({ channel, ...changeNotice(view, policy, message.event) });
        return;
      }
      case 'notify_log': {
        const channel = policy.channels.log;
        if (!channel) return;
        const original = messages.find((m) => m.purpose === 'log');
        if (message.event === 'submitted') {
          if (original) return;
          const posted = await client.chat.postMessage({ channel, ...logMessage(view, policy) });
          if (posted.ts) recordSlackMessage(db, { changeId: view.change.id, purpose: 'log', channelId: posted.channel ?? channel, ts: posted.ts }, clock.now());
          return;
        }
        const text = logDecisionText(view);
        await client.chat.postMessage(original ? { channel, text, thread_ts: original.ts, reply_broadcast: true } : { channel, text });
        return;
      }
    }
  };

  const deliverRow = async (row: OutboxRow): Promise<void> => {
    const message = outboxMessage(row);
    const label = `outbox #${row.id} ${row.kind} for CHG-${row.changeId}`;
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

import type { Logger } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import {
  claimMessage,
  dueMessages,
  isTimerWork,
  markFailed,
  markSent,
  type OutboxRow,
  outboxMessage,
  type SlackDelivery,
} from '../db/outbox.js';
import type { TimerDispatcher } from './timers.js';

export interface OutboxWorker {
  /** Sends what is due now, without waiting; call after an ack. */
  kick(): void;
  /** Polls for due messages (retries, and what a previous run left) until stopped. */
  start(): void;
  /** Stops polling and waits for the batch being sent. */
  stop(): Promise<void>;
}

export interface OutboxWorkerDependencies {
  database: Database;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  /** Makes one Slack call; throws (with Slack's error and Retry-After) to have it retried. */
  deliver(message: SlackDelivery): Promise<void>;
  fireTimer: TimerDispatcher;
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

/**
 * Works through the outbox: Slack calls and due timers, oldest first, each claimed so one process
 * handles it, retried with backoff when it fails.
 */
export function createOutboxWorker(deps: OutboxWorkerDependencies): OutboxWorker {
  const { database, clock, logger } = deps;
  const db = database.db;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const handleRow = async (row: OutboxRow): Promise<void> => {
    const message = outboxMessage(row);
    const label = `outbox #${row.id} ${row.kind}${row.changeId === null ? '' : ` for CHG-${row.changeId}`}`;
    // Another process sharing the database may have taken it since it was read.
    if (!claimMessage(db, row, clock.now(), CLAIM_LEASE_MS)) return;
    try {
      if (isTimerWork(message)) {
        // What the timer queued is sent in this run.
        if (await deps.fireTimer(message)) again = true;
      } else {
        await deps.deliver(message);
      }
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
      for (const row of dueMessages(db, clock.now(), BATCH_SIZE)) await handleRow(row);
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

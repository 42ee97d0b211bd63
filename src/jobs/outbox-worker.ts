import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import {
  batchFollowers,
  claimMessage,
  deliverableMessages,
  isTimerWork,
  markFailed,
  markSent,
  type OutboxRow,
  outboxMessage,
  reclaimAbandoned,
  renewLeases,
  type SlackDelivery,
} from '../db/outbox.js';
import type { TimerDispatcher } from './timers.js';

export interface OutboxWorker {
  /** Looks for work now; call after a transaction that queued some. */
  kick(): void;
  /** Takes back what a dead process left, then delivers until stopped (polling for retries that fall due). */
  start(): void;
  /** Stops taking work and waits for what is being sent. */
  stop(): Promise<void>;
}

/** What the deliverer knows about the message it is asked to send. */
export interface DeliveryAttempt {
  /** Stable across attempts: a post carries it, so one that did reach Slack can be found again. */
  key: string;
  /** The keys of every message in a batch (the head's first): a post carries them all. */
  keys: string[];
  /** An earlier attempt may have reached Slack (interrupted, or it got no answer). */
  uncertain: boolean;
}

/**
 * A delivery that did not go through, as the deliverer classifies it: when to try again at the
 * earliest, and whether it may have reached Slack anyway.
 */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly details: { retryAfterMs?: number; uncertain: boolean },
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

export interface OutboxWorkerDependencies {
  database: Database;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  /**
   * Makes the Slack calls of one message, or of a batch that goes out as one (approval requests to one person);
   * throws (a DeliveryFailure, ideally) to have it retried.
   */
  deliver(messages: readonly [SlackDelivery, ...SlackDelivery[]], attempt: DeliveryAttempt): Promise<void>;
  fireTimer: TimerDispatcher;
  /** How many messages are in flight at once (each lane still one at a time). */
  concurrency?: number;
}

// Four calls in flight already exceed what Slack's per-method budgets allow for long, and a burst's floor is
// set by each conversation's order; more in flight only adds work between requests and their acks.
const DEFAULT_CONCURRENCY = 4;
const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 10 * 60_000;
// Short and renewed while a call runs, so another process takes over within seconds of a crash.
const LEASE_MS = 15_000;
const RENEW_EVERY_MS = 5_000;

/** Exponential backoff from 5 s to 10 min, never sooner than Slack's Retry-After. */
export function retryDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  return Math.max(Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS), retryAfterMs ?? 0);
}

const keyOf = (row: OutboxRow) => `outbox-${row.id}`;

/** Who holds a claim: this host, this process, this start (a pid may be reused). */
const CLAIMANT = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * A claim whose sender is gone: its lease ran out, or it was left by a process on this host that no longer
 * runs (or an earlier start of this pid). This process's own claims are in flight here and renewed.
 */
function claimAbandoned({ claimedBy, leaseExpired }: { claimedBy: string; leaseExpired: boolean }): boolean {
  if (claimedBy === CLAIMANT) return false;
  if (leaseExpired) return true;
  const [host, pid] = claimedBy.split(':');
  if (host !== hostname()) return false;
  if (Number(pid) === process.pid) return true;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

function failureOf(error: unknown): { text: string; retryAfterMs: number | undefined; uncertain: boolean } {
  if (error instanceof DeliveryFailure)
    return { text: error.message, retryAfterMs: error.details.retryAfterMs, uncertain: error.details.uncertain };
  return { text: error instanceof Error ? error.message : String(error), retryAfterMs: undefined, uncertain: true };
}

/**
 * Works through the outbox: Slack calls and due timers, most urgent first, several conversations at
 * once and each conversation in order. Every row is claimed so one process handles it, retried with
 * backoff when it fails, and taken back from a process that died holding it.
 */
export function createOutboxWorker(deps: OutboxWorkerDependencies): OutboxWorker {
  const { database, clock, logger } = deps;
  const db = database.db;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  /** What is being sent, by its head row: the work and every row it claimed. */
  const inFlight = new Map<number, { work: Promise<void>; ids: number[] }>();
  let scheduled = false;
  let stopped = true;
  /** Due messages read but not started yet (they start a turn apart; startDue reads no more meanwhile). */
  let starting = 0;
  let poll: NodeJS.Timeout | undefined;
  let renew: NodeJS.Timeout | undefined;

  const lease = () => ({ by: CLAIMANT, leaseUntil: new Date(clock.now().getTime() + LEASE_MS) });

  /** Sends one message, or a batch of approval requests to one person (`rows`, all claimed, head first). */
  const handle = async (rows: readonly [OutboxRow, ...OutboxRow[]]): Promise<void> => {
    const [head] = rows;
    const message = outboxMessage(head);
    const batch = rows.length > 1 ? ` (+${rows.length - 1} in one message)` : '';
    const label = `outbox #${head.id} ${head.kind}${head.changeId === null ? '' : ` for CHG-${head.changeId}`}${batch}`;
    try {
      if (isTimerWork(message)) await deps.fireTimer(message);
      else
        await deps.deliver(rows.map(outboxMessage) as [SlackDelivery, ...SlackDelivery[]], {
          key: keyOf(head),
          keys: rows.map(keyOf),
          uncertain: head.uncertain,
        });
      markSent(
        db,
        rows.map((row) => row.id),
        clock.now(),
      );
    } catch (error) {
      const attempts = head.attempts + 1;
      const { text, retryAfterMs, uncertain } = failureOf(error);
      const retryAt =
        attempts >= MAX_ATTEMPTS ? undefined : new Date(clock.now().getTime() + retryDelayMs(attempts, retryAfterMs));
      for (const row of rows) markFailed(db, row, { attempts: row.attempts + 1, retryAt, error: text, uncertain });
      if (!retryAt) logger.error(`${label} failed ${attempts} times and is given up: ${text}`);
      else logger.warn(`${label} failed (attempt ${attempts}): ${text}; retrying at ${retryAt.toISOString()}`);
    }
  };

  /** Starts as much due work as the concurrency allows; each finished message looks again. */
  const pump = () => {
    scheduled = false;
    if (stopped) return;
    try {
      startDue();
    } catch (error) {
      // The database may be unavailable for a while; the next poll tries again.
      logger.error(`outbox: ${failureOf(error).text}`);
    }
  };

  /** Starts as many due messages as the concurrency allows (unless some read earlier are still being started). */
  const startDue = () => {
    const free = concurrency - inFlight.size;
    if (starting === 0 && free > 0) startEach(deliverableMessages(db, clock.now(), free), false);
  };

  /**
   * Starts the messages one a turn of the event loop: each begins with a few milliseconds of reading and rendering
   * before its first Slack call, and an ack that arrived meanwhile must not wait behind all of them.
   */
  const startEach = (due: readonly OutboxRow[], chained: boolean) => {
    const [row, ...rest] = due;
    starting = 0;
    if (!row || stopped) return;
    if (claimMessage(db, row.id, lease())) {
      const rows: [OutboxRow, ...OutboxRow[]] = [row];
      for (const follower of batchFollowers(db, row, clock.now()))
        if (claimMessage(db, follower.id, lease())) rows.push(follower);
      const work = handle(rows)
        .catch((error: unknown) => logger.error(`outbox #${row.id}: ${failureOf(error).text}`))
        .finally(() => {
          inFlight.delete(row.id);
          kick();
        });
      inFlight.set(row.id, { work, ids: rows.map((claimed) => claimed.id) });
    }
    // The rest start in the coming turns; a kick meanwhile waits for them, and the last looks again for more.
    if (rest.length > 0) {
      starting = rest.length;
      setImmediate(() => startEach(rest, true));
    } else if (chained) kick();
  };

  // Deferred to the next turn of the event loop: never between a request and its ack.
  function kick() {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(pump);
  }

  return {
    kick,
    start() {
      if (!stopped) return;
      stopped = false;
      // At start, and at every poll: another process sharing the database may die holding rows.
      const reclaimAndKick = () => {
        try {
          const taken = reclaimAbandoned(db, clock.now(), claimAbandoned);
          if (taken > 0) logger.warn(`outbox: took back ${taken} message(s) a stopped process was sending`);
        } catch (error) {
          logger.error(`outbox: taking back abandoned messages failed: ${failureOf(error).text}`);
        }
        kick();
      };
      reclaimAndKick();
      poll = setInterval(reclaimAndKick, deps.pollMs);
      renew = setInterval(() => {
        try {
          renewLeases(
            db,
            [...inFlight.values()].flatMap((entry) => entry.ids),
            lease(),
          );
        } catch (error) {
          logger.error(`outbox: renewing leases failed: ${failureOf(error).text}`);
        }
      }, RENEW_EVERY_MS);
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(renew);
      await Promise.all([...inFlight.values()].map((entry) => entry.work));
    },
  };
}

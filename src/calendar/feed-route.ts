import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import type { Clock } from '../clock.js';
import { lastAuditEvent } from '../db/audit-log.js';
import type { Database } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { plannedChangePages } from '../db/schedule.js';
import { type ChangeState, PLANNED_STATES } from '../domain/lifecycle.js';
import { datesOf } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import { cited } from '../slack/words/citations.js';
import { renderCalendar } from './ics.js';

export const CALENDAR_PATH = '/calendar.ics';

/** Besides what is still to run, what ran: a subscribed calendar keeps the recent past. */
const FEED_STATES: readonly ChangeState[] = [
  ...PLANNED_STATES,
  'completed',
  'failed',
  'rolled_back',
  'reviewed',
  'closed',
  'pending_retro_approval',
  'retro_approved',
  'retro_rejected',
];
const DAY_MS = 24 * 3600_000;
/** Changes read and rendered between two turns of the event loop: a few milliseconds of work. */
const EVENTS_PER_PAGE = 250;

/** The feed as rendered. */
interface RenderedFeed {
  etag: string;
  body: string;
}

export interface CalendarFeedDependencies {
  database: Database;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  /** The feed's secret; without one the feed does not exist. */
  token: string | undefined;
}

/** Compares secrets in constant time (hashing first makes their lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/**
 * `GET /calendar.ics?token=…`: the change calendar (changes of the policy's `calendar.past_days` and
 * `ahead_days`, and the freezes) for calendar apps to subscribe to, with an ETag (304 when unchanged).
 * Without CALENDAR_TOKEN it answers 404; a missing or wrong token, 401. The token is never logged.
 */
export function calendarFeedRoute(deps: CalendarFeedDependencies): CustomRoute {
  // The feed being rendered or last rendered: requests arriving while it renders share it.
  let latest: { version: string; feed: Promise<RenderedFeed> } | undefined;
  /**
   * The covered period moves a whole day at a time and DTSTAMP is when the content last changed, so the same record
   * renders the same body all day: a calendar app polling hourly gets 304 until something is recorded.
   */
  const render = async (version: { day: number; last: ReturnType<typeof lastAuditEvent> }): Promise<RenderedFeed> => {
    const { db } = deps.database;
    const { past_days: pastDays, ahead_days: aheadDays } = deps.policy.calendar;
    const dayStart = version.day * DAY_MS;
    const covered = {
      start: new Date(dayStart - pastDays * DAY_MS),
      end: new Date(dayStart + (aheadDays + 1) * DAY_MS),
    };
    const body = await renderCalendar({
      changes: plannedChangePages(db, { interval: covered, states: FEED_STATES, pageSize: EVENTS_PER_PAGE }),
      freezes: loadFreezes(db, deps.policy, datesOf(covered, deps.policy.timezone)),
      timeZone: deps.policy.timezone,
      domain: 'cabinet',
      stampedAt: new Date(Math.max(dayStart, version.last.occurredAt?.getTime() ?? 0)),
      freezeCitation: cited(deps.policy, 'freezes'),
    });
    return { etag: `"${createHash('sha256').update(body).digest('base64url')}"`, body };
  };
  /** The feed now: rendered again only once something was recorded or a new day began. */
  const feedNow = (): Promise<RenderedFeed> => {
    const next = { day: Math.floor(deps.clock.now().getTime() / DAY_MS), last: lastAuditEvent(deps.database.db) };
    const version = `${next.last.id}@${next.day}`;
    if (latest?.version !== version) {
      const feed = render(next);
      latest = { version, feed };
      // A failed rendering is not kept: the next request tries again.
      feed.catch(() => {
        if (latest?.feed === feed) latest = undefined;
      });
    }
    return latest.feed;
  };
  return {
    path: CALENDAR_PATH,
    // HEAD too: link checkers and calendar clients send it, and Bolt would log an unknown request's URL (the token).
    method: ['GET', 'HEAD'],
    handler: async (request: IncomingMessage, response: ServerResponse) => {
      if (!deps.token) {
        answer(response, 404, 'Not found');
        return;
      }
      const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
      if (!sameSecret(token, deps.token)) {
        answer(response, 401, 'A valid token is required: subscribe with the calendar link your Cabinet admin shared.');
        return;
      }
      try {
        const { etag, body } = await feedNow();
        const headers = { ETag: etag, 'Cache-Control': 'private, max-age=300' };
        // A client that has this version already is told so, without the body.
        if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
          response.writeHead(304, headers);
          response.end();
          return;
        }
        response.writeHead(200, { ...headers, 'Content-Type': 'text/calendar; charset=utf-8' });
        response.end(request.method === 'HEAD' ? undefined : body);
      } catch (error) {
        deps.logger.error(`calendar feed failed: ${error instanceof Error ? error.message : String(error)}`);
        answer(response, 500, 'The calendar could not be read; try again later.');
      }
    },
  };
}

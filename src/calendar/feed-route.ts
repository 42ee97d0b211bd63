import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { loadFreezes } from '../db/freezes.js';
import { plannedChangesDuring } from '../db/schedule.js';
import { type ChangeState, PLANNED_STATES } from '../domain/lifecycle.js';
import { datesOf } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
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
const PAST_DAYS = 30;
const AHEAD_DAYS = 365;

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
 * `GET /calendar.ics?token=…`: the change calendar (changes of the last 30 days and the next year,
 * and the freezes) for calendar apps to subscribe to. Without CALENDAR_TOKEN it answers 404; a
 * missing or wrong token, 401. The token is never logged.
 */
export function calendarFeedRoute(deps: CalendarFeedDependencies): CustomRoute {
  return {
    path: CALENDAR_PATH,
    // HEAD too: link checkers and calendar clients send it, and Bolt would log an unknown request's URL (the token).
    method: ['GET', 'HEAD'],
    handler: (request: IncomingMessage, response: ServerResponse) => {
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
        const now = deps.clock.now();
        const { db } = deps.database;
        const covered = {
          start: new Date(now.getTime() - PAST_DAYS * DAY_MS),
          end: new Date(now.getTime() + AHEAD_DAYS * DAY_MS),
        };
        const changes = plannedChangesDuring(db, covered, FEED_STATES);
        const body = renderCalendar({
          changes,
          freezes: loadFreezes(db, deps.policy, datesOf(covered, deps.policy.timezone)),
          timeZone: deps.policy.timezone,
          domain: 'cabinet',
          now,
        });
        response.writeHead(200, {
          'Content-Type': 'text/calendar; charset=utf-8',
          'Cache-Control': 'private, max-age=300',
        });
        response.end(body);
      } catch (error) {
        deps.logger.error(`calendar feed failed: ${error instanceof Error ? error.message : String(error)}`);
        answer(response, 500, 'The calendar could not be read; try again later.');
      }
    },
  };
}

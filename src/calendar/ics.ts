// The change calendar as an RFC 5545 iCalendar feed, for Google Calendar and Outlook to subscribe to.

import type { PlannedChangeRow } from '../db/schedule.js';
import type { Freeze } from '../domain/schedule.js';
import { addDays } from '../domain/schedule.js';
import { inZone } from '../domain/zoned-time.js';
import { describeState } from '../slack/words/states.js';

/** RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/** RFC 5545 3.1: lines longer than 75 octets are folded (CRLF and a space), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    // Continuation lines begin with a space, which counts toward their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** "20261124T120000Z" */
const utcStamp = (at: Date) => inZone(at, 'utc').toFormat("yyyyMMdd'T'HHmmss'Z'");
/** "20261220" */
const dateValue = (date: string) => date.replace(/-/g, '');

export interface CalendarFeed {
  changes: readonly PlannedChangeRow[];
  freezes: readonly Freeze[];
  /** The organisation's timezone, a hint for clients (times are written in UTC). */
  timeZone: string;
  /** Identifies this Cabinet in event UIDs, e.g. the workspace or host name. */
  domain: string;
  now: Date;
}

const TENTATIVE_STATES = new Set(['submitted', 'pending_approval', 'pending_authorization', 'pending_retro_approval']);

function changeEvent(change: PlannedChangeRow, feed: CalendarFeed): string[] {
  const description = [
    `State: ${describeState(change.state)}`,
    `Risk: ${change.riskLevel ?? 'unassessed'}`,
    `Type: ${change.type}`,
    `Systems: ${change.affectedSystems.join(', ') || '-'}`,
    `Owner (Slack ID): ${change.ownerId}`,
  ].join('\n');
  return [
    'BEGIN:VEVENT',
    `UID:${change.ref.toLowerCase()}@${feed.domain}`,
    `DTSTAMP:${utcStamp(feed.now)}`,
    `DTSTART:${utcStamp(change.plannedStart)}`,
    `DTEND:${utcStamp(change.plannedEnd)}`,
    `SUMMARY:${escapeText(`${change.ref} · ${change.title}`)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `CATEGORIES:${['Change', change.riskLevel ?? 'unassessed'].map(escapeText).join(',')}`,
    `STATUS:${TENTATIVE_STATES.has(change.state) ? 'TENTATIVE' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

/** Policy freezes have no stable number (the file may be reordered), so their dates name them. */
function freezeUidPart(freeze: Freeze): string {
  return freeze.id.startsWith('policy-') ? `${freeze.from}-${freeze.to}` : freeze.id.toLowerCase();
}

function freezeEvent(freeze: Freeze, feed: CalendarFeed): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:freeze-${freezeUidPart(freeze)}@${feed.domain}`,
    `DTSTAMP:${utcStamp(feed.now)}`,
    `DTSTART;VALUE=DATE:${dateValue(freeze.from)}`,
    // All-day events end on the day after their last day (exclusive).
    `DTEND;VALUE=DATE:${dateValue(addDays(freeze.to, 1))}`,
    `SUMMARY:${escapeText(`Change freeze: ${freeze.reason}`)}`,
    `DESCRIPTION:${escapeText(`No change runs without an approved exception (POL-SEC-008 9.2). ${freeze.id}`)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** The whole feed, CRLF-terminated lines, folded. */
export function renderCalendar(feed: CalendarFeed): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Cabinet//Change calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Change calendar',
    `X-WR-TIMEZONE:${feed.timeZone}`,
    ...feed.changes.flatMap((change) => changeEvent(change, feed)),
    ...feed.freezes.flatMap((freeze) => freezeEvent(freeze, feed)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

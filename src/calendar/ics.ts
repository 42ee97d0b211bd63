// The change calendar as an RFC 5545 iCalendar feed, for Google Calendar and Outlook to subscribe to.

import type { PlannedChangeRow } from '../db/schedule.js';
import type { Freeze } from '../domain/schedule.js';
import { addDays } from '../domain/schedule.js';
import { describeState } from '../slack/words/states.js';

const NEEDS_ESCAPE = /[\\;,\r\n]/;

/** RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values. */
export function escapeText(text: string): string {
  // Most values have nothing to escape: a test is cheaper than a replace with a callback.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\\;,]|\r\n|\r|\n/g, (found) =>
    found.length === 1 && !'\r\n'.includes(found) ? `\\${found}` : '\\n',
  );
}

/** UTF-8 octets of a code point. */
const octetsOf = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/** RFC 5545 3.1: lines longer than 75 octets are folded (CRLF and a space), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  // Most lines are short: at most 3 octets a UTF-16 unit, so 25 units always fit.
  if (line.length <= 25) return line;
  const octetCount = Buffer.byteLength(line);
  if (octetCount <= 75) return line;
  // All ASCII: one octet a unit, cut every 75 then 74.
  if (octetCount === line.length) {
    const parts = [line.slice(0, 75)];
    for (let start = 75; start < line.length; start += 74) parts.push(line.slice(start, start + 74));
    return parts.join('\r\n ');
  }
  const parts: string[] = [];
  let start = 0;
  let octets = 0;
  for (let index = 0; index < line.length; ) {
    const codePoint = line.codePointAt(index) ?? 0;
    const size = octetsOf(codePoint);
    // Continuation lines begin with a space, which counts toward their 75 octets.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(line.slice(start, index));
      start = index;
      octets = 0;
    }
    octets += size;
    index += codePoint > 0xffff ? 2 : 1;
  }
  parts.push(line.slice(start));
  return parts.join('\r\n ');
}

/** "20261124T120000Z" */
const utcStamp = (at: Date) => `${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
/** "20261220" */
const dateValue = (date: string) => date.replace(/-/g, '');

export interface CalendarFeed {
  /** The changes, earliest first, a page at a time: the event loop runs between pages. */
  changes: Iterable<readonly PlannedChangeRow[]>;
  freezes: readonly Freeze[];
  /** The organisation's timezone, a hint for clients (times are written in UTC). */
  timeZone: string;
  /** Identifies this Cabinet in event UIDs, e.g. the workspace or host name. */
  domain: string;
  /** DTSTAMP: when the content last changed (a feed rendered again without changes stays the same). */
  stampedAt: Date;
  /** Where the policy says no change runs in a freeze, e.g. " (POL-SEC-008 9.2)"; empty when it has no section. */
  freezeCitation: string;
}

const TENTATIVE_STATES = new Set(['submitted', 'pending_approval', 'pending_authorization', 'pending_retro_approval']);

/** What every event of one rendering shares, computed once: 8,000 events are rendered in one request. */
interface EventContext {
  domain: string;
  /** DTSTAMP, one for the rendering. */
  stamp: string;
  freezeCitation: string;
}

/** One change as folded, CRLF-terminated lines; only the lines that carry user text can exceed 75 octets. */
function changeEvent(change: PlannedChangeRow, context: EventContext): string {
  // Escaped a part at a time: only the user's text can hold characters to escape; "\\n" separates the lines.
  const description =
    `State: ${escapeText(describeState(change.state))}\\nRisk: ${escapeText(change.riskLevel ?? 'unassessed')}` +
    `\\nType: ${change.type}\\nSystems: ${escapeText(change.affectedSystems.join(', ') || '-')}` +
    `\\nOwner (Slack ID): ${change.ownerId}`;
  return (
    `BEGIN:VEVENT\r\n${foldLine(`UID:${change.ref.toLowerCase()}@${context.domain}`)}\r\nDTSTAMP:${context.stamp}\r\n` +
    `DTSTART:${utcStamp(change.plannedStart)}\r\nDTEND:${utcStamp(change.plannedEnd)}\r\n` +
    `${foldLine(`SUMMARY:${escapeText(`${change.ref} · ${change.title}`)}`)}\r\n` +
    `${foldLine(`DESCRIPTION:${description}`)}\r\n` +
    `${foldLine(`CATEGORIES:Change,${escapeText(change.riskLevel ?? 'unassessed')}`)}\r\n` +
    `STATUS:${TENTATIVE_STATES.has(change.state) ? 'TENTATIVE' : 'CONFIRMED'}\r\nEND:VEVENT\r\n`
  );
}

/** Policy freezes have no stable number (the file may be reordered), so their dates name them. */
function freezeUidPart(freeze: Freeze): string {
  return freeze.id.startsWith('policy-') ? `${freeze.from}-${freeze.to}` : freeze.id.toLowerCase();
}

function freezeEvent(freeze: Freeze, context: EventContext): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:freeze-${freezeUidPart(freeze)}@${context.domain}`,
    `DTSTAMP:${context.stamp}`,
    `DTSTART;VALUE=DATE:${dateValue(freeze.from)}`,
    // All-day events end on the day after their last day (exclusive).
    `DTEND;VALUE=DATE:${dateValue(addDays(freeze.to, 1))}`,
    `SUMMARY:${escapeText(`Change freeze: ${freeze.reason}`)}`,
    `DESCRIPTION:${escapeText(`No change runs without an approved exception${context.freezeCitation}. ${freeze.id}`)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

const folded = (lines: readonly string[]) => lines.map((line) => `${foldLine(line)}\r\n`).join('');

/**
 * The whole feed, CRLF-terminated lines, folded. Read and rendered a page of events at a time, letting the event
 * loop go between pages, so an ack that arrives meanwhile is answered at once (issue 17.2).
 */
export async function renderCalendar(feed: CalendarFeed): Promise<string> {
  const context: EventContext = {
    domain: feed.domain,
    stamp: utcStamp(feed.stampedAt),
    freezeCitation: feed.freezeCitation,
  };
  const parts = [
    folded([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Cabinet//Change calendar//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Change calendar',
      `X-WR-TIMEZONE:${feed.timeZone}`,
    ]),
  ];
  for (const page of feed.changes) {
    // One flat string a page: the events' many small pieces die young instead of surviving until the end.
    parts.push(page.map((change) => changeEvent(change, context)).join(''));
    await new Promise((resolve) => setImmediate(resolve));
  }
  parts.push(folded([...feed.freezes.flatMap((freeze) => freezeEvent(freeze, context)), 'END:VCALENDAR']));
  return parts.join('');
}

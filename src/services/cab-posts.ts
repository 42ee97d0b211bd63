import {
  type CabMeetingRow,
  itemsOfMeeting,
  meetingById,
  setItemsTsOfMeeting,
  setItemTs,
  updateMeeting,
  votesOf,
} from '../db/cab.js';
import { type BoardItemRow, type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import type { CabinetDb, DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import type { CabVote } from '../domain/cab.js';

// What Slack reads to post a meeting's messages.
export { itemById, itemsOfMeeting, meetingById } from '../db/cab.js';

/** An item put to the board, with its meeting, its change as it is now and the votes cast. */
export interface BoardItemFacts {
  meeting: CabMeetingRow;
  record: ChangeRecord;
  votes: CabVote[];
}

export function boardItemFacts(db: DbExecutor, item: BoardItemRow): BoardItemFacts | undefined {
  const meeting = meetingById(db, item.meetingId);
  const record = loadChangeRecord(db, item.changeId);
  return meeting && record ? { meeting, record, votes: votesOf(db, item.id) } : undefined;
}

/** Queues pages 1… of a meeting's agenda or minutes (page 0 is posted by the caller). */
function queuePages(
  tx: DbExecutor,
  meeting: CabMeetingRow,
  rest: { part: 'agenda' | 'minutes'; pages: number },
  now: Date,
) {
  const { part, pages } = rest;
  for (let page = 1; page < pages; page += 1)
    enqueue(tx, { kind: 'cab_page', meetingId: meeting.id, part, page }, now, {
      dedupeKey: `cab_page:${meeting.id}:${part}:${page}`,
    });
}

/**
 * Records a meeting's first message and queues the rest of it (agenda pages, items, the chair's link)
 * together: a retry posts nothing twice.
 */
export function recordMeetingPosted(
  db: CabinetDb,
  meeting: CabMeetingRow,
  posted: { ts: string; channelId: string; agendaPages: number },
  now: Date,
): void {
  db.transaction((tx) => {
    updateMeeting(tx, meeting.id, { ts: posted.ts, channelId: posted.channelId });
    if (meeting.kind === 'emergency') {
      setItemsTsOfMeeting(tx, meeting.id, posted.ts);
      return;
    }
    queuePages(tx, meeting, { part: 'agenda', pages: posted.agendaPages }, now);
    for (const item of itemsOfMeeting(tx, meeting.id))
      enqueue(tx, { kind: 'cab_item', changeId: item.changeId, itemId: item.id }, now, {
        dedupeKey: `cab_item:${item.id}`,
      });
    enqueue(tx, { kind: 'cab_chair_link', meetingId: meeting.id }, now, { dedupeKey: `cab_chair_link:${meeting.id}` });
  });
}

/**
 * Records the minutes' first message and queues the rest and the items' refresh
 * (each its own keyed row, so a retry repeats nothing).
 */
export function recordMinutesPosted(
  db: CabinetDb,
  meeting: CabMeetingRow,
  posted: { ts: string; pages: number },
  now: Date,
): void {
  db.transaction((tx) => {
    updateMeeting(tx, meeting.id, { minutesTs: posted.ts });
    queuePages(tx, meeting, { part: 'minutes', pages: posted.pages }, now);
    if (meeting.kind === 'regular')
      for (const item of itemsOfMeeting(tx, meeting.id))
        enqueue(tx, { kind: 'refresh_cab_item', changeId: item.changeId, itemId: item.id }, now);
  });
}

/** Records where an item was posted in the meeting's thread. */
export function recordItemPosted(db: DbExecutor, itemId: number, ts: string): void {
  setItemTs(db, itemId, ts);
}

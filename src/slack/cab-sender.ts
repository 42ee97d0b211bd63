import type { webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { CabMeetingRow } from '../db/cab.js';
import type { BoardItemRow } from '../db/change-record.js';
import type { CabinetDb } from '../db/client.js';
import type { SlackDelivery } from '../db/outbox.js';
import { agendaSize } from '../domain/agenda.js';
import type { Policy } from '../policy/schema.js';
import {
  boardItemFacts,
  itemById,
  itemsOfMeeting,
  meetingById,
  recordItemPosted,
  recordMeetingPosted,
  recordMinutesPosted,
} from '../services/cab-posts.js';
import { agendaMessages, agendaTitle, closeMeetingActions, type SlackMessage } from './blocks/agenda.js';
import { slackDate } from './blocks/blocks.js';
import {
  type BoardItemContext,
  boardItemMessage,
  closedMeetingText,
  emergencyCabMessage,
  emergencyCabOverdueMessage,
  minutesMessages,
} from './blocks/cab.js';
import { boardMembers } from './role-members.js';

export type CabOutboxMessage = Extract<
  SlackDelivery,
  {
    kind:
      | 'cab_meeting'
      | 'cab_page'
      | 'cab_item'
      | 'refresh_cab_item'
      | 'cab_chair_link'
      | 'cab_minutes'
      | 'cab_overdue';
  }
>;

const CAB_KINDS: readonly string[] = [
  'cab_meeting',
  'cab_page',
  'cab_item',
  'refresh_cab_item',
  'cab_chair_link',
  'cab_minutes',
  'cab_overdue',
] satisfies CabOutboxMessage['kind'][];

export function isCabMessage(message: SlackDelivery): message is CabOutboxMessage {
  return CAB_KINDS.includes(message.kind);
}

export interface CabDeliveryDependencies {
  client: webApi.WebClient;
  db: CabinetDb;
  policy: Policy;
  clock: Clock;
  openDm(userId: string): Promise<string>;
}

export interface CabDelivery {
  deliver(message: CabOutboxMessage): Promise<void>;
  /** Re-renders every board item of a change that was posted, e.g. once the change moved on. */
  refreshChangeItems(items: readonly BoardItemRow[]): Promise<void>;
}

/** Posts and updates what the CAB sees: the agenda and its continuation, the items to vote on, the minutes. */
export function createCabDelivery(deps: CabDeliveryDependencies): CabDelivery {
  const { client, db, policy, clock } = deps;
  const members = () => boardMembers(client, policy);

  const itemContext = (item: BoardItemRow): BoardItemContext | undefined => {
    const facts = boardItemFacts(db, item);
    return facts && { item, ...facts, policy, now: clock.now() };
  };

  /** A regular meeting's agenda; the first message carries the close button, or says it was closed. */
  const agendaOf = (meeting: CabMeetingRow): SlackMessage[] => {
    if (!meeting.agenda) return [];
    const notes =
      meeting.late && meeting.slot
        ? [`:hourglass: Posted late: Cabinet was not running at ${slackDate(new Date(meeting.slot))}.`]
        : [];
    if (meeting.closedAt) notes.push(closedMeetingText(meeting));
    return agendaMessages(meeting.agenda, policy, {
      title: agendaTitle(meeting.meetingAt, policy),
      notes,
      actions: meeting.closedAt ? undefined : closeMeetingActions(meeting.id),
    });
  };

  /** The first message of a meeting as it should look now. */
  const firstMessage = async (meeting: CabMeetingRow): Promise<SlackMessage | undefined> => {
    if (meeting.kind === 'regular') return agendaOf(meeting)[0];
    const [item] = itemsOfMeeting(db, meeting.id);
    const context = item ? itemContext(item) : undefined;
    return context ? emergencyCabMessage(context, await members()) : undefined;
  };

  const update = async (channel: string, ts: string, message: SlackMessage) => {
    await client.chat.update({ channel, ts, ...message });
  };

  /** Updates an item where it was posted: its own thread reply, or an emergency CAB's first message. */
  const refreshItem = async (item: BoardItemRow) => {
    const context = itemContext(item);
    if (!context || !item.ts) return;
    const message =
      context.meeting.kind === 'emergency' ? await firstMessage(context.meeting) : boardItemMessage(context);
    if (message) await update(context.meeting.channelId, item.ts, message);
  };

  const postMeeting = async (meeting: CabMeetingRow) => {
    if (meeting.ts) return;
    const first = await firstMessage(meeting);
    if (!first) return;
    const posted = await client.chat.postMessage({ channel: meeting.channelId, ...first });
    const ts = posted.ts;
    if (!ts) throw new Error('chat.postMessage returned no ts');
    recordMeetingPosted(
      db,
      meeting,
      { ts, channelId: posted.channel ?? meeting.channelId, agendaPages: agendaOf(meeting).length },
      clock.now(),
    );
  };

  const postInThread = async (meeting: CabMeetingRow, message: SlackMessage) => {
    if (!meeting.ts) throw new Error(`CAB meeting ${meeting.id} has no first message yet`);
    return client.chat.postMessage({ channel: meeting.channelId, thread_ts: meeting.ts, ...message });
  };

  const minutesOf = (meeting: CabMeetingRow): SlackMessage[] =>
    meeting.minutes ? minutesMessages(meeting.minutes, policy) : [];

  /** Posts the minutes' first message (the rest is queued), then marks the meeting closed on its first message. */
  const postMinutes = async (meeting: CabMeetingRow) => {
    const [first, ...rest] = minutesOf(meeting);
    if (!first) return;
    if (!meeting.minutesTs) {
      const posted = await postInThread(meeting, first);
      recordMinutesPosted(db, meeting, { ts: posted.ts ?? '', pages: rest.length + 1 }, clock.now());
    }
    // The first message loses its close button and says the meeting is closed.
    const updated = await firstMessage(meeting);
    if (updated && meeting.ts) await update(meeting.channelId, meeting.ts, updated);
  };

  /** Chases the board in the meeting's thread, unless the item was decided (or the meeting closed) meanwhile. */
  const postOverdue = async (itemId: number) => {
    const item = itemById(db, itemId);
    const context = item && !item.outcome ? itemContext(item) : undefined;
    if (!context || context.meeting.closedAt) return;
    await postInThread(context.meeting, emergencyCabOverdueMessage(context, await members()));
  };

  const sendChairLink = async (meeting: CabMeetingRow) => {
    const chair = policy.cab.chair;
    if (!chair || !meeting.ts || !meeting.agenda) return;
    const { permalink } = await client.chat.getPermalink({ channel: meeting.channelId, message_ts: meeting.ts });
    const size = agendaSize(meeting.agenda);
    const link = permalink
      ? `<${permalink}|${agendaTitle(meeting.meetingAt, policy)}>`
      : agendaTitle(meeting.meetingAt, policy);
    const text =
      `The agenda is posted: ${link}. ${size.forApproval} change(s) for the board to decide, ` +
      `${size.issues} open issue(s). Close the meeting from the agenda when you are done, to ` +
      `record the minutes.`;
    await client.chat.postMessage({ channel: await deps.openDm(chair), text });
  };

  return {
    async deliver(message) {
      if (message.kind === 'cab_item' || message.kind === 'refresh_cab_item') {
        const item = itemById(db, message.itemId);
        if (!item) return;
        if (message.kind === 'refresh_cab_item') return refreshItem(item);
        const context = item.ts ? undefined : itemContext(item);
        if (!context) return;
        const posted = await postInThread(context.meeting, boardItemMessage(context));
        if (posted.ts) recordItemPosted(db, item.id, posted.ts);
        return;
      }
      const meeting = meetingById(db, message.meetingId);
      if (!meeting) return;
      switch (message.kind) {
        case 'cab_meeting':
          return postMeeting(meeting);
        case 'cab_page': {
          const page = (message.part === 'agenda' ? agendaOf(meeting) : minutesOf(meeting))[message.page];
          if (page) await postInThread(meeting, page);
          return;
        }
        case 'cab_chair_link':
          return sendChairLink(meeting);
        case 'cab_minutes':
          return postMinutes(meeting);
        case 'cab_overdue':
          return postOverdue(message.itemId);
      }
    },
    async refreshChangeItems(items) {
      for (const item of items) await refreshItem(item);
    },
  };
}

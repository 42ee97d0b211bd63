import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { auditChannelOf, type Policy } from '../policy/schema.js';
import type { WitnessedHead } from '../services/audit.js';
import { auditHeadText } from './words/audit.js';

/** The metadata type of the daily witness message; verify reads its payload back. */
export const AUDIT_HEAD_EVENT = 'cabinet_audit_head';

const headPayload = z.object({ count: z.number().int().positive(), head: z.string().regex(/^[0-9a-f]{64}$/) });

function headOf(message: { metadata?: { event_type?: string; event_payload?: unknown } }): WitnessedHead | undefined {
  if (message.metadata?.event_type !== AUDIT_HEAD_EVENT) return undefined;
  const parsed = headPayload.safeParse(message.metadata.event_payload);
  return parsed.success ? { count: parsed.data.count, hash: parsed.data.head } : undefined;
}

/** Every head witnessed in the audit channel, read back page by page from its history. */
export async function readWitnessedHeads(client: webApi.WebClient, policy: Policy): Promise<WitnessedHead[]> {
  const channel = auditChannelOf(policy);
  if (!channel) return [];
  const heads: WitnessedHead[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.history({
      channel,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const message of page.messages ?? []) {
      const head = headOf(message);
      if (head) heads.push(head);
    }
    cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
  } while (cursor);
  return heads;
}

/**
 * Posts the head to the audit channel once: when an earlier attempt may have reached Slack, the channel is searched
 * for the same head first (the head itself is the key).
 */
export async function postAuditHead(
  client: webApi.WebClient,
  policy: Policy,
  delivery: { head: { count: number; head: string }; uncertain: boolean },
): Promise<void> {
  const channel = auditChannelOf(policy);
  if (!channel) return;
  const { count, head } = delivery.head;
  if (delivery.uncertain) {
    const recent = await client.conversations.history({ channel, limit: 20, include_all_metadata: true });
    const posted = (recent.messages ?? []).map(headOf);
    if (posted.some((witnessed) => witnessed?.count === count && witnessed.hash === head)) return;
  }
  await client.chat.postMessage({
    channel,
    text: auditHeadText({ count, head }),
    metadata: { event_type: AUDIT_HEAD_EVENT, event_payload: { count, head } },
  });
}

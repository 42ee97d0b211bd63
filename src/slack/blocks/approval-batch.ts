import type { types } from '@slack/bolt';
import type { ChangeRecord } from '../../db/change-record.js';
import type { ApprovalPhase } from '../../domain/lifecycle.js';
import { decisionStage } from '../../domain/lifecycle.js';
import type { Policy } from '../../policy/schema.js';
import { waitingDecisionOf } from '../../services/inbox.js';
import { ACTIONS, encodeChangeValue } from '../ids.js';
import { approvalBatchText } from '../words/decisions.js';
import { titleOf } from '../words/home.js';
import { button, section } from './blocks.js';
import { statusLine } from './change-message.js';
import { decisionBlocks, item } from './home.js';

/**
 * Several changes asking one person to decide in `phase`, sent as one DM when they queued together (a burst):
 * each as on the Home, with its buttons while it still waits for them in that phase, and its status once it did not.
 * With APPROVAL_BATCH_MAX (15) changes, 31 blocks of about 700 characters at most: within a message's limits.
 */
export function approvalBatchMessage(
  records: readonly ChangeRecord[],
  policy: Policy,
  request: { recipientId: string; phase: ApprovalPhase },
): { text: string; blocks: types.KnownBlock[] } {
  const { recipientId, phase } = request;
  const intro = approvalBatchText(records.length, phase, policy);
  return {
    text: `${intro} ${records.map((record) => record.ref).join(', ')}`,
    blocks: [
      section(intro),
      ...records.flatMap((record) => {
        const decision = waitingDecisionOf(record, { userId: recipientId, phase });
        return decisionStage(record.change.state)?.phase === phase && decision.roles.length > 0
          ? decisionBlocks(decision, policy)
          : item(`${titleOf(record.ref, record.change.title)}\n${statusLine(record)}`, [
              button('Details', ACTIONS.details, encodeChangeValue(record.change.id)),
            ]);
      }),
    ],
  };
}

import type { types } from '@slack/bolt';
import type { Policy } from '../../policy/schema.js';
import type { WaitingDecision } from '../../services/inbox.js';
import { DIGEST_MORE, digestIntro, digestText } from '../words/home.js';
import { context, section } from './blocks.js';
import { decisionBlocks } from './home.js';

/**
 * The decisions a digest lists, two blocks and at most about 700 characters each (a title is cut at 80 characters
 * before escaping): well within a message's 50 blocks and MESSAGE_TEXT_BUDGET.
 */
const DIGEST_SHOWN = 15;

/** Someone's morning digest: every decision waiting for them, oldest first, each with its buttons and due time. */
export function digestMessage(
  decisions: readonly WaitingDecision[],
  policy: Policy,
): { text: string; blocks: types.KnownBlock[] } {
  const shown = decisions.slice(0, DIGEST_SHOWN);
  const leftOut = decisions.length - shown.length;
  return {
    text: digestText(decisions.length),
    blocks: [
      section(digestIntro(decisions.length)),
      ...shown.flatMap((decision) => decisionBlocks(decision, policy)),
      ...(leftOut > 0 ? [context(DIGEST_MORE(leftOut))] : []),
    ],
  };
}

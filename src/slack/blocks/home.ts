import type { types } from '@slack/bolt';
import type { Policy } from '../../policy/schema.js';
import { CHANGE_COMMAND } from '../ids.js';
import { divider, header, section } from './blocks.js';
import { policySummaryBlocks } from './policy-summary.js';

export function homeView(policy: Policy, now: Date): types.HomeView {
  return {
    type: 'home',
    blocks: [
      header('Cabinet — change management'),
      section(`Type \`${CHANGE_COMMAND} help\` in any channel to see what you can do.`),
      divider,
      ...policySummaryBlocks(policy, now),
    ],
  };
}

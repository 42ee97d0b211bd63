import type { RespondArguments } from '@slack/bolt';
import { CHANGE_COMMAND } from '../ids.js';
import { header, section } from './blocks.js';
import { quoteUserText } from './mrkdwn.js';

export interface HelpEntry {
  usage: string;
  summary: string;
}

/** The ephemeral help for /change; `unknown` is the subcommand that was not recognised, if any. */
export function helpMessage(entries: readonly HelpEntry[], unknown?: string): RespondArguments {
  const lines = entries.map((entry) => `\`${CHANGE_COMMAND} ${entry.usage}\` — ${entry.summary}`);
  const intro = unknown
    ? `I don't know \`${CHANGE_COMMAND} ${quoteUserText(unknown)}\`. Here is what you can type:`
    : 'Cabinet runs change management here in Slack. Here is what you can type:';
  return {
    response_type: 'ephemeral',
    text: `${intro}\n${lines.join('\n')}`,
    blocks: [header('Cabinet — change management'), section(intro), section(lines.join('\n'))],
  };
}

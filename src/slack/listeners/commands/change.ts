import type { AckFn, App, RespondArguments, SlashCommand } from '@slack/bolt';
import { parseCommandText } from '../../command-text.js';
import type { AppDependencies } from '../../dependencies.js';
import { CHANGE_COMMAND } from '../../ids.js';
import { helpMessage } from '../../views/help.js';
import { policySummaryBlocks } from '../../views/policy-summary.js';

export interface SubcommandContext {
  command: SlashCommand;
  args: string;
  ack: AckFn<string | RespondArguments>;
  deps: AppDependencies;
}

interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(context: SubcommandContext): Promise<void>;
}

const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'help',
    usage: 'help',
    summary: 'show this list',
    run: ({ ack }) => ack(helpMessage(SUBCOMMANDS)),
  },
  {
    name: 'policy',
    usage: 'policy',
    summary: 'who approves what, who authorizes an emergency right now, and the deployment windows',
    run: ({ ack, deps }) =>
      ack({
        response_type: 'ephemeral',
        text: 'Change policy summary',
        blocks: policySummaryBlocks(deps.policy, deps.clock.now()),
      }),
  },
];

/** `/change <subcommand> …`: routed by the first word; anything unknown gets the help. */
export function registerChangeCommand(app: App, deps: AppDependencies): void {
  app.command(CHANGE_COMMAND, async ({ command, ack }) => {
    const { subcommand, args } = parseCommandText(command.text);
    const handler = SUBCOMMANDS.find((candidate) => candidate.name === (subcommand || 'help'));
    if (!handler) {
      await ack(helpMessage(SUBCOMMANDS, subcommand));
      return;
    }
    await handler.run({ command, args, ack, deps });
  });
}

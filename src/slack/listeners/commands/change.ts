import type { App } from '@slack/bolt';
import { helpMessage } from '../../blocks/help.js';
import { policySummaryBlocks } from '../../blocks/policy-summary.js';
import { parseCommandText, unescapeCommandText } from '../../command-text.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { CHANGE_COMMAND } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { agendaSubcommand } from './agenda.js';
import { auditSubcommand } from './audit.js';
import { cabSubcommand } from './cab.js';
import { calendarSubcommand } from './calendar.js';
import { delegateSubcommand } from './delegate.js';
import { emergencyChange } from './emergency.js';
import { exportSubcommand } from './export.js';
import { freezeSubcommand } from './freeze.js';
import { listChangesSubcommand } from './list-changes.js';
import { newChange } from './new-change.js';
import { remindCommand } from './remind.js';
import { reportSubcommand } from './report.js';
import { resolveDisputeCommand } from './resolve.js';
import { showChange } from './show-change.js';
import { ephemeral, type Subcommand } from './subcommand.js';
import { tokenSubcommand } from './token.js';
import { verbalApproval } from './verbal.js';

const SUBCOMMANDS: readonly Subcommand[] = [
  newChange,
  emergencyChange,
  verbalApproval,
  resolveDisputeCommand,
  delegateSubcommand,
  showChange,
  listChangesSubcommand,
  remindCommand,
  agendaSubcommand,
  cabSubcommand,
  freezeSubcommand,
  calendarSubcommand,
  exportSubcommand,
  auditSubcommand,
  reportSubcommand,
  tokenSubcommand,
  {
    name: 'policy',
    usage: 'policy',
    summary: 'who approves what, who authorizes an emergency right now, and the deployment windows',
    run: ({ ack, deps }) => ack(ephemeral('Change policy summary', policySummaryBlocks(deps.policy, deps.clock.now()))),
  },
  {
    name: 'help',
    usage: 'help',
    summary: 'show this list',
    run: ({ ack }) => ack(helpMessage(SUBCOMMANDS)),
  },
];

/** `/change <subcommand> …`: routed by the first word; no word opens a new change; anything unknown gets the help. */
export function registerChangeCommand(app: App, deps: ListenerDependencies): void {
  app.command(CHANGE_COMMAND, async ({ command, ack, respond, client, context }) => {
    const { subcommand, args } = parseCommandText(command.text);
    const handler = SUBCOMMANDS.find((candidate) => candidate.name === (subcommand || newChange.name));
    if (!handler) {
      await ack(helpMessage(SUBCOMMANDS, subcommand));
      return;
    }
    await handler.run({
      command,
      args: unescapeCommandText(args),
      rawArgs: args,
      ack,
      respond,
      client,
      deps,
      ctx: useCaseOf(context),
    });
  });
}

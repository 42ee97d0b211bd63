import { formatChangeRef, parseChangeRef } from '../../../domain/change-ref.js';
import { conveneEmergencyCab, minutesOn } from '../../../services/cab.js';
import { minutesMessages } from '../../blocks/cab.js';
import { quoteUserText } from '../../blocks/mrkdwn.js';
import { boardMembers } from '../../role-members.js';
import { conveneText, NO_CAB_TEXT } from '../../words/cab.js';
import { ephemeral, respondInPages, type Subcommand, type SubcommandContext } from './subcommand.js';

const USAGE =
  'Type `/change cab convene CHG-<n>` to call an emergency CAB for a change, or `/change ' +
  'cab minutes [YYYY-MM-DD]` for the minutes of a meeting.';

/** `/change cab convene CHG-<n>`: an emergency CAB (7.2) in the CAB channel, members mentioned. */
async function convene(context: SubcommandContext, refText: string): Promise<void> {
  const { ack, client, respond, deps, ctx } = context;
  const changeId = parseChangeRef(refText);
  if (changeId === undefined) {
    await ack(
      ephemeral(
        `Type \`/change cab convene CHG-<number>\`, e.g. \`/change cab convene ` +
          `CHG-12\`${refText ? ` (\`${quoteUserText(refText)}\` is not a change ID)` : ''}.`,
      ),
    );
    return;
  }
  // Resolving user groups takes a Slack call: ack first, answer through the response URL.
  await ack();
  const members = await boardMembers(client, deps.policy);
  const outcome = conveneEmergencyCab(ctx, { changeId, members });
  if (outcome.ok) deps.outbox.kick();
  const { cab } = deps.policy;
  const request = {
    ref: formatChangeRef(changeId),
    channelId: cab.channel ?? '',
    withinHours: cab.emergency_within_hours,
  };
  await respond(ephemeral(conveneText(outcome, request)));
}

/** `/change cab minutes [date]`: the minutes of the meetings held that day, or of the last one. */
async function minutes(context: SubcommandContext, dateText: string): Promise<void> {
  const { ack, respond, deps } = context;
  if (dateText !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(dateText)) {
    await ack(
      ephemeral(
        `Type the date as YYYY-MM-DD, e.g. \`/change cab minutes 2026-11-25\` ` +
          `(\`${quoteUserText(dateText)}\` is not one).`,
      ),
    );
    return;
  }
  const found = minutesOn(deps.database.db, deps.policy, dateText || undefined);
  const messages = found.meetings.flatMap((meeting) =>
    meeting.minutes ? minutesMessages(meeting.minutes, deps.policy) : [],
  );
  const [first, ...rest] = messages;
  if (!first) {
    const known =
      found.recentDates.length > 0
        ? ` Recent meetings with minutes: ${found.recentDates.join(', ')}.`
        : ' No meeting has been closed yet.';
    await ack(ephemeral(`${dateText ? `No CAB minutes for ${dateText}.` : 'No CAB minutes yet.'}${known}`));
    return;
  }
  await ack(ephemeral(first.text, first.blocks));
  await respondInPages(
    respond,
    rest,
    (leftOut) =>
      `…and ${leftOut} more message(s) of minutes: read them in full in the meeting's ` +
      `thread in <#${deps.policy.cab.channel ?? ''}>.`,
  );
}

export const cabSubcommand: Subcommand = {
  name: 'cab',
  usage: 'cab convene CHG-<n> | cab minutes [YYYY-MM-DD]',
  summary: 'call an emergency CAB for a change, or read the minutes of a meeting',
  async run(context) {
    if (!context.deps.policy.cab.enabled) {
      await context.ack(ephemeral(NO_CAB_TEXT));
      return;
    }
    const [action = '', rest = ''] = context.args.split(/\s+(.*)/s);
    if (action.toLowerCase() === 'convene') return convene(context, rest.trim());
    if (action.toLowerCase() === 'minutes') return minutes(context, rest.trim());
    await context.ack(ephemeral(USAGE));
  },
};

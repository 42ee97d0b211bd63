import { upcomingCalendar } from '../../../services/freezes.js';
import { quoteUserText } from '../../blocks/mrkdwn.js';
import { calendarMessages } from '../../blocks/schedule.js';
import { ackSent, ephemeral, respondInPages, type Subcommand } from './subcommand.js';

const MAX_DAYS = 90;

/**
 * `/change calendar [days]`: what is planned and frozen, by day;
 * the default span is the CAB's calendar (cab.calendar_days).
 */
export const calendarSubcommand: Subcommand = {
  name: 'calendar',
  usage: 'calendar [days]',
  summary: 'upcoming changes and freezes, by day',
  async run({ ack, respond, args, deps, ctx }) {
    const days = args === '' ? deps.policy.cab.calendar_days : Number(args);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      await ack(
        ephemeral(
          `Type \`/change calendar\` for the next ${deps.policy.cab.calendar_days} days, ` +
            `or \`/change calendar <days>\` with 1 to ${MAX_DAYS} ` +
            `days${args ? ` (\`${quoteUserText(args)}\` is not one)` : ''}.`,
        ),
      );
      return;
    }
    await ack();
    await ackSent();
    await respondInPages(
      respond,
      calendarMessages(upcomingCalendar(ctx, days), ctx.policy, ctx.now, days),
      (leftOut) =>
        `…and ${leftOut} more message(s). Ask for fewer days, e.g. \`/change calendar 7\`, ` +
        `or subscribe to the calendar feed.`,
    );
  },
};

import { parseMonth } from '../../../domain/report.js';
import { lastMonth, monthlyReport } from '../../../services/report.js';
import { monthlyReportMessage } from '../../blocks/report.js';
import { REPORT_USAGE } from '../../words/report.js';
import { ackSent, ephemeral, type Subcommand } from './subcommand.js';

/** `/change report [YYYY-MM]`: the monthly report (11.3) of a month, last month by default, to whoever asks. */
export const reportSubcommand: Subcommand = {
  name: 'report',
  usage: 'report [YYYY-MM]',
  summary: 'the monthly change report: volume, success, emergency and rollback rates, lead times',
  run: async ({ ack, respond, args, deps }) => {
    const month = args === '' ? lastMonth(deps.clock.now(), deps.policy.timezone) : parseMonth(args);
    if (!month) {
      await ack(ephemeral(REPORT_USAGE));
      return;
    }
    // Six months of queries: ack first, answer through the response URL.
    await ack();
    await ackSent();
    const message = monthlyReportMessage(monthlyReport(deps.database.db, deps.policy, month), deps.policy);
    await respond(ephemeral(message.text, message.blocks));
  },
};

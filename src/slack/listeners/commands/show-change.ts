import { parseChangeRef } from '../../../domain/change-ref.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { showChangeBlocks, statusLine } from '../../blocks/change-message.js';
import { escapeMrkdwn, quoteUserText } from '../../blocks/mrkdwn.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/** `/change show CHG-<n>`: the change, its status and every approval, to whoever asks. */
export const showChange: Subcommand = {
  name: 'show',
  usage: 'show CHG-<n>',
  summary: 'details of a change, its status and who approved it when',
  async run({ ack, args, ctx }) {
    const changeId = parseChangeRef(args);
    if (changeId === undefined) {
      await ack(
        ephemeral(
          `Type \`/change show CHG-<number>\`, e.g. \`/change show ` +
            `CHG-12\`${args ? ` (\`${quoteUserText(args)}\` is not a change ID)` : ''}.`,
        ),
      );
      return;
    }
    const record = changeRecordOf(ctx, changeId);
    if (!record) {
      await ack(ephemeral(`There is no CHG-${changeId}. \`/change list all\` shows the changes there are.`));
      return;
    }
    await ack(
      ephemeral(
        `${record.ref} · ${escapeMrkdwn(record.change.title)} — ${statusLine(record)}`,
        showChangeBlocks(record, ctx.policy, ctx.now),
      ),
    );
  },
};

import { parseChangeRef } from '../../../domain/change-ref.js';
import { remindApprovers } from '../../../services/sla.js';
import { remindText, remindUsageText } from '../../words/sla.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/** `/change remind CHG-<n>`: the requester or owner nudges those asked and not yet decided (4.4). */
export const remindCommand: Subcommand = {
  name: 'remind',
  usage: 'remind CHG-<n>',
  summary: 'remind everyone asked and not yet decided on your change (its requester or owner)',
  async run({ ack, args, deps, ctx }) {
    const changeId = parseChangeRef(args);
    if (changeId === undefined) {
      await ack(ephemeral(remindUsageText(args)));
      return;
    }
    const outcome = remindApprovers(ctx, { changeId });
    await ack(ephemeral(remindText(outcome)));
    if (outcome.ok) deps.outbox.kick();
  },
};

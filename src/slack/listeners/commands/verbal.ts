import { parseChangeRef } from '../../../domain/change-ref.js';
import { quoteUserText } from '../../blocks/mrkdwn.js';
import { verbalApprovalForm } from '../open-verbal-approval.js';
import { ephemeral, openModalAfterAck, type Subcommand } from './subcommand.js';

/** `/change verbal CHG-<n>`: records an emergency authorization given by phone, call, in person or chat. */
export const verbalApproval: Subcommand = {
  name: 'verbal',
  usage: 'verbal CHG-<n>',
  summary: 'record a verbal approval of an emergency change; the approver confirms it in writing',
  async run(context) {
    const { ack, args, command, deps } = context;
    const changeId = parseChangeRef(args);
    if (changeId === undefined) {
      await ack(
        ephemeral(
          `Type \`/change verbal CHG-<number>\`, e.g. \`/change verbal ` +
            `CHG-12\`${args ? ` (\`${quoteUserText(args)}\` is not a change ID)` : ''}.`,
        ),
      );
      return;
    }
    const form = verbalApprovalForm(deps, changeId, command.user_id);
    if ('refusal' in form) await ack(ephemeral(form.refusal));
    else await openModalAfterAck(context, form.modal, `/change verbal CHG-${changeId}`);
  },
};

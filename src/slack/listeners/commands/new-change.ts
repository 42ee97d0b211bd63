import { changeRequestModal } from '../../views/change-form.js';
import type { Subcommand } from './subcommand.js';

/** `/change new` (and `/change` alone): acks at once, then opens the change-request modal. */
export const newChange: Subcommand = {
  name: 'new',
  usage: 'new',
  summary: 'open the change request form (also plain `/change`)',
  async run({ ack, command, client, respond, deps }) {
    await ack();
    try {
      await client.views.open({ trigger_id: command.trigger_id, view: changeRequestModal(deps.policy, command.user_id) });
    } catch (error) {
      deps.logger.warn(`views.open for /change new failed: ${error instanceof Error ? error.message : String(error)}`);
      await respond({ response_type: 'ephemeral', text: 'Slack would not open the change form just now. Type `/change new` to try again.' });
    }
  },
};

import { changeRequestModal } from '../../blocks/change-form.js';
import { openModalAfterAck, type Subcommand } from './subcommand.js';

/** `/change new` (and `/change` alone): acks at once, then opens the change-request modal. */
export const newChange: Subcommand = {
  name: 'new',
  usage: 'new',
  summary: 'open the change request form (also plain `/change`)',
  run: (context) =>
    openModalAfterAck(context, changeRequestModal(context.deps.policy, context.command.user_id), '/change new'),
};

import { emergencyModal } from '../../blocks/emergency.js';
import { openModalAfterAck, type Subcommand } from './subcommand.js';

/** `/change emergency`: the short emergency form; authorization is asked the moment it is submitted. */
export const emergencyChange: Subcommand = {
  name: 'emergency',
  usage: 'emergency',
  summary: 'declare an emergency change: authorized now (also verbally), documented afterwards',
  run: (context) =>
    openModalAfterAck(context, emergencyModal(context.deps.policy, context.command.user_id), '/change emergency'),
};

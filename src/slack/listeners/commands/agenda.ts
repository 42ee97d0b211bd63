import { nextMeetingAt } from '../../../domain/cab.js';
import { agendaFor } from '../../../services/cab.js';
import { agendaPreview } from '../../blocks/agenda.js';
import { NO_CAB_TEXT } from '../../words/cab.js';
import { ackSent, ephemeral, type Subcommand } from './subcommand.js';

/** `/change agenda`: a preview of the next CAB agenda for anyone; the chair may post it now. */
export const agendaSubcommand: Subcommand = {
  name: 'agenda',
  usage: 'agenda',
  summary: 'preview the next CAB agenda (the chair can post it now)',
  async run({ ack, respond, command, deps }) {
    if (!deps.policy.cab.enabled) {
      await ack(ephemeral(NO_CAB_TEXT));
      return;
    }
    // Reading a busy week's record takes longer than an ack should: answer through the response URL.
    await ack();
    await ackSent();
    const now = deps.clock.now();
    const meetingAt = nextMeetingAt(deps.policy, now);
    if (!meetingAt) {
      await respond(ephemeral(`The CAB schedule (\`${deps.policy.cab.schedule}\`) has no meeting in the coming year.`));
      return;
    }
    const preview = agendaPreview(
      agendaFor(deps.database.db, deps.policy, meetingAt, now),
      deps.policy,
      command.user_id === deps.policy.cab.chair && deps.policy.cab.channel !== undefined,
    );
    await respond(ephemeral(preview.text, preview.blocks));
  },
};

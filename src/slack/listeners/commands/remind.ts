import { parseChangeRef } from '../../../domain/change-ref.js';
import { membersOfRoles } from '../../../services/role-directory.js';
import { remindApprovers } from '../../../services/sla.js';
import { ROLE_CHECK_FAILED } from '../../role-members.js';
import { remindText, remindUsageText } from '../../words/sla.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/** `/change remind CHG-<n>`: the requester or owner nudges those asked and not yet decided (4.4). */
export const remindCommand: Subcommand = {
  name: 'remind',
  usage: 'remind CHG-<n>',
  summary: 'remind everyone asked and not yet decided on your change (its requester or owner)',
  async run({ ack, args, deps, ctx, respond }) {
    const changeId = parseChangeRef(args);
    if (changeId === undefined) {
      await ack(ephemeral(remindUsageText(args)));
      return;
    }
    // The quiet roles' members are never reminded; their user groups take a Slack call: ack first.
    await ack();
    let quiet: string[];
    try {
      quiet = await membersOfRoles(deps.roles, deps.policy.approvals.quiet_roles);
    } catch {
      await respond(ephemeral(ROLE_CHECK_FAILED));
      return;
    }
    const outcome = remindApprovers(ctx, { changeId, quiet });
    await respond(ephemeral(remindText(outcome)));
    if (outcome.ok) deps.outbox.kick();
  },
};

import { parseChangeRef } from '../../../domain/change-ref.js';
import { resolveDispute } from '../../../services/disputes.js';
import { quoteUserText } from '../../blocks/mrkdwn.js';
import { holdsAnyRole, ROLE_CHECK_FAILED } from '../../role-members.js';
import { resolveDisputeText } from '../../words/disputes.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/** `/change resolve CHG-<n> <note>`: the CAB chair or a dispute resolver resolves a disputed authorization (6.3). */
export const resolveDisputeCommand: Subcommand = {
  name: 'resolve',
  usage: 'resolve CHG-<n> <note>',
  summary: 'resolve the disputed authorization of an emergency change (CAB chair or dispute resolvers)',
  async run({ ack, args, command, client, deps, ctx, respond }) {
    const [ref = '', ...words] = args.split(/\s+/);
    const changeId = parseChangeRef(ref);
    if (changeId === undefined) {
      await ack(
        ephemeral(
          `Type \`/change resolve CHG-<number> <how it was resolved>\`, e.g. \`/change resolve CHG-12 ` +
            `Confirmed with the CTO by phone\`${ref ? ` (\`${quoteUserText(ref)}\` is not a change ID)` : ''}.`,
        ),
      );
      return;
    }
    // Resolving user groups takes a Slack call: ack first, answer through the response URL.
    await ack();
    const holds = await holdsAnyRole(
      client,
      deps.policy,
      deps.policy.emergency.dispute_resolver_roles,
      command.user_id,
    );
    if (holds === undefined) {
      await respond(ephemeral(ROLE_CHECK_FAILED));
      return;
    }
    const outcome = resolveDispute(ctx, { changeId, note: words.join(' '), holdsResolverRole: holds });
    await respond(ephemeral(resolveDisputeText(outcome)));
    if (outcome.ok) deps.outbox.kick();
  },
};

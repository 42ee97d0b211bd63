import { parseFreezeRef } from '../../../domain/freeze-ref.js';
import { addFreeze, currentFreezes, removeFreeze } from '../../../services/freezes.js';
import { freezeAddedText, freezeListText, freezeModal, freezeRemovedText } from '../../blocks/freeze.js';
import { quoteUserText } from '../../blocks/mrkdwn.js';
import { holdsAnyRole, ROLE_CHECK_FAILED } from '../../role-members.js';
import { freezeRefusalText } from '../../words/freezes.js';
import { freezeIssueTexts } from '../../words/schedule.js';
import { ephemeral, openModalAfterAck, type Subcommand, type SubcommandContext } from './subcommand.js';

const USAGE =
  'Type `/change freeze add 2027-03-01 2027-03-05 Quarter close` (first and last day, both ' +
  'included), `/change freeze add` for a form, `/change freeze list`, or `/change freeze ' +
  'remove FRZ-<n>`.';

/** Whether the user may announce or remove freezes; if not, they are told who can. */
async function mayManage(context: SubcommandContext): Promise<boolean> {
  const { client, command, deps, respond } = context;
  const roles = deps.policy.scheduling.freeze_manager_roles;
  const holds = await holdsAnyRole(client, deps.policy, roles, command.user_id);
  if (holds) return true;
  if (holds === undefined) {
    await respond(ephemeral(ROLE_CHECK_FAILED));
    return false;
  }
  await respond(
    ephemeral(
      `Only the ${roles.join(', ')} can add or remove change freezes (policy ` +
        `\`scheduling.freeze_manager_roles\`). \`/change freeze list\` shows them to ` +
        `everyone.`,
    ),
  );
  return false;
}

async function add(context: SubcommandContext, rest: string): Promise<void> {
  const { ack, respond, deps, ctx } = context;
  if (rest === '') {
    // Slack opens the form only within 3 s of the command, so who may add is checked when it is submitted.
    await openModalAfterAck(context, freezeModal(deps.policy), '/change freeze add');
    return;
  }
  const [from = '', to = '', ...words] = rest.split(/\s+/);
  // Resolving user groups takes a Slack call: ack first, answer through the response URL.
  await ack();
  if (!(await mayManage(context))) return;
  const outcome = addFreeze(ctx, { input: { from, to, reason: words.join(' ') }, submissionKey: undefined });
  await respond(
    ephemeral(
      outcome.ok
        ? freezeAddedText(outcome.freeze, outcome.plannedInside)
        : `${Object.values(freezeIssueTexts(outcome.issues)).join(' ')}\n${USAGE}`,
    ),
  );
}

async function remove(context: SubcommandContext, refText: string): Promise<void> {
  const { ack, respond, ctx } = context;
  const id = parseFreezeRef(refText);
  if (id === undefined) {
    await ack(
      ephemeral(
        `Type \`/change freeze remove ` +
          `FRZ-<n>\`${refText ? ` (\`${quoteUserText(refText)}\` is not a freeze ID)` : ''}; ` +
          `\`/change freeze list\` shows them.`,
      ),
    );
    return;
  }
  await ack();
  if (!(await mayManage(context))) return;
  const outcome = removeFreeze(ctx, id);
  await respond(ephemeral(outcome.ok ? freezeRemovedText(outcome.freeze) : freezeRefusalText(outcome)));
}

/**
 * `/change freeze …`: change freezes (9.2), announced and removed by the policy's freeze managers, listed for anyone.
 */
export const freezeSubcommand: Subcommand = {
  name: 'freeze',
  usage: 'freeze add YYYY-MM-DD YYYY-MM-DD <reason> | freeze list | freeze remove FRZ-<n>',
  summary: 'announce, list or remove change freezes',
  async run(context) {
    const [action = '', rest = ''] = context.args.split(/\s+(.*)/s);
    switch (action.toLowerCase()) {
      case '':
      case 'add':
        return add(context, rest.trim());
      case 'list':
        return context.ack(ephemeral(freezeListText(currentFreezes(context.ctx), context.ctx.policy)));
      case 'remove':
        return remove(context, rest.trim());
      default:
        return context.ack(ephemeral(USAGE));
    }
  },
};

import { createPipelineToken, listPipelineTokens, revokePipelineToken } from '../../../services/pipeline-tokens.js';
import { holdsRoleNow, ROLE_CHECK_FAILED } from '../../role-members.js';
import {
  TOKEN_USAGE,
  tokenCreatedText,
  tokenListText,
  tokenRefusalText,
  tokenRevokedText,
} from '../../words/pipeline.js';
import { ephemeral, type Subcommand, type SubcommandContext } from './subcommand.js';

/** Runs `act` for a member of `approvals.admin_roles` (checked now, user groups through Slack), answering its text. */
async function asAdmin(context: SubcommandContext, act: (admin: boolean) => string): Promise<void> {
  const { ack, respond, deps, ctx } = context;
  // Resolving user groups may take a Slack call: ack first, answer through the response URL (ephemeral: a new
  // token is seen only by the admin who created it).
  await ack();
  const admin = await holdsRoleNow(deps.roles, ctx.policy.approvals.admin_roles, ctx.actorId);
  await respond(ephemeral(admin === undefined ? ROLE_CHECK_FAILED : act(admin)));
}

/**
 * `/change token create|list|revoke`: the tokens CI/CD pipelines present to the deployment-gate API, managed by the
 * policy's admins. A token is shown once; Cabinet keeps its hash.
 */
export const tokenSubcommand: Subcommand = {
  name: 'token',
  usage: 'token create <name> [system…] | token list | token revoke <name>',
  summary: 'pipeline tokens for the deployment-gate API (admins)',
  run(context) {
    const { ctx } = context;
    const [action = '', ...words] = context.args.split(/\s+/).filter(Boolean);
    switch (action.toLowerCase()) {
      case 'create':
        return asAdmin(context, (admin) => {
          const created = createPipelineToken(ctx, { admin, words });
          return created.ok ? tokenCreatedText(created) : tokenRefusalText(created);
        });
      case 'list':
        return asAdmin(context, (admin) => {
          const tokens = listPipelineTokens(ctx, { admin });
          return Array.isArray(tokens) ? tokenListText(tokens, ctx.policy.timezone) : tokenRefusalText(tokens);
        });
      case 'revoke':
        return asAdmin(context, (admin) => {
          const revoked = revokePipelineToken(ctx, { admin, name: words.join(' ') });
          return revoked.ok ? tokenRevokedText(revoked.name) : tokenRefusalText(revoked);
        });
      default:
        return context.ack(ephemeral(TOKEN_USAGE));
    }
  },
};

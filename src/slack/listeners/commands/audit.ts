import { verifyAuditLogInPages, type WitnessedHead } from '../../../services/audit.js';
import { readWitnessedHeads } from '../../audit-witness.js';
import { holdsAnyRole, ROLE_CHECK_FAILED } from '../../role-members.js';
import {
  AUDIT_USAGE,
  auditorsOnlyText,
  auditVerificationText,
  WITNESS_READ_FAILED,
  witnessedHeadsText,
} from '../../words/audit.js';
import { ackSent, ephemeral, type Subcommand, type SubcommandContext } from './subcommand.js';

/** The witnessed heads, or undefined when Slack could not be read. */
async function witnessedHeads(context: SubcommandContext): Promise<WitnessedHead[] | undefined> {
  try {
    return await readWitnessedHeads(context.client, context.deps.policy);
  } catch (error) {
    context.deps.logger.warn(
      `reading the witnessed audit heads failed: ${error instanceof Error ? error.message : error}`,
    );
    return undefined;
  }
}

async function verify(context: SubcommandContext): Promise<void> {
  const { ack, respond, client, command, deps } = context;
  // Checking the role and reading the audit channel take Slack calls: ack first, answer through the response URL.
  await ack();
  const roles = deps.policy.auditor_roles;
  const holds = await holdsAnyRole(client, deps.policy, roles, command.user_id);
  if (holds !== true) {
    await respond(ephemeral(holds === undefined ? ROLE_CHECK_FAILED : auditorsOnlyText(roles)));
    return;
  }
  const heads = await witnessedHeads(context);
  await ackSent();
  const result = await verifyAuditLogInPages(deps.database.db, heads ?? []);
  const checked = heads ? witnessedHeadsText(heads.length) : WITNESS_READ_FAILED;
  await respond(ephemeral(`${auditVerificationText(result)}\n${checked}`));
}

/** `/change audit verify`: walks the audit log's hash chain against every head witnessed in the audit channel. */
export const auditSubcommand: Subcommand = {
  name: 'audit',
  usage: 'audit verify',
  summary: 'check that the audit log was not edited (auditors)',
  run: async (context) => {
    if (context.args.toLowerCase() !== 'verify') {
      await context.ack(ephemeral(AUDIT_USAGE));
      return;
    }
    await verify(context);
  },
};

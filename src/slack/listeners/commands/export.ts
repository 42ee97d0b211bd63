import { exportPeriod } from '../../../domain/evidence-period.js';
import { verifyForExport } from '../../../services/audit.js';
import { evidencePackInMemory } from '../../../services/evidence-pack.js';
import { readWitnessedHeads } from '../../audit-witness.js';
import { holdsAnyRole, ROLE_CHECK_FAILED } from '../../role-members.js';
import {
  exportCommentText,
  exportFailedText,
  exportRefusalText,
  exportSentText,
  exportStartedText,
  exportUsageText,
} from '../../words/export.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/**
 * `/change export <from> <to>`: the evidence pack (issue 14.5) for the policy's `auditor_roles`, uploaded
 * as files to the asker's DM: nobody else in a channel sees it.
 */
export const exportSubcommand: Subcommand = {
  name: 'export',
  usage: 'export YYYY-MM-DD YYYY-MM-DD',
  summary: 'the evidence pack for auditors: changes, approvals and CAB meetings of a period, as files in your DM',
  async run({ ack, respond, args, client, command, deps, ctx }) {
    const { policy } = deps;
    const words = args.split(/\s+/).filter((word) => word !== '');
    const [from = '', to = ''] = words;
    const read = words.length === 2 ? exportPeriod(from, to, policy.timezone) : undefined;
    if (!read?.ok) {
      await ack(ephemeral(exportUsageText(read, policy.timezone)));
      return;
    }
    // Resolving user groups takes a Slack call: ack first, answer through the response URL.
    await ack();
    const holds = await holdsAnyRole(client, policy, policy.auditor_roles, command.user_id);
    if (!holds) {
      await respond(ephemeral(holds === undefined ? ROLE_CHECK_FAILED : exportRefusalText(policy.auditor_roles)));
      return;
    }
    const { period } = read;
    await respond(ephemeral(exportStartedText(period)));
    try {
      const heads = await readWitnessedHeads(client, policy).catch(() => []);
      const chain = await verifyForExport(ctx.db, { heads, now: ctx.now });
      deps.outbox.kick();
      const pack = await evidencePackInMemory(ctx, { period, chain });
      const dm = await client.conversations.open({ users: command.user_id });
      const channelId = dm.channel?.id;
      if (!channelId) throw new Error('conversations.open gave no channel');
      await client.files.uploadV2({
        channel_id: channelId,
        initial_comment: exportCommentText(pack.manifest),
        file_uploads: pack.files.map((file) => ({ file: file.content, filename: file.name, title: file.name })),
      });
      await respond(ephemeral(exportSentText(period)));
    } catch (error) {
      deps.logger.warn(`evidence pack upload failed: ${error instanceof Error ? error.message : String(error)}`);
      await respond(ephemeral(exportFailedText(period)));
    }
  },
};

import { formatChangeRef } from '../../../domain/change-ref.js';
import { changesFor, type ListFilter } from '../../../services/change-queries.js';
import { context, SECTION_TEXT_LIMIT, section, slackDate } from '../../blocks/blocks.js';
import { escapeMrkdwn } from '../../blocks/mrkdwn.js';
import { describeState } from '../../words/states.js';
import { ephemeral, type Subcommand } from './subcommand.js';

const FILTERS: readonly ListFilter[] = ['mine', 'pending', 'all'];
const LIST_LIMIT = 20;

const HEADINGS: Record<ListFilter, string> = {
  mine: 'Changes you requested or own',
  pending: 'Changes waiting for your decision',
  all: 'All changes',
};

/** Packs lines into as few sections as the 3000-character limit allows. */
function linesToSections(lines: readonly string[]) {
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= SECTION_TEXT_LIMIT)
      chunks[chunks.length - 1] = `${last}\n${line}`;
    else chunks.push(line);
  }
  return chunks.map(section);
}

/** `/change list [mine|pending|all]`: newest first; `pending` is what waits for the caller's decision. */
export const listChangesSubcommand: Subcommand = {
  name: 'list',
  usage: 'list [mine|pending|all]',
  summary: 'your changes, the ones waiting for you, or all, newest first',
  async run({ ack, args, ctx }) {
    const filter = (args.toLowerCase() || 'mine') as ListFilter;
    if (!FILTERS.includes(filter)) {
      await ack(
        ephemeral(`Type \`/change list mine\`, \`/change list pending\` (waiting for you) or \`/change list all\`.`),
      );
      return;
    }
    const { rows, total } = changesFor(ctx, { filter, limit: LIST_LIMIT });
    if (rows.length === 0) {
      await ack(ephemeral(`${HEADINGS[filter]}: none.`));
      return;
    }
    const lines = rows.map(
      (row) =>
        `• *${formatChangeRef(row.id)}* · ${escapeMrkdwn(row.title)} — ` +
        `${describeState(row.state)} · risk ${row.riskLevel ?? '—'} · ` +
        `${slackDate(row.createdAt)}`,
    );
    const shown =
      total > rows.length ? `Showing the newest ${rows.length} of ${total}.` : `${total} in all, newest first.`;
    await ack(
      ephemeral(`${HEADINGS[filter]}:\n${lines.join('\n')}`, [
        section(`*${HEADINGS[filter]}*`),
        ...linesToSections(lines),
        context(shown),
      ]),
    );
  },
};

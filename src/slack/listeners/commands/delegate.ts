import { delegationStatus, endOwnDelegation, setDelegation } from '../../../services/delegations.js';
import { parseUserMention, unescapeCommandText } from '../../command-text.js';
import {
  DELEGATE_USAGE,
  delegationEndedText,
  delegationRefusalText,
  delegationSetText,
  delegationStatusText,
  notAMentionText,
} from '../../words/delegations.js';
import { ephemeral, type Subcommand } from './subcommand.js';

/**
 * `/change delegate @someone until YYYY-MM-DD [reason]`, `/change delegate off`, `/change delegate`: an approver away
 * hands their approval requests to someone until the end of a day (policy timezone).
 */
export const delegateSubcommand: Subcommand = {
  name: 'delegate',
  usage: 'delegate @someone until YYYY-MM-DD [reason] | delegate off | delegate',
  summary: 'while you are away, send your approval requests to someone who may decide for you',
  async run({ ack, rawArgs, ctx, deps }) {
    const timeZone = ctx.policy.timezone;
    // The raw text: a mention is only what Slack sent as one, never text typed to look like it.
    const [first = '', keyword = '', until = '', ...reason] = rawArgs.split(/\s+/).filter((word) => word !== '');
    if (first === '') {
      await ack(ephemeral(delegationStatusText(delegationStatus(ctx), timeZone)));
      return;
    }
    if (first.toLowerCase() === 'off' && keyword === '') {
      const ended = endOwnDelegation(ctx);
      await ack(ephemeral(delegationEndedText(ended)));
      if (ended.ok) deps.outbox.kick();
      return;
    }
    const delegateId = parseUserMention(first);
    if (delegateId === undefined) {
      await ack(ephemeral(notAMentionText(unescapeCommandText(first))));
      return;
    }
    if (keyword.toLowerCase() !== 'until') {
      await ack(ephemeral(DELEGATE_USAGE));
      return;
    }
    const outcome = setDelegation(ctx, { delegateId, until, reason: unescapeCommandText(reason.join(' ')) });
    await ack(ephemeral(outcome.ok ? delegationSetText(outcome, timeZone) : delegationRefusalText(outcome)));
    if (outcome.ok) deps.outbox.kick();
  },
};

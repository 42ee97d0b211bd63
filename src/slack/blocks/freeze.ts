import type { types } from '@slack/bolt';
import type { PlannedChangeRow } from '../../db/schedule.js';
import { FREEZE_REASON_MAX, type Freeze } from '../../domain/schedule.js';
import type { Policy } from '../../policy/schema.js';
import { FREEZE_FIELDS, VIEWS } from '../ids.js';
import { cited, sectionRef } from '../words/citations.js';
import { describeFreeze } from '../words/schedule.js';
import { section, slackDate, truncate } from './blocks.js';
import { FORM_ACTION, input, plain, textInput } from './change-form.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

/** `/change freeze add` with nothing after it: the dates and the reason in a form. */
export function freezeModal(policy: Policy): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.freezeAdd,
    title: plain('Add a change freeze', 24),
    submit: plain('Add freeze', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `No change runs during a freeze without an approved exception${cited(policy, 'freezes')}. ` +
          `Both days are included, in ${escapeMrkdwn(policy.timezone)} time.`,
      ),
      input(FREEZE_FIELDS.from, 'First day', { type: 'datepicker', action_id: FORM_ACTION }),
      input(FREEZE_FIELDS.to, 'Last day', { type: 'datepicker', action_id: FORM_ACTION }),
      textInput(FREEZE_FIELDS.reason, 'Reason', {
        maxLength: FREEZE_REASON_MAX,
        multiline: false,
        placeholder: 'e.g. Quarter close',
      }),
    ],
  };
}

/** The changes already planned inside a new freeze, so whoever added it can tell their owners. */
function plannedInsideText(changes: readonly PlannedChangeRow[]): string {
  if (changes.length === 0) return 'No change is planned inside it.';
  const shown = changes
    .slice(0, 10)
    .map(
      (change) =>
        `• ${change.ref} · ${escapeMrkdwn(truncate(change.title, 80))} — ` +
        `${slackDate(change.plannedStart)}, owner ${mentionMember(change.ownerId)}`,
    );
  const more =
    changes.length > shown.length ? `\n…and ${changes.length - shown.length} more (\`/change calendar\`)` : '';
  return `Already planned inside it — they cannot start without an approved exception:\n${shown.join('\n')}${more}`;
}

export function freezeAddedText(freeze: Freeze, plannedInside: readonly PlannedChangeRow[]): string {
  return (
    `:snowflake: Freeze *${freeze.id}* ${escapeMrkdwn(describeFreeze(freeze))} is in ` +
    `force.\n${plannedInsideText(plannedInside)}`
  );
}

export function freezeRemovedText(freeze: Freeze): string {
  return `Freeze *${freeze.id}* ${escapeMrkdwn(describeFreeze(freeze))} is removed.`;
}

/** `/change freeze list`: every freeze that has not ended; those from the policy file cannot be removed from Slack. */
export function freezeListText(freezes: readonly Freeze[], policy: Pick<Policy, 'document'>): string {
  if (freezes.length === 0)
    return 'No change freeze is in force or announced. Add one with `/change freeze add YYYY-MM-DD YYYY-MM-DD reason`.';
  const lines = freezes.map(
    (freeze) =>
      `• ${freeze.id.startsWith('policy-') ? '_policy file_' : `*${freeze.id}*`} ` +
      `${escapeMrkdwn(describeFreeze(freeze))}`,
  );
  return (
    `*Change freezes${sectionRef(policy, 'freezes')}*\n${lines.join('\n')}\nRemove one announced from Slack with ` +
    `\`/change freeze remove FRZ-<n>\`; those in the policy file are changed there.`
  );
}

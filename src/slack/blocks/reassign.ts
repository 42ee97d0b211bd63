import type { types } from '@slack/bolt';
import type { ChangeRecord, RequirementRecord } from '../../db/change-record.js';
import type { ApprovalPhase } from '../../domain/lifecycle.js';
import { REASSIGN_REASON_MAX } from '../../services/reassign.js';
import { ACTIONS, encodeDecisionValue, encodeRequirementValue, REASSIGN_FIELDS, VIEWS } from '../ids.js';
import { button, context, section } from './blocks.js';
import { FORM_ACTION, input, option, plain, textInput } from './change-form.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** Details' Reassign, for the policy's admins while a requirement of `phase` is open (authorized again on click). */
export function reassignBlocks(changeId: number, phase: ApprovalPhase): types.KnownBlock[] {
  return [
    context('An approval is stuck? As a change admin you can reassign it to a named person.'),
    {
      type: 'actions',
      block_id: 'reassign',
      elements: [button('Reassign', ACTIONS.reassign, encodeDecisionValue(changeId, phase))],
    },
  ];
}

function requirementLabel(requirement: RequirementRecord): string {
  const progress =
    requirement.approvalsNeeded > 1 ? ` (${requirement.approvals.length} of ${requirement.approvalsNeeded})` : '';
  const fallback = requirement.fallbackRole ? ` (asked of ${requirement.fallbackRole})` : '';
  return `${requirement.role}${fallback}${progress}`;
}

/** Which open requirement, to whom, and why: the person asked may then decide without holding the role. */
export function reassignModal(
  record: ChangeRecord,
  requirements: readonly RequirementRecord[],
  phase: ApprovalPhase,
): types.ModalView {
  const options = requirements.map((requirement) =>
    option(requirementLabel(requirement), encodeRequirementValue(requirement.id)),
  );
  const [only] = options.length === 1 ? options : [];
  return {
    type: 'modal',
    callback_id: VIEWS.reassign,
    private_metadata: encodeDecisionValue(record.change.id, phase),
    title: plain(`Reassign ${record.ref}`, 24),
    submit: plain('Reassign', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `*${record.ref} · ${escapeMrkdwn(record.change.title)}*\nThe person you name is asked now and may decide ` +
          'for the role without holding it; those asked before still may. The requester is told, and the reason ' +
          'is kept in the audit log.',
      ),
      input(REASSIGN_FIELDS.requirement, 'Approval to reassign', {
        type: 'static_select',
        action_id: FORM_ACTION,
        options,
        ...(only ? { initial_option: only } : {}),
      }),
      input(REASSIGN_FIELDS.person, 'Ask', { type: 'users_select', action_id: FORM_ACTION }),
      textInput(REASSIGN_FIELDS.reason, 'Why', {
        maxLength: REASSIGN_REASON_MAX,
        multiline: true,
        placeholder: 'e.g. the security team is at an offsite until Monday',
      }),
    ],
  };
}

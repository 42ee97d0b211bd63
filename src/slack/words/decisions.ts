import type { EligibilityRefusal } from '../../domain/approvers.js';
import type { ApprovalPhase, DecisionStage } from '../../domain/lifecycle.js';
import type { Policy } from '../../policy/schema.js';
import type { DecisionRefusal } from '../../services/decide.js';
import { mentionMember } from '../blocks/mrkdwn.js';
import { sectionRef } from './citations.js';
import { evidenceMissingText } from './evidence.js';
import { changeRefusalText } from './refusals.js';
import { describeState, PHASE_WORDS } from './states.js';

/** Why an approval or rejection was not recorded, told to the person who clicked. */
export function decisionRefusalText(refusal: DecisionRefusal): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'out_of_date': {
      const now = describeState(refusal.state);
      return `That request is out of date: ${refusal.ref} is now ${now}; nothing was recorded.`;
    }
    case 'not_eligible':
      return eligibilityRefusalText(refusal.eligibility);
    case 'nothing_to_decide':
      return 'Nothing to decide.';
    case 'already_recorded':
      return `Your decision on ${refusal.ref} is already recorded.`;
    case 'evidence_missing':
      return `${evidenceMissingText(refusal.ref, 'be approved', refusal.missing)} Nothing was recorded.`;
  }
}

/** Why the person may not decide on the change now. */
export function eligibilityRefusalText(refusal: EligibilityRefusal): string {
  const { ref } = refusal;
  switch (refusal.code) {
    case 'already_decided':
      return `${ref} is already ${describeState(refusal.state)}; nothing was recorded.`;
    case 'requester':
      return `You requested ${ref}, so someone else must approve it.`;
    case 'owner':
      return `You own ${ref}, so someone else must approve it.`;
    case 'not_an_approver':
      return `You are not one of the approvers of ${ref}; nothing was recorded.`;
    case 'later_stage':
      return (
        `${ref} needs its earlier approvals first; you are asked as ${refusal.roles.join(' or ')} once they are ` +
        'given. Nothing was recorded.'
      );
    case 'already_approved':
      return `Your approval of ${ref} as ${refusal.roles.join(', ')} is already recorded.`;
    case 'one_role_per_person':
      return `You already approved ${ref} as ${refusal.roles.join(', ')}; one person counts for one role.`;
    case 'roles_satisfied':
      return `The ${refusal.roles.join(' and ')} approval of ${ref} is already given; nothing more is needed from you.`;
    case 'no_longer_in_role':
      return (
        `You no longer hold the ${refusal.roles.join(' or ')} role, so you cannot decide on ${ref}; ` +
        'nothing was recorded.'
      );
    case 'delegation_ended':
      return (
        `You were asked on behalf of ${refusal.delegatorIds.map(mentionMember).join(', ')}, whose delegation to you ` +
        `has ended, so you cannot decide on ${ref}; nothing was recorded.`
      );
    case 'delegator_not_in_role':
      return (
        `${refusal.delegatorIds.map(mentionMember).join(', ')} no longer holds the ${refusal.roles.join(' or ')} ` +
        `role, so you cannot decide on ${ref} on their behalf; nothing was recorded.`
      );
    case 'nothing_to_decide':
      return 'Nothing to decide.';
  }
}

/** An approval (or authorization) recorded; `moved` when it completed the phase. */
export function approvalRecordedText(approved: { ref: string; stage: DecisionStage; moved: boolean }): string {
  const { ref, stage, moved } = approved;
  return (
    `Your ${stage.phase === 'authorization' ? 'authorization' : 'approval'} of ${ref} is ` +
    `recorded.${moved ? ` ${ref} is now ${PHASE_WORDS[stage.phase].approved}.` : ''}`
  );
}

const BATCH_ASKING: Record<ApprovalPhase, string> = {
  approval: 'wait for your approval',
  authorization: 'wait for your emergency authorization',
  retro_approval: 'wait for your formal approval after the fact',
  closure: 'wait for your approval to close',
};

/** The head of several requests sent as one message (a burst): how many, and what is asked. */
export function approvalBatchText(count: number, phase: ApprovalPhase, policy: Pick<Policy, 'document'>): string {
  const section = phase === 'retro_approval' ? sectionRef(policy, 'emergency_paperwork') : '';
  return `${count} changes ${BATCH_ASKING[phase]}${section}:`;
}

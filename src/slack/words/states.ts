import type { ApprovalPhase, ChangeState, TransitionName } from '../../domain/lifecycle.js';

/** A state as people read it: "pending_approval" → "pending approval". */
export function describeState(state: ChangeState): string {
  return state.replaceAll('_', ' ');
}

/** A lifecycle move as people read it: "retro_approve" → "retro approve". */
export function describeTransition(transition: TransitionName): string {
  return transition.replaceAll('_', ' ');
}

/** What the two decision buttons of a phase say, and what the change then is. */
export const PHASE_WORDS: Record<
  ApprovalPhase,
  { approve: string; reject: string; approved: string; rejected: string }
> = {
  approval: { approve: 'Approve', reject: 'Reject', approved: 'approved', rejected: 'rejected' },
  authorization: { approve: 'Authorize', reject: 'Decline', approved: 'authorized', rejected: 'declined' },
  retro_approval: {
    approve: 'Approve',
    reject: 'Reject',
    approved: 'retro-approved',
    rejected: 'rejected in retro-approval',
  },
  closure: { approve: 'Approve closure', reject: 'Refuse closure', approved: 'closed', rejected: 'refused closure' },
};

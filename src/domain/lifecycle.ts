import { DomainError } from './errors.js';

export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_STATES = [
  'submitted',
  'pending_approval',
  'approved',
  'rejected',
  'scheduled',
  'implementing',
  'completed',
  'failed',
  'rolled_back',
  'reviewed',
  'closed',
  'cancelled',
  // Emergency changes (POL-SEC-008 6.2, 6.4): implemented first, approved formally afterwards.
  'implemented',
  'pending_retro_approval',
  'documented',
] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

/** A state as people read it: "pending_approval" → "pending approval". */
export function describeState(state: ChangeState): string {
  return state.replaceAll('_', ' ');
}

interface Transition {
  from: readonly ChangeState[];
  to: ChangeState;
  types: readonly ChangeType[];
}

const PLANNED: readonly ChangeType[] = ['standard', 'normal'];
const ALL: readonly ChangeType[] = CHANGE_TYPES;

/** Every move a change can make, by name. Anything not listed here is refused. */
export const TRANSITIONS = {
  request_approval: { from: ['submitted'], to: 'pending_approval', types: ALL },
  pre_approve: { from: ['submitted'], to: 'approved', types: ['standard'] },
  approve: { from: ['pending_approval'], to: 'approved', types: ALL },
  reject: { from: ['pending_approval'], to: 'rejected', types: ALL },
  schedule: { from: ['approved'], to: 'scheduled', types: PLANNED },
  start_implementation: { from: ['scheduled'], to: 'implementing', types: PLANNED },
  complete: { from: ['implementing'], to: 'completed', types: PLANNED },
  fail: { from: ['implementing'], to: 'failed', types: PLANNED },
  roll_back: { from: ['implementing', 'failed'], to: 'rolled_back', types: PLANNED },
  record_implementation: { from: ['approved'], to: 'implemented', types: ['emergency'] },
  request_retro_approval: { from: ['implemented'], to: 'pending_retro_approval', types: ['emergency'] },
  retro_approve: { from: ['pending_retro_approval'], to: 'documented', types: ['emergency'] },
  review: { from: ['completed', 'failed', 'rolled_back', 'documented'], to: 'reviewed', types: ALL },
  close: { from: ['reviewed'], to: 'closed', types: ALL },
  cancel: { from: ['submitted', 'pending_approval', 'approved', 'scheduled'], to: 'cancelled', types: ALL },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** The state a change moves to, or a DomainError saying why it may not. */
export function nextState(change: { type: ChangeType; state: ChangeState }, transition: TransitionName): ChangeState {
  const rule: Transition = TRANSITIONS[transition];
  if (!rule.types.includes(change.type)) {
    throw new DomainError('ILLEGAL_TRANSITION', `A ${change.type} change cannot ${transition.replaceAll('_', ' ')}.`);
  }
  if (!rule.from.includes(change.state)) {
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `Cannot ${transition.replaceAll('_', ' ')} a change that is ${describeState(change.state)}.`,
    );
  }
  return rule.to;
}

/** Transitions open to a change right now, e.g. to decide which buttons to offer. */
export function availableTransitions(change: { type: ChangeType; state: ChangeState }): TransitionName[] {
  return (Object.keys(TRANSITIONS) as TransitionName[]).filter((name) => {
    const rule: Transition = TRANSITIONS[name];
    return rule.types.includes(change.type) && rule.from.includes(change.state);
  });
}

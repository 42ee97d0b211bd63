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
  // Emergency changes (POL-SEC-008 6.2–6.4): authorized (often verbally) and implemented at once,
  // documented and formally approved through the normal matrix afterwards.
  'pending_authorization',
  'authorized',
  'declined',
  'pending_retro_approval',
  'retro_approved',
  'retro_rejected',
  // Closure approved by another role (MCP4 5.6: "approved by the CTO/CISO for closure"), when the policy asks.
  'pending_closure',
  'closure_rejected',
] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

interface Transition {
  from: readonly ChangeState[];
  to: ChangeState;
  types: readonly ChangeType[];
}

const PLANNED: readonly ChangeType[] = ['standard', 'normal'];
const EMERGENCY: readonly ChangeType[] = ['emergency'];
const ALL: readonly ChangeType[] = CHANGE_TYPES;

/** Every move a change can make, by name. Anything not listed here is refused. */
export const TRANSITIONS = {
  request_approval: { from: ['submitted'], to: 'pending_approval', types: PLANNED },
  pre_approve: { from: ['submitted'], to: 'approved', types: ['standard'] },
  approve: { from: ['pending_approval'], to: 'approved', types: PLANNED },
  reject: { from: ['pending_approval'], to: 'rejected', types: PLANNED },
  schedule: { from: ['approved'], to: 'scheduled', types: PLANNED },
  // An approved change is scheduled by its planned times; "scheduled" remains for records that used it.
  start_implementation: { from: ['approved', 'scheduled'], to: 'implementing', types: PLANNED },
  complete: { from: ['implementing'], to: 'completed', types: PLANNED },
  // A completed change can still fail its production validation (8.4).
  fail: { from: ['implementing', 'completed'], to: 'failed', types: PLANNED },
  roll_back: { from: ['implementing', 'failed'], to: 'rolled_back', types: PLANNED },
  request_authorization: { from: ['submitted'], to: 'pending_authorization', types: EMERGENCY },
  authorize: { from: ['pending_authorization'], to: 'authorized', types: EMERGENCY },
  decline: { from: ['pending_authorization'], to: 'declined', types: EMERGENCY },
  request_retro_approval: { from: ['authorized'], to: 'pending_retro_approval', types: EMERGENCY },
  retro_approve: { from: ['pending_retro_approval'], to: 'retro_approved', types: EMERGENCY },
  retro_reject: { from: ['pending_retro_approval'], to: 'retro_rejected', types: EMERGENCY },
  review: {
    from: ['completed', 'failed', 'rolled_back', 'retro_approved', 'retro_rejected', 'closure_rejected'],
    to: 'reviewed',
    types: ALL,
  },
  close: { from: ['reviewed'], to: 'closed', types: ALL },
  // A completed change whose post-implementation review is optional (low and medium risk by default).
  close_without_review: { from: ['completed'], to: 'closed', types: PLANNED },
  // implementation.closure_approval_any_of: closing asks those roles; one approval closes the change.
  request_closure: { from: ['completed', 'reviewed', 'closure_rejected'], to: 'pending_closure', types: ALL },
  approve_closure: { from: ['pending_closure'], to: 'closed', types: ALL },
  reject_closure: { from: ['pending_closure'], to: 'closure_rejected', types: ALL },
  cancel: {
    from: ['submitted', 'pending_approval', 'approved', 'scheduled', 'pending_authorization'],
    to: 'cancelled',
    types: ALL,
  },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Why a change may not make a move: its type never does, or not from the state it is in. */
export type TransitionBlocker = 'type' | 'state';

export function transitionBlocker(
  change: { type: ChangeType; state: ChangeState },
  transition: TransitionName,
): TransitionBlocker | undefined {
  const rule: Transition = TRANSITIONS[transition];
  if (!rule.types.includes(change.type)) return 'type';
  return rule.from.includes(change.state) ? undefined : 'state';
}

/** The state a change moves to, or a DomainError (for logs, not for people) saying why it may not. */
export function nextState(change: { type: ChangeType; state: ChangeState }, transition: TransitionName): ChangeState {
  const blocker = transitionBlocker(change, transition);
  const move = transition.replaceAll('_', ' ');
  if (blocker === 'type') throw new DomainError('ILLEGAL_TRANSITION', `A ${change.type} change cannot ${move}.`);
  if (blocker === 'state') {
    const state = change.state.replaceAll('_', ' ');
    throw new DomainError('ILLEGAL_TRANSITION', `Cannot ${move} a change that is ${state}.`);
  }
  return TRANSITIONS[transition].to;
}

/** Transitions open to a change right now, e.g. to decide which buttons to offer. */
export function availableTransitions(change: { type: ChangeType; state: ChangeState }): TransitionName[] {
  return (Object.keys(TRANSITIONS) as TransitionName[]).filter((name) => {
    const rule: Transition = TRANSITIONS[name];
    return rule.types.includes(change.type) && rule.from.includes(change.state);
  });
}

/**
 * The sets of requirements a change is decided on: before it runs,
 * an emergency's authorization, its approval afterwards, and the approval to close (when the policy asks).
 */
export const APPROVAL_PHASES = ['approval', 'authorization', 'retro_approval', 'closure'] as const;
export type ApprovalPhase = (typeof APPROVAL_PHASES)[number];

export interface DecisionStage {
  phase: ApprovalPhase;
  /** Taken when the phase's requirements are all met. */
  approve: TransitionName;
  /** Taken on one rejection. */
  reject: TransitionName;
}

const STAGES = {
  pending_approval: {
    phase: 'approval',
    approve: 'approve',
    reject: 'reject',
  },
  pending_authorization: {
    phase: 'authorization',
    approve: 'authorize',
    reject: 'decline',
  },
  pending_retro_approval: {
    phase: 'retro_approval',
    approve: 'retro_approve',
    reject: 'retro_reject',
  },
  pending_closure: {
    phase: 'closure',
    approve: 'approve_closure',
    reject: 'reject_closure',
  },
} as const satisfies Partial<Record<ChangeState, DecisionStage>>;

/** The states a decision leads to: what the requester, the owner and the log channel are told. */
export const DECIDED_STATES = [
  'approved',
  'rejected',
  'authorized',
  'declined',
  'retro_approved',
  'retro_rejected',
  'closed',
  'closure_rejected',
] as const satisfies readonly ChangeState[];
export type DecidedState = (typeof DECIDED_STATES)[number];

export function isDecided(state: ChangeState): state is DecidedState {
  return (DECIDED_STATES as readonly ChangeState[]).includes(state);
}

/** The states in which a change waits for a decision. */
export type DecidingState = keyof typeof STAGES;
export const DECIDING_STATES = Object.keys(STAGES) as DecidingState[];

export function decisionStageOf(state: DecidingState): DecisionStage {
  return STAGES[state];
}

/** The decision a change in this state waits for, or undefined when it waits for none. */
export function decisionStage(state: ChangeState): DecisionStage | undefined {
  return Object.hasOwn(STAGES, state) ? STAGES[state as DecidingState] : undefined;
}

/**
 * States in which a change is still going to run, or running: what the calendar shows and conflicts
 * are checked against.
 */
export const PLANNED_STATES = [
  'submitted',
  'pending_approval',
  'approved',
  'scheduled',
  'implementing',
  'pending_authorization',
  'authorized',
] as const satisfies readonly ChangeState[];

export function isPlanned(state: ChangeState): boolean {
  return (PLANNED_STATES as readonly ChangeState[]).includes(state);
}

/** States a change can be in while it still matters to the board: waiting, planned or running. */
export const OPEN_STATES: readonly ChangeState[] = [
  'submitted',
  ...DECIDING_STATES,
  'approved',
  'scheduled',
  'implementing',
  'authorized',
];

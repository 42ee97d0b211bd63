import type { DecidedState } from './lifecycle.js';

/** What happened to a change, as told to people: a decision's outcome is the state it led to. */
export type ChangeEvent =
  | 'submitted'
  | DecidedState
  | 'escalated'
  | 'verbal_disputed'
  | 'paperwork_reminder'
  | 'paperwork_overdue'
  /** The board approved; other approvals are still open. */
  | 'cab_approved'
  | 'cab_deferred'
  /** An admin reassigned one of its requirements to a named person (told to the requester). */
  | 'reassigned'
  /** A completed change waits for one of implementation.verifier_roles to verify it (told to them). */
  | 'verification_requested'
  /** A failed change is still not rolled back at the end of its rollback_decision time limit (10.2). */
  | 'rollback_overdue'
  /**
   * Implementation steps by the owner (9, 10, 8.4): told in the log thread, and the requester when it is
   * someone else.
   */
  | ImplementationEvent;

export const IMPLEMENTATION_EVENTS = [
  'started',
  'completed',
  'failed',
  'rolled_back',
  'verified',
  'reviewed',
  'closed',
  /** Close asked for the closure approval the policy requires (implementation.closure_approval_any_of). */
  'closure_requested',
] as const;
export type ImplementationEvent = (typeof IMPLEMENTATION_EVENTS)[number];

export function isImplementationEvent(event: ChangeEvent): event is ImplementationEvent {
  return (IMPLEMENTATION_EVENTS as readonly string[]).includes(event);
}

import type { ApprovalPhase } from './lifecycle.js';

/** What a posted message is, so a refresh renders it again the same way. */
export type MessagePurpose =
  | `${ApprovalPhase}_request`
  | 'log'
  | 'emergency_console'
  | 'implementation_console'
  | 'verbal_confirmation';

/** The DM asking someone to decide in a phase. */
export function requestPurpose(phase: ApprovalPhase): MessagePurpose {
  return `${phase}_request`;
}

// Every identifier Slack sends back to us, in one place: the slash command, routes, action IDs,
// view callback IDs, and the pure functions that encode and parse what a button or view carries.
import { formatChangeRef, parseChangeRef } from '../domain/change-ref.js';

export const CHANGE_COMMAND = '/change';
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

export const ACTIONS = {
  approve: 'change_approve',
  reject: 'change_reject',
  details: 'change_details',
} as const;

export const VIEWS = {
  changeRequest: 'change_request',
  rejectReason: 'change_reject_reason',
  changeDetails: 'change_details',
} as const;

/** The reject-reason modal's input. */
export const REJECT_REASON_BLOCK = 'reason';

/** The value of a button about a change: its human ID. */
export const encodeChangeValue = formatChangeRef;

/** The change a button or view refers to, or undefined for anything that is not a change ID (forged or stale). */
export function parseChangeValue(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseChangeRef(value);
}

// Delegation while out of office (issue 15): an approver hands their approval requests to someone else until the
// end of a day. Pure: today's date in the policy timezone is passed in.
import { addDays, freezeInterval, isCalendarDate } from './schedule.js';

export const DELEGATION_REASON_MAX = 200;
/** How far ahead a delegation may end: a typo in the year must not hand someone's approvals over for a decade. */
export const DELEGATION_MAX_DAYS = 365;

/** A delegation as typed, before it is checked. */
export interface DelegationInput {
  delegatorId: string;
  delegateId: string;
  /** "YYYY-MM-DD", the last day included. */
  until: string;
  reason: string;
}

/** Why a delegation as typed was refused; the Slack layer words it. */
export type DelegationIssue =
  | { code: 'self' }
  | { code: 'not_a_date' }
  | { code: 'over_already'; today: string }
  | { code: 'too_far'; latest: string }
  | { code: 'reason_too_long'; max: number };

function issueOf(input: DelegationInput, today: string): DelegationIssue | undefined {
  if (input.delegateId === input.delegatorId) return { code: 'self' };
  if (!isCalendarDate(input.until)) return { code: 'not_a_date' };
  if (input.until < today) return { code: 'over_already', today };
  const latest = addDays(today, DELEGATION_MAX_DAYS);
  if (input.until > latest) return { code: 'too_far', latest };
  if (input.reason.trim().length > DELEGATION_REASON_MAX)
    return { code: 'reason_too_long', max: DELEGATION_REASON_MAX };
  return undefined;
}

/** Checks a delegation: to someone else, until a real day from today to DELEGATION_MAX_DAYS ahead, a short reason. */
export function validateDelegation(
  input: DelegationInput,
  today: string,
):
  | { ok: true; delegation: { delegateId: string; until: string; reason: string | null } }
  | { ok: false; issue: DelegationIssue } {
  const issue = issueOf(input, today);
  if (issue) return { ok: false, issue };
  return {
    ok: true,
    delegation: { delegateId: input.delegateId, until: input.until, reason: input.reason.trim() || null },
  };
}

/** When a delegation expires: midnight after its last day, in the policy timezone. */
export function delegationEndsAt(until: string, timeZone: string): Date {
  return freezeInterval({ from: until, to: until }, timeZone).end;
}

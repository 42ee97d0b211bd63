// What waits for one person (their App Home, their morning digest) and when they are nudged about it.
import type { Policy } from '../policy/schema.js';
import type { ChangeState } from './lifecycle.js';
import { type BusinessCalendar, isBusinessDay } from './sla.js';
import { inZone } from './zoned-time.js';

/** States a change never leaves: nothing more waits for anyone on it. */
export const FINISHED_STATES = [
  'closed',
  'cancelled',
  'rejected',
  'declined',
] as const satisfies readonly ChangeState[];

/** States in which the owner of a planned (not emergency) change has an implementation step to take. */
export const STEP_STATES = [
  'approved',
  'scheduled',
  'implementing',
  'completed',
  'failed',
  'rolled_back',
  'reviewed',
] as const satisfies readonly ChangeState[];

/**
 * Whether someone asked to satisfy a requirement is asked only through quiet roles (approvals.quiet_roles): the
 * requirement's role and the fallback role asked instead are their reasons, those of them they hold when
 * `membersOf` says (without it, both count; someone who holds neither any more is not nudged either). Such a person
 * may decide but is sent neither the request nor the digest.
 */
export function askedOnlyThroughQuietRoles(
  requirement: { role: string; fallbackRole: string | null },
  userId: string,
  rules: { quietRoles: readonly string[]; membersOf?: (role: string) => readonly string[] },
): boolean {
  const { quietRoles, membersOf } = rules;
  if (quietRoles.length === 0) return false;
  const roles = [requirement.role, ...(requirement.fallbackRole === null ? [] : [requirement.fallbackRole])];
  const reasons = membersOf ? roles.filter((role) => membersOf(role).includes(userId)) : roles;
  return reasons.every((role) => quietRoles.includes(role));
}

/**
 * The local date ("YYYY-MM-DD") of the digest due now for someone in `timeZone`: on a business day
 * (business_hours.days, not a holiday) from approvals.digest_time on; undefined before it or on a day off.
 */
export function digestDateDue(
  now: Date,
  timeZone: string,
  policy: BusinessCalendar & Pick<Policy, 'approvals'>,
): string | undefined {
  const local = inZone(now, timeZone);
  if (!isBusinessDay(local, policy) || local.toFormat('HH:mm') < policy.approvals.digest_time) return undefined;
  return local.toISODate();
}

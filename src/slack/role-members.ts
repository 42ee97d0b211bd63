import type { webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Policy } from '../policy/schema.js';
import { changeRecordOf } from '../services/change-queries.js';
import type { UseCaseContext } from '../services/context.js';
import { rolesAwaitingDecision } from '../services/request-approvals.js';
import { type MembersByRole, type RoleDirectory, resolveRoles } from '../services/role-directory.js';

/** The CAB's members now (policy `cab.role`). */
export function boardMembers(client: webApi.WebClient, policy: Policy): Promise<string[]> {
  return roleMembers(client, policy, policy.cab.role);
}

/**
 * Who besides the chair may close a meeting: nobody when there
 * is a chair, else the members (no Slack call needed then).
 */
export async function closersBesideChair(client: webApi.WebClient, policy: Policy): Promise<string[]> {
  return policy.cab.chair ? [] : boardMembers(client, policy);
}

/** The people holding a policy role now: user IDs as listed, user groups (S…) expanded through Slack. */
export async function roleMembers(client: webApi.WebClient, policy: Policy, role: string): Promise<string[]> {
  const members = await Promise.all(
    (policy.roles[role] ?? []).map(async (id) => {
      if (!id.startsWith('S')) return [id];
      const group = await client.usergroups.users.list({ usergroup: id });
      return group.users ?? [];
    }),
  );
  return [...new Set(members.flat())];
}

/** The role directory the timers use: members as Slack tells them now. */
export function slackRoleDirectory(client: webApi.WebClient, policy: Policy): RoleDirectory {
  return { membersOf: (role) => roleMembers(client, policy, role) };
}

/** How long the listeners reuse a role's members: a burst of clicks costs one usergroups.users.list per group. */
export const ROLE_CACHE_MS = 60_000;

/**
 * The role directory the listeners use: each role's members are kept ROLE_CACHE_MS, so someone removed
 * from a user group may still decide for up to that long. Concurrent look-ups share one call; a failed
 * one is not kept.
 */
export function cachedRoleDirectory(directory: RoleDirectory, clock: Clock): RoleDirectory {
  const cache = new Map<string, { until: number; members: Promise<string[]> }>();
  return {
    membersOf(role) {
      const now = clock.now().getTime();
      const kept = cache.get(role);
      if (kept && kept.until > now) return kept.members;
      const entry = { until: now + ROLE_CACHE_MS, members: directory.membersOf(role) };
      cache.set(role, entry);
      entry.members.catch(() => {
        if (cache.get(role) === entry) cache.delete(role);
      });
      return entry.members;
    },
  };
}

/**
 * The members now of the roles the change's pending decision needs (none when it waits for none);
 * undefined when Slack could not say, so the caller can answer ROLE_CHECK_FAILED.
 */
export async function membersForDecision(
  directory: RoleDirectory,
  ctx: UseCaseContext,
  changeId: number,
): Promise<MembersByRole | undefined> {
  const record = changeRecordOf(ctx, changeId);
  try {
    return await resolveRoles(directory, record ? rolesAwaitingDecision(record, ctx.policy) : []);
  } catch {
    return undefined;
  }
}

/**
 * Whether the user holds any of the roles now (a role the policy does not list has no members);
 * undefined when Slack could not say (a user group could not be read), so the caller can say so.
 */
export async function holdsAnyRole(
  client: webApi.WebClient,
  policy: Policy,
  roles: readonly string[],
  userId: string,
): Promise<boolean | undefined> {
  // Listed user IDs need no Slack call.
  if (roles.some((role) => (policy.roles[role] ?? []).includes(userId))) return true;
  try {
    for (const role of roles) {
      if ((await roleMembers(client, policy, role)).includes(userId)) return true;
    }
    return false;
  } catch {
    return undefined;
  }
}

/**
 * Whether the user holds any of the roles now, through the listeners' cached directory (a burst of clicks costs one
 * Slack call per user group); undefined when Slack could not say.
 */
export async function holdsRoleNow(
  directory: RoleDirectory,
  roles: readonly string[],
  userId: string,
): Promise<boolean | undefined> {
  try {
    return [...(await resolveRoles(directory, roles)).values()].some((members) => members.includes(userId));
  } catch {
    return undefined;
  }
}

/**
 * Which of the roles the user holds now, through the listeners' cached directory (no Slack call when `roles` is
 * empty); undefined when Slack could not say.
 */
export async function rolesHeldNow(
  directory: RoleDirectory,
  roles: readonly string[],
  userId: string,
): Promise<string[] | undefined> {
  try {
    const members = await resolveRoles(directory, roles);
    return [...members].flatMap(([role, holders]) => (holders.includes(userId) ? [role] : []));
  } catch {
    return undefined;
  }
}

/** What to tell someone whose role could not be checked. */
export const ROLE_CHECK_FAILED =
  'Slack did not answer when Cabinet checked your role; nothing was recorded. Try again in a moment.';

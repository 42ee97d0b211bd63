import type { webApi } from '@slack/bolt';
import type { Policy } from '../policy/schema.js';
import type { RoleDirectory } from '../services/role-directory.js';

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

/** What to tell someone whose role could not be checked. */
export const ROLE_CHECK_FAILED =
  'Slack did not answer when Cabinet checked your role; nothing was recorded. Try again in a moment.';

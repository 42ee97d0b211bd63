import type { webApi } from '@slack/bolt';
import type { Policy } from '../policy/schema.js';

/** The CAB's members now (policy `cab.role`). */
export function boardMembers(client: webApi.WebClient, policy: Policy): Promise<string[]> {
  return roleMembers(client, policy, policy.cab.role);
}

/** Who besides the chair may close a meeting: nobody when there is a chair, else the members (no Slack call needed then). */
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

/** Whether the user holds any of the roles now (a role the policy does not list has no members). */
export async function holdsAnyRole(client: webApi.WebClient, policy: Policy, roles: readonly string[], userId: string): Promise<boolean> {
  for (const role of roles) {
    if ((await roleMembers(client, policy, role)).includes(userId)) return true;
  }
  return false;
}

/** Who holds a policy role now; Slack answers it (user groups are expanded), so it is passed in. */
export interface RoleDirectory {
  membersOf(role: string): Promise<string[]>;
}

/** The members of each role, as the directory resolved them (user groups expanded). */
export type MembersByRole = ReadonlyMap<string, readonly string[]>;

/** Resolves each role once; rejects when the directory cannot say (Slack did not answer). */
export async function resolveRoles(directory: RoleDirectory, roles: readonly string[]): Promise<MembersByRole> {
  const unique = [...new Set(roles)];
  return new Map(await Promise.all(unique.map(async (role) => [role, await directory.membersOf(role)] as const)));
}

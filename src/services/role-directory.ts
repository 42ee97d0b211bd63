/** Who holds a policy role now; Slack answers it (user groups are expanded), so it is passed in. */
export interface RoleDirectory {
  membersOf(role: string): Promise<string[]>;
}

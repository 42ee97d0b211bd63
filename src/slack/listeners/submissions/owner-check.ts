import { stepRoleRefusal } from '../../../domain/implementation.js';
import type { Policy } from '../../../policy/schema.js';
import { CHANGE_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ROLE_CHECK_FAILED, rolesHeldNow } from '../../role-members.js';
import { ownerNotImplementerText } from '../../words/implementation.js';

/**
 * The owner a change or emergency form names must be someone who may implement it (implementation.implementer_roles,
 * 000 5, MCP4 5.4): the error to show on the owner field, or undefined. No Slack call when the policy names no role.
 */
export async function ownerErrors(
  deps: ListenerDependencies,
  policy: Policy,
  ownerId: string,
): Promise<Record<string, string> | undefined> {
  const heldRoles = await rolesHeldNow(deps.roles, policy.implementation.implementer_roles, ownerId);
  if (heldRoles === undefined) return { [CHANGE_FIELDS.owner]: ROLE_CHECK_FAILED };
  const why = stepRoleRefusal('start', { actorId: ownerId, ownerId, heldRoles }, policy);
  return why?.code === 'not_implementer' ? { [CHANGE_FIELDS.owner]: ownerNotImplementerText(why.roles) } : undefined;
}

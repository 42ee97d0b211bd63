import type { Policy } from '../policy/schema.js';
import { type ApprovalPhase, type ChangeState, decisionStage } from './lifecycle.js';

export interface RequirementCandidates {
  role: string;
  /** People asked to approve for this role; never the requester or the owner. */
  candidates: string[];
  /** The role asked instead, when nobody but the requester or owner holds `role`. */
  fallbackRole: string | undefined;
}

/**
 * The board's own requirement (policy `cab.role`) when a change is approved, before or after the
 * fact: a CAB decision satisfies it (an agenda vote or an emergency CAB), never one member's click.
 */
export function isBoardRequirement(
  requirement: { role: string; phase: ApprovalPhase },
  policy: Pick<Policy, 'cab'>,
): boolean {
  return requirement.role === policy.cab.role && requirement.phase !== 'authorization';
}

/** The requirements of one phase, e.g. the authorization of an emergency. */
export function requirementsOf<Requirement extends { phase: ApprovalPhase }>(
  record: { requirements: readonly Requirement[] },
  phase: ApprovalPhase,
): Requirement[] {
  return record.requirements.filter((requirement) => requirement.phase === phase);
}

/** The open board requirement of the phase the change waits in, if the board has something to decide. */
export function openBoardRequirement<
  Requirement extends { phase: ApprovalPhase; role: string; satisfiedAt: Date | null },
>(
  record: { change: { state: ChangeState }; requirements: readonly Requirement[] },
  policy: Pick<Policy, 'cab'>,
): Requirement | undefined {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return undefined;
  return requirementsOf(record, phase).find(
    (requirement) => isBoardRequirement(requirement, policy) && requirement.satisfiedAt === null,
  );
}

/** The role asked when nobody but the requester or owner holds `role`: its override, else the default. */
export function fallbackRoleFor(role: string, approvals: Policy['approvals']): string {
  return (
    (Object.hasOwn(approvals.fallback_roles, role) ? approvals.fallback_roles[role] : undefined) ??
    approvals.fallback_role
  );
}

/**
 * Who is asked for each required role: every member but the requester and the change owner, who never
 * approve their own change. When that leaves nobody, the policy's fallback role (default CTO) is asked.
 */
export function chooseCandidates(
  roles: readonly string[],
  membersOf: (role: string) => readonly string[],
  people: { requesterId: string; ownerId: string },
  approvals: Policy['approvals'],
): RequirementCandidates[] {
  const eligible = (role: string) =>
    [...new Set(membersOf(role))].filter((id) => id !== people.requesterId && id !== people.ownerId);
  return roles.map((role) => {
    const candidates = eligible(role);
    if (candidates.length > 0) return { role, candidates, fallbackRole: undefined };
    const fallbackRole = fallbackRoleFor(role, approvals);
    if (fallbackRole === role) return { role, candidates: [], fallbackRole: undefined };
    return { role, candidates: eligible(fallbackRole), fallbackRole };
  });
}

/** Who holds a requirement's role, or the fallback role asked instead, given the members of each role now. */
export function holdersOf(
  requirement: { role: string; fallbackRole: string | null },
  membersOf: (role: string) => readonly string[],
): string[] {
  const fallback = requirement.fallbackRole === null ? [] : membersOf(requirement.fallbackRole);
  return [...new Set([...membersOf(requirement.role), ...fallback])];
}

export interface RequirementState {
  id: number;
  role: string;
  approvalsNeeded: number;
  /** One satisfied alternative requirement stands in for all the others (POL-SEC-008 6.3 "CTO or CISO"). */
  alternative: boolean;
  satisfied: boolean;
  candidates: readonly string[];
  /** Who has approved for this role so far. */
  approvers: readonly string[];
  /** The role asked instead when nobody else held `role` (its members were asked too). */
  fallbackRole?: string;
  /**
   * Who holds `role` or `fallbackRole` now (policy and live user groups): a candidate who no longer
   * does may not decide. Absent when membership was not resolved; then being asked is enough.
   */
  holders?: readonly string[];
}

export interface DecisionContext {
  changeRef: string;
  state: ChangeState;
  requesterId: string;
  ownerId: string;
  /** The requirements of the phase the change is being decided in. */
  requirements: readonly RequirementState[];
  oneRolePerPerson: boolean;
}

/** Why someone may not decide on the change now; the Slack layer words it (slack/words/decisions.ts). */
export type EligibilityRefusal = { ok: false; ref: string } & (
  | { code: 'already_decided'; state: ChangeState }
  | { code: 'requester' | 'owner' | 'not_an_approver' | 'nothing_to_decide' }
  /** `roles`: those the actor approved for already. */
  | { code: 'already_approved' | 'one_role_per_person'; roles: string[] }
  /** `roles`: those the actor was asked for, each satisfied by someone else. */
  | { code: 'roles_satisfied'; roles: string[] }
  /** `roles`: those the actor was asked for and holds no longer. */
  | { code: 'no_longer_in_role'; roles: string[] }
);

export type Eligibility = { ok: true; requirementId: number; role: string } | EligibilityRefusal;

/**
 * Whether a phase's requirements are met: every ordinary requirement satisfied, or any one
 * alternative (the CTO or CISO standing in for unavailable authorizers, 6.3).
 */
export function approvalsComplete(
  requirements: readonly Pick<RequirementState, 'alternative' | 'satisfied'>[],
): boolean {
  if (requirements.some((requirement) => requirement.alternative && requirement.satisfied)) return true;
  const ordinary = requirements.filter((requirement) => !requirement.alternative);
  return ordinary.length > 0 && ordinary.every((requirement) => requirement.satisfied);
}

/**
 * Whether `actorId` may decide on the change now, and for which role. Any answer but ok says why
 * nothing was recorded, with the facts the person who clicked is told.
 */
export function decisionEligibility(context: DecisionContext, actorId: string): Eligibility {
  const ref = context.changeRef;
  if (decisionStage(context.state) === undefined)
    return { ok: false, code: 'already_decided', ref, state: context.state };
  if (actorId === context.requesterId) return { ok: false, code: 'requester', ref };
  if (actorId === context.ownerId) return { ok: false, code: 'owner', ref };

  const candidateFor = context.requirements.filter((requirement) => requirement.candidates.includes(actorId));
  if (candidateFor.length === 0) return { ok: false, code: 'not_an_approver', ref };
  // Being asked is not enough: the person must still hold the role when they decide.
  const asked = candidateFor.filter(
    (requirement) => requirement.holders === undefined || requirement.holders.includes(actorId),
  );
  if (asked.length === 0) {
    const roles = candidateFor.flatMap((requirement) => [requirement.role, requirement.fallbackRole ?? []].flat());
    return { ok: false, code: 'no_longer_in_role', ref, roles: [...new Set(roles)] };
  }
  const alreadyApproved = context.requirements
    .filter((requirement) => requirement.approvers.includes(actorId))
    .map((r) => r.role);
  const open = asked.filter((requirement) => !requirement.satisfied && !requirement.approvers.includes(actorId));
  if (alreadyApproved.length > 0 && (open.length === 0 || context.oneRolePerPerson)) {
    const code = open.length === 0 ? 'already_approved' : 'one_role_per_person';
    return { ok: false, code, ref, roles: alreadyApproved };
  }
  if (open.length === 0) return { ok: false, code: 'roles_satisfied', ref, roles: asked.map((r) => r.role) };
  // An alternative first (it decides the phase alone), then the scarcest role, so a person in two
  // roles leaves the commoner one to somebody else.
  const [chosen] = [...open].sort(
    (a, b) => Number(b.alternative) - Number(a.alternative) || a.candidates.length - b.candidates.length,
  );
  return chosen
    ? { ok: true, requirementId: chosen.id, role: chosen.role }
    : { ok: false, code: 'nothing_to_decide', ref };
}

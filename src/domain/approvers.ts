import type { Policy } from '../policy/schema.js';
import { type ApprovalPhase, type ChangeState, decisionStage } from './lifecycle.js';
import { openStage, sameGroup } from './stages.js';

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
export function openBoardRequirement<Requirement extends AskedRequirement & { role: string }>(
  record: AskedRecord<Requirement> & { change: { state: ChangeState } },
  policy: Pick<Policy, 'cab'>,
): Requirement | undefined {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return undefined;
  return requirementsOf(record, phase).find(
    (requirement) =>
      isBoardRequirement(requirement, policy) && requirement.satisfiedAt === null && isAskedNow(requirement, record),
  );
}

/** What tells whether a requirement's people are asked now. */
interface AskedRequirement {
  phase: ApprovalPhase;
  alternative: boolean;
  stage: number;
  satisfiedAt: Date | null;
}

/** The change and all its requirements, which isAskedNow reads. */
interface AskedRecord<Requirement extends AskedRequirement = AskedRequirement> {
  change: { authorizationEscalatedAt: Date | null };
  requirements: readonly Requirement[];
}

/**
 * Whether a requirement's people are asked now: an emergency's stand-in authorizers (6.3 "if unavailable") only once
 * its authorization is escalated; a later stage's (000 5: the CTO after the Security Lead) once every earlier stage
 * of its phase is approved; any other, the "any one of" retro-reviewers (MCP4 9) included, at once.
 */
export function isAskedNow(requirement: AskedRequirement, record: AskedRecord): boolean {
  const standInWaiting =
    requirement.alternative && requirement.phase === 'authorization' && record.change.authorizationEscalatedAt === null;
  return !standInWaiting && isStageReached(requirement, record);
}

/** Whether every stage of the requirement's phase before its own is approved (approvals.stages). */
export function isStageReached(
  requirement: Pick<AskedRequirement, 'phase' | 'stage'>,
  record: Pick<AskedRecord, 'requirements'>,
): boolean {
  const open = openStage(requirementsOf(record, requirement.phase));
  return open === undefined || requirement.stage <= open;
}

/**
 * The requirements of the phase the change waits in that a person may be asked for now: open, not the board's (the
 * CAB decides it), and not an emergency's stand-in before it is escalated (nobody is asked for it yet).
 */
export function openAskedRequirements<Requirement extends AskedRequirement & { role: string }>(
  record: AskedRecord<Requirement> & { change: { state: ChangeState } },
  policy: Pick<Policy, 'cab'>,
): Requirement[] {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return [];
  return requirementsOf(record, phase).filter(
    (requirement) =>
      requirement.satisfiedAt === null && !isBoardRequirement(requirement, policy) && isAskedNow(requirement, record),
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

/**
 * Within an "any one of" group a role falls back only when no role of the group has holders of its own: MCP4 5.3
 * "CTO/CISO" asks the CISO as CISO when the CTO requested the change, not also in the CTO's stead.
 */
export function fallBackForWholeGroups<
  Choice extends { requirement: { id: number; anyOf: readonly string[] | null }; choice: RequirementCandidates },
>(choices: readonly Choice[]): Choice[] {
  const heldOwn = (entry: Choice) => entry.choice.fallbackRole === undefined && entry.choice.candidates.length > 0;
  return choices.map((entry) => {
    if (entry.choice.fallbackRole === undefined) return entry;
    const siblingHeld = choices.some((other) => sameGroup(other.requirement, entry.requirement) && heldOwn(other));
    return siblingHeld
      ? { ...entry, choice: { role: entry.choice.role, candidates: [], fallbackRole: undefined } }
      : entry;
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
  /** Those asked as members of `role` (or `fallbackRole`). */
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
  /** Asked as the delegate of a candidate: may decide for them while the delegation runs and they hold the role. */
  delegates?: readonly { delegateId: string; delegatorId: string }[];
  /** Reassigned to them by an admin: may decide without holding the role. */
  reassigned?: readonly string[];
  /** The delegators for whom a delegate has approved here: their approval is given. */
  approvedOnBehalfOf?: readonly string[];
  /** A later stage's, not asked until the earlier stages are approved (approvals.stages). */
  waitsForEarlierStage?: boolean;
}

export interface DecisionContext {
  changeRef: string;
  state: ChangeState;
  requesterId: string;
  ownerId: string;
  /** The requirements of the phase the change is being decided in. */
  requirements: readonly RequirementState[];
  oneRolePerPerson: boolean;
  /** Those whose delegation to the actor runs now (ended or expired ones are not listed). */
  delegatorsOfActor?: readonly string[];
}

/** Why someone may not decide on the change now; the Slack layer words it (slack/words/decisions.ts). */
export type EligibilityRefusal = { ok: false; ref: string } & (
  | { code: 'already_decided'; state: ChangeState }
  | { code: 'requester' | 'owner' | 'not_an_approver' | 'nothing_to_decide' }
  /** `roles`: those the actor approved for already. */
  | { code: 'already_approved' | 'one_role_per_person'; roles: string[] }
  /** `roles`: those the actor was asked for, each satisfied by someone else. */
  | { code: 'roles_satisfied'; roles: string[] }
  /** `roles`: a later stage's the actor holds, asked once the earlier stages are approved (000 5). */
  | { code: 'later_stage'; roles: string[] }
  /** `roles`: those the actor was asked for and holds no longer. */
  | { code: 'no_longer_in_role'; roles: string[] }
  /** Asked as a delegate, but the delegations of `delegatorIds` ended since. */
  | { code: 'delegation_ended'; delegatorIds: string[] }
  /** Asked as a delegate of `delegatorIds`, who hold none of `roles` now. */
  | { code: 'delegator_not_in_role'; delegatorIds: string[]; roles: string[] }
);

/** `onBehalfOf`: a delegate decides for that delegator; `reassigned`: an admin made the actor an approver. */
export type Eligibility =
  | { ok: true; requirementId: number; role: string; onBehalfOf?: string; reassigned?: true }
  | EligibilityRefusal;

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

/** One way the actor may decide on a requirement: in their own right, by reassignment, or for a delegator. */
interface Route {
  requirement: RequirementState;
  onBehalfOf?: string;
  reassigned?: true;
}

/** Whose approval a route gives: the actor's, and a delegator's too (one person counts once, 4.4). */
const principalsOf = (route: Route, actorId: string) => (route.onBehalfOf ? [actorId, route.onBehalfOf] : [actorId]);

const approvedBy = (requirement: RequirementState, personId: string) =>
  requirement.approvers.includes(personId) || (requirement.approvedOnBehalfOf ?? []).includes(personId);

const rolesOf = (requirements: readonly RequirementState[]) => [
  ...new Set(requirements.flatMap((requirement) => [requirement.role, requirement.fallbackRole ?? []].flat())),
];

/** Every way the actor was asked, and those of them usable now (a delegate holding the role counts as one). */
function routesOf(context: DecisionContext, actorId: string): { asked: Route[]; usable: Route[] } {
  const running = context.delegatorsOfActor ?? [];
  const holds = (requirement: RequirementState, personId: string) =>
    requirement.holders === undefined || requirement.holders.includes(personId);
  const asked = context.requirements.flatMap((requirement): Route[] => [
    ...(requirement.candidates.includes(actorId) ? [{ requirement }] : []),
    ...((requirement.reassigned ?? []).includes(actorId) ? [{ requirement, reassigned: true as const }] : []),
    ...(requirement.delegates ?? [])
      .filter((delegate) => delegate.delegateId === actorId)
      .map((delegate) => ({ requirement, onBehalfOf: delegate.delegatorId })),
  ]);
  const usable = asked.filter(({ requirement, onBehalfOf, reassigned }) => {
    if (reassigned) return true;
    // Someone asked as a delegate who holds the role now decides in their own right.
    if (requirement.holders?.includes(actorId)) return true;
    if (onBehalfOf === undefined) return holds(requirement, actorId);
    return (
      running.includes(onBehalfOf) && requirement.candidates.includes(onBehalfOf) && holds(requirement, onBehalfOf)
    );
  });
  return {
    asked,
    usable: usable.map((route) =>
      route.onBehalfOf && route.requirement.holders?.includes(actorId) ? { requirement: route.requirement } : route,
    ),
  };
}

/** Why none of the ways the actor was asked is usable now. */
function unusableRefusal(asked: readonly Route[], running: readonly string[], ref: string): EligibilityRefusal {
  const own = asked.filter((route) => route.onBehalfOf === undefined);
  if (own.length > 0)
    return { ok: false, code: 'no_longer_in_role', ref, roles: rolesOf(own.map((route) => route.requirement)) };
  const delegated = asked.flatMap((route) => (route.onBehalfOf ? [{ ...route, delegatorId: route.onBehalfOf }] : []));
  const inForce = delegated.filter((route) => running.includes(route.delegatorId));
  const ids = (routes: readonly { delegatorId: string }[]) => [...new Set(routes.map((route) => route.delegatorId))];
  if (inForce.length === 0) return { ok: false, code: 'delegation_ended', ref, delegatorIds: ids(delegated) };
  return {
    ok: false,
    code: 'delegator_not_in_role',
    ref,
    delegatorIds: ids(inForce),
    roles: rolesOf(inForce.map((route) => route.requirement)),
  };
}

/**
 * Whether `actorId` may decide on the change now, and for which role (and for whom, as a delegate).
 * Any answer but ok says why nothing was recorded, with the facts the person who clicked is told.
 */
export function decisionEligibility(context: DecisionContext, actorId: string): Eligibility {
  const ref = context.changeRef;
  if (decisionStage(context.state) === undefined)
    return { ok: false, code: 'already_decided', ref, state: context.state };
  if (actorId === context.requesterId) return { ok: false, code: 'requester', ref };
  if (actorId === context.ownerId) return { ok: false, code: 'owner', ref };

  const { asked, usable } = routesOf(context, actorId);
  if (asked.length === 0) {
    const later = context.requirements.filter((r) => r.waitsForEarlierStage && r.holders?.includes(actorId));
    if (later.length > 0) return { ok: false, code: 'later_stage', ref, roles: rolesOf(later) };
    return { ok: false, code: 'not_an_approver', ref };
  }
  // Being asked is not enough: the person (or the delegator) must still hold the role when they decide.
  if (usable.length === 0) return unusableRefusal(asked, context.delegatorsOfActor ?? [], ref);
  const approvedRoles = (people: readonly string[]) =>
    context.requirements.filter((r) => people.some((person) => approvedBy(r, person))).map((r) => r.role);
  const open = usable.filter(
    (route) =>
      !route.requirement.satisfied &&
      !principalsOf(route, actorId).some((person) => approvedBy(route.requirement, person)),
  );
  const alreadyApproved = approvedRoles([actorId]);
  if (open.length === 0) {
    if (alreadyApproved.length > 0) return { ok: false, code: 'already_approved', ref, roles: alreadyApproved };
    return { ok: false, code: 'roles_satisfied', ref, roles: [...new Set(usable.map((r) => r.requirement.role))] };
  }
  const allowed = context.oneRolePerPerson
    ? open.filter((route) => approvedRoles(principalsOf(route, actorId)).length === 0)
    : open;
  if (allowed.length === 0) {
    const roles = [...new Set(open.flatMap((route) => approvedRoles(principalsOf(route, actorId))))];
    return { ok: false, code: 'one_role_per_person', ref, roles };
  }
  // An alternative first (it decides the phase alone), then the scarcest role, so a person in two
  // roles leaves the commoner one to somebody else; in one's own right before a delegator's.
  const [chosen] = [...allowed].sort(
    (a, b) =>
      Number(b.requirement.alternative) - Number(a.requirement.alternative) ||
      a.requirement.candidates.length - b.requirement.candidates.length ||
      Number(a.onBehalfOf !== undefined) - Number(b.onBehalfOf !== undefined),
  );
  if (!chosen) return { ok: false, code: 'nothing_to_decide', ref };
  return {
    ok: true,
    requirementId: chosen.requirement.id,
    role: chosen.requirement.role,
    ...(chosen.onBehalfOf ? { onBehalfOf: chosen.onBehalfOf } : {}),
    ...(chosen.reassigned ? { reassigned: true as const } : {}),
  };
}

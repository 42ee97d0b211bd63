import type { MatrixEntry, Policy } from '../policy/schema.js';
import { DomainError } from './errors.js';
import type { ChangeType } from './lifecycle.js';
import { stageOf } from './stages.js';

export type RequirementReason =
  | { kind: 'risk_level'; level: string }
  | { kind: 'review_rule'; rule: string }
  | { kind: 'standard_change' }
  /** Every normal change needs it (`change_types.normal.approver_roles`). */
  | { kind: 'change_type' }
  /** It owns a system the change affects (`systems[].owner_role`). */
  | { kind: 'system_owner'; system: string }
  /** Planned outside its deployment windows or into a freeze, by exception (9.1, 9.2). */
  | { kind: 'schedule_exception' };

export interface ApprovalRequirement {
  role: string;
  /** Distinct members of the role who must approve. */
  approvals: number;
  reasons: RequirementReason[];
  /** The roles any one of whom satisfies it with this one (an `any_of` entry); absent: this role alone. */
  anyOf?: string[];
  /** Its approval stage (approvals.stages) when not the first (0): asked once every earlier stage is approved. */
  stage?: number;
}

export interface RoutingInput {
  type: ChangeType;
  riskLevel: string;
  /** Review rules the requester declared (e.g. "database"), keys of policy.review_rules. */
  reviewRules: readonly string[];
  /** Security-review triggers ticked (POL-SEC-008 4.3); any one applies the security rule. */
  securityTriggers: readonly string[];
  /** An exception to the deployment windows or a freeze was requested: its approver is asked too. */
  scheduleException?: boolean;
  /** The catalog entry of a standard change: its own approvers, when it names them. */
  standardChangeId?: string;
  /** The systems it affects: the owners of catalog systems approve a normal change. */
  affectedSystems?: readonly string[];
}

/**
 * The approvals a change needs: the approval matrix row of its risk level (4.4), merged with the
 * review rules that apply to it (4.3), each role asked for the larger of the counts. Standard
 * changes need only the standard type's approvers (3.1: none, pre-authorized). A requested schedule
 * exception adds its approver (9.1, 9.2; default the CTO) to either. Emergency changes
 * get their retrospective approval through this same matrix (6.4). An entry "any one of" several roles (in the
 * matrix, a change type's or catalog entry's approvers, a review rule) becomes one requirement per role, in one group,
 * unless one of them is required outright anyway. Each requirement is in the stage of approvals.stages that names its
 * role (a group: the earliest of its roles').
 */
export function requiredApprovals(input: RoutingInput, policy: Policy): ApprovalRequirement[] {
  const requirements = new Map<string, ApprovalRequirement>();
  const add = (role: string, approvals: number, reason: RequirementReason) => {
    const existing = requirements.get(role);
    if (existing) {
      existing.approvals = Math.max(existing.approvals, approvals);
      existing.reasons.push(reason);
    } else {
      requirements.set(role, { role, approvals, reasons: [reason] });
    }
  };
  // Groups are added last: one whose role is required outright asks nothing more.
  const groups: { roles: string[]; reason: RequirementReason }[] = [];
  const addEntries = (entries: readonly MatrixEntry[], reason: RequirementReason) => {
    for (const entry of entries) {
      if (typeof entry === 'string') add(entry, 1, reason);
      else groups.push({ roles: entry.any_of, reason });
    }
  };
  const finished = () => {
    for (const { roles, reason } of groups) addGroup(requirements, roles, reason);
    return [...requirements.values()].map((requirement) => {
      const stage = stageOf(requirement.anyOf ?? [requirement.role], policy.approvals.stages);
      return stage > 0 ? { ...requirement, stage } : requirement;
    });
  };

  if (input.scheduleException) add(policy.scheduling.exception_role, 1, { kind: 'schedule_exception' });
  if (input.type === 'standard') {
    const entry = policy.standard_changes.find((candidate) => candidate.id === input.standardChangeId);
    addEntries(entry?.approver_roles ?? policy.change_types.standard.approver_roles, { kind: 'standard_change' });
    return finished();
  }
  addEntries(policy.change_types.normal.approver_roles, { kind: 'change_type' });
  for (const system of policy.systems) {
    if (system.owner_role !== undefined && input.affectedSystems?.includes(system.id))
      add(system.owner_role, 1, { kind: 'system_owner', system: system.id });
  }

  // An unknown level, rule or trigger must not quietly yield fewer approvers.
  // Own keys only: a name such as "constructor" must not reach Object.prototype.
  const matrixRow = Object.hasOwn(policy.approval_matrix, input.riskLevel)
    ? policy.approval_matrix[input.riskLevel]
    : undefined;
  if (!matrixRow)
    throw new DomainError('UNKNOWN_RISK_LEVEL', `"${input.riskLevel}" is not a risk level of this policy.`);
  addEntries(matrixRow, { kind: 'risk_level', level: input.riskLevel });

  const unknownTrigger = input.securityTriggers.find(
    (id) => !policy.security_review.triggers.some((trigger) => trigger.id === id),
  );
  if (unknownTrigger !== undefined) {
    throw new DomainError(
      'UNKNOWN_REVIEW_RULE',
      `"${unknownTrigger}" is not a security-review trigger of this policy.`,
    );
  }
  const rules = new Set(input.reviewRules);
  if (input.securityTriggers.length > 0) rules.add(policy.security_review.rule);
  for (const rule of rules) {
    const reviewRule = Object.hasOwn(policy.review_rules, rule) ? policy.review_rules[rule] : undefined;
    if (!reviewRule) throw new DomainError('UNKNOWN_REVIEW_RULE', `"${rule}" is not a review rule of this policy.`);
    for (const [role, approvals] of Object.entries(reviewRule.approvals))
      add(role, approvals, { kind: 'review_rule', rule });
    if (reviewRule.any_of) groups.push({ roles: reviewRule.any_of, reason: { kind: 'review_rule', rule } });
  }
  return finished();
}

/**
 * An "any one of" group joins the requirements: met already when one of its roles is required outright; the same
 * group asked for another reason gains the reason (the policy refuses two different groups sharing a role).
 */
function addGroup(
  requirements: Map<string, ApprovalRequirement>,
  roles: readonly string[],
  reason: RequirementReason,
): void {
  const present = roles.flatMap((role) => requirements.get(role) ?? []);
  if (present.some((requirement) => requirement.anyOf === undefined)) return;
  if (present.length > 0) {
    for (const requirement of present) requirement.reasons.push(reason);
    return;
  }
  for (const role of roles) requirements.set(role, { role, approvals: 1, reasons: [reason], anyOf: [...roles] });
}

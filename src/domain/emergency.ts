import type { Policy } from '../policy/schema.js';
import { emergencyAuthorizers } from './business-hours.js';
import type { ChangeState } from './lifecycle.js';

/** How a verbal approval was given (POL-SEC-008 6.2 "verbal approval"; MCP4 5.3 "verbally or via chat"). */
export const VERBAL_MEDIA = ['phone', 'video_call', 'in_person', 'chat'] as const;
export type VerbalMedium = (typeof VERBAL_MEDIA)[number];

export type VerbalApprovalState = 'unconfirmed' | 'confirmed' | 'disputed';

/** 6.4 Post-Emergency Requirements, one obligation each. */
export const OBLIGATION_KINDS = [
  'documentation',
  'retro_ticket',
  'retro_approval',
  'root_cause_analysis',
  'cab_presentation',
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export interface AuthorizationRequirement {
  role: string;
  /** True for the roles that stand in when the on-duty authorizers do not answer (6.3 "if unavailable"). */
  alternative: boolean;
  /** The roles any one of whom authorizes for this one (004 3.1 "CTO or Security Officer"); absent: this role. */
  anyOf?: string[];
}

/**
 * Who authorizes an emergency declared at `at` (6.3): every entry of the period (business hours or
 * after hours, in the policy timezone), or any one of the fallback roles instead. An "any one of" entry asks all its
 * roles at once, and the first to authorize meets it; it asks nothing more when one of its roles is on duty anyway.
 */
export function authorizationRequirements(
  at: Date,
  policy: Pick<Policy, 'timezone' | 'business_hours' | 'holidays' | 'emergency'>,
): AuthorizationRequirement[] {
  const authorizers = emergencyAuthorizers(at, policy);
  // A role listed twice is still one requirement; so is a group listed twice.
  const roles = [...new Set(authorizers.roles.filter((entry) => typeof entry === 'string'))];
  const groups = new Map(
    authorizers.roles.flatMap((entry) =>
      typeof entry === 'string' || entry.any_of.some((role) => roles.includes(role))
        ? []
        : [[entry.any_of.join(), entry.any_of] as const],
    ),
  );
  const grouped = [...groups.values()].flatMap((group) =>
    group.map((role) => ({ role, alternative: false, anyOf: group })),
  );
  const onDuty = [...roles, ...grouped.map((requirement) => requirement.role)];
  const standIns = [...new Set(authorizers.fallbackAnyOf)].filter((role) => !onDuty.includes(role));
  return [
    ...roles.map((role) => ({ role, alternative: false })),
    ...grouped,
    ...standIns.map((role) => ({ role, alternative: true })),
  ];
}

/** When the fallback authorizers are asked if the on-duty ones have not answered. */
export function escalationDueAt(declaredAt: Date, policy: Pick<Policy, 'emergency'>): Date {
  return new Date(declaredAt.getTime() + policy.emergency.escalate_after_minutes * 60_000);
}

export interface ObligationPlan {
  kind: ObligationKind;
  /** Null when the deadline is not a number of hours: the CAB presentation is due at the next CAB. */
  dueAt: Date | null;
}

/**
 * What an emergency owes once it is authorized (6.4): documentation, a retrospective ticket, formal
 * approval and a root-cause analysis (those `emergency.paperwork_hours` lists), each by its deadline.
 */
export function paperworkObligations(authorizedAt: Date, policy: Pick<Policy, 'emergency'>): ObligationPlan[] {
  const every = policy.emergency.documentation_deadline_hours;
  const hours = policy.emergency.paperwork_hours ?? {
    documentation: every,
    retro_ticket: every,
    retro_approval: every,
    root_cause_analysis: every,
  };
  return (['documentation', 'retro_ticket', 'retro_approval', 'root_cause_analysis'] as const).flatMap((kind) => {
    const within = hours[kind];
    return within === undefined ? [] : [{ kind, dueAt: new Date(authorizedAt.getTime() + within * 3_600_000) }];
  });
}

/** 6.4 "Present to CAB if high/critical": known once the documentation has assessed the risk. */
export function needsCabPresentation(riskLevel: string, policy: Pick<Policy, 'emergency'>): boolean {
  return policy.emergency.cab_review_risk_levels.includes(riskLevel);
}

/** When the owner is reminded of paperwork due at `dueAt`. */
export function reminderAt(dueAt: Date, policy: Pick<Policy, 'emergency'>): Date {
  return new Date(dueAt.getTime() - policy.emergency.reminder_hours_before_deadline * 3_600_000);
}

export interface ObligationState {
  kind: ObligationKind;
  dueAt: Date | null;
  completedAt: Date | null;
}

/**
 * Obligations with a deadline that are not done yet: what a reminder or an overdue notice is about.
 * Once the formal approval was refused (`retro_rejected`) nobody can obtain it any more; the CAB takes it up.
 */
export function outstandingPaperwork<T extends ObligationState>(
  obligations: readonly T[],
  changeState?: ChangeState,
): T[] {
  return obligations.filter(
    (obligation) =>
      obligation.dueAt !== null &&
      obligation.completedAt === null &&
      !(obligation.kind === 'retro_approval' && changeState === 'retro_rejected'),
  );
}

/** A verbal approval's standing: disputed or confirmed once its approver answered, unconfirmed until then. */
export function verbalApprovalState(
  confirmation: { outcome: 'confirmed' | 'disputed' } | undefined,
): VerbalApprovalState {
  return confirmation?.outcome ?? 'unconfirmed';
}

/**
 * Whether an authorization disputed after the fact is still open: the change may not close until the
 * CAB or a dispute resolver (policy `emergency.dispute_resolver_roles`) resolves it.
 */
export function hasOpenDispute(disputes: readonly { resolvedAt: Date | null }[]): boolean {
  return disputes.some((dispute) => dispute.resolvedAt === null);
}

/** 6.3: a disputed verbal approval that had counted toward an authorization already reached. */
export function disputesReachedAuthorization(verbal: { decisionId: number | null }, state: ChangeState): boolean {
  return verbal.decisionId !== null && state !== 'pending_authorization' && state !== 'declined';
}

// After approval: running the change (POL-SEC-008 9.1), what a failure and a rollback record (10.4),
// production validation (8.4), the post-implementation review (seed workflow 003 step 8) and closure.
import type { Policy } from '../policy/schema.js';
import { readText, TEXT_MAX } from './change-request.js';
import type { FormIssue, FormResult } from './form-issues.js';
import type { ChangeState, ChangeType } from './lifecycle.js';
import {
  earliestStart,
  type Freeze,
  freezesDuring,
  type Interval,
  nextAllowedPeriod,
  requiredNoticeHours,
  type ScheduleException,
} from './schedule.js';

/** What the change's owner does after approval, in order: run it, then validate, review and close it. */
export const IMPLEMENTATION_STEPS = ['start', 'complete', 'fail', 'roll_back', 'verify', 'review', 'close'] as const;
export type ImplementationStep = (typeof IMPLEMENTATION_STEPS)[number];

/** Field names of the implementation modals (failure, rollback, validation, review). */
export type ImplementationField =
  | 'failureReason'
  | 'rollbackDecidedAt'
  | 'rollbackReason'
  | 'rollbackSteps'
  | 'rollbackImpact'
  | 'rollbackMinutes'
  | 'verificationChecks'
  | 'verificationNote'
  | 'actualVsExpected'
  | 'incidents'
  | 'lessonsLearned'
  | 'rootCause'
  | 'preventiveMeasures';

export type ImplementationIssue = FormIssue<ImplementationField>;
type Parsed<T> = FormResult<T, ImplementationIssue>;

const parsed = <T>(issues: ImplementationIssue[], value: T): Parsed<T> =>
  issues.length > 0 ? { ok: false, issues } : { ok: true, value };

/** 10.4: what went wrong, when the owner marks the change failed. */
export function readFailure(reason: string | undefined): Parsed<string> {
  const issues: ImplementationIssue[] = [];
  return parsed(issues, readText(issues, { field: 'failureReason' }, reason));
}

/** A rollback as 10.4 documents it; the root cause and preventive measures go into the review. */
export interface RollbackRecord {
  decidedAt: Date;
  reason: string;
  steps: string;
  impact: string;
  durationMinutes: number;
}

export interface RollbackForm {
  decidedAt?: number;
  reason?: string;
  steps?: string;
  impact?: string;
  durationMinutes?: string;
}

/** A week: longer than any rollback a person would time in minutes. */
const MAX_ROLLBACK_MINUTES = 7 * 24 * 60;

export function readRollbackForm(form: RollbackForm, now: Date): Parsed<RollbackRecord> {
  const issues: ImplementationIssue[] = [];
  const decidedAt = form.decidedAt === undefined ? undefined : new Date(form.decidedAt * 1000);
  if (!decidedAt || Number.isNaN(decidedAt.getTime())) issues.push({ field: 'rollbackDecidedAt', code: 'required' });
  else if (decidedAt.getTime() >= Math.floor(now.getTime() / 60_000) * 60_000 + 60_000)
    issues.push({ field: 'rollbackDecidedAt', code: 'in_future' });
  const reason = readText(issues, { field: 'rollbackReason' }, form.reason);
  const steps = readText(issues, { field: 'rollbackSteps' }, form.steps);
  const impact = readText(issues, { field: 'rollbackImpact' }, form.impact);
  const minutesText = form.durationMinutes?.trim() ?? '';
  const durationMinutes = Number(minutesText);
  if (!/^\d+$/.test(minutesText) || durationMinutes < 1 || durationMinutes > MAX_ROLLBACK_MINUTES) {
    issues.push({ field: 'rollbackMinutes', code: 'out_of_range', min: 1, max: MAX_ROLLBACK_MINUTES });
  }
  return parsed(issues, { decidedAt: decidedAt ?? now, reason, steps, impact, durationMinutes });
}

/** 8.4: every check of the policy's list ticked; a check that does not pass means the change failed. */
export function readVerification(
  checked: readonly string[],
  note: string | undefined,
  policy: Pick<Policy, 'implementation'>,
): Parsed<{ checks: string[]; note: string | null }> {
  const issues: ImplementationIssue[] = [];
  const checklist = policy.implementation.verification_checklist;
  const missing = checklist.filter((check) => !checked.includes(check.id));
  if (missing.length > 0 || checked.some((id) => !checklist.some((check) => check.id === id))) {
    issues.push({ field: 'verificationChecks', code: 'checks_open', open: missing.map((check) => check.label) });
  }
  const trimmed = note?.trim() || null;
  if (trimmed !== null && trimmed.length > TEXT_MAX)
    issues.push({ field: 'verificationNote', code: 'too_long', max: TEXT_MAX });
  return parsed(issues, { checks: checklist.map((check) => check.id), note: trimmed });
}

export interface ReviewRecord {
  actualVsExpected: string;
  incidents: string;
  lessonsLearned: string;
  /** 10.4: asked when the change failed or was rolled back. */
  rootCause: string | null;
  preventiveMeasures: string | null;
}

export interface ReviewForm {
  actualVsExpected?: string;
  incidents?: string;
  lessonsLearned?: string;
  rootCause?: string;
  preventiveMeasures?: string;
}

/** States in which the production validation (8.4) can be recorded: after the change ran. */
export const VERIFIABLE_STATES: readonly ChangeState[] = ['completed', 'failed', 'rolled_back', 'reviewed'];

/** Whether the change went wrong, so its review must also give the root cause and preventive measures (10.4). */
export const wentWrong = (state: ChangeState) => state === 'failed' || state === 'rolled_back';

export function readReviewForm(form: ReviewForm, state: ChangeState): Parsed<ReviewRecord> {
  const issues: ImplementationIssue[] = [];
  const actualVsExpected = readText(issues, { field: 'actualVsExpected' }, form.actualVsExpected);
  const incidents = readText(issues, { field: 'incidents' }, form.incidents);
  const lessonsLearned = readText(issues, { field: 'lessonsLearned' }, form.lessonsLearned);
  const rootCause = wentWrong(state) ? readText(issues, { field: 'rootCause' }, form.rootCause) : null;
  const preventiveMeasures = wentWrong(state)
    ? readText(issues, { field: 'preventiveMeasures' }, form.preventiveMeasures)
    : null;
  return parsed(issues, { actualVsExpected, incidents, lessonsLearned, rootCause, preventiveMeasures });
}

/** A post-implementation review is required for failed and rolled-back changes and for the policy's risk levels. */
export function reviewRequired(
  change: { state: ChangeState; riskLevel: string | null },
  policy: Pick<Policy, 'implementation'>,
): boolean {
  return (
    wentWrong(change.state) ||
    (change.riskLevel !== null && policy.implementation.review_risk_levels.includes(change.riskLevel))
  );
}

/**
 * Why a change may not close; the Slack layer words it (slack/words/implementation.ts). `not_run`: it
 * has not run yet, or is closed or abandoned already; `disputed`: its authorization is disputed (6.3);
 * `incomplete`: it still needs its production validation (8.4), its review, or both.
 */
export type CloseRefusal = { ref: string } & (
  | { code: 'not_run'; state: ChangeState }
  /** Its authorization was disputed after the fact and nobody has resolved the dispute yet. */
  | { code: 'disputed' }
  | { code: 'incomplete'; needsVerification: boolean; needsReview: boolean }
);

/** What the change needs before it can close, as a refusal; undefined when it may close. */
export function closeRefusal(
  ref: string,
  facts: { state: ChangeState; verified: boolean; reviewed: boolean; reviewRequired: boolean; disputed: boolean },
): CloseRefusal | undefined {
  const closable: readonly ChangeState[] = ['completed', 'reviewed', 'closure_rejected'];
  if (!closable.includes(facts.state) && !wentWrong(facts.state)) {
    return { code: 'not_run', ref, state: facts.state };
  }
  if (facts.disputed) return { code: 'disputed', ref };
  const needsVerification = !facts.verified;
  const needsReview = facts.reviewRequired && !facts.reviewed;
  return needsVerification || needsReview ? { code: 'incomplete', ref, needsVerification, needsReview } : undefined;
}

/** The steps that run the change itself; the implementer roles govern them (issue 16.5). */
const RUN_STEPS: readonly ImplementationStep[] = ['start', 'complete', 'fail', 'roll_back'];

type RolePolicy = Pick<Policy, 'implementation'>;

/** Whether only the owner takes the step: every step but Verify when the policy names verifiers. */
export function ownerTakes(step: ImplementationStep, policy: RolePolicy): boolean {
  return step !== 'verify' || policy.implementation.verifier_roles.length === 0;
}

/** The roles whose holders may take the step (none named: no role is needed). */
export function rolesForStep(step: ImplementationStep, policy: RolePolicy): readonly string[] {
  if (RUN_STEPS.includes(step)) return policy.implementation.implementer_roles;
  return step === 'verify' ? policy.implementation.verifier_roles : [];
}

/**
 * Why the actor's roles do not let them take the step (000 5, MCP4 5.4 and 6), or undefined: the roles of the step
 * are named and the actor holds none of them now, or the owner would verify their own change.
 */
export type StepRoleRefusal =
  | { code: 'not_implementer' | 'not_verifier'; roles: readonly string[] }
  | { code: 'verifier_is_implementer' };

export function stepRoleRefusal(
  step: ImplementationStep,
  facts: { actorId: string; ownerId: string; heldRoles: readonly string[] },
  policy: RolePolicy,
): StepRoleRefusal | undefined {
  const roles = rolesForStep(step, policy);
  if (roles.length > 0 && !roles.some((role) => facts.heldRoles.includes(role)))
    return { code: step === 'verify' ? 'not_verifier' : 'not_implementer', roles };
  const separate = step === 'verify' && !ownerTakes(step, policy) && policy.implementation.verifier_not_implementer;
  return separate && facts.actorId === facts.ownerId ? { code: 'verifier_is_implementer' } : undefined;
}

export interface StartFacts {
  ref: string;
  state: ChangeState;
  riskLevel: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  /** Set when an exception was requested; the change's approval includes the exception approver's. */
  scheduleException: ScheduleException | null;
  type: ChangeType;
  /** When it was documented: the notice it needs counts from then. */
  createdAt: Date;
}

/** The next window a refused start may use, for the risk level, read in the policy's time zone. */
export interface NextWindow {
  /** Undefined when no window in the search horizon allows the risk, fits the change and is free of freezes. */
  next: Interval | undefined;
  risk: string;
  timeZone: string;
}

/** Why a change may not start now; the Slack layer words it (slack/words/implementation.ts). */
export type StartRefusal = { ref: string } & (
  | { code: 'not_approved' | 'not_startable'; state: ChangeState }
  /** A freeze announced after its exception was approved still holds it (9.2). */
  | { code: 'frozen_since_exception'; freeze: Freeze }
  | ({ code: 'frozen'; freeze: Freeze } & NextWindow)
  | ({ code: 'outside_windows' } & NextWindow)
  /** Documented with less notice than the policy asks (issue 16.4): it may start from `earliest`. */
  | { code: 'short_notice'; hours: number; earliest: Date; timeZone: string }
);

/**
 * Why the change may not start now, or undefined: it must be approved, and now must fall in a
 * window allowing its risk level and outside every freeze (9.1, 9.2), unless an exception was approved.
 */
export function startRefusal(
  change: StartFacts,
  policy: Pick<Policy, 'timezone' | 'deployment_windows' | 'scheduling'>,
  freezes: readonly Freeze[],
  now: Date,
): StartRefusal | undefined {
  const { ref } = change;
  if (change.state !== 'approved' && change.state !== 'scheduled') {
    const code = change.state === 'pending_approval' || change.state === 'submitted' ? 'not_approved' : 'not_startable';
    return { code, ref, state: change.state };
  }
  const hours = requiredNoticeHours(change, policy);
  const earliest = earliestStart(change.createdAt, hours);
  if (earliest && now < earliest) return { code: 'short_notice', ref, hours, earliest, timeZone: policy.timezone };
  // Approved with its exception: the exception approver signed off on running outside the windows and
  // in the freezes it named; a freeze announced since still holds it.
  const excepted = change.scheduleException;
  const risk = change.riskLevel ?? '';
  const durationMs =
    change.plannedStart && change.plannedEnd ? change.plannedEnd.getTime() - change.plannedStart.getTime() : 0;
  const moment = { start: now, end: new Date(now.getTime() + 1) };
  const frozen = freezesDuring(moment, freezes, policy.timezone).filter(
    (freeze) => !excepted?.freezes.some((allowed) => allowed.id === freeze.id),
  );
  if (excepted !== null && frozen[0]) return { code: 'frozen_since_exception', ref, freeze: frozen[0] };
  if (excepted?.outsideWindow) return undefined;
  const nowAllowed = nextAllowedPeriod(policy, { risk, after: now, durationMs: 0 }, []);
  const inWindow = nowAllowed !== undefined && nowAllowed.start.getTime() === now.getTime();
  if (inWindow && frozen.length === 0) return undefined;
  const next = {
    next: nextAllowedPeriod(policy, { risk, after: now, durationMs }, freezes),
    risk,
    timeZone: policy.timezone,
  };
  if (frozen[0]) return { code: 'frozen', ref, freeze: frozen[0], ...next };
  return { code: 'outside_windows', ref, ...next };
}

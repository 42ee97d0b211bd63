// After approval: running the change (POL-SEC-008 9.1), what a failure and a rollback record (10.4),
// production validation (8.4), the post-implementation review (seed workflow 003 step 8) and closure.
import type { Policy } from '../policy/schema.js';
import { readText } from './change-request.js';
import type { ChangeState } from './lifecycle.js';
import { type Freeze, freezesDuring, type Interval, nextAllowedPeriod, type ScheduleException } from './schedule.js';

/** What the change's owner does after approval, in order: run it, then validate, review and close it. */
export const IMPLEMENTATION_STEPS = ['start', 'complete', 'fail', 'roll_back', 'verify', 'review', 'close'] as const;
export type ImplementationStep = (typeof IMPLEMENTATION_STEPS)[number];

/** Block IDs of the implementation modals (each input uses the form's shared action ID). */
export const IMPLEMENTATION_FIELDS = {
  failureReason: 'failure_reason',
  rollbackDecidedAt: 'rollback_decided_at',
  rollbackReason: 'rollback_reason',
  rollbackSteps: 'rollback_steps',
  rollbackImpact: 'rollback_impact',
  rollbackMinutes: 'rollback_minutes',
  verificationChecks: 'verification_checks',
  verificationNote: 'verification_note',
  actualVsExpected: 'review_actual_vs_expected',
  incidents: 'review_incidents',
  lessonsLearned: 'review_lessons_learned',
  rootCause: 'review_root_cause',
  preventiveMeasures: 'review_preventive_measures',
} as const;

type Errors = Record<string, string>;
type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Errors };

const parsed = <T>(errors: Errors, value: T): Parsed<T> =>
  Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };

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
  const errors: Errors = {};
  const F = IMPLEMENTATION_FIELDS;
  const decidedAt = form.decidedAt === undefined ? undefined : new Date(form.decidedAt * 1000);
  if (!decidedAt || Number.isNaN(decidedAt.getTime()))
    errors[F.rollbackDecidedAt] = 'Pick when the rollback was decided.';
  else if (decidedAt.getTime() >= Math.floor(now.getTime() / 60_000) * 60_000 + 60_000)
    errors[F.rollbackDecidedAt] = 'That is in the future; pick when the rollback was decided.';
  const reason = readText(errors, { field: F.rollbackReason, label: 'reason for the rollback' }, form.reason);
  const steps = readText(errors, { field: F.rollbackSteps, label: 'steps executed' }, form.steps);
  const impact = readText(errors, { field: F.rollbackImpact, label: 'impact during the incident' }, form.impact);
  const minutesText = form.durationMinutes?.trim() ?? '';
  const durationMinutes = Number(minutesText);
  if (!/^\d+$/.test(minutesText) || durationMinutes < 1 || durationMinutes > MAX_ROLLBACK_MINUTES) {
    errors[F.rollbackMinutes] =
      `Enter the minutes the rollback took, a whole number from 1 to ${MAX_ROLLBACK_MINUTES}.`;
  }
  return parsed(errors, { decidedAt: decidedAt ?? now, reason, steps, impact, durationMinutes });
}

/** 8.4: every check of the policy's list ticked; a check that does not pass means the change failed. */
export function readVerification(
  checked: readonly string[],
  note: string | undefined,
  policy: Pick<Policy, 'implementation'>,
): Parsed<{ checks: string[]; note: string | null }> {
  const errors: Errors = {};
  const checklist = policy.implementation.verification_checklist;
  const missing = checklist.filter((check) => !checked.includes(check.id));
  if (missing.length > 0 || checked.some((id) => !checklist.some((check) => check.id === id))) {
    errors[IMPLEMENTATION_FIELDS.verificationChecks] =
      `Tick every check once it passes (still open: ` +
      `${missing.map((check) => check.label).join('; ') || 'an unknown check'}). If one ` +
      `does not pass, press Failed instead.`;
  }
  const trimmed = note?.trim() || null;
  if (trimmed !== null && trimmed.length > 3000)
    errors[IMPLEMENTATION_FIELDS.verificationNote] = 'Keep the note under 3000 characters.';
  return parsed(errors, { checks: checklist.map((check) => check.id), note: trimmed });
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
  const errors: Errors = {};
  const F = IMPLEMENTATION_FIELDS;
  const actualVsExpected = readText(
    errors,
    { field: F.actualVsExpected, label: 'actual versus expected outcome' },
    form.actualVsExpected,
  );
  const incidents = readText(
    errors,
    { field: F.incidents, label: 'incidents (write "None" if there were none)' },
    form.incidents,
  );
  const lessonsLearned = readText(errors, { field: F.lessonsLearned, label: 'lessons learned' }, form.lessonsLearned);
  const rootCause = wentWrong(state)
    ? readText(errors, { field: F.rootCause, label: 'root cause' }, form.rootCause)
    : null;
  const preventiveMeasures = wentWrong(state)
    ? readText(errors, { field: F.preventiveMeasures, label: 'preventive measures' }, form.preventiveMeasures)
    : null;
  return parsed(errors, { actualVsExpected, incidents, lessonsLearned, rootCause, preventiveMeasures });
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
 * has not run yet, or is closed or abandoned already; `incomplete`: it still needs its production
 * validation (8.4), its review, or both.
 */
export type CloseRefusal = { ref: string } & (
  | { code: 'not_run'; state: ChangeState }
  | { code: 'incomplete'; needsVerification: boolean; needsReview: boolean }
);

/** What the change needs before it can close, as a refusal; undefined when it may close. */
export function closeRefusal(
  ref: string,
  facts: { state: ChangeState; verified: boolean; reviewed: boolean; reviewRequired: boolean },
): CloseRefusal | undefined {
  if (facts.state !== 'completed' && facts.state !== 'reviewed' && !wentWrong(facts.state)) {
    return { code: 'not_run', ref, state: facts.state };
  }
  const needsVerification = !facts.verified;
  const needsReview = facts.reviewRequired && !facts.reviewed;
  return needsVerification || needsReview ? { code: 'incomplete', ref, needsVerification, needsReview } : undefined;
}

export interface StartFacts {
  ref: string;
  state: ChangeState;
  riskLevel: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  /** Set when an exception was requested; the change's approval includes the exception approver's. */
  scheduleException: ScheduleException | null;
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
);

/**
 * Why the change may not start now, or undefined: it must be approved, and now must fall in a
 * window allowing its risk level and outside every freeze (9.1, 9.2), unless an exception was approved.
 */
export function startRefusal(
  change: StartFacts,
  policy: Pick<Policy, 'timezone' | 'deployment_windows'>,
  freezes: readonly Freeze[],
  now: Date,
): StartRefusal | undefined {
  const { ref } = change;
  if (change.state !== 'approved' && change.state !== 'scheduled') {
    const code = change.state === 'pending_approval' || change.state === 'submitted' ? 'not_approved' : 'not_startable';
    return { code, ref, state: change.state };
  }
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

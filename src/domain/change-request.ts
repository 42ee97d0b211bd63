import { z } from 'zod';
import type { Policy } from '../policy/schema.js';
import type { FormIssue, IssueSink } from './form-issues.js';
import { formRiskLevel } from './risk.js';
import { earliestStart, requiredNoticeHours } from './schedule.js';

/** Field names of the change request form (POL-SEC-008 4.2); the Slack modal maps each to its block. */
export type ChangeField =
  | 'title'
  | 'description'
  | 'businessJustification'
  | 'changeType'
  | 'affectedSystems'
  | 'requestedRiskLevel'
  | 'securityTriggers'
  | 'reviewRules'
  | 'impactAnalysis'
  | 'testPlan'
  | 'rollbackPlan'
  | 'implementationPlan'
  | 'plannedStart'
  | 'plannedEnd'
  | 'scheduleException'
  | 'owner'
  | 'link';

/**
 * Why a change request is refused, field by field; a risk factor's answer is named by its factor, with the
 * policy's label for it. The schedule exception is checked with the windows and freezes, not here.
 */
export type ChangeIssue =
  | FormIssue<Exclude<ChangeField, 'scheduleException'>>
  | (FormIssue<'riskAnswer'> & { factorId: string; factorLabel: string });

/** What the form holds, as read from Slack: anything may be missing or malformed. */
export interface ChangeRequestForm {
  title?: string;
  description?: string;
  businessJustification?: string;
  /** "normal", or "standard:<catalog id>". */
  changeType?: string;
  affectedSystems: string[];
  riskAnswers: Record<string, string | undefined>;
  requestedRiskLevel?: string;
  securityTriggers: string[];
  reviewRules: string[];
  impactAnalysis?: string;
  testPlan?: string;
  rollbackPlan?: string;
  implementationPlan?: string;
  /** Seconds since the epoch, as the datetimepicker gives it. */
  plannedStart?: number;
  plannedEnd?: number;
  /** "Request an exception" ticked: it may run outside its windows (or in a freeze) if approved. */
  scheduleExceptionRequested?: boolean;
  ownerId?: string;
  link?: string;
}

export interface ChangeRequest {
  title: string;
  description: string;
  businessJustification: string;
  type: 'normal' | 'standard';
  standardChangeId: string | undefined;
  affectedSystems: string[];
  riskAnswers: Record<string, number>;
  requestedRiskLevel: string | undefined;
  securityTriggers: string[];
  reviewRules: string[];
  impactAnalysis: string;
  testPlan: string;
  rollbackPlan: string;
  implementationPlan: string;
  plannedStart: Date;
  plannedEnd: Date;
  scheduleExceptionRequested: boolean;
  ownerId: string;
  link: string | undefined;
}

export type Validation = { ok: true; request: ChangeRequest } | { ok: false; issues: ChangeIssue[] };

export const TITLE_MAX = 150;
export const TEXT_MAX = 3000;

/** A required text input, trimmed; a problem is reported under `field` and '' returned. */
export function readText<F extends string>(
  issues: IssueSink<F>,
  target: { field: F; max?: number },
  value: string | undefined,
): string {
  const { field, max = TEXT_MAX } = target;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') issues.push({ field, code: 'required' });
  else if (text.length > max) issues.push({ field, code: 'too_long', max });
  else return text;
  return '';
}

/** A link people can open: http or https only. */
export const httpLink = z.url({ protocol: /^https?$/ }).max(TEXT_MAX);

/** Longest system name when the policy has no catalog of them. */
const SYSTEM_NAME_MAX = 100;

/** The affected systems, trimmed and deduplicated; a problem is reported under `affectedSystems`. */
export function readAffectedSystems(
  values: readonly string[],
  policy: Policy,
  issues: IssueSink<'affectedSystems'>,
): string[] {
  const field = 'affectedSystems';
  const systems = [...new Set(values.map((system) => system.trim()).filter(Boolean))];
  if (systems.length === 0) {
    issues.push({ field, code: 'required' });
  } else if (policy.systems.length > 0) {
    const unknown = systems.find((system) => !policy.systems.some((entry) => entry.id === system));
    if (unknown !== undefined) issues.push({ field, code: 'not_in_catalog', value: unknown });
  } else if (systems.some((system) => system.length > SYSTEM_NAME_MAX)) {
    issues.push({ field, code: 'too_long', max: SYSTEM_NAME_MAX });
  }
  return systems;
}

/**
 * `request`: a change planned ahead. `retrospective`: an emergency documented after the fact (6.4),
 * where the times are when the fix ran and there is no type to choose.
 */
export type RequestMode = 'request' | 'retrospective';

/** The notice a request needs, by its type and the risk level its answers give (none until they are complete). */
function noticeOf(
  request: Pick<ChangeRequest, 'type' | 'riskAnswers' | 'requestedRiskLevel' | 'affectedSystems'>,
  policy: Policy,
): number {
  const riskLevel = formRiskLevel({ ...request, systems: request.affectedSystems }, policy) ?? null;
  return requiredNoticeHours({ type: request.type, riskLevel }, policy);
}

/**
 * Validates a submitted change request against the policy at `now`. Issues are named by field so
 * each lands on its own input; nothing is thrown for bad input.
 */
export function validateChangeRequest(
  form: ChangeRequestForm,
  policy: Policy,
  now: Date,
  mode: RequestMode = 'request',
): Validation {
  const issues: ChangeIssue[] = [];
  const text = (field: Exclude<ChangeField, 'scheduleException'>, value: string | undefined, max = TEXT_MAX) =>
    readText(issues, { field, max }, value);

  const title = text('title', form.title, TITLE_MAX);
  const description = text('description', form.description);
  const businessJustification = text('businessJustification', form.businessJustification);
  const impactAnalysis = text('impactAnalysis', form.impactAnalysis);
  const testPlan = text('testPlan', form.testPlan);
  const rollbackPlan = text('rollbackPlan', form.rollbackPlan);
  const implementationPlan = text('implementationPlan', form.implementationPlan);

  let type: ChangeRequest['type'] = 'normal';
  let standardChangeId: string | undefined;
  if (form.changeType?.startsWith('standard:')) {
    standardChangeId = form.changeType.slice('standard:'.length);
    type = 'standard';
    if (!policy.standard_changes.some((entry) => entry.id === standardChangeId)) {
      issues.push({ field: 'changeType', code: 'not_in_catalog', value: standardChangeId });
    }
  } else if (form.changeType !== 'normal' && mode === 'request') {
    issues.push({ field: 'changeType', code: 'required' });
  }

  const affectedSystems = readAffectedSystems(form.affectedSystems, policy, issues);

  const riskAnswers: Record<string, number> = {};
  for (const factor of policy.risk.factors) {
    const score = Number(form.riskAnswers[factor.id]);
    if (factor.options.some((option) => option.score === score)) riskAnswers[factor.id] = score;
    else issues.push({ field: 'riskAnswer', factorId: factor.id, factorLabel: factor.label, code: 'required' });
  }
  const requestedRiskLevel = form.requestedRiskLevel || undefined;
  if (requestedRiskLevel !== undefined && !policy.risk.levels.some((level) => level.id === requestedRiskLevel)) {
    issues.push({ field: 'requestedRiskLevel', code: 'not_listed' });
  }

  const securityTriggers = form.securityTriggers.filter((id) =>
    policy.security_review.triggers.some((trigger) => trigger.id === id),
  );
  if (securityTriggers.length !== form.securityTriggers.length)
    issues.push({ field: 'securityTriggers', code: 'not_listed' });
  const reviewRules = form.reviewRules.filter((rule) => Object.hasOwn(policy.review_rules, rule));
  if (reviewRules.length !== form.reviewRules.length) issues.push({ field: 'reviewRules', code: 'not_listed' });

  const toDate = (seconds: number | undefined) =>
    seconds !== undefined && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  const plannedStart = toDate(form.plannedStart);
  const plannedEnd = toDate(form.plannedEnd);
  // The picker chooses minutes, so the current minute is not "in the past".
  const startOfThisMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  if (!plannedStart) issues.push({ field: 'plannedStart', code: 'required' });
  else if (mode === 'request' && plannedStart.getTime() < startOfThisMinute)
    issues.push({ field: 'plannedStart', code: 'in_past' });
  else if (mode === 'retrospective' && plannedStart.getTime() >= startOfThisMinute + 60_000)
    issues.push({ field: 'plannedStart', code: 'in_future' });
  else if (mode === 'request') {
    const notice = noticeOf({ type, riskAnswers, requestedRiskLevel, affectedSystems }, policy);
    const earliest = earliestStart(now, notice);
    if (earliest && plannedStart < earliest)
      issues.push({ field: 'plannedStart', code: 'short_notice', hours: notice, earliest, timeZone: policy.timezone });
  }
  if (!plannedEnd) issues.push({ field: 'plannedEnd', code: 'required' });
  else if (plannedStart && plannedEnd.getTime() <= plannedStart.getTime())
    issues.push({ field: 'plannedEnd', code: 'not_after_start' });

  if (!form.ownerId) issues.push({ field: 'owner', code: 'required' });

  const link = form.link?.trim() || undefined;
  if (link !== undefined && !httpLink.safeParse(link).success) issues.push({ field: 'link', code: 'not_a_link' });

  if (issues.length > 0 || !plannedStart || !plannedEnd || !form.ownerId) return { ok: false, issues };
  return {
    ok: true,
    request: {
      title,
      description,
      businessJustification,
      type,
      standardChangeId,
      affectedSystems,
      riskAnswers,
      requestedRiskLevel,
      securityTriggers,
      reviewRules,
      impactAnalysis,
      testPlan,
      rollbackPlan,
      implementationPlan,
      plannedStart,
      plannedEnd,
      scheduleExceptionRequested: form.scheduleExceptionRequested ?? false,
      ownerId: form.ownerId,
      link,
    },
  };
}

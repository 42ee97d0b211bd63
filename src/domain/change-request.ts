import { z } from 'zod';
import type { Policy } from '../policy/schema.js';

/** Field names of the change request (POL-SEC-008 4.2); the Slack modal uses them as block IDs. */
export const CHANGE_FIELDS = {
  title: 'title',
  description: 'description',
  businessJustification: 'business_justification',
  changeType: 'change_type',
  affectedSystems: 'affected_systems',
  requestedRiskLevel: 'requested_risk_level',
  securityTriggers: 'security_triggers',
  reviewRules: 'review_rules',
  impactAnalysis: 'impact_analysis',
  testPlan: 'test_plan',
  rollbackPlan: 'rollback_plan',
  implementationPlan: 'implementation_plan',
  plannedStart: 'planned_start',
  plannedEnd: 'planned_end',
  scheduleException: 'schedule_exception',
  owner: 'owner',
  link: 'link',
} as const;

/** The field holding one risk factor's answer. */
export function riskFactorField(factorId: string): string {
  return `risk_${factorId}`;
}

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

export type Validation = { ok: true; request: ChangeRequest } | { ok: false; errors: Record<string, string> };

export const TITLE_MAX = 150;
export const TEXT_MAX = 3000;

const requiredText = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `Keep the ${label} under ${max} characters.`);

/** A required text field, trimmed; a problem is written to `errors` under `field` and '' returned. */
export function readText(
  errors: Record<string, string>,
  target: { field: string; label: string; max?: number },
  value: string | undefined,
): string {
  const { field, label, max = TEXT_MAX } = target;
  const result = requiredText(label, max).safeParse(value);
  if (result.success) return result.data;
  errors[field] = result.error.issues[0]?.message ?? `Check the ${label}.`;
  return '';
}

/** A link people can open: http or https only. */
export const httpLink = z.url({ protocol: /^https?$/ }).max(TEXT_MAX);

/** The affected systems, trimmed and deduplicated; a problem is written to `errors` under the systems field. */
export function readAffectedSystems(
  values: readonly string[],
  policy: Policy,
  errors: Record<string, string>,
): string[] {
  const systems = [...new Set(values.map((system) => system.trim()).filter(Boolean))];
  if (systems.length === 0) {
    errors[CHANGE_FIELDS.affectedSystems] = 'Name at least one affected system.';
  } else if (policy.systems.length > 0) {
    const unknown = systems.find((system) => !policy.systems.some((entry) => entry.id === system));
    if (unknown !== undefined) errors[CHANGE_FIELDS.affectedSystems] = `"${unknown}" is not in the system catalog.`;
  } else if (systems.some((system) => system.length > 100)) {
    errors[CHANGE_FIELDS.affectedSystems] = 'Keep each system name under 100 characters.';
  }
  return systems;
}

/**
 * `request`: a change planned ahead. `retrospective`: an emergency documented after the fact (6.4),
 * where the times are when the fix ran and there is no type to choose.
 */
export type RequestMode = 'request' | 'retrospective';

/**
 * Validates a submitted change request against the policy at `now`. Errors are keyed by field so
 * each lands on its own input; nothing is thrown for bad input.
 */
export function validateChangeRequest(
  form: ChangeRequestForm,
  policy: Policy,
  now: Date,
  mode: RequestMode = 'request',
): Validation {
  const errors: Record<string, string> = {};
  const text = (field: string, label: string, value: string | undefined, max = TEXT_MAX) =>
    readText(errors, { field, label, max }, value);

  const title = text(CHANGE_FIELDS.title, 'title', form.title, TITLE_MAX);
  const description = text(CHANGE_FIELDS.description, 'description', form.description);
  const businessJustification = text(
    CHANGE_FIELDS.businessJustification,
    'business justification',
    form.businessJustification,
  );
  const impactAnalysis = text(CHANGE_FIELDS.impactAnalysis, 'impact analysis', form.impactAnalysis);
  const testPlan = text(CHANGE_FIELDS.testPlan, 'test plan', form.testPlan);
  const rollbackPlan = text(CHANGE_FIELDS.rollbackPlan, 'rollback plan', form.rollbackPlan);
  const implementationPlan = text(CHANGE_FIELDS.implementationPlan, 'implementation plan', form.implementationPlan);

  let type: ChangeRequest['type'] = 'normal';
  let standardChangeId: string | undefined;
  if (form.changeType?.startsWith('standard:')) {
    standardChangeId = form.changeType.slice('standard:'.length);
    type = 'standard';
    if (!policy.standard_changes.some((entry) => entry.id === standardChangeId)) {
      errors[CHANGE_FIELDS.changeType] = 'That standard change is not in the catalog any more; pick another type.';
    }
  } else if (form.changeType !== 'normal' && mode === 'request') {
    errors[CHANGE_FIELDS.changeType] = 'Pick the change type.';
  }

  const affectedSystems = readAffectedSystems(form.affectedSystems, policy, errors);

  const riskAnswers: Record<string, number> = {};
  for (const factor of policy.risk.factors) {
    const score = Number(form.riskAnswers[factor.id]);
    if (factor.options.some((option) => option.score === score)) riskAnswers[factor.id] = score;
    else errors[riskFactorField(factor.id)] = `Rate ${factor.label}.`;
  }
  const requestedRiskLevel = form.requestedRiskLevel || undefined;
  if (requestedRiskLevel !== undefined && !policy.risk.levels.some((level) => level.id === requestedRiskLevel)) {
    errors[CHANGE_FIELDS.requestedRiskLevel] = 'Pick a risk level from the list.';
  }

  const securityTriggers = form.securityTriggers.filter((id) =>
    policy.security_review.triggers.some((trigger) => trigger.id === id),
  );
  if (securityTriggers.length !== form.securityTriggers.length)
    errors[CHANGE_FIELDS.securityTriggers] = 'Tick only the listed triggers.';
  const reviewRules = form.reviewRules.filter((rule) => Object.hasOwn(policy.review_rules, rule));
  if (reviewRules.length !== form.reviewRules.length)
    errors[CHANGE_FIELDS.reviewRules] = 'Tick only the listed kinds of change.';

  const toDate = (seconds: number | undefined) =>
    seconds !== undefined && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  const plannedStart = toDate(form.plannedStart);
  const plannedEnd = toDate(form.plannedEnd);
  // The picker chooses minutes, so the current minute is not "in the past".
  const startOfThisMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  if (!plannedStart) errors[CHANGE_FIELDS.plannedStart] = 'Pick when the change starts.';
  else if (mode === 'request' && plannedStart.getTime() < startOfThisMinute)
    errors[CHANGE_FIELDS.plannedStart] = 'The start is in the past; pick a later time.';
  else if (mode === 'retrospective' && plannedStart.getTime() >= startOfThisMinute + 60_000)
    errors[CHANGE_FIELDS.plannedStart] = 'That is in the future; pick when the fix started.';
  if (!plannedEnd) errors[CHANGE_FIELDS.plannedEnd] = 'Pick when the change ends.';
  else if (plannedStart && plannedEnd.getTime() <= plannedStart.getTime())
    errors[CHANGE_FIELDS.plannedEnd] = 'The end must be after the start.';

  if (!form.ownerId) errors[CHANGE_FIELDS.owner] = 'Pick the change owner.';

  const link = form.link?.trim() || undefined;
  if (link !== undefined && !httpLink.safeParse(link).success) {
    errors[CHANGE_FIELDS.link] = 'Enter a full http(s) link, e.g. https://github.com/org/repo/pull/42.';
  }

  if (Object.keys(errors).length > 0 || !plannedStart || !plannedEnd || !form.ownerId) return { ok: false, errors };
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

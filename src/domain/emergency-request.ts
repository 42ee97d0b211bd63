import type { Policy } from '../policy/schema.js';
import { readAffectedSystems, readText, TEXT_MAX, TITLE_MAX } from './change-request.js';
import { VERBAL_MEDIA, type VerbalMedium } from './emergency.js';
import type { FormIssue, FormResult } from './form-issues.js';

/**
 * Field names of the emergency modal: the short form an outage allows (6.1, 6.2 "Confirm criteria, document
 * impact").
 */
export type EmergencyField =
  | 'whatIsBroken'
  | 'criterion'
  | 'affectedSystems'
  | 'plannedFix'
  | 'rollbackPlan'
  | 'owner'
  | 'verballyAuthorized';

/** The verbal-authorization tick is optional: nothing is wrong with it either way. */
export type EmergencyIssue = FormIssue<Exclude<EmergencyField, 'verballyAuthorized'>>;

export interface EmergencyForm {
  whatIsBroken?: string;
  criterion?: string;
  affectedSystems: string[];
  plannedFix?: string;
  rollbackPlan?: string;
  ownerId?: string;
  verballyAuthorized: boolean;
}

export interface EmergencyRequest {
  title: string;
  criterion: string;
  affectedSystems: string[];
  plannedFix: string;
  rollbackPlan: string;
  ownerId: string;
  /** The requester already has a verbal authorization to record. */
  verballyAuthorized: boolean;
}

/** Validates the emergency modal; each issue names its own field, nothing is thrown. */
export function validateEmergencyRequest(
  form: EmergencyForm,
  policy: Policy,
): FormResult<EmergencyRequest, EmergencyIssue> {
  const issues: EmergencyIssue[] = [];
  const title = readText(issues, { field: 'whatIsBroken', max: TITLE_MAX }, form.whatIsBroken);
  const plannedFix = readText(issues, { field: 'plannedFix', max: TEXT_MAX }, form.plannedFix);
  // "May be brief", but not empty: 6.2 needs a way back.
  const rollbackPlan = readText(issues, { field: 'rollbackPlan', max: TEXT_MAX }, form.rollbackPlan);
  const criterion = form.criterion ?? '';
  if (!policy.emergency.criteria.some((entry) => entry.id === criterion))
    issues.push({ field: 'criterion', code: criterion === '' ? 'required' : 'not_listed' });
  const affectedSystems = readAffectedSystems(form.affectedSystems, policy, issues);
  if (!form.ownerId) issues.push({ field: 'owner', code: 'required' });
  if (issues.length > 0 || !form.ownerId) return { ok: false, issues };
  return {
    ok: true,
    value: {
      title,
      criterion,
      affectedSystems,
      plannedFix,
      rollbackPlan,
      ownerId: form.ownerId,
      verballyAuthorized: form.verballyAuthorized,
    },
  };
}

/** Field names of the verbal-approval modal. */
export type VerbalField = 'approver' | 'medium' | 'givenAt' | 'note';

export type VerbalIssue = FormIssue<VerbalField>;

export interface VerbalApprovalForm {
  approverId?: string;
  medium?: string;
  /** Seconds since the epoch, as the datetimepicker gives it. */
  givenAt?: number;
  note?: string;
}

export interface VerbalApprovalInput {
  approverId: string;
  medium: VerbalMedium;
  givenAt: Date;
  note: string | undefined;
}

export const NOTE_MAX = 3000;

/** Validates the verbal-approval modal: who, how, when (not in the future), and an optional note or permalink. */
export function validateVerbalApproval(
  form: VerbalApprovalForm,
  now: Date,
): FormResult<VerbalApprovalInput, VerbalIssue> {
  const issues: VerbalIssue[] = [];
  if (!form.approverId) issues.push({ field: 'approver', code: 'required' });
  const medium = VERBAL_MEDIA.find((candidate) => candidate === form.medium);
  if (!medium) issues.push({ field: 'medium', code: form.medium ? 'not_listed' : 'required' });
  const givenAt =
    form.givenAt !== undefined && Number.isFinite(form.givenAt) ? new Date(form.givenAt * 1000) : undefined;
  // The picker chooses minutes, so the current minute is not "in the future".
  const endOfThisMinute = (Math.floor(now.getTime() / 60_000) + 1) * 60_000;
  if (!givenAt) issues.push({ field: 'givenAt', code: 'required' });
  else if (givenAt.getTime() >= endOfThisMinute) issues.push({ field: 'givenAt', code: 'in_future' });
  const note = form.note?.trim() || undefined;
  if (note !== undefined && note.length > NOTE_MAX) issues.push({ field: 'note', code: 'too_long', max: NOTE_MAX });
  if (issues.length > 0 || !form.approverId || !medium || !givenAt) return { ok: false, issues };
  return { ok: true, value: { approverId: form.approverId, medium, givenAt, note } };
}

/**
 * 6.2, 6.3: a verbal approval counts only if it was given between the declaration, less the policy's
 * `verbal_before_declaration_minutes` (approvals given on the call before the form was filed), and now
 * (checked by validateVerbalApproval). The issue on the given-at field, or undefined when it is in bounds.
 */
export function verbalGivenAtIssue(
  givenAt: Date,
  declaredAt: Date,
  policy: Pick<Policy, 'emergency'>,
): VerbalIssue | undefined {
  const minutes = policy.emergency.verbal_before_declaration_minutes;
  // The picker chooses minutes: the bound's own minute is inside it.
  const earliest = Math.floor((declaredAt.getTime() - minutes * 60_000) / 60_000) * 60_000;
  return givenAt.getTime() < earliest ? { field: 'givenAt', code: 'too_early', minutes } : undefined;
}

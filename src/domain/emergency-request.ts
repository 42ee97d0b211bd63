import type { Policy } from '../policy/schema.js';
import { CHANGE_FIELDS, readAffectedSystems, readText, TEXT_MAX, TITLE_MAX } from './change-request.js';
import { VERBAL_MEDIA, type VerbalMedium } from './emergency.js';

/** Block IDs of the emergency modal: the short form an outage allows (6.1, 6.2 "Confirm criteria, document impact"). */
export const EMERGENCY_FIELDS = {
  whatIsBroken: CHANGE_FIELDS.title,
  criterion: 'emergency_criterion',
  affectedSystems: CHANGE_FIELDS.affectedSystems,
  plannedFix: 'planned_fix',
  rollbackPlan: CHANGE_FIELDS.rollbackPlan,
  owner: CHANGE_FIELDS.owner,
  verballyAuthorized: 'verbally_authorized',
} as const;

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

type Result<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** Validates the emergency modal; each error lands on its own block, nothing is thrown. */
export function validateEmergencyRequest(form: EmergencyForm, policy: Policy): Result<EmergencyRequest> {
  const errors: Record<string, string> = {};
  const title = readText(
    errors,
    { field: EMERGENCY_FIELDS.whatIsBroken, label: 'what is broken', max: TITLE_MAX },
    form.whatIsBroken,
  );
  const plannedFix = readText(
    errors,
    { field: EMERGENCY_FIELDS.plannedFix, label: 'planned fix', max: TEXT_MAX },
    form.plannedFix,
  );
  // "May be brief", but not empty: 6.2 needs a way back.
  const rollbackPlan = readText(
    errors,
    { field: EMERGENCY_FIELDS.rollbackPlan, label: 'rollback plan', max: TEXT_MAX },
    form.rollbackPlan,
  );
  const criterion = form.criterion ?? '';
  if (!policy.emergency.criteria.some((entry) => entry.id === criterion))
    errors[EMERGENCY_FIELDS.criterion] = 'Pick the emergency criterion that applies.';
  const affectedSystems = readAffectedSystems(form.affectedSystems, policy, errors);
  if (!form.ownerId) errors[EMERGENCY_FIELDS.owner] = 'Pick who is fixing it.';
  if (Object.keys(errors).length > 0 || !form.ownerId) return { ok: false, errors };
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

/** Block IDs of the verbal-approval modal. */
export const VERBAL_FIELDS = {
  approver: 'verbal_approver',
  medium: 'verbal_medium',
  givenAt: 'verbal_given_at',
  note: 'verbal_note',
} as const;

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
export function validateVerbalApproval(form: VerbalApprovalForm, now: Date): Result<VerbalApprovalInput> {
  const errors: Record<string, string> = {};
  if (!form.approverId) errors[VERBAL_FIELDS.approver] = 'Pick who approved it.';
  const medium = VERBAL_MEDIA.find((candidate) => candidate === form.medium);
  if (!medium) errors[VERBAL_FIELDS.medium] = 'Pick how they approved it.';
  const givenAt =
    form.givenAt !== undefined && Number.isFinite(form.givenAt) ? new Date(form.givenAt * 1000) : undefined;
  // The picker chooses minutes, so the current minute is not "in the future".
  const endOfThisMinute = (Math.floor(now.getTime() / 60_000) + 1) * 60_000;
  if (!givenAt) errors[VERBAL_FIELDS.givenAt] = 'Pick when they approved it.';
  else if (givenAt.getTime() >= endOfThisMinute)
    errors[VERBAL_FIELDS.givenAt] = 'That is in the future; pick when the approval was given.';
  const note = form.note?.trim() || undefined;
  if (note !== undefined && note.length > NOTE_MAX)
    errors[VERBAL_FIELDS.note] = `Keep the note under ${NOTE_MAX} characters.`;
  if (Object.keys(errors).length > 0 || !form.approverId || !medium || !givenAt) return { ok: false, errors };
  return { ok: true, value: { approverId: form.approverId, medium, givenAt, note } };
}

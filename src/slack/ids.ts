// Every identifier Slack sends back to us, in one place: the slash command, routes, action IDs,
// view callback IDs, and the pure functions that encode and parse what a button or view carries.

import { type BallotKind, CAB_OUTCOMES, type CabOutcome } from '../domain/cab.js';
import { formatChangeRef, parseChangeRef } from '../domain/change-ref.js';
import { OBLIGATION_KINDS, type ObligationKind } from '../domain/emergency.js';
import type { ImplementationStep } from '../domain/implementation.js';
import { APPROVAL_PHASES, type ApprovalPhase } from '../domain/lifecycle.js';

export const CHANGE_COMMAND = '/change';
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

export const ACTIONS = {
  approve: 'change_approve',
  reject: 'change_reject',
  details: 'change_details',
  recordVerbal: 'emergency_record_verbal',
  confirmVerbal: 'emergency_confirm_verbal',
  disputeVerbal: 'emergency_dispute_verbal',
  escalate: 'emergency_escalate',
  document: 'emergency_document',
  addEvidence: 'emergency_add_evidence',
  cabClose: 'cab_close_meeting',
  cabPostNow: 'cab_post_now',
  reassign: 'change_reassign',
  recordEvidence: 'change_record_evidence',
} as const;

/** The owner's implementation buttons, one action ID per step (the value is the change ID). */
export const IMPLEMENTATION_ACTIONS = {
  start: 'change_start',
  complete: 'change_complete',
  fail: 'change_fail',
  roll_back: 'change_roll_back',
  verify: 'change_verify',
  review: 'change_review',
  close: 'change_close',
} as const satisfies Record<ImplementationStep, string>;

/** The modals of the steps that record something: the value Slack returns as their callback ID. */
export const IMPLEMENTATION_VIEWS = {
  fail: 'change_failure',
  roll_back: 'change_rollback',
  verify: 'change_verification',
  review: 'change_review',
} as const;
export type ImplementationFormStep = keyof typeof IMPLEMENTATION_VIEWS;

/**
 * The change-request inputs that re-check the schedule when they change (dispatch_action): the
 * modal then shows window, freeze and conflict warnings before it is submitted.
 */
export const SCHEDULE_CHECK_BLOCK = /^(planned_start|planned_end|affected_systems)$/;
export const SCHEDULE_NOTES_BLOCK = 'schedule_notes';

/** CAB vote and decision buttons: one action ID each (IDs are unique within a block), one listener for all. */
export const CAB_BALLOT_ACTION = /^cab_ballot_(vote|decide)_(approve|reject|defer)$/;
export function cabBallotActionId(kind: BallotKind, outcome: CabOutcome): string {
  return `cab_ballot_${kind}_${outcome}`;
}

/**
 * The checklist buttons of an emergency: one action ID per item, since IDs must be unique within a
 * block. Messages sent before carry the bare ID; the value says which item either way.
 */
export const ADD_EVIDENCE_ACTION = new RegExp(`^${ACTIONS.addEvidence}(_(${OBLIGATION_KINDS.join('|')}))?$`);
export function addEvidenceActionId(kind: ObligationKind): string {
  return `${ACTIONS.addEvidence}_${kind}`;
}

export const VIEWS = {
  changeRequest: 'change_request',
  rejectReason: 'change_reject_reason',
  changeDetails: 'change_details',
  emergencyRequest: 'emergency_request',
  verbalApproval: 'emergency_verbal_approval',
  emergencyDocumentation: 'emergency_documentation',
  obligationEvidence: 'emergency_obligation_evidence',
  cabDecisionReason: 'cab_decision_reason',
  cabClose: 'cab_close_meeting',
  freezeAdd: 'freeze_add',
  reassign: 'change_reassign_form',
  changeEvidence: 'change_evidence',
} as const;

/** The views whose submission a listener handles: every modal with a submit button (the details view has none). */
export const SUBMITTED_VIEWS: readonly string[] = [
  ...Object.values(VIEWS).filter((id) => id !== VIEWS.changeDetails),
  ...Object.values(IMPLEMENTATION_VIEWS),
];

/** The inputs of the add-freeze modal. */
export const FREEZE_FIELDS = { from: 'freeze_from', to: 'freeze_to', reason: 'freeze_reason' } as const;

/** The reason input of the chair's reject/defer modal, and the notes input of the close-meeting modal. */
export const CAB_REASON_BLOCK = 'cab_reason';
export const CAB_NOTES_BLOCK = 'cab_notes';

/** The input of the obligation-evidence modal (a ticket link or a root-cause analysis). */
export const EVIDENCE_BLOCK = 'evidence';

/** The inputs of the reassignment modal: which requirement, to whom, why. */
export const REASSIGN_FIELDS = {
  requirement: 'reassign_requirement',
  person: 'reassign_person',
  reason: 'reassign_reason',
} as const;

/** The reject-reason modal's input. */
export const REJECT_REASON_BLOCK = 'reason';

/** The value of a button about a change: its human ID. */
export const encodeChangeValue = formatChangeRef;

/** The change a button or view refers to, or undefined for anything that is not a change ID (forged or stale). */
export function parseChangeValue(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseChangeRef(value);
}

/** A verbal approval's button value, e.g. "VA-12". */
export function encodeVerbalValue(verbalApprovalId: number): string {
  return `VA-${verbalApprovalId}`;
}

export function parseVerbalValue(value: string | undefined): number | undefined {
  const match = /^VA-([1-9]\d{0,9})$/.exec(value ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A checklist item of a change, e.g. "CHG-3:retro_ticket": the value of its button and its modal's metadata. */
export function encodeObligationValue(changeId: number, kind: ObligationKind): string {
  return `${formatChangeRef(changeId)}:${kind}`;
}

export function parseObligationValue(
  value: string | undefined,
): { changeId: number; kind: ObligationKind } | undefined {
  const [ref, kindText] = (value ?? '').split(':');
  const changeId = parseChangeValue(ref);
  const kind = OBLIGATION_KINDS.find((candidate) => candidate === kindText);
  return changeId === undefined || kind === undefined ? undefined : { changeId, kind };
}

/**
 * A decision button's value (and the reject modal's metadata): the change and the phase it was asked
 * in, so a click on an out-of-date message cannot count in a later phase. "CHG-3" alone is the
 * approval phase (messages sent before emergencies existed carry that).
 */
export function encodeDecisionValue(changeId: number, phase: ApprovalPhase): string {
  return phase === 'approval' ? formatChangeRef(changeId) : `${formatChangeRef(changeId)}:${phase}`;
}

export function parseDecisionValue(value: string | undefined): { changeId: number; phase: ApprovalPhase } | undefined {
  const [ref, phaseText = 'approval'] = (value ?? '').split(':');
  const changeId = parseChangeValue(ref);
  const phase = APPROVAL_PHASES.find((candidate) => candidate === phaseText);
  return changeId === undefined || phase === undefined ? undefined : { changeId, phase };
}

/**
 * A ballot on a change put to the board: "ITEM-7:vote:approve" (the button's value and the reason modal's metadata).
 */
export interface BallotValue {
  itemId: number;
  kind: BallotKind;
  outcome: CabOutcome;
}

export function encodeBallotValue({ itemId, kind, outcome }: BallotValue): string {
  return `ITEM-${itemId}:${kind}:${outcome}`;
}

export function parseBallotValue(value: string | undefined): BallotValue | undefined {
  const match = /^ITEM-([1-9]\d{0,9}):(vote|decide):(\w+)$/.exec(value ?? '');
  const outcome = CAB_OUTCOMES.find((candidate) => candidate === match?.[3]);
  if (!match?.[1] || !outcome) return undefined;
  return { itemId: Number(match[1]), kind: match[2] === 'decide' ? 'decide' : 'vote', outcome };
}

/** A CAB meeting's button value and modal metadata, e.g. "CAB-4". */
export function encodeMeetingValue(meetingId: number): string {
  return `CAB-${meetingId}`;
}

export function parseMeetingValue(value: string | undefined): number | undefined {
  const match = /^CAB-([1-9]\d{0,9})$/.exec(value ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A requirement offered in the reassignment modal, e.g. "REQ-12" (the server checks it belongs to the change). */
export function encodeRequirementValue(requirementId: number): string {
  return `REQ-${requirementId}`;
}

export function parseRequirementValue(value: string | undefined | null): number | undefined {
  const match = /^REQ-([1-9]\d{0,9})$/.exec(value ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

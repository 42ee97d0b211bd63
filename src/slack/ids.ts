// Every identifier Slack sends back to us, in one place: the slash command, routes, action IDs,
// view callback IDs, and the pure functions that encode and parse what a button or view carries.
import { formatChangeRef, parseChangeRef } from '../domain/change-ref.js';
import { OBLIGATION_KINDS, type ObligationKind } from '../domain/emergency.js';
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
} as const;

export const VIEWS = {
  changeRequest: 'change_request',
  rejectReason: 'change_reject_reason',
  changeDetails: 'change_details',
  emergencyRequest: 'emergency_request',
  verbalApproval: 'emergency_verbal_approval',
  emergencyDocumentation: 'emergency_documentation',
  obligationEvidence: 'emergency_obligation_evidence',
} as const;

/** The input of the obligation-evidence modal (a ticket link or a root-cause analysis). */
export const EVIDENCE_BLOCK = 'evidence';

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

export function parseObligationValue(value: string | undefined): { changeId: number; kind: ObligationKind } | undefined {
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

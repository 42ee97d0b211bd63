// The block ID of each form field the domain names: the modals build their inputs under them, the
// view-state readers read them back, and a refused field's sentence goes on its block.
import type { EvidenceField } from '../../domain/change-evidence.js';
import type { ChangeField } from '../../domain/change-request.js';
import type { EmergencyField, VerbalField } from '../../domain/emergency-request.js';
import type { ImplementationField } from '../../domain/implementation.js';

/** Block IDs of the change-request modal (POL-SEC-008 4.2); the emergency documentation reuses them. */
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
} as const satisfies Record<ChangeField, string>;

/** The block holding one risk factor's answer. */
export function riskFactorField(factorId: string): string {
  return `risk_${factorId}`;
}

/** Block IDs of the emergency modal; the fields it shares with a change request keep their blocks. */
export const EMERGENCY_FIELDS = {
  whatIsBroken: CHANGE_FIELDS.title,
  criterion: 'emergency_criterion',
  affectedSystems: CHANGE_FIELDS.affectedSystems,
  plannedFix: 'planned_fix',
  rollbackPlan: CHANGE_FIELDS.rollbackPlan,
  owner: CHANGE_FIELDS.owner,
  verballyAuthorized: 'verbally_authorized',
} as const satisfies Record<EmergencyField, string>;

/** Block IDs of the verbal-approval modal. */
export const VERBAL_FIELDS = {
  approver: 'verbal_approver',
  medium: 'verbal_medium',
  givenAt: 'verbal_given_at',
  note: 'verbal_note',
} as const satisfies Record<VerbalField, string>;

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
} as const satisfies Record<ImplementationField, string>;

/** Block IDs of the change-evidence modal (8.1 tests, step evidence). */
export const EVIDENCE_FIELDS = {
  evidenceItem: 'change_evidence_item',
  evidenceText: 'change_evidence_text',
} as const satisfies Record<EvidenceField, string>;

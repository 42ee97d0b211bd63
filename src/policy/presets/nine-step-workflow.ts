// 003 "Change Management Workflow" (nine steps): system owners, technical leads, security and a CAB approve;
// testing evidence recorded; every change reviewed after implementation.
export const nineStepWorkflow = {
  roles: { technical_lead: [], security: [], cab: [], change_manager: [] },
  // 3: system owners approve changes to their systems: give each catalog system an `owner_role`.
  approval_matrix: {
    low: ['technical_lead'],
    medium: ['technical_lead'],
    high: ['technical_lead', 'security', 'cab'],
    critical: ['technical_lead', 'security', 'cab'],
  },
  review_rules: { security: { label: 'Security implications', approvals: { security: 1 } } },
  change_types: { standard: { approver_roles: [] } },
  approvals: {
    fallback_role: 'change_manager',
    review_roles: ['technical_lead'],
    escalate_to_roles: ['change_manager'],
    admin_roles: ['change_manager'],
    quiet_roles: [],
  },
  // 3: emergencies follow expedited approval but are still documented.
  emergency: {
    authorizers: { business_hours: ['technical_lead'], after_hours: ['technical_lead'], fallback_any_of: ['security'] },
    dispute_notify_roles: ['security'],
    dispute_resolver_roles: ['change_manager'],
    overdue_notify_roles: ['change_manager'],
  },
  cab: { role: 'cab' },
  scheduling: { exception_role: 'change_manager', freeze_manager_roles: ['change_manager'] },
  // 4: tested in a non-production environment, the testing evidence recorded, after the approvals (3) and before the
  // change is implemented (7).
  testing: {
    kinds: [
      {
        id: 'non_production',
        label: 'Tested in a non-production environment (functionality, compatibility, security)',
      },
    ],
    required_by_risk: {
      low: ['non_production'],
      medium: ['non_production'],
      high: ['non_production'],
      critical: ['non_production'],
    },
    recommended_by_risk: {},
    required_before: 'start',
  },
  // 7: all actions taken during the implementation documented, issues reported; 8: monitoring increased after
  // deployment, before the change is validated.
  step_evidence: {
    complete: [{ id: 'implementation_notes', label: 'Implementation notes: actions taken and issues encountered' }],
    verify: [{ id: 'monitoring_increased', label: 'Monitoring increased after deployment' }],
  },
  // 8: a post-implementation review of every change.
  implementation: { review_risk_levels: ['low', 'medium', 'high', 'critical'] },
  auditor_roles: ['change_manager'],
  // Cited beside the rules users read; a rule the document has no section for is not cited.
  document: {
    name: 'Change Management Workflow',
    sections: {
      emergency_authorization: 'step 3',
      emergency_paperwork: 'step 3',
      deployment_windows: 'step 6',
      production_validation: 'step 8',
    },
  },
};

// 004 FinaPilot CHG-001: standard changes by the Engineering Manager, normal ones by the CAB (chaired by the
// Engineering Manager) documented 48 hours ahead, emergencies by the CTO or the Security Officer.
const LEVELS = ['low', 'medium', 'high', 'critical'];

export const finapilotChg001 = {
  roles: {
    engineering_manager: [],
    security_officer: [],
    compliance_officer: [],
    product_manager: [],
    devops_lead: [],
    cto: [],
  },
  // 9: the board's members; the Engineering Manager chairs.
  role_groups: {
    cab: ['engineering_manager', 'security_officer', 'compliance_officer', 'product_manager', 'devops_lead'],
  },
  change_types: {
    standard: {
      description: 'Pre-approved, low-risk changes',
      examples: 'Non-breaking API updates',
      approver_roles: ['engineering_manager'],
    },
    normal: {
      description: 'Planned changes with risk assessment',
      examples: 'Feature releases, major updates',
      // 3.3: the CAB approves every normal change.
      approver_roles: ['cab'],
    },
    emergency: { description: 'Critical security patches, system outages', examples: 'Zero-day vulnerability patch' },
  },
  approval_matrix: { low: [], medium: [], high: ['security_officer'], critical: ['security_officer', 'cto'] },
  // 4.2: security review for security-related changes, compliance review for regulatory ones.
  review_rules: {
    security: { label: 'Security configuration', approvals: { security_officer: 1 } },
    compliance: { label: 'Regulatory change', approvals: { compliance_officer: 1 } },
  },
  approvals: {
    fallback_role: 'cto',
    review_roles: [],
    escalate_to_roles: ['engineering_manager'],
    admin_roles: ['engineering_manager', 'cto'],
    quiet_roles: [],
  },
  // 3.1: the CTO or the Security Officer, both asked at once, the first to authorize deciding; no stand-ins. Documented
  // within 24 hours.
  emergency: {
    authorizers: {
      business_hours: [{ any_of: ['cto', 'security_officer'] }],
      after_hours: [{ any_of: ['cto', 'security_officer'] }],
      fallback_any_of: [],
    },
    dispute_notify_roles: ['security_officer', 'compliance_officer'],
    dispute_resolver_roles: ['cto'],
    overdue_notify_roles: ['engineering_manager'],
    paperwork_hours: { documentation: 24, retro_ticket: 24, retro_approval: 24, root_cause_analysis: 24 },
  },
  cab: { role: 'cab', chair_role: 'engineering_manager', decision_rule: 'chair' },
  // 3.3: normal changes documented 48 hours before implementation.
  scheduling: {
    notice_hours: { by_type: { normal: 48 } },
    exception_role: 'cto',
    freeze_manager_roles: ['engineering_manager', 'cto'],
  },
  // 7: every change documents its post-implementation review.
  implementation: { review_risk_levels: ['low', 'medium', 'high', 'critical'] },
  // 5: unit (80 % coverage), integration (all API endpoints) and security (OWASP Top 10) tests for every change;
  // performance tests for critical paths and user acceptance for user-facing changes, where they apply. 3.2, 3.3:
  // documentation required before implementation, so before Start.
  testing: {
    kinds: [
      { id: 'unit', label: 'Unit tests (80% code coverage minimum)' },
      { id: 'integration', label: 'Integration tests (all API endpoints)' },
      { id: 'security', label: 'Security tests (OWASP Top 10 checks)' },
      { id: 'performance', label: 'Performance tests (load testing for critical paths)' },
      { id: 'uat', label: 'User acceptance (user-facing changes)' },
    ],
    required_by_risk: Object.fromEntries(LEVELS.map((level) => [level, ['unit', 'integration', 'security']])),
    recommended_by_risk: Object.fromEntries(LEVELS.map((level) => [level, ['performance', 'uat']])),
    required_before: 'start',
  },
  // 4.3 "Document any deviations": recorded before the change closes ("none" when it went as planned).
  step_evidence: { close: [{ id: 'deviations', label: 'Deviations from the plan documented (or none)' }] },
  // 6: roll back on critical errors, performance degradation over 20 %, security vulnerabilities.
  rollback_triggers: ['Critical errors occur', 'Performance degradation > 20%', 'Security vulnerabilities introduced'],
  // 10: success > 95 %, failure < 5 %.
  metrics: { targets: { success_rate_min: 95, rollback_rate_max: 5 } },
  auditor_roles: ['compliance_officer', 'cto'],
  // Cited beside the rules users read; a rule the document has no section for is not cited.
  document: {
    name: 'CHG-001',
    sections: {
      emergency_authorization: '3.1',
      emergency_paperwork: '3.1',
      emergency_cab: '9',
      deployment_windows: '4.3',
      production_validation: '4.4',
      rollback_triggers: '6',
      rollback_record: '6',
      metrics: '10',
    },
  },
};

// 002 MCP4.ai Change Management Policy: peer review plus the CTO (or the CISO), no CAB and no deployment windows,
// emergencies authorized verbally or in chat, documented at once and reviewed by the CTO or CISO within 48 hours.
export const mcp4 = {
  roles: { peer: [], cto: [], ciso: [], devops: [], qa_security: [], compliance_officer: [] },
  change_types: {
    standard: {
      description: 'Routine, low-risk, pre-approved modifications',
      examples: 'UI copy updates, routine Docker rebuilds',
      // 4: "Automated / Peer Review": a catalog entry may name [peer].
      approver_roles: [],
    },
    normal: {
      description: 'Non-urgent but potentially impactful changes',
      examples: 'Dependency upgrades, DB migrations',
    },
    emergency: {
      description: 'Critical fixes to restore service or patch vulnerabilities',
      examples: 'Outage fixes, security patches',
    },
  },
  // 5.3: peer-reviewed and approved by the CTO/CISO: any one of the two, the record naming which.
  approval_matrix: {
    low: ['peer', { any_of: ['cto', 'ciso'] }],
    medium: ['peer', { any_of: ['cto', 'ciso'] }],
    high: ['peer', { any_of: ['cto', 'ciso'] }],
    critical: ['peer', { any_of: ['cto', 'ciso'] }],
  },
  // 6: QA / Security verify a change does not compromise the security posture; 5.2: the Compliance Officer reviews a
  // change with regulatory or privacy impact.
  review_rules: {
    security: { label: 'Security-sensitive', approvals: { qa_security: 1, peer: 1 } },
    compliance: { label: 'Regulatory or privacy impact', approvals: { compliance_officer: 1 } },
  },
  approvals: {
    fallback_role: 'ciso',
    review_roles: ['peer'],
    escalate_to_roles: ['cto'],
    admin_roles: ['cto', 'ciso'],
    quiet_roles: [],
  },
  emergency: {
    authorizers: { business_hours: ['cto'], after_hours: ['cto'], fallback_any_of: ['ciso'] },
    verbal_approvals_count_unconfirmed: true,
    dispute_notify_roles: ['ciso', 'compliance_officer'],
    dispute_resolver_roles: ['ciso'],
    overdue_notify_roles: ['cto'],
    overdue_notify_cab_chair: false,
    // 9: documented immediately after execution; reviewed within 48 hours to prevent recurrence.
    reminder_hours_before_deadline: 12,
    paperwork_hours: { documentation: 1, retro_approval: 48, root_cause_analysis: 48 },
    retro_review_any_of: ['cto', 'ciso'],
    cab_review_risk_levels: [],
  },
  cab: 'none',
  deployment_windows: 'any',
  scheduling: { exception_role: 'cto', freeze_manager_roles: ['cto', 'ciso'] },
  // 5.2 weighs testing requirements case by case: no test kind is required before a change runs. 5.5: after it,
  // functional, regression and security testing, before the change is validated.
  testing: { kinds: [], required_by_risk: {}, recommended_by_risk: {} },
  step_evidence: {
    verify: [
      { id: 'functional_tests', label: 'Functional testing after the change' },
      { id: 'regression_tests', label: 'Regression testing after the change' },
      { id: 'security_tests', label: 'Security testing after the change' },
    ],
  },
  // 5.6: every completed change is reviewed by its owner (actual vs expected, incidents, lessons learned).
  // 5.4 "Production deployments executed by authorized DevOps engineers"; 6 "QA / Security Team: verify change does not
  // compromise functionality or security posture" (not the engineer who deployed it); 5.6 "approved by the CTO/CISO
  // for closure".
  implementation: {
    review_risk_levels: ['low', 'medium', 'high', 'critical'],
    implementer_roles: ['devops'],
    verifier_roles: ['qa_security'],
    verifier_not_implementer: true,
    closure_approval_any_of: ['cto', 'ciso'],
  },
  auditor_roles: ['compliance_officer', 'ciso'],
  // Cited beside the rules users read; a rule the document has no section for is not cited.
  document: {
    name: 'MCP4 policy',
    sections: {
      verbal_approval: '5.3',
      emergency_authorization: '5.3',
      emergency_paperwork: '9',
      production_validation: '5.5',
      rollback_triggers: '8',
      rollback_record: '8',
    },
  },
};

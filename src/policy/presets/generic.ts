// 000 "Change Management Policy" (generic): a Security Lead, then the CTO, approve, an IT Administrator implements,
// no CAB, emergencies implemented at once (no prior authorization) and documented within 24 hours, then reviewed.
const LEVELS = ['low', 'medium', 'high', 'critical'];

export const generic = {
  roles: { security_lead: [], cto: [], it_admin: [] },
  change_types: {
    standard: {
      description: 'Low risk, repetitive and predictable; pre-approved by the Security Lead',
      examples: 'Routine software updates, adding new users',
      approver_roles: [],
    },
    normal: {
      description: 'Moderate risk or operational impact; documented approval before execution',
      examples: 'Server configuration updates, network changes',
    },
    emergency: {
      description: 'Urgent changes to restore service or fix security issues',
      examples: 'Restoring a failed service, patching an exploited vulnerability',
    },
  },
  // 4.2: the Security Lead and the CTO review normal and high-impact changes.
  approval_matrix: {
    low: ['security_lead', 'cto'],
    medium: ['security_lead', 'cto'],
    high: ['security_lead', 'cto'],
    critical: ['security_lead', 'cto'],
  },
  review_rules: {},
  security_review: { triggers: [] },
  approvals: {
    // 5: the CTO "provides final approval": asked once the Security Lead has approved.
    stages: [['security_lead'], ['cto']],
    fallback_role: 'cto',
    review_roles: ['security_lead'],
    escalate_to_roles: ['cto'],
    admin_roles: ['cto'],
    quiet_roles: [],
  },
  // 5: the CTO oversees emergency decisions; 3: documented within 24 hours; 4.2: retrospective review.
  emergency: {
    // 3 "may be implemented immediately", 4.2 "may bypass normal approvals": authorized as declared.
    prior_authorization: false,
    authorizers: { business_hours: ['cto'], after_hours: ['cto'], fallback_any_of: ['security_lead'] },
    dispute_notify_roles: ['security_lead'],
    dispute_resolver_roles: ['cto'],
    overdue_notify_roles: ['cto'],
    overdue_notify_cab_chair: false,
    paperwork_hours: { documentation: 24, retro_approval: 72 },
    retro_review_any_of: ['security_lead', 'cto'],
    cab_review_risk_levels: [],
  },
  cab: 'none',
  // 4.4: "during maintenance windows when possible": not a rule a tool can refuse by.
  deployment_windows: 'any',
  scheduling: { exception_role: 'cto', freeze_manager_roles: ['cto', 'security_lead'] },
  // 4.3: before deployment, verified not to introduce new vulnerabilities and reviewed for compatibility; tested in a
  // non-production environment "if possible" (recommended).
  testing: {
    kinds: [
      { id: 'non_production', label: 'Tested in a non-production environment' },
      { id: 'vulnerabilities', label: 'Verified to introduce no new vulnerabilities' },
      { id: 'compatibility', label: 'Reviewed for compatibility with existing systems' },
    ],
    required_by_risk: Object.fromEntries(LEVELS.map((level) => [level, ['vulnerabilities', 'compatibility']])),
    recommended_by_risk: Object.fromEntries(LEVELS.map((level) => [level, ['non_production']])),
    required_before: 'start',
  },
  // 7: significant or failed changes are reviewed; high-risk ones in a short retrospective.
  // 5 "IT Administrator: submits and implements changes", 4.4 "must document successful completion": the owner is an
  // IT Administrator, who runs, validates and closes the change.
  implementation: { review_risk_levels: ['high', 'critical'], implementer_roles: ['it_admin'] },
  auditor_roles: ['cto'],
  // Cited beside the rules users read; a rule the document has no section for is not cited.
  document: {
    name: 'Change Management Policy',
    sections: {
      emergency_authorization: '3',
      emergency_paperwork: '3',
      production_validation: '4.4',
      deployment_windows: '4.4',
      rollback_record: '4.5',
    },
  },
};

// Built-in defaults: POL-SEC-008 v2.0 "Change Management Policy" (shared/policy-docs/001_*).
// Each constant cites the section it reproduces; the policy file overrides any of them.

import type { Weekday } from '../domain/weekday.js';

export const DEFAULT_TIMEZONE = 'America/New_York'; // 9.1 gives windows in ET

// Not defined by POL-SEC-008; Monday–Friday 09:00–17:00 is the usual reading of "business hours" (6.3).
export const DEFAULT_BUSINESS_HOURS = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[],
  from: '09:00',
  to: '17:00',
};

// Roles the defaults below refer to. Without a policy file they exist with no members.
export const DEFAULT_ROLE_NAMES = [
  'peer',
  'manager',
  'security',
  'cab',
  'cto',
  'ciso',
  'oncall_manager',
  'oncall_security',
  'dba',
] as const;

// 3.1 Change Types
export const DEFAULT_CHANGE_TYPES = {
  standard: {
    label: 'Standard',
    description: 'Pre-approved, low-risk changes',
    examples: 'Routine patching, config updates',
    // 3.1 "Pre-authorized": no approver is asked.
    approver_roles: [] as string[],
  },
  normal: {
    label: 'Normal',
    description: 'Planned changes requiring approval',
    examples: 'Feature releases, infrastructure changes',
  },
  emergency: {
    label: 'Emergency',
    description: 'Urgent fixes for critical issues',
    examples: 'Security patches, outage fixes',
  },
} as const;

// Approval rules POL-SEC-008 leaves implicit: a person approves a change in one role only, and
// when the requester (or owner) is all a required role has, the CTO is asked instead.
export const DEFAULT_APPROVALS = {
  one_role_per_person: true,
  fallback_role: 'cto',
  // 4.4 "Review SLA": the peer review runs on the review column, every other role on the approval column.
  review_roles: ['peer'],
  // Reminders to those asked and not yet decided, at these points of the SLA (100: when it is due).
  reminders_at_percent: [50, 100],
  // Told once the SLA has passed (the board's requirement: the CAB chair).
  escalate_to_roles: ['manager'],
  // Who may reassign a stuck requirement to a named person.
  admin_roles: ['change_manager', 'cto'],
  // May decide (from Details or the Home) but are sent neither requests nor the digest.
  quiet_roles: [] as string[],
  // Per-request reminders, a morning digest, or both.
  nudges: 'both' as const,
  // The digest's hour on business days, in each person's own Slack time zone.
  digest_time: '09:00',
  // `/change remind`: at most once in this many hours per change.
  requester_nudge_hours: 4,
};

// 3.3 Risk Assessment Criteria
const lowMediumHigh = (low: string, medium: string, high: string) => [
  { score: 1, label: 'Low', description: low },
  { score: 2, label: 'Medium', description: medium },
  { score: 3, label: 'High', description: high },
];

export const DEFAULT_RISK_FACTORS = [
  {
    id: 'systems_affected',
    label: 'Systems Affected',
    options: lowMediumHigh('Single component', 'Multiple components', 'Critical infrastructure'),
  },
  {
    id: 'user_impact',
    label: 'User Impact',
    options: lowMediumHigh('None/minimal', 'Some users affected', 'All users affected'),
  },
  {
    id: 'data_risk',
    label: 'Data Risk',
    options: lowMediumHigh('No data changes', 'Data format changes', 'Data migration'),
  },
  {
    id: 'reversibility',
    label: 'Reversibility',
    options: lowMediumHigh('Easy rollback', 'Moderate rollback', 'Complex/impossible'),
  },
  {
    id: 'security_impact',
    label: 'Security Impact',
    options: lowMediumHigh('No security change', 'Minor security change', 'Security controls affected'),
  },
];

// 3.2 Risk Levels with the 3.3 score thresholds. The document lumps 12–15 as "High risk/Critical";
// we split it 12–13 High, 14–15 Critical.
export const DEFAULT_RISK_LEVELS = [
  { id: 'low', label: 'Low', min_score: 5 },
  { id: 'medium', label: 'Medium', min_score: 8 },
  { id: 'high', label: 'High', min_score: 12 },
  { id: 'critical', label: 'Critical', min_score: 14 },
];

// 4.4 Approval Matrix. (3.2 also names the CISO for Critical; 4.4 is the matrix this follows —
// an organisation that wants both adds `ciso` to the critical row.)
export const DEFAULT_APPROVAL_MATRIX = {
  low: ['peer'],
  medium: ['peer', 'manager'],
  high: ['peer', 'manager', 'security', 'cab'],
  critical: ['peer', 'manager', 'security', 'cab', 'cto'],
};

// 4.3 Code Review Requirements: "2 reviewers including X", as approvals per role.
// Infrastructure says "including ops"; the default roles have no ops role, so two peers stand in
// until the organisation defines one.
export const DEFAULT_REVIEW_RULES = {
  security: { label: 'Security-related', approvals: { security: 1, peer: 1 } },
  database: { label: 'Database changes', approvals: { dba: 1, peer: 1 } },
  infrastructure: { label: 'Infrastructure', approvals: { peer: 2 } },
  application: { label: 'Application', approvals: { peer: 2 } },
};

// 4.3 Security Review Triggers; ticking one of them makes the change security-related.
export const DEFAULT_SECURITY_REVIEW = {
  rule: 'security',
  triggers: [
    { id: 'authentication', label: 'Authentication/authorization changes' },
    { id: 'encryption', label: 'Encryption configuration changes' },
    { id: 'network_security', label: 'Network security changes' },
    { id: 'external_integration', label: 'New external integrations' },
    { id: 'data_handling', label: 'Data handling changes' },
    { id: 'privilege_access', label: 'Privilege or access changes' },
  ],
};

// 4.4 SLA for Approvals, in business days.
export const DEFAULT_APPROVAL_SLA = {
  low: { review_business_days: 1, approval_business_days: 1 },
  medium: { review_business_days: 2, approval_business_days: 2 },
  high: { review_business_days: 3, approval_business_days: 3 },
  critical: { review_business_days: 5, approval_business_days: 5 },
};

// 6.1 Definition, 6.3 Emergency Authorization, 6.4 Post-Emergency Requirements.
export const DEFAULT_EMERGENCY = {
  criteria: [
    { id: 'production_down', label: 'Production system is down or severely degraded' },
    { id: 'vulnerability_exploited', label: 'Security vulnerability actively being exploited' },
    { id: 'data_loss', label: 'Data loss or corruption is occurring' },
    { id: 'compliance_risk', label: 'Regulatory/legal compliance at immediate risk' },
  ],
  authorizers: {
    business_hours: ['manager', 'security'],
    after_hours: ['oncall_manager', 'oncall_security'],
    // "If unavailable: CTO or CISO" — any one of them.
    fallback_any_of: ['cto', 'ciso'],
  },
  // Silent in 6.3; how long the on-duty authorizers have before the CTO and CISO are asked too.
  escalate_after_minutes: 15,
  // 6.2 "verbal approval": it counts at once; the approver confirms it in writing afterwards.
  verbal_approvals_count_unconfirmed: true,
  // A disputed verbal approval is a possible unauthorized change: security and the CISO hear of it.
  dispute_notify_roles: ['security', 'ciso'],
  // A verbal approval may have been given on a call before the form was filed, but not long before.
  verbal_before_declaration_minutes: 60,
  // Who may resolve an authorization disputed after the fact, besides the CAB.
  dispute_resolver_roles: ['ciso'],
  // 6.4 "Within 24 hours"; the owner is reminded before, the manager (and CAB chair) told after.
  documentation_deadline_hours: 24,
  reminder_hours_before_deadline: 4,
  overdue_notify_roles: ['manager'],
  overdue_notify_cab_chair: true,
  // 6.4 "Present to CAB if high/critical".
  cab_review_risk_levels: ['high', 'critical'],
};

// 7.2 CAB Schedule and 7.3 CAB Agenda; 5.3 "Review high-risk and critical changes".
/** The sections of a CAB agenda (7.3), in their default order. */
export const AGENDA_SECTION_IDS = [
  'previous_changes',
  'emergency_changes',
  'changes_for_approval',
  'change_calendar',
  'change_freezes',
  'open_issues',
] as const;

export const DEFAULT_CAB = {
  schedule: '0 10 * * 3', // Wednesdays 10 AM
  // The approval-matrix role that is the board itself: satisfied only by a CAB decision.
  role: 'cab',
  // 7.1 "Chair: facilitate meetings, final decisions".
  decision_rule: 'chair' as const,
  quorum: 3,
  // 7.3 (4) "Change calendar review": how far ahead the agenda looks.
  calendar_days: 14,
  // A meeting's agenda missed while the bot was down is still posted (marked late) within this time.
  missed_agenda_grace_hours: 4,
  emergency_within_hours: 4,
  agenda_sections: [
    // 7.3, in order.
    { id: 'previous_changes', title: 'Review of previous changes (successes/failures)' },
    { id: 'emergency_changes', title: 'Emergency changes since last meeting' },
    { id: 'changes_for_approval', title: 'High/Critical changes for approval' },
    { id: 'change_calendar', title: 'Change calendar review' },
    { id: 'change_freezes', title: 'Upcoming change freeze periods' },
    { id: 'open_issues', title: 'Open issues and concerns' },
  ] satisfies { id: (typeof AGENDA_SECTION_IDS)[number]; title: string }[],
};

// 9.1 Deployment Windows (Friday and the weekend: emergency only).
export const DEFAULT_DEPLOYMENT_WINDOWS = [
  { days: ['mon', 'thu'] as Weekday[], from: '06:00', to: '10:00', risks: ['low', 'medium'] },
  { days: ['tue', 'wed'] as Weekday[], from: '06:00', to: '10:00', risks: ['low', 'medium', 'high', 'critical'] },
];

// 9.1–9.2: what happens to a change planned outside its windows or into a freeze. POL-SEC-008 names
// no exception route; the CTO (its reviewer, and the approvals fallback) approves exceptions, and a
// freeze can be excepted the same way. 9.2 "as announced": freezes are announced by the change
// manager, or the CTO or CISO (a role the policy does not list simply has no members).
export const DEFAULT_SCHEDULING = {
  exception_role: 'cto',
  freeze_rule: 'exception' as const,
  freeze_manager_roles: ['change_manager', 'cto', 'ciso'],
};

// 8.4 Production Validation, and the post-implementation review of the seed workflow (003 step 8):
// required for every failed or rolled-back change and for these risk levels.
export const DEFAULT_IMPLEMENTATION = {
  verification_checklist: [
    { id: 'health_checks', label: 'Health checks passing' },
    { id: 'error_rates', label: 'No increase in error rates' },
    { id: 'response_times', label: 'No degradation in response times' },
    { id: 'business_flows', label: 'Key business flows functional' },
    { id: 'monitoring_alerts', label: 'Monitoring alerts normal' },
  ],
  review_risk_levels: ['high', 'critical'],
  // POL-SEC-008 names no implementer, verifier or closure approver: the owner runs, validates and closes the change.
  implementer_roles: [] as string[],
  verifier_roles: [] as string[],
  verifier_not_implementer: false,
  closure_approval_any_of: [] as string[],
};

// 8.1 Testing by Risk Level: the kinds, which each level requires and which it recommends (3.2's "Testing" column
// says the same more briefly). 9.3 "Pre-Deployment: Testing completed and documented": Start waits for them.
export const DEFAULT_TESTING = {
  kinds: [
    { id: 'unit', label: 'Unit tests' },
    { id: 'integration', label: 'Integration tests' },
    { id: 'staging', label: 'Staging' },
    { id: 'uat', label: 'User acceptance (UAT)' },
    { id: 'performance', label: 'Performance tests' },
  ],
  required_by_risk: {
    low: ['unit'],
    medium: ['unit', 'integration', 'staging'],
    high: ['unit', 'integration', 'staging', 'uat'],
    critical: ['unit', 'integration', 'staging', 'uat', 'performance'],
  } as Record<string, string[]>,
  recommended_by_risk: { low: ['integration'], high: ['performance'] } as Record<string, string[]>,
  required_before: 'start' as const,
};

// 10.2 Rollback Decision, by incident severity.
// 10.1 Rollback Triggers: shown when a change is marked failed or rolled back.
export const DEFAULT_ROLLBACK_TRIGGERS = [
  'Critical functionality broken',
  'Unacceptable error rate increase',
  'Performance degradation >50%',
  'Security vulnerability introduced',
  'Data integrity issues',
];

export const DEFAULT_ROLLBACK_DECISION = {
  critical: { decision_maker: 'On-call engineer', time_limit_minutes: 15 },
  high: { decision_maker: 'Team lead', time_limit_minutes: 30 },
  medium: { decision_maker: 'Change owner', time_limit_minutes: 60 },
  low: { decision_maker: 'Change owner', time_limit_minutes: 240 },
};

// 11.1: who may verify the audit log (`/change audit verify`); the CISO owns the policy's evidence.
export const DEFAULT_AUDITOR_ROLES = ['auditor', 'ciso'];

// 11.1 Required Documentation, retention in years.
export const DEFAULT_RETENTION_YEARS = {
  change_requests: 3,
  approval_records: 3,
  test_results: 1,
  deployment_logs: 1,
  rollback_records: 3,
  cab_minutes: 3,
};

// 11.2 Change Metrics targets, in percent; lead time per risk level in hours: 11.2 says "per risk level", so the
// 4.4 approval SLA stands in, a business day counted as 24 hours.
export const DEFAULT_METRIC_TARGETS = {
  success_rate_min: 95,
  emergency_rate_max: 5,
  rollback_rate_max: 3,
  post_implementation_issues_max: 5,
  lead_time_hours: { low: 24, medium: 48, high: 72, critical: 120 },
};

/**
 * The document users see cited beside a rule ("Authorization (POL-SEC-008 6.3)"), and the section of each rule it
 * is cited for. A policy that names its own document cites only the sections it lists.
 */
export const DEFAULT_DOCUMENT = {
  name: 'POL-SEC-008',
  sections: {
    approval_sla: '4.4',
    verbal_approval: '6.2',
    emergency_authorization: '6.3',
    emergency_paperwork: '6.4',
    emergency_cab: '7.2',
    production_validation: '8.4',
    deployment_windows: '9.1',
    freezes: '9.2',
    rollback_triggers: '10.1',
    rollback_decision: '10.2',
    rollback_record: '10.4',
    metrics: '11.2',
  },
};

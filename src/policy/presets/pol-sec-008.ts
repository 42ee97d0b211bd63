// 001 POL-SEC-008: the built-in defaults (src/policy/defaults.ts, 8.1's tests before Start included), and 9.3's other
// pre-deployment checks as evidence before Start. They stay out of the defaults: an installation without a policy file
// would owe four records before every Start. "Backup verified (if applicable)" is left to the rollback plan: an item
// here is owed by every change. And 9.2's "End of month/quarter (billing)" freezes: the document gives no length, so
// the preset freezes the billing run itself, the last day of each month and the last two of each quarter; an
// organisation that bills over more days writes its own `freezes`.
export const polSec008 = {
  freezes: [
    { every: 'month_end', last_days: 1, reason: 'Month-end billing' },
    { every: 'quarter_end', last_days: 2, reason: 'Quarter-end billing' },
  ],
  step_evidence: {
    start: [
      { id: 'rollback_plan_verified', label: 'Rollback plan verified' },
      { id: 'monitoring_ready', label: 'Monitoring dashboards ready' },
      { id: 'stakeholders_told', label: 'Communication sent to stakeholders' },
      { id: 'oncall_notified', label: 'On-call team notified' },
    ],
  },
};

import cron from 'node-cron';
import { z } from 'zod';
import { WEEKDAYS } from '../domain/weekday.js';
import * as defaults from './defaults.js';

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function isCalendarDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name (letters, digits, underscores)');
const weekday = z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time such as "09:00"');
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2026-12-20"')
  .refine(isCalendarDate, 'not a real calendar date');
/** "MM-DD" is a yearly holiday; "YYYY-MM-DD" one day. */
const holidayDate = z.union([
  calendarDate,
  z
    .string()
    .regex(/^\d{2}-\d{2}$/, 'expected a date such as "2026-12-24", or "12-25" for every year')
    .refine((value) => isCalendarDate(`2024-${value}`), 'not a real calendar date'),
]);
const roleMember = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'expected a Slack user ID (U…/W…) or user-group ID (S…)');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user ID (U… or W…)');
const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel ID (C… or G…)');
const positiveInt = z.number().int().positive();
const paperworkHours = z.number().positive().max(720, 'at most 720 hours (30 days)');
const percent = z.number().min(0).max(100);
const systemId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected a system id such as "payments-api" (lower case, digits, - _ .)');
const labelled = z.strictObject({ id: identifier, label: z.string().min(1) });
/** What the evidence modal's select holds, all items of a change together (Slack shows at most 100 options). */
const EVIDENCE_ITEMS_MAX = 20;
const EVIDENCE_ITEMS_MESSAGE = `keep ${EVIDENCE_ITEMS_MAX} items or fewer`;
const EVIDENCE_GATES = ['approval', 'start', 'none'] as const;
const evidenceList = z.array(labelled).max(EVIDENCE_ITEMS_MAX, EVIDENCE_ITEMS_MESSAGE).prefault([]);

const riskFactor = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  options: z
    .array(z.strictObject({ score: positiveInt, label: z.string().min(1), description: z.string().min(1) }))
    .min(2),
});

// An approver entry (the approval matrix, change types, catalog entries): a role, or any one of several roles (MCP4 5.3
// "CTO/CISO"); the record names the one used.
const anyOf = z.array(identifier).min(2);
const matrixEntry = z.union([identifier, z.strictObject({ any_of: anyOf })]);
export type MatrixEntry = z.infer<typeof matrixEntry>;
const approverEntries = z.array(matrixEntry);

/** The roles a matrix entry names. */
export function rolesOfEntry(entry: MatrixEntry): string[] {
  return typeof entry === 'string' ? [entry] : entry.any_of;
}

const riskLevel = z.strictObject({ id: identifier, label: z.string().min(1), min_score: positiveInt });

// A window whose `to` is not after its `from` runs overnight and ends the next day; "24:00" ends at midnight.
const deploymentWindow = z.strictObject({
  days: z.array(weekday).min(1),
  from: clockTime,
  to: z.union([clockTime, z.literal('24:00')]),
  risks: z.array(identifier).min(1),
});

const yearlyDate = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'expected a date such as "2026-12-24", or "12-25" for every year')
  // Not 02-29: a yearly freeze must fall every year.
  .refine((value) => value !== '02-29' && isCalendarDate(`2025-${value}`), 'not a date of every year');
const datedFreeze = z.strictObject({
  from: z.union([calendarDate, yearlyDate]),
  to: z.union([calendarDate, yearlyDate]),
  reason: z.string().min(1),
});
const recurringFreeze = z.strictObject({
  every: z.enum(['month_end', 'quarter_end', 'year_end'], {
    error: 'expected "month_end", "quarter_end" or "year_end"',
  }),
  // The period's last days, and the first days of the next one.
  last_days: positiveInt.max(28),
  first_days: z.number().int().min(0).max(28).default(0),
  reason: z.string().min(1),
});

/** A section of the policy document, as it is cited: "6.3", "3.1", "Appendix B". */
const sectionNumber = z.string().min(1).max(20);

/** The descriptive keys every change type has, defaulting to POL-SEC-008 3.1. */
function changeTypeText(fallback: { label: string; description: string; examples: string }) {
  return {
    label: z.string().min(1).default(fallback.label),
    description: z.string().default(fallback.description),
    examples: z.string().default(fallback.examples),
  };
}

/** The policy file's shape; the cross-references are checked once adapt.ts has fitted the defaults (load.ts). */
export const policyShape = z.strictObject({
  timezone: z
    .string()
    .refine(isKnownTimeZone, 'unknown IANA time zone (e.g. America/New_York, Europe/London)')
    .default(defaults.DEFAULT_TIMEZONE),
  business_hours: z
    .strictObject({
      days: z.array(weekday).min(1).prefault(defaults.DEFAULT_BUSINESS_HOURS.days),
      from: clockTime.default(defaults.DEFAULT_BUSINESS_HOURS.from),
      to: clockTime.default(defaults.DEFAULT_BUSINESS_HOURS.to),
    })
    .prefault({}),
  // Days no business day counts on (SLAs, the digest): "2026-12-24" once, "12-25" every year, or either named.
  holidays: z
    .array(z.union([holidayDate, z.strictObject({ date: holidayDate, name: z.string().min(1) })]))
    .prefault([]),
  // A role made of other roles (004 9: the CAB is the Engineering Manager, the Security Officer, …): its members
  // are theirs.
  role_groups: z.record(identifier, z.array(identifier).min(1)).prefault({}),
  roles: z
    .record(identifier, z.array(roleMember))
    .default(() => Object.fromEntries(defaults.DEFAULT_ROLE_NAMES.map((role) => [role, []]))),
  change_types: z
    .strictObject({
      standard: z
        .strictObject({
          ...changeTypeText(defaults.DEFAULT_CHANGE_TYPES.standard),
          approver_roles: approverEntries.prefault(defaults.DEFAULT_CHANGE_TYPES.standard.approver_roles),
        })
        .prefault({}),
      normal: z
        .strictObject({
          ...changeTypeText(defaults.DEFAULT_CHANGE_TYPES.normal),
          // Roles every normal change needs besides its risk level's (004 4.2: the CAB approves normal changes).
          approver_roles: approverEntries.prefault([]),
        })
        .prefault({}),
      emergency: z.strictObject(changeTypeText(defaults.DEFAULT_CHANGE_TYPES.emergency)).prefault({}),
    })
    .prefault({}),
  // 3.1 "Pre-approved" standard changes: the catalog a requester picks from.
  standard_changes: z
    .array(
      z.strictObject({
        id: identifier,
        title: z.string().min(1).max(150),
        description: z.string().default(''),
        // This entry's approvers instead of change_types.standard.approver_roles (MCP4 4: some automatic, some peer).
        approver_roles: approverEntries.optional(),
      }),
    )
    // One select holds 100 options, and "normal" takes one.
    .max(99, 'Slack shows at most 100 options in a select; keep 99 standard changes or fewer')
    .prefault([]),
  // The systems a change may affect; empty means free text in the change form.
  systems: z
    .array(
      z.strictObject({
        id: systemId,
        label: z.string().min(1).max(75),
        // Its owners approve every normal change to it (the nine-step workflow's system owners).
        owner_role: identifier.optional(),
        // Its tier: a change to it is at least this risk level.
        min_risk: identifier.optional(),
      }),
    )
    .max(100, 'Slack shows at most 100 options in a select; keep 100 systems or fewer')
    .prefault([]),
  approvals: z
    .strictObject({
      one_role_per_person: z.boolean().default(defaults.DEFAULT_APPROVALS.one_role_per_person),
      fallback_role: identifier.default(defaults.DEFAULT_APPROVALS.fallback_role),
      /** Per-role overrides of fallback_role. */
      fallback_roles: z.record(identifier, identifier).prefault({}),
      review_roles: z.array(identifier).prefault(defaults.DEFAULT_APPROVALS.review_roles),
      reminders_at_percent: z
        .array(z.number().int().min(1).max(100))
        .prefault(defaults.DEFAULT_APPROVALS.reminders_at_percent),
      escalate_to_roles: z.array(identifier).prefault(defaults.DEFAULT_APPROVALS.escalate_to_roles),
      // Not checked against roles, like auditor_roles: a role the policy does not list has no members.
      admin_roles: z.array(identifier).prefault(defaults.DEFAULT_APPROVALS.admin_roles),
      quiet_roles: z.array(identifier).prefault(defaults.DEFAULT_APPROVALS.quiet_roles),
      nudges: z
        .enum(['reminders', 'digest', 'both'], {
          error: 'expected "reminders" (per request), "digest" (one message each morning) or "both"',
        })
        .default(defaults.DEFAULT_APPROVALS.nudges),
      digest_time: clockTime.default(defaults.DEFAULT_APPROVALS.digest_time),
      requester_nudge_hours: positiveInt.default(defaults.DEFAULT_APPROVALS.requester_nudge_hours),
      // Ordered stages of a change's approval (000 5: the CTO gives final approval, after the Security Lead): a
      // stage's roles are asked once every earlier stage is approved. A role no stage names is in the first.
      stages: z.array(z.array(identifier).min(1)).prefault([]),
    })
    .prefault({}),
  risk: z
    .strictObject({
      factors: z.array(riskFactor).min(1).prefault(defaults.DEFAULT_RISK_FACTORS),
      levels: z.array(riskLevel).min(1).prefault(defaults.DEFAULT_RISK_LEVELS),
    })
    .prefault({}),
  approval_matrix: z.record(identifier, z.array(matrixEntry)).prefault(defaults.DEFAULT_APPROVAL_MATRIX),
  review_rules: z
    .record(
      identifier,
      z.strictObject({
        label: z.string().min(1),
        approvals: z.record(identifier, positiveInt).prefault({}),
        // One approval more, by any one of these roles (a reviewer "from ops or SRE"); the record names the one used.
        any_of: anyOf.optional(),
      }),
    )
    .prefault(defaults.DEFAULT_REVIEW_RULES),
  security_review: z
    .strictObject({
      rule: identifier.default(defaults.DEFAULT_SECURITY_REVIEW.rule),
      // Slack shows at most 10 checkboxes in one input.
      triggers: z
        .array(labelled)
        .max(10, 'Slack shows at most 10 checkboxes; keep 10 triggers or fewer')
        .prefault(defaults.DEFAULT_SECURITY_REVIEW.triggers),
    })
    .prefault({}),
  approval_sla: z
    .record(identifier, z.strictObject({ review_business_days: positiveInt, approval_business_days: positiveInt }))
    .prefault(defaults.DEFAULT_APPROVAL_SLA),
  emergency: z
    .strictObject({
      criteria: z.array(labelled).min(1).prefault(defaults.DEFAULT_EMERGENCY.criteria),
      authorizers: z
        .strictObject({
          // Every entry authorizes; `{ any_of: [cto, security_officer] }` is met by the first of them (004 3.1).
          business_hours: approverEntries.min(1).prefault(defaults.DEFAULT_EMERGENCY.authorizers.business_hours),
          after_hours: approverEntries.min(1).prefault(defaults.DEFAULT_EMERGENCY.authorizers.after_hours),
          fallback_any_of: z.array(identifier).prefault(defaults.DEFAULT_EMERGENCY.authorizers.fallback_any_of),
        })
        .prefault({}),
      // false: an emergency is authorized when declared ("may be implemented immediately", 000 3) and owes its
      // paperwork from then; nobody is asked first.
      prior_authorization: z.boolean().default(true),
      escalate_after_minutes: positiveInt.default(defaults.DEFAULT_EMERGENCY.escalate_after_minutes),
      verbal_approvals_count_unconfirmed: z
        .boolean()
        .default(defaults.DEFAULT_EMERGENCY.verbal_approvals_count_unconfirmed),
      dispute_notify_roles: z.array(identifier).prefault(defaults.DEFAULT_EMERGENCY.dispute_notify_roles),
      verbal_before_declaration_minutes: z
        .number()
        .int()
        .min(0)
        .default(defaults.DEFAULT_EMERGENCY.verbal_before_declaration_minutes),
      dispute_resolver_roles: z.array(identifier).prefault(defaults.DEFAULT_EMERGENCY.dispute_resolver_roles),
      documentation_deadline_hours: positiveInt.default(defaults.DEFAULT_EMERGENCY.documentation_deadline_hours),
      // A reminder that would fall at or before the authorization is not sent.
      reminder_hours_before_deadline: positiveInt.default(defaults.DEFAULT_EMERGENCY.reminder_hours_before_deadline),
      // 6.4's paperwork and when each is due, in hours after the authorization (fractions allowed: 0.5 is half an
      // hour). A kind left out is not owed; documentation and the formal approval always are. Unset: every kind
      // within documentation_deadline_hours.
      paperwork_hours: z
        .strictObject({
          documentation: paperworkHours,
          retro_ticket: paperworkHours.optional(),
          retro_approval: paperworkHours,
          root_cause_analysis: paperworkHours.optional(),
        })
        .optional(),
      // The formal approval after the fact by any one of these roles (MCP4 9: "Reviewed by CTO/CISO"), instead of
      // the approval matrix; empty: the matrix.
      retro_review_any_of: z.array(identifier).prefault([]),
      overdue_notify_roles: z.array(identifier).prefault(defaults.DEFAULT_EMERGENCY.overdue_notify_roles),
      overdue_notify_cab_chair: z.boolean().default(defaults.DEFAULT_EMERGENCY.overdue_notify_cab_chair),
      cab_review_risk_levels: z.array(identifier).prefault(defaults.DEFAULT_EMERGENCY.cab_review_risk_levels),
    })
    .prefault({}),
  // `cab: none`: the organisation has no CAB (no agenda, no board approvals, no CAB warnings).
  cab: z
    .preprocess(
      (value) => (value === 'none' ? { enabled: false } : value),
      z.strictObject({
        enabled: z.boolean().default(true),
        channel: slackChannelId.optional(),
        chair: slackUserId.optional(),
        // The chair as a role holding one person (004 9: the Engineering Manager chairs), when `chair` is not set.
        chair_role: identifier.optional(),
        schedule: z
          .string()
          .refine(
            (expression) => cron.validate(expression),
            'not a valid cron expression (5 or 6 fields, e.g. "0 10 * * 3")',
          )
          .default(defaults.DEFAULT_CAB.schedule),
        role: identifier.default(defaults.DEFAULT_CAB.role),
        decision_rule: z.enum(['chair', 'quorum']).default(defaults.DEFAULT_CAB.decision_rule),
        quorum: positiveInt.default(defaults.DEFAULT_CAB.quorum),
        calendar_days: positiveInt
          .max(90, 'at most 90 days: the agenda is read in one meeting')
          .default(defaults.DEFAULT_CAB.calendar_days),
        missed_agenda_grace_hours: positiveInt
          .max(168, 'at most 168 hours (a week)')
          .default(defaults.DEFAULT_CAB.missed_agenda_grace_hours),
        emergency_within_hours: positiveInt.default(defaults.DEFAULT_CAB.emergency_within_hours),
        agenda_sections: z
          .array(
            z.strictObject({
              id: z.enum(defaults.AGENDA_SECTION_IDS),
              title: z.string().min(1),
            }),
          )
          .prefault(defaults.DEFAULT_CAB.agenda_sections),
      }),
    )
    .prefault({}),
  // The calendar feed (GET /calendar.ics): how far back and ahead it reaches.
  calendar: z
    .strictObject({
      past_days: positiveInt.max(366).default(90),
      ahead_days: positiveInt.max(732).default(365),
    })
    .prefault({}),
  channels: z
    .strictObject({
      log: slackChannelId.optional(),
      // Where the audit log's head is witnessed daily; unset: the log channel.
      audit: slackChannelId.optional(),
      // Where the monthly report (11.3) is posted; unset: the log channel.
      reports: slackChannelId.optional(),
    })
    .prefault({}),
  // Who may verify the audit log and take the evidence pack from Slack. Not checked against roles: a role the
  // policy does not list has no members.
  auditor_roles: z.array(identifier).prefault(defaults.DEFAULT_AUDITOR_ROLES),
  // "any": changes may run at any time (no windows).
  deployment_windows: z
    .union([z.literal('any'), z.array(deploymentWindow)])
    .prefault(defaults.DEFAULT_DEPLOYMENT_WINDOWS),
  // 9.2: dated ("2026-12-20"), yearly ("12-20" to "01-02") or recurring ends of month, quarter or year.
  freezes: z.array(z.union([datedFreeze, recurringFreeze])).prefault([]),
  scheduling: z
    .strictObject({
      exception_role: identifier.default(defaults.DEFAULT_SCHEDULING.exception_role),
      freeze_rule: z
        .enum(['exception', 'refuse'], {
          error: 'expected "exception" (an approved exception may run in a freeze) or "refuse"',
        })
        .default(defaults.DEFAULT_SCHEDULING.freeze_rule),
      // The least notice a change needs, in hours from when it is documented to its start (004 4.2: normal
      // changes 48 h): the larger of its type's and its risk level's. Emergencies need none.
      notice_hours: z
        .strictObject({
          by_type: z.strictObject({ standard: positiveInt.optional(), normal: positiveInt.optional() }).prefault({}),
          by_risk: z.record(identifier, positiveInt).prefault({}),
        })
        .prefault({}),
      // Not checked against roles: a role the policy does not list has no members.
      freeze_manager_roles: z.array(identifier).prefault(defaults.DEFAULT_SCHEDULING.freeze_manager_roles),
    })
    .prefault({}),
  implementation: z
    .strictObject({
      // Slack shows at most 10 checkboxes in one input.
      verification_checklist: z
        .array(labelled)
        .min(1)
        .max(10, 'Slack shows at most 10 checkboxes; keep 10 checks or fewer')
        .prefault(defaults.DEFAULT_IMPLEMENTATION.verification_checklist),
      review_risk_levels: z.array(identifier).prefault(defaults.DEFAULT_IMPLEMENTATION.review_risk_levels),
      // Who owns and implements a change (000 5: the IT Administrator; MCP4 5.4: DevOps): the owner named in the
      // form holds one of these roles, and holds it still at every Start, Complete, Failed and Rolled back. Empty:
      // anyone.
      implementer_roles: z.array(identifier).prefault(defaults.DEFAULT_IMPLEMENTATION.implementer_roles),
      // Who records the production validation (MCP4 6: QA / Security verify), instead of the owner. Empty: the owner.
      verifier_roles: z.array(identifier).prefault(defaults.DEFAULT_IMPLEMENTATION.verifier_roles),
      // With verifier_roles: the owner, who implemented the change, may not verify it too.
      verifier_not_implementer: z.boolean().default(defaults.DEFAULT_IMPLEMENTATION.verifier_not_implementer),
      // Closing asks any one of these roles, and the change closes when one approves (MCP4 5.6: "approved by the
      // CTO/CISO for closure"). Empty: the owner closes it.
      closure_approval_any_of: z.array(identifier).prefault(defaults.DEFAULT_IMPLEMENTATION.closure_approval_any_of),
    })
    .prefault({}),
  // Tests recorded with their evidence before a change runs (POL-SEC-008 8.1; 004 5): the kinds, which each risk
  // level requires and recommends, and what the required ones block until recorded ("none": shown, blocking nothing).
  testing: z
    .strictObject({
      kinds: z.array(labelled).max(EVIDENCE_ITEMS_MAX, EVIDENCE_ITEMS_MESSAGE).prefault(defaults.DEFAULT_TESTING.kinds),
      required_by_risk: z.record(identifier, z.array(identifier)).prefault(defaults.DEFAULT_TESTING.required_by_risk),
      recommended_by_risk: z
        .record(identifier, z.array(identifier))
        .prefault(defaults.DEFAULT_TESTING.recommended_by_risk),
      required_before: z
        .enum(EVIDENCE_GATES, { error: 'expected "approval", "start" or "none"' })
        .default(defaults.DEFAULT_TESTING.required_before),
    })
    .prefault({}),
  // Evidence items recorded before a lifecycle step may be taken (003: "All actions taken during the implementation
  // must be documented"), by the step they come before.
  step_evidence: z
    .strictObject({
      start: evidenceList,
      complete: evidenceList,
      verify: evidenceList,
      review: evidenceList,
      close: evidenceList,
    })
    .prefault({}),
  rollback_triggers: z.array(z.string().min(1).max(150)).prefault(defaults.DEFAULT_ROLLBACK_TRIGGERS),
  // `decision_maker` as people read it; `decision_maker_role`, when set, names who holds it now.
  rollback_decision: z
    .record(
      identifier,
      z.strictObject({
        decision_maker: z.string().min(1),
        decision_maker_role: identifier.optional(),
        time_limit_minutes: positiveInt,
      }),
    )
    .prefault(defaults.DEFAULT_ROLLBACK_DECISION),
  retention_years: z
    .strictObject({
      change_requests: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.change_requests),
      approval_records: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.approval_records),
      test_results: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.test_results),
      deployment_logs: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.deployment_logs),
      rollback_records: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.rollback_records),
      cab_minutes: positiveInt.default(defaults.DEFAULT_RETENTION_YEARS.cab_minutes),
    })
    .prefault({}),
  // The organisation's policy document, cited beside the rules users read; a rule without a section is not cited.
  document: z
    .strictObject({
      name: z.string().min(1).max(60),
      sections: z
        .strictObject({
          approval_sla: sectionNumber.optional(),
          verbal_approval: sectionNumber.optional(),
          emergency_authorization: sectionNumber.optional(),
          emergency_paperwork: sectionNumber.optional(),
          emergency_cab: sectionNumber.optional(),
          production_validation: sectionNumber.optional(),
          deployment_windows: sectionNumber.optional(),
          freezes: sectionNumber.optional(),
          rollback_triggers: sectionNumber.optional(),
          rollback_decision: sectionNumber.optional(),
          rollback_record: sectionNumber.optional(),
          metrics: sectionNumber.optional(),
        })
        .prefault({}),
    })
    .prefault(defaults.DEFAULT_DOCUMENT),
  metrics: z
    .strictObject({
      targets: z
        .strictObject({
          success_rate_min: percent.default(defaults.DEFAULT_METRIC_TARGETS.success_rate_min),
          emergency_rate_max: percent.default(defaults.DEFAULT_METRIC_TARGETS.emergency_rate_max),
          rollback_rate_max: percent.default(defaults.DEFAULT_METRIC_TARGETS.rollback_rate_max),
          post_implementation_issues_max: percent.default(
            defaults.DEFAULT_METRIC_TARGETS.post_implementation_issues_max,
          ),
          // Not checked against risk.levels: the defaults name 3.3's levels, and a level without a target has none.
          lead_time_hours: z.record(identifier, positiveInt).prefault(defaults.DEFAULT_METRIC_TARGETS.lead_time_hours),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type PolicyShape = z.infer<typeof policyShape>;
type Issue = { path: (string | number)[]; message: string };

function duplicates(values: readonly string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

/**
 * Cross-references between sections: every role, risk level and rule a section names must exist. `assumed` names
 * the single-role keys left at a built-in default that names a role the policy does not define (warned, not
 * refused: see adapt.ts).
 */
export function crossReferenceIssues(policy: PolicyShape, assumed: ReadonlySet<string> = new Set()): Issue[] {
  const issues: Issue[] = [];
  const roles = new Set(Object.keys(policy.roles));
  const levelIds = policy.risk.levels.map((level) => level.id);
  const levels = new Set(levelIds);
  const roleList = [...roles].join(', ') || '(none)';
  const levelList = levelIds.join(', ');

  const checkRole = (path: (string | number)[], role: string) => {
    if (!roles.has(role))
      issues.push({ path, message: `role "${role}" is not defined under roles (defined: ${roleList})` });
  };
  const checkLevel = (path: (string | number)[], level: string) => {
    if (!levels.has(level))
      issues.push({ path, message: `risk level "${level}" is not one of risk.levels (${levelList})` });
  };
  const checkEveryLevelHasRow = (section: string, rows: Record<string, unknown>) => {
    for (const level of levelIds) {
      if (!Object.hasOwn(rows, level)) issues.push({ path: [section], message: `no entry for risk level "${level}"` });
    }
    for (const level of Object.keys(rows)) checkLevel([section, level], level);
  };

  // 3.2–3.3: levels ascend, and the lowest possible score falls into the first level.
  for (const id of duplicates(levelIds))
    issues.push({ path: ['risk', 'levels'], message: `risk level "${id}" is listed twice` });
  policy.risk.levels.forEach((level, index) => {
    const previous = policy.risk.levels[index - 1];
    if (previous && level.min_score <= previous.min_score) {
      issues.push({
        path: ['risk', 'levels', index, 'min_score'],
        message: `must be greater than ${previous.min_score} (levels go from lowest to highest)`,
      });
    }
  });
  const lowestScore = policy.risk.factors.reduce(
    (sum, factor) => sum + Math.min(...factor.options.map((o) => o.score)),
    0,
  );
  const firstLevel = policy.risk.levels[0];
  if (firstLevel && firstLevel.min_score > lowestScore) {
    issues.push({
      path: ['risk', 'levels', 0, 'min_score'],
      message: `must be at most ${lowestScore}, the lowest possible score, so every score has a level`,
    });
  }
  for (const id of duplicates(policy.risk.factors.map((factor) => factor.id))) {
    issues.push({ path: ['risk', 'factors'], message: `factor "${id}" is listed twice` });
  }
  policy.risk.factors.forEach((factor, index) => {
    for (const score of duplicates(factor.options.map((option) => String(option.score)))) {
      issues.push({ path: ['risk', 'factors', index, 'options'], message: `score ${score} is listed twice` });
    }
  });

  for (const [group, included] of Object.entries(policy.role_groups)) {
    included.forEach((role, index) => {
      if (Object.hasOwn(policy.role_groups, role))
        issues.push({ path: ['role_groups', group, index], message: `"${role}" is a group: name its roles instead` });
      else checkRole(['role_groups', group, index], role);
    });
  }
  if (policy.cab.chair_role !== undefined) checkRole(['cab', 'chair_role'], policy.cab.chair_role);
  /** Every role an approver list names exists (and, `once`, is named once). */
  const checkEntries = (path: (string | number)[], entries: readonly MatrixEntry[], once = true) => {
    entries.forEach((entry, index) => {
      if (typeof entry === 'string') checkRole([...path, index], entry);
      else
        entry.any_of.forEach((role, roleIndex) => {
          checkRole([...path, index, 'any_of', roleIndex], role);
        });
    });
    if (once)
      for (const role of duplicates(entries.flatMap(rolesOfEntry)))
        issues.push({ path, message: `role "${role}" is listed twice` });
  };
  checkEveryLevelHasRow('approval_matrix', policy.approval_matrix);
  for (const [level, row] of Object.entries(policy.approval_matrix)) checkEntries(['approval_matrix', level], row);
  checkEveryLevelHasRow('approval_sla', policy.approval_sla);

  const declarableRules = Object.keys(policy.review_rules).filter((rule) => rule !== policy.security_review.rule);
  if (declarableRules.length > 10) {
    issues.push({
      path: ['review_rules'],
      message: 'Slack shows at most 10 checkboxes; keep 10 review rules or fewer besides the security rule',
    });
  }
  for (const [rule, { approvals, any_of }] of Object.entries(policy.review_rules)) {
    for (const role of Object.keys(approvals)) checkRole(['review_rules', rule, 'approvals', role], role);
    any_of?.forEach((role, index) => {
      checkRole(['review_rules', rule, 'any_of', index], role);
    });
    for (const role of duplicates([...Object.keys(approvals), ...(any_of ?? [])]))
      issues.push({ path: ['review_rules', rule], message: `role "${role}" is listed twice` });
  }
  if (policy.security_review.triggers.length > 0 && !Object.hasOwn(policy.review_rules, policy.security_review.rule)) {
    issues.push({
      path: ['security_review', 'rule'],
      message: `review rule "${policy.security_review.rule}" is not defined under review_rules`,
    });
  }

  if (!assumed.has('approvals.fallback_role'))
    checkRole(['approvals', 'fallback_role'], policy.approvals.fallback_role);
  for (const key of ['review_roles', 'escalate_to_roles', 'quiet_roles'] as const) {
    policy.approvals[key].forEach((role, index) => {
      checkRole(['approvals', key, index], role);
    });
  }
  policy.approvals.stages.forEach((stage, index) => {
    stage.forEach((role, roleIndex) => {
      checkRole(['approvals', 'stages', index, roleIndex], role);
    });
  });
  for (const role of duplicates(policy.approvals.stages.flat()))
    issues.push({ path: ['approvals', 'stages'], message: `role "${role}" is in two stages` });
  for (const [role, fallback] of Object.entries(policy.approvals.fallback_roles)) {
    checkRole(['approvals', 'fallback_roles', role], role);
    checkRole(['approvals', 'fallback_roles', role], fallback);
  }
  for (const id of duplicates(policy.standard_changes.map((entry) => entry.id))) {
    issues.push({ path: ['standard_changes'], message: `standard change "${id}" is listed twice` });
  }
  for (const id of duplicates(policy.systems.map((system) => system.id))) {
    issues.push({ path: ['systems'], message: `system "${id}" is listed twice` });
  }
  for (const type of ['standard', 'normal'] as const)
    checkEntries(['change_types', type, 'approver_roles'], policy.change_types[type].approver_roles);
  policy.standard_changes.forEach((entry, index) => {
    if (entry.approver_roles) checkEntries(['standard_changes', index, 'approver_roles'], entry.approver_roles);
  });
  issues.push(...overlappingGroupIssues(policy));
  policy.systems.forEach((system, index) => {
    if (system.owner_role !== undefined) checkRole(['systems', index, 'owner_role'], system.owner_role);
    if (system.min_risk !== undefined) checkLevel(['systems', index, 'min_risk'], system.min_risk);
  });
  // A role listed twice among the authorizers is one requirement (the domain folds it), as it always was.
  for (const key of ['business_hours', 'after_hours'] as const)
    checkEntries(['emergency', 'authorizers', key], policy.emergency.authorizers[key], false);
  policy.emergency.authorizers.fallback_any_of.forEach((role, index) => {
    checkRole(['emergency', 'authorizers', 'fallback_any_of', index], role);
  });
  for (const key of ['dispute_notify_roles', 'overdue_notify_roles'] as const) {
    policy.emergency[key].forEach((role, index) => {
      checkRole(['emergency', key, index], role);
    });
  }
  policy.emergency.retro_review_any_of.forEach((role, index) => {
    checkRole(['emergency', 'retro_review_any_of', index], role);
  });
  policy.emergency.cab_review_risk_levels.forEach((level, index) => {
    checkLevel(['emergency', 'cab_review_risk_levels', index], level);
  });
  if (!policy.cab.enabled) {
    for (const [level, row] of Object.entries(policy.approval_matrix)) {
      row.forEach((entry, index) => {
        if (rolesOfEntry(entry).includes(policy.cab.role))
          issues.push({
            path: ['approval_matrix', level, index],
            message: `"${policy.cab.role}" is the CAB, and cab is none`,
          });
      });
    }
    if (policy.emergency.cab_review_risk_levels.length > 0)
      issues.push({
        path: ['emergency', 'cab_review_risk_levels'],
        message: 'must be empty when cab is none (no CAB to present emergencies to)',
      });
  }
  // Under the chair rule nobody else can decide, so a CAB that meets needs its chair.
  if (policy.cab.channel && policy.cab.decision_rule === 'chair' && !policy.cab.chair) {
    issues.push({
      path: ['cab', 'chair'],
      message: 'required when cab.channel is set and cab.decision_rule is "chair" (the chair takes the decisions)',
    });
  }

  if (policy.business_hours.from >= policy.business_hours.to) {
    issues.push({ path: ['business_hours', 'to'], message: 'must be later than business_hours.from' });
  }
  (policy.deployment_windows === 'any' ? [] : policy.deployment_windows).forEach((window, index) => {
    if (window.from === window.to)
      issues.push({
        path: ['deployment_windows', index, 'to'],
        message: 'must differ from from (an earlier time runs overnight, "24:00" ends at midnight)',
      });
    window.risks.forEach((level, riskIndex) => {
      checkLevel(['deployment_windows', index, 'risks', riskIndex], level);
    });
  });
  policy.freezes.forEach((freeze, index) => {
    if ('every' in freeze) return;
    if (freeze.from.length !== freeze.to.length)
      issues.push({ path: ['freezes', index, 'to'], message: 'from and to must both be dated or both yearly (MM-DD)' });
    // A yearly freeze may wrap the year end ("12-20" to "01-02").
    else if (freeze.from.length === 10 && freeze.to < freeze.from)
      issues.push({ path: ['freezes', index, 'to'], message: 'must not be before from' });
  });
  for (const level of Object.keys(policy.scheduling.notice_hours.by_risk))
    checkLevel(['scheduling', 'notice_hours', 'by_risk', level], level);
  for (const [level, rule] of Object.entries(policy.rollback_decision)) {
    if (rule.decision_maker_role !== undefined)
      checkRole(['rollback_decision', level, 'decision_maker_role'], rule.decision_maker_role);
  }
  if (!assumed.has('scheduling.exception_role'))
    checkRole(['scheduling', 'exception_role'], policy.scheduling.exception_role);
  policy.implementation.review_risk_levels.forEach((level, index) => {
    checkLevel(['implementation', 'review_risk_levels', index], level);
  });
  for (const key of ['implementer_roles', 'verifier_roles', 'closure_approval_any_of'] as const) {
    policy.implementation[key].forEach((role, index) => {
      checkRole(['implementation', key, index], role);
    });
  }
  if (policy.implementation.verifier_not_implementer && policy.implementation.verifier_roles.length === 0)
    issues.push({
      path: ['implementation', 'verifier_not_implementer'],
      message: 'needs implementation.verifier_roles: without them the owner verifies their own change',
    });
  for (const id of duplicates(policy.implementation.verification_checklist.map((check) => check.id))) {
    issues.push({ path: ['implementation', 'verification_checklist'], message: `check "${id}" is listed twice` });
  }
  issues.push(...evidenceIssues(policy, checkLevel));
  return issues;
}

/**
 * "Any one of" groups that may apply to one change (a matrix row's, change_types.normal's, the review rules'; a
 * period's emergency authorizers) must not share a role unless they are the same group: one approval satisfies a
 * whole group, and a role in two groups would leave it unclear which.
 */
function overlappingGroupIssues(policy: PolicyShape): Issue[] {
  const groupsOf = (entries: readonly MatrixEntry[]) =>
    entries.flatMap((entry) => (typeof entry === 'string' ? [] : [entry.any_of]));
  /** The roles two different groups share. */
  const shared = (groups: readonly string[][]) =>
    duplicates([...new Map(groups.map((group) => [group.join(), group])).values()].flat());
  const always = [
    ...groupsOf(policy.change_types.normal.approver_roles),
    ...Object.values(policy.review_rules).flatMap((rule) => (rule.any_of ? [rule.any_of] : [])),
  ];
  const issues: Issue[] = [];
  for (const [level, row] of Object.entries(policy.approval_matrix)) {
    for (const role of shared([...groupsOf(row), ...always]))
      issues.push({
        path: ['approval_matrix', level],
        message: `role "${role}" is in two different any_of groups a ${level} change may need; name the same group`,
      });
  }
  for (const key of ['business_hours', 'after_hours'] as const) {
    for (const role of shared(groupsOf(policy.emergency.authorizers[key])))
      issues.push({
        path: ['emergency', 'authorizers', key],
        message: `role "${role}" is in two different any_of groups; name the same group`,
      });
  }
  return issues;
}

/** 8.1's tests and the step evidence: ids unique, each risk level's tests among the kinds. */
function evidenceIssues(policy: PolicyShape, checkLevel: (path: (string | number)[], level: string) => void): Issue[] {
  const issues: Issue[] = [];
  const kinds = policy.testing.kinds.map((kind) => kind.id);
  for (const id of duplicates(kinds))
    issues.push({ path: ['testing', 'kinds'], message: `test kind "${id}" is listed twice` });
  for (const key of ['required_by_risk', 'recommended_by_risk'] as const) {
    for (const [level, listed] of Object.entries(policy.testing[key])) {
      checkLevel(['testing', key, level], level);
      listed.forEach((kind, index) => {
        if (!kinds.includes(kind))
          issues.push({
            path: ['testing', key, level, index],
            message: `test kind "${kind}" is not one of testing.kinds (${kinds.join(', ') || '(none)'})`,
          });
      });
    }
  }
  const stepIds = Object.values(policy.step_evidence).flatMap((items) => items.map((item) => item.id));
  for (const id of duplicates(stepIds))
    issues.push({ path: ['step_evidence'], message: `evidence item "${id}" is listed twice` });
  return issues;
}

export type Policy = PolicyShape;
export type RiskPolicy = Policy['risk'];

/** Where the audit log's head is witnessed: `channels.audit`, else the log channel. */
export function auditChannelOf(policy: Policy): string | undefined {
  return policy.channels.audit ?? policy.channels.log;
}

/** Where the monthly report is posted: `channels.reports`, else the log channel. */
export function reportsChannelOf(policy: Policy): string | undefined {
  return policy.channels.reports ?? policy.channels.log;
}

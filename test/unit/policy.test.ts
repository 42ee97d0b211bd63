import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatKeyPath, loadPolicyFile, PolicyError, parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML } from './policy-fixture.js';

/** Parses `yaml` as test.yml, asserts a PolicyError, and returns its message. */
function policyErrorMessage(yaml: string, source = 'test.yml'): string {
  let thrown: unknown;
  try {
    parsePolicy(yaml, source);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected a PolicyError, but the policy loaded');
  expect(thrown).toBeInstanceOf(PolicyError);
  expect((thrown as PolicyError).code).toBe('POLICY_INVALID');
  return (thrown as PolicyError).message;
}

const ALL_ROLES = ['peer', 'manager', 'security', 'cab', 'cto', 'ciso', 'oncall_manager', 'oncall_security', 'dba'];

describe('the minimal policy file', () => {
  const loaded = parsePolicy(MINIMAL_POLICY_YAML, 'test.yml');
  const { policy } = loaded;

  it('loads with no warnings', () => {
    expect(loaded.warnings).toEqual([]);
  });

  it('keeps the roles, channels and chair it sets', () => {
    expect(policy.roles.peer).toEqual(['U0PEER001', 'U0PEER002']);
    expect(policy.roles.dba).toEqual(['U0DBA0001']);
    expect(policy.cab.channel).toBe('C0CAB0001');
    expect(policy.cab.chair).toBe('U0CHAIR01');
    expect(policy.channels.log).toBe('C0LOG0001');
  });

  it.each([
    { name: '9.1 timezone: windows are given in ET', actual: () => policy.timezone, expected: 'America/New_York' },
    {
      name: '6.3 business hours: Mon–Fri 09:00–17:00',
      actual: () => policy.business_hours,
      expected: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
    },
    {
      name: '3.1 standard changes are pre-authorized (no approver roles)',
      actual: () => policy.change_types.standard.approver_roles,
      expected: [],
    },
    {
      name: '3.1 change type labels',
      actual: () => [
        policy.change_types.standard.label,
        policy.change_types.normal.label,
        policy.change_types.emergency.label,
      ],
      expected: ['Standard', 'Normal', 'Emergency'],
    },
    {
      name:
        '6.2–6.4 emergency: verbal approvals count at once, stand-ins after 15 min, ' +
        'paperwork in 24 h with a reminder 4 h before',
      actual: () => {
        const {
          escalate_after_minutes,
          verbal_approvals_count_unconfirmed,
          dispute_notify_roles,
          documentation_deadline_hours,
          reminder_hours_before_deadline,
          overdue_notify_roles,
          overdue_notify_cab_chair,
        } = policy.emergency;
        return {
          escalate_after_minutes,
          verbal_approvals_count_unconfirmed,
          dispute_notify_roles,
          documentation_deadline_hours,
          reminder_hours_before_deadline,
          overdue_notify_roles,
          overdue_notify_cab_chair,
        };
      },
      expected: {
        escalate_after_minutes: 15,
        verbal_approvals_count_unconfirmed: true,
        dispute_notify_roles: ['security', 'ciso'],
        documentation_deadline_hours: 24,
        reminder_hours_before_deadline: 4,
        overdue_notify_roles: ['manager'],
        overdue_notify_cab_chair: true,
      },
    },
    {
      name: '3.3 five factors scored 1/2/3',
      actual: () => policy.risk.factors.map((factor) => [factor.id, factor.options.map((option) => option.score)]),
      expected: [
        ['systems_affected', [1, 2, 3]],
        ['user_impact', [1, 2, 3]],
        ['data_risk', [1, 2, 3]],
        ['reversibility', [1, 2, 3]],
        ['security_impact', [1, 2, 3]],
      ],
    },
    {
      name: '3.2/3.3 levels: low 5, medium 8, high 12, critical 14',
      actual: () => policy.risk.levels.map((level) => [level.id, level.min_score]),
      expected: [
        ['low', 5],
        ['medium', 8],
        ['high', 12],
        ['critical', 14],
      ],
    },
    {
      name: '4.4 approval matrix',
      actual: () => policy.approval_matrix,
      expected: {
        low: ['peer'],
        medium: ['peer', 'manager'],
        high: ['peer', 'manager', 'security', 'cab'],
        critical: ['peer', 'manager', 'security', 'cab', 'cto'],
      },
    },
    {
      name: '4.3 code review requirements: 2 reviewers each',
      actual: () => Object.fromEntries(Object.entries(policy.review_rules).map(([id, rule]) => [id, rule.approvals])),
      expected: {
        security: { security: 1, peer: 1 },
        database: { dba: 1, peer: 1 },
        infrastructure: { peer: 2 },
        application: { peer: 2 },
      },
    },
    {
      name: '4.3 six security review triggers apply the security rule',
      actual: () => [policy.security_review.rule, policy.security_review.triggers.map((trigger) => trigger.id)],
      expected: [
        'security',
        [
          'authentication',
          'encryption',
          'network_security',
          'external_integration',
          'data_handling',
          'privilege_access',
        ],
      ],
    },
    {
      name: '4.4 approval SLA: low 1, medium 2, high 3, critical 5 business days',
      actual: () => policy.approval_sla,
      expected: {
        low: { review_business_days: 1, approval_business_days: 1 },
        medium: { review_business_days: 2, approval_business_days: 2 },
        high: { review_business_days: 3, approval_business_days: 3 },
        critical: { review_business_days: 5, approval_business_days: 5 },
      },
    },
    {
      name: '4.4 approval SLA critical: 5 days',
      actual: () => policy.approval_sla.critical?.approval_business_days,
      expected: 5,
    },
    {
      name: '6.1 four emergency criteria',
      actual: () => policy.emergency.criteria.map((criterion) => criterion.id),
      expected: ['production_down', 'vulnerability_exploited', 'data_loss', 'compliance_risk'],
    },
    {
      name: '6.3 emergency authorizers',
      actual: () => policy.emergency.authorizers,
      expected: {
        business_hours: ['manager', 'security'],
        after_hours: ['oncall_manager', 'oncall_security'],
        fallback_any_of: ['cto', 'ciso'],
      },
    },
    { name: '6.4 document within 24 hours', actual: () => policy.emergency.documentation_deadline_hours, expected: 24 },
    {
      name: '6.4 present to CAB if high/critical',
      actual: () => policy.emergency.cab_review_risk_levels,
      expected: ['high', 'critical'],
    },
    { name: '7.2 regular CAB: Wednesdays 10 AM', actual: () => policy.cab.schedule, expected: '0 10 * * 3' },
    { name: '7.2 emergency CAB within 4 hours', actual: () => policy.cab.emergency_within_hours, expected: 4 },
    {
      name:
        '7.1 the chair takes the final decision; 7.3 the calendar looks 14 days ahead; a ' +
        'missed agenda is posted within 4 h',
      actual: () => {
        const { role, decision_rule, quorum, calendar_days, missed_agenda_grace_hours } = policy.cab;
        return { role, decision_rule, quorum, calendar_days, missed_agenda_grace_hours };
      },
      expected: { role: 'cab', decision_rule: 'chair', quorum: 3, calendar_days: 14, missed_agenda_grace_hours: 4 },
    },
    {
      name:
        '9.1–9.2 exceptions approved by the CTO; a freeze can be excepted; freezes announced ' +
        'by the change manager, CTO or CISO',
      actual: () => policy.scheduling,
      expected: {
        exception_role: 'cto',
        freeze_rule: 'exception',
        freeze_manager_roles: ['change_manager', 'cto', 'ciso'],
        // POL-SEC-008 asks no notice (11.2 only measures the lead time).
        notice_hours: { by_type: {}, by_risk: {} },
      },
    },
    {
      name: '8.4 production validation: five checks',
      actual: () => policy.implementation.verification_checklist.map((check) => check.id),
      expected: ['health_checks', 'error_rates', 'response_times', 'business_flows', 'monitoring_alerts'],
    },
    {
      name: 'post-implementation review required for high and critical changes',
      actual: () => policy.implementation.review_risk_levels,
      expected: ['high', 'critical'],
    },
    {
      name: '7.3 CAB agenda: six sections in order',
      actual: () => policy.cab.agenda_sections.map((section) => section.id),
      expected: [
        'previous_changes',
        'emergency_changes',
        'changes_for_approval',
        'change_calendar',
        'change_freezes',
        'open_issues',
      ],
    },
    {
      name: '9.1 deployment windows: Mon/Thu medium/low, Tue/Wed all, Friday and weekend none',
      actual: () => policy.deployment_windows,
      expected: [
        { days: ['mon', 'thu'], from: '06:00', to: '10:00', risks: ['low', 'medium'] },
        { days: ['tue', 'wed'], from: '06:00', to: '10:00', risks: ['low', 'medium', 'high', 'critical'] },
      ],
    },
    { name: '9.2 no freezes until the organisation announces them', actual: () => policy.freezes, expected: [] },
    {
      name: '10.2 rollback decision: critical 15 min, high 30, medium 60, low 240',
      actual: () =>
        Object.fromEntries(
          Object.entries(policy.rollback_decision).map(([severity, rule]) => [severity, rule.time_limit_minutes]),
        ),
      expected: { critical: 15, high: 30, medium: 60, low: 240 },
    },
    {
      name: '10.2 rollback decision critical: the on-call engineer',
      actual: () => policy.rollback_decision.critical?.decision_maker,
      expected: 'On-call engineer',
    },
    {
      name: '11.1 retention: 3 years for change requests, approvals, rollbacks, CAB minutes; 1 for tests and logs',
      actual: () => policy.retention_years,
      expected: {
        change_requests: 3,
        approval_records: 3,
        test_results: 1,
        deployment_logs: 1,
        rollback_records: 3,
        cab_minutes: 3,
      },
    },
  ])('defaults equal POL-SEC-008 $name', ({ actual, expected }) => {
    expect(actual()).toEqual(expected);
  });
});

describe("parsePolicy('{}'): all defaults, no members", () => {
  it.each([
    { name: '{}', text: '{}' },
    { name: 'an empty file', text: '' },
    { name: 'a file with only a comment', text: '# nothing yet\n' },
  ])('$name loads the defaults', ({ text }) => {
    const { policy } = parsePolicy(text, 'empty.yml');
    expect(policy.cab.schedule).toBe('0 10 * * 3');
    expect(policy.timezone).toBe('America/New_York');
    expect(Object.keys(policy.roles).sort()).toEqual([...ALL_ROLES].sort());
    for (const role of ALL_ROLES) expect(policy.roles[role], role).toEqual([]);
  });

  it.each(ALL_ROLES)('warns that role "%s" has no members', (role) => {
    const { warnings } = parsePolicy('{}', 'empty.yml');
    expect(
      warnings.filter(
        (warning) => warning.includes(`role "${role}" has no members`) && warning.includes(`roles.${role}`),
      ),
    ).toHaveLength(1);
  });

  it('warns about the unset CAB channel, CAB chair and log channel', () => {
    const { warnings } = parsePolicy('{}', 'empty.yml');
    expect(warnings.some((warning) => warning.startsWith('cab.channel is not set'))).toBe(true);
    expect(warnings.some((warning) => warning.startsWith('cab.chair is not set'))).toBe(true);
    expect(warnings.some((warning) => warning.startsWith('channels.log is not set'))).toBe(true);
    expect(warnings).toHaveLength(ALL_ROLES.length + 3);
  });

  it('does not warn about an empty role that nothing uses', () => {
    const { warnings } = parsePolicy(MINIMAL_POLICY_YAML.replace('roles:\n', 'roles:\n  auditors: []\n'), 'test.yml');
    expect(warnings).toEqual([]);
  });

  it('warns about only the roles left empty', () => {
    const { warnings } = parsePolicy(MINIMAL_POLICY_YAML.replace('dba: [U0DBA0001]', 'dba: []'), 'test.yml');
    expect(warnings).toEqual([
      'role "dba" has no members: changes that need it cannot be approved until roles.dba lists someone',
    ]);
  });
});

describe('invalid policy files: PolicyError naming the file and the key path', () => {
  const LEVELS_3_4_SWAPPED = `risk:
  levels:
    - { id: low, label: Low, min_score: 5 }
    - { id: medium, label: Medium, min_score: 12 }
    - { id: high, label: High, min_score: 8 }
    - { id: critical, label: Critical, min_score: 14 }
`;
  it.each<{ name: string; yaml: string; mentions: string[] }>([
    {
      name: 'misspelled role in the approval matrix',
      yaml: 'approval_matrix: {low: [peer], medium: [peer, mangaer], high: [peer], critical: [peer]}\n',
      mentions: ['approval_matrix.medium[1]', 'mangaer'],
    },
    { name: 'cron hour 25', yaml: 'cab: {schedule: "0 25 * * 3"}\n', mentions: ['cab.schedule', 'cron'] },
    { name: 'cron with too few fields', yaml: 'cab: {schedule: "0 10 *"}\n', mentions: ['cab.schedule'] },
    { name: 'unknown timezone', yaml: 'timezone: Mars/Olympus\n', mentions: ['timezone', 'IANA'] },
    {
      name: 'misspelled top-level key',
      yaml: 'aproval_matrix: {low: [peer]}\n',
      mentions: ['aproval_matrix', 'unknown key'],
    },
    { name: 'misspelled nested key', yaml: 'cab: {shedule: "0 10 * * 3"}\n', mentions: ['cab.shedule', 'unknown key'] },
    {
      name: 'matrix missing the critical row',
      yaml: 'approval_matrix: {low: [peer], medium: [peer, manager], high: [peer, manager, security, cab]}\n',
      mentions: ['approval_matrix', 'no entry for risk level "critical"'],
    },
    {
      name: 'matrix row for a level that does not exist',
      yaml: 'approval_matrix: {low: [peer], medium: [peer], high: [peer], critical: [peer], extreme: [cto]}\n',
      mentions: ['approval_matrix.extreme', 'risk level "extreme"'],
    },
    {
      name: 'levels not ascending',
      yaml: LEVELS_3_4_SWAPPED,
      mentions: ['risk.levels[2].min_score', 'greater than 12'],
    },
    {
      name: 'first level above the lowest possible score',
      yaml:
        'risk:\n  levels: [{ id: low, label: Low, min_score: 6 }, { id: medium, label: ' +
        'Medium, min_score: 8 }, { id: high, label: High, min_score: 12 }, { id: critical, ' +
        'label: Critical, min_score: 14 }]\n',
      mentions: ['risk.levels[0].min_score', 'at most 5'],
    },
    {
      name: 'deployment window naming an unknown risk level',
      yaml: 'deployment_windows: [{days: [mon], from: "06:00", to: "10:00", risks: [low, extreme]}]\n',
      mentions: ['deployment_windows[0].risks[1]', 'extreme'],
    },
    {
      // An earlier end runs overnight (issue 16.8); an equal one is no window.
      name: 'deployment window ending when it starts',
      yaml: 'deployment_windows: [{days: [tue], from: "10:00", to: "10:00", risks: [low]}]\n',
      mentions: ['deployment_windows[0].to', 'overnight'],
    },
    {
      name: 'deployment windows that are neither a list nor "any"',
      yaml: 'deployment_windows: always\n',
      mentions: ['deployment_windows'],
    },
    {
      name: '9.2 a recurring freeze of an unknown period',
      yaml: 'freezes: [{every: week_end, last_days: 2, reason: Billing}]\n',
      mentions: ['freezes[0].every', 'month_end'],
    },
    {
      name: '9.2 a yearly freeze on 29 February',
      yaml: 'freezes: [{from: "02-29", to: "03-01", reason: Leap}]\n',
      mentions: ['freezes[0].from', 'every year'],
    },
    {
      name: 'deployment window on a misspelled day',
      yaml: 'deployment_windows: [{days: [tues], from: "06:00", to: "10:00", risks: [low]}]\n',
      mentions: ['deployment_windows[0].days[0]'],
    },
    {
      name: 'freeze with `to` before `from`',
      yaml: 'freezes: [{from: "2026-12-20", to: "2026-12-10", reason: Holidays}]\n',
      mentions: ['freezes[0].to', 'must not be before from'],
    },
    {
      name: 'freeze on a date that does not exist',
      yaml: 'freezes: [{from: "2026-02-30", to: "2026-03-02", reason: Billing}]\n',
      mentions: ['freezes[0].from', 'calendar date'],
    },
    {
      name: 'role member that is not a Slack ID',
      yaml: MINIMAL_POLICY_YAML.replace('U0PEER002', 'alice'),
      mentions: ['roles.peer[1]', 'Slack'],
    },
    { name: 'role member given as a channel ID', yaml: 'roles: {peer: [C0CHAN001]}\n', mentions: ['roles.peer[0]'] },
    { name: 'CAB chair given as a user group', yaml: 'cab: {chair: S0GROUP01}\n', mentions: ['cab.chair'] },
    {
      name: 'a CAB channel under the chair rule with no chair',
      yaml: 'cab: {channel: C0CAB0001}\n',
      mentions: ['cab.chair', 'required when cab.channel is set'],
    },
    { name: 'an unknown CAB decision rule', yaml: 'cab: {decision_rule: majority}\n', mentions: ['cab.decision_rule'] },
    { name: 'a quorum of zero', yaml: 'cab: {decision_rule: quorum, quorum: 0}\n', mentions: ['cab.quorum'] },
    {
      name: '9.1 an exception approved by a role nobody defined',
      yaml: 'scheduling: {exception_role: vp}\n',
      mentions: ['scheduling.exception_role', 'vp'],
    },
    {
      name: '9.2 an unknown freeze rule',
      yaml: 'scheduling: {freeze_rule: maybe}\n',
      mentions: ['scheduling.freeze_rule', 'refuse'],
    },
    {
      name: '8.4 a check listed twice',
      yaml: 'implementation: {verification_checklist: [{id: a, label: A}, {id: a, label: B}]}\n',
      mentions: ['implementation.verification_checklist', 'listed twice'],
    },
    {
      name: '8.4 eleven checks (Slack shows 10 checkboxes)',
      yaml:
        `implementation: {verification_checklist: ` +
        `[${Array.from({ length: 11 }, (_, i) => `{id: c${i}, label: C}`).join(', ')}]}\n`,
      mentions: ['implementation.verification_checklist', '10'],
    },
    {
      name: 'a review required for a risk level nobody defined',
      yaml: 'implementation: {review_risk_levels: [severe]}\n',
      mentions: ['implementation.review_risk_levels[0]', 'severe'],
    },
    {
      name: 'an agenda looking a year ahead',
      yaml: 'cab: {calendar_days: 365}\n',
      mentions: ['cab.calendar_days', 'at most 90'],
    },
    { name: 'log channel given as a user ID', yaml: 'channels: {log: U0LOG0001}\n', mentions: ['channels.log'] },
    {
      name: 'business hours ending before they start',
      yaml: 'business_hours: {from: "17:00", to: "09:00"}\n',
      mentions: ['business_hours.to'],
    },
    { name: 'business hours at 24:00', yaml: 'business_hours: {to: "24:00"}\n', mentions: ['business_hours.to'] },
    {
      name: 'an emergency authorizer role nobody defined',
      yaml: 'emergency: {authorizers: {after_hours: [oncall]}}\n',
      mentions: ['emergency.authorizers.after_hours[0]', 'oncall'],
    },
    {
      name: '6.3 a dispute notified to a role nobody defined',
      yaml: 'emergency: {dispute_notify_roles: [secops]}\n',
      mentions: ['emergency.dispute_notify_roles[0]', 'secops'],
    },
    {
      name: '6.4 an overdue notice to a role nobody defined',
      yaml: 'emergency: {overdue_notify_roles: [boss]}\n',
      mentions: ['emergency.overdue_notify_roles[0]', 'boss'],
    },
    {
      name: '6.4 paperwork due in no time',
      yaml: 'emergency: {paperwork_hours: {documentation: 0, retro_approval: 48}}\n',
      mentions: ['emergency.paperwork_hours.documentation'],
    },
    {
      name: 'MCP4 9 a retro-review by a role nobody defined',
      yaml: 'emergency: {retro_review_any_of: [auditor]}\n',
      mentions: ['emergency.retro_review_any_of[0]', 'auditor'],
    },
    {
      name: '6.3 an escalation wait of zero minutes',
      yaml: 'emergency: {escalate_after_minutes: 0}\n',
      mentions: ['emergency.escalate_after_minutes'],
    },
    {
      name: 'a standard approver role nobody defined',
      yaml: 'change_types: {standard: {approver_roles: [lead]}}\n',
      mentions: ['change_types.standard.approver_roles[0]', 'lead'],
    },
    {
      name: 'a retention of zero years',
      yaml: 'retention_years: {change_requests: 0}\n',
      mentions: ['retention_years.change_requests'],
    },
    { name: 'a document that is not a mapping', yaml: '- timezone: UTC\n', mentions: ['(top level)'] },
  ])('$name', ({ yaml, mentions }) => {
    const message = policyErrorMessage(yaml);
    expect(message).toContain('test.yml');
    for (const fragment of mentions) expect(message).toContain(fragment);
  });

  it('lists every problem, one per line', () => {
    const message = policyErrorMessage('timezone: Mars/Olympus\ncab: {schedule: "0 25 * * 3"}\n');
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      expect.stringMatching(/^ {2}- timezone: /),
      expect.stringMatching(/^ {2}- cab\.schedule: /),
    ]);
  });

  it('a YAML syntax error throws a PolicyError naming the file', () => {
    const message = policyErrorMessage('roles:\n  peer: [U0PEER001\n', 'broken.yml');
    expect(message).toContain('broken.yml');
    expect(message).toContain('YAML syntax error');
  });

  it('a YAML syntax error message says on which line', () => {
    const message = policyErrorMessage('timezone: America/New_York\nroles:\n  peer: [U0PEER001\n');
    expect(message).toMatch(/line \d+/);
  });

  it('a risk level named "constructor" without an approval_matrix row is refused', () => {
    const message = policyErrorMessage(`risk:
  levels: [{ id: low, label: Low, min_score: 5 }, { id: constructor, label: Severe, min_score: 12 }]
approval_matrix: { low: [peer] }
approval_sla: { low: { review_business_days: 1, approval_business_days: 1 } }
emergency: { cab_review_risk_levels: [] }
deployment_windows: []
`);
    expect(message).toContain('no entry for risk level "constructor"');
  });
});

describe('formatKeyPath', () => {
  it.each<{ path: (string | number)[]; expected: string }>([
    { path: [], expected: '(top level)' },
    { path: ['timezone'], expected: 'timezone' },
    { path: ['approval_matrix', 'medium', 1], expected: 'approval_matrix.medium[1]' },
    { path: ['risk', 'levels', 2, 'min_score'], expected: 'risk.levels[2].min_score' },
    { path: ['freezes', 0, 'to'], expected: 'freezes[0].to' },
  ])('$path → $expected', ({ path, expected }) => {
    expect(formatKeyPath(path)).toBe(expected);
  });
});

describe('loadPolicyFile', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cabinet-policy-test-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('a missing file falls back to the POL-SEC-008 defaults with a warning naming the path', () => {
    const missing = join(directory, 'does-not-exist', 'policy.yml');
    const { policy, warnings } = loadPolicyFile(missing);
    expect(warnings[0]).toContain(missing);
    expect(warnings[0]).toContain('not found');
    expect(warnings.some((warning) => warning.includes('role "peer" has no members'))).toBe(true);
    expect(policy.cab.schedule).toBe('0 10 * * 3');
    expect(policy.approval_matrix.critical).toEqual(['peer', 'manager', 'security', 'cab', 'cto']);
  });

  it('an existing file is read and parsed', () => {
    const file = join(directory, 'policy.yml');
    writeFileSync(file, MINIMAL_POLICY_YAML);
    const { policy, warnings } = loadPolicyFile(file);
    expect(warnings).toEqual([]);
    expect(policy.roles.cab).toEqual(['U0CAB0001', 'U0CAB0002']);
  });

  it('an invalid file throws a PolicyError naming its path', () => {
    const file = join(directory, 'bad-policy.yml');
    writeFileSync(file, 'timezone: Mars/Olympus\n');
    expect(() => loadPolicyFile(file)).toThrow(PolicyError);
    expect(() => loadPolicyFile(file)).toThrow(file);
  });
});

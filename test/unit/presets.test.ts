// Issue 16.10: each seed organisation's policy as a preset, loaded with only its roles and channels written.
import { describe, expect, it } from 'vitest';
import { policyFreezes } from '../../src/domain/policy-freezes.js';
import { PolicyError, parsePolicy } from '../../src/policy/load.js';
import { PRESETS } from '../../src/policy/presets/index.js';
import { type CitedRule, citationOf } from '../../src/slack/words/citations.js';
import { startRefusalText } from '../../src/slack/words/implementation.js';

/** A file as an administrator starts one: the preset, a member in each of its roles, the channels. */
function fileFor(name: string, extra = ''): string {
  const roles = (PRESETS[name]?.roles ?? {}) as Record<string, unknown>;
  const names =
    Object.keys(roles).length > 0
      ? Object.keys(roles)
      : ['peer', 'manager', 'security', 'cab', 'cto', 'ciso', 'oncall_manager', 'oncall_security', 'dba'];
  const members = names.map((role, index) => `  ${role}: [U0ROLE${String(index).padStart(3, '0')}]`).join('\n');
  const cab = name === 'generic' || name === 'mcp4' ? '' : 'cab: { channel: C0CAB0001 }\n';
  const chair =
    name === 'pol-sec-008' || name === 'nine-step-workflow' ? 'cab: { channel: C0CAB0001, chair: U0CHAIR01 }\n' : cab;
  return `preset: ${name}\nroles:\n${members}\n${chair}channels: { log: C0LOG0001 }\n${extra}`;
}

describe('16.10 presets load with only roles and channels written', () => {
  it.each(Object.keys(PRESETS))('%s loads with no warning', (name) => {
    const { warnings } = parsePolicy(fileFor(name), `${name}.yml`);
    expect(warnings).toEqual([]);
  });

  it('an unknown preset is refused, naming the known ones', () => {
    expect(() => parsePolicy('preset: itil\n', 'x.yml')).toThrow(PolicyError);
    expect(() => parsePolicy('preset: itil\n', 'x.yml')).toThrow(/preset: unknown preset "itil" \(one of generic, /);
  });

  it('a key the file writes overrides the preset’s, the rest of the section kept', () => {
    const { policy } = parsePolicy(
      fileFor('mcp4', 'emergency: { paperwork_hours: { documentation: 2, retro_approval: 24 } }\n'),
      'm.yml',
    );
    expect(policy.emergency.paperwork_hours).toEqual({ documentation: 2, retro_approval: 24 });
    expect(policy.emergency.retro_review_any_of).toEqual(['cto', 'ciso']);
  });

  it('001 9.3: pol-sec-008 is the built-in defaults (tests before Start) plus the checks and 9.2 freezes', () => {
    const file = fileFor('pol-sec-008');
    const { policy } = parsePolicy(file, 'p.yml');
    const defaults = parsePolicy(file.replace('preset: pol-sec-008\n', ''), 'd.yml').policy;
    expect(defaults.testing.required_before).toBe('start');
    expect({ ...policy, step_evidence: defaults.step_evidence, freezes: defaults.freezes }).toEqual(defaults);
    expect(policy.step_evidence.start.map((item) => item.label)).toEqual([
      'Rollback plan verified',
      'Monitoring dashboards ready',
      'Communication sent to stakeholders',
      'On-call team notified',
    ]);
  });

  it('004 9: the CAB is its five members, chaired by the Engineering Manager', () => {
    const { policy } = parsePolicy(fileFor('finapilot-chg-001'), 'f.yml');
    expect(policy.roles.cab).toEqual(['U0ROLE000', 'U0ROLE001', 'U0ROLE002', 'U0ROLE003', 'U0ROLE004']);
    expect(policy.cab.chair).toBe('U0ROLE000');
  });
});

// Each organisation reads its own document cited beside a rule, never POL-SEC-008's numbers: "(CHG-001 3.1)".
describe('the rules are cited from the preset’s own document', () => {
  const RULES: CitedRule[] = ['emergency_authorization', 'emergency_paperwork', 'verbal_approval', 'freezes'];
  it.each([
    ['pol-sec-008', ['POL-SEC-008 6.3', 'POL-SEC-008 6.4', 'POL-SEC-008 6.2', 'POL-SEC-008 9.2']],
    ['generic', ['Change Management Policy 3', 'Change Management Policy 3', undefined, undefined]],
    ['mcp4', ['MCP4 policy 5.3', 'MCP4 policy 9', 'MCP4 policy 5.3', undefined]],
    [
      'nine-step-workflow',
      ['Change Management Workflow step 3', 'Change Management Workflow step 3', undefined, undefined],
    ],
    ['finapilot-chg-001', ['CHG-001 3.1', 'CHG-001 3.1', undefined, undefined]],
  ])('%s', (name, expected) => {
    const { policy } = parsePolicy(fileFor(name), `${name}.yml`);
    expect(RULES.map((rule) => citationOf(policy, rule))).toEqual(expected);
  });

  it.each([
    ['pol-sec-008', ['9.1', '8.4', '10.1', '10.2']],
    ['generic', ['4.4', '4.4', undefined, undefined]],
    ['mcp4', [undefined, '5.5', '8', undefined]],
    ['nine-step-workflow', ['step 6', 'step 8', undefined, undefined]],
    ['finapilot-chg-001', ['4.3', '4.4', '6', undefined]],
  ])('%s: windows, production validation, rollback triggers and decision', (name, expected) => {
    const { policy } = parsePolicy(fileFor(name), `${name}.yml`);
    const rules = ['deployment_windows', 'production_validation', 'rollback_triggers', 'rollback_decision'] as const;
    expect(rules.map((rule) => policy.document.sections[rule])).toEqual(expected);
  });

  it('a Start refused outside the windows cites the organisation’s section: (9.1) by default, (4.3) in 004', () => {
    const refusal = { ref: 'CHG-1', code: 'outside_windows', next: undefined, risk: 'low', timeZone: 'UTC' } as const;
    const textUnder = (name: string) => startRefusalText(refusal, parsePolicy(fileFor(name), `${name}.yml`).policy);
    expect(textUnder('pol-sec-008')).toContain('outside the deployment windows for low-risk changes (9.1).');
    expect(textUnder('finapilot-chg-001')).toContain('outside the deployment windows for low-risk changes (4.3).');
    expect(textUnder('mcp4')).toContain('outside the deployment windows for low-risk changes.');
  });

  it('a file naming its own document cites only the sections it lists', () => {
    const { policy } = parsePolicy(`${fileFor('pol-sec-008')}document: { name: ACME-CM-7 }\n`, 'a.yml');
    expect(RULES.map((rule) => citationOf(policy, rule))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

// 001 9.2 "End of month/quarter (billing)": no length is given; the preset freezes the billing run itself.
it('001 9.2: pol-sec-008 freezes the last day of each month and the last two of each quarter', () => {
  const { policy } = parsePolicy(fileFor('pol-sec-008'), 'p.yml');
  const freezes = policyFreezes(policy.freezes, { from: '2026-11-01', to: '2026-12-31' });
  expect(freezes.map((freeze) => [freeze.from, freeze.to, freeze.reason])).toEqual([
    ['2026-11-30', '2026-11-30', 'Month-end billing'],
    ['2026-12-31', '2026-12-31', 'Month-end billing'],
    ['2026-12-30', '2026-12-31', 'Quarter-end billing'],
  ]);
});

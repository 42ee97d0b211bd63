import { describe, expect, it } from 'vitest';
import { assessRisk, effectiveRiskLevel, type RiskAnswers } from '../../src/domain/risk.js';
import { parsePolicy } from '../../src/policy/load.js';
import { expectDomainError, minimalPolicy } from './policy-fixture.js';

const risk = minimalPolicy().risk;

/** Answers to the five POL-SEC-008 3.3 factors, in the order the document lists them. */
function answers(
  systems_affected: number,
  user_impact: number,
  data_risk: number,
  reversibility: number,
  security_impact: number,
): Record<string, number> {
  return { systems_affected, user_impact, data_risk, reversibility, security_impact };
}

describe('assessRisk with the POL-SEC-008 defaults', () => {
  it.each([
    { name: 'POL-SEC-008 3.3: score 5 (all Low) is low', given: answers(1, 1, 1, 1, 1), score: 5, level: 'low' },
    { name: 'POL-SEC-008 3.3: score 6 is low', given: answers(1, 1, 2, 1, 1), score: 6, level: 'low' },
    { name: 'POL-SEC-008 3.3: score 7 is low', given: answers(1, 2, 1, 2, 1), score: 7, level: 'low' },
    { name: 'POL-SEC-008 3.3: score 8 is medium', given: answers(2, 2, 2, 1, 1), score: 8, level: 'medium' },
    {
      name: 'POL-SEC-008 3.3: score 8 (one High factor) is medium',
      given: answers(3, 1, 1, 1, 2),
      score: 8,
      level: 'medium',
    },
    { name: 'POL-SEC-008 3.3: score 10 is medium', given: answers(2, 2, 2, 2, 2), score: 10, level: 'medium' },
    { name: 'POL-SEC-008 3.3: score 11 is medium', given: answers(3, 2, 2, 2, 2), score: 11, level: 'medium' },
    { name: 'POL-SEC-008 3.2/3.3: score 12 is high', given: answers(3, 3, 2, 2, 2), score: 12, level: 'high' },
    { name: 'POL-SEC-008 3.2/3.3: score 13 is high', given: answers(3, 3, 3, 2, 2), score: 13, level: 'high' },
    { name: 'POL-SEC-008 3.2/3.3: score 14 is critical', given: answers(3, 3, 3, 3, 2), score: 14, level: 'critical' },
    {
      name: 'POL-SEC-008 3.2/3.3: score 15 (all High) is critical',
      given: answers(3, 3, 3, 3, 3),
      score: 15,
      level: 'critical',
    },
  ])('$name', ({ given, score, level }) => {
    expect(assessRisk(given, risk)).toEqual({ score, level });
  });

  it('POL-SEC-008 3.3: every factor counts (raising any single factor from 1 to 3 adds 2)', () => {
    for (const factor of ['systems_affected', 'user_impact', 'data_risk', 'reversibility', 'security_impact']) {
      const given = { ...answers(1, 1, 1, 1, 1), [factor]: 3 };
      expect(assessRisk(given, risk), factor).toEqual({ score: 7, level: 'low' });
    }
  });

  it.each<{ name: string; given: RiskAnswers; mentions: string }>([
    {
      name: 'POL-SEC-008 3.3: a factor without an answer',
      given: { systems_affected: 1, user_impact: 1, data_risk: 1, reversibility: 1 },
      mentions: 'Security Impact',
    },
    { name: 'POL-SEC-008 3.3: no answers at all', given: {}, mentions: 'Systems Affected' },
    { name: 'POL-SEC-008 3.3: score 4 is not an option', given: answers(1, 4, 1, 1, 1), mentions: 'User Impact' },
    { name: 'POL-SEC-008 3.3: score 0 is not an option', given: answers(1, 1, 0, 1, 1), mentions: 'Data Risk' },
    {
      name: 'POL-SEC-008 3.3: a negative score is not an option',
      given: answers(1, 1, 1, -1, 1),
      mentions: 'Reversibility',
    },
    {
      name: 'POL-SEC-008 3.3: a fractional score is not an option',
      given: answers(1.5, 1, 1, 1, 1),
      mentions: 'Systems Affected',
    },
    {
      name: 'POL-SEC-008 3.3: a factor id the policy does not define',
      given: { ...answers(1, 1, 1, 1, 1), cost: 1 },
      mentions: 'cost',
    },
    {
      name: 'POL-SEC-008 3.3: a misspelled factor id',
      given: {
        systems_affected: 1,
        user_impact: 1,
        data_risk: 1,
        reversibility: 1,
        security_impact: 1,
        securty_impact: 1,
      },
      mentions: 'securty_impact',
    },
  ])('refuses $name with INVALID_RISK_ASSESSMENT', ({ given, mentions }) => {
    const error = expectDomainError(() => assessRisk(given, risk), 'INVALID_RISK_ASSESSMENT');
    expect(error.message).toContain(mentions);
  });
});

describe('effectiveRiskLevel: the requester may raise the level, never lower it', () => {
  it.each([
    { name: 'raising low to high is allowed', computed: 'low', requested: 'high', expected: 'high' },
    { name: 'raising medium to critical is allowed', computed: 'medium', requested: 'critical', expected: 'critical' },
    { name: 'raising low to medium (one step) is allowed', computed: 'low', requested: 'medium', expected: 'medium' },
    { name: 'lowering critical to low is refused', computed: 'critical', requested: 'low', expected: 'critical' },
    { name: 'lowering high to medium is refused', computed: 'high', requested: 'medium', expected: 'high' },
    { name: 'requesting the computed level keeps it', computed: 'medium', requested: 'medium', expected: 'medium' },
    { name: 'no request keeps the computed level', computed: 'high', requested: undefined, expected: 'high' },
  ])('POL-SEC-008 3.2: $name', ({ computed, requested, expected }) => {
    expect(effectiveRiskLevel(computed, requested, risk)).toBe(expected);
  });

  it.each([
    { name: 'an unknown requested level', computed: 'low', requested: 'extreme' },
    { name: 'a requested level in the wrong case', computed: 'low', requested: 'High' },
    { name: 'an unknown computed level', computed: 'severe', requested: 'low' },
  ])('refuses $name with UNKNOWN_RISK_LEVEL', ({ computed, requested }) => {
    expectDomainError(() => effectiveRiskLevel(computed, requested, risk), 'UNKNOWN_RISK_LEVEL');
  });
});

describe('thresholds and factors come from the policy, not from code', () => {
  const threeLevels = parsePolicy(
    `timezone: America/New_York
roles: { peer: [U0PEER001], manager: [U0MGR0001], security: [U0SEC0001], cab: [U0CAB0001], cto: [U0CTO0001],
         ciso: [U0CISO001], oncall_manager: [U0ONMGR01], oncall_security: [U0ONSEC01], dba: [U0DBA0001] }
risk:
  levels:
    - { id: minor, label: Minor, min_score: 5 }
    - { id: major, label: Major, min_score: 9 }
    - { id: severe, label: Severe, min_score: 13 }
approval_matrix: { minor: [peer], major: [peer, manager], severe: [peer, manager, cto] }
approval_sla:
  minor: { review_business_days: 1, approval_business_days: 1 }
  major: { review_business_days: 2, approval_business_days: 2 }
  severe: { review_business_days: 4, approval_business_days: 4 }
emergency: { cab_review_risk_levels: [severe] }
cab: { channel: C0CAB0001, chair: U0CHAIR01 }
implementation: { review_risk_levels: [major, severe] }
channels: { log: C0LOG0001 }
deployment_windows:
  - { days: [tue, wed], from: "06:00", to: "10:00", risks: [minor, major, severe] }
`,
    'three-levels.yml',
  );

  it('the three-level policy loads without warnings', () => {
    expect(threeLevels.warnings).toEqual([]);
  });

  it.each([
    { name: 'score 8 is minor (medium under the defaults)', given: answers(2, 2, 2, 1, 1), score: 8, level: 'minor' },
    { name: 'score 9 is major', given: answers(2, 2, 2, 2, 1), score: 9, level: 'major' },
    { name: 'score 12 is major (high under the defaults)', given: answers(3, 3, 2, 2, 2), score: 12, level: 'major' },
    { name: 'score 13 is severe', given: answers(3, 3, 3, 2, 2), score: 13, level: 'severe' },
    { name: 'score 15 is severe', given: answers(3, 3, 3, 3, 3), score: 15, level: 'severe' },
  ])('custom levels: $name', ({ given, score, level }) => {
    expect(assessRisk(given, threeLevels.policy.risk)).toEqual({ score, level });
  });

  it('custom levels rank in the policy order: minor may be raised to severe, severe not lowered', () => {
    expect(effectiveRiskLevel('minor', 'severe', threeLevels.policy.risk)).toBe('severe');
    expect(effectiveRiskLevel('severe', 'minor', threeLevels.policy.risk)).toBe('severe');
  });

  it('a default level name is unknown to the custom policy', () => {
    expectDomainError(() => effectiveRiskLevel('minor', 'critical', threeLevels.policy.risk), 'UNKNOWN_RISK_LEVEL');
  });

  const twoFactors = parsePolicy(
    `risk:
  factors:
    - id: blast_radius
      label: Blast radius
      options: [{ score: 1, label: One, description: One service }, ` +
      `{ score: 4, label: All, description: Every service }]
    - id: novelty
      label: Novelty
      options: [{ score: 1, label: Done before, description: Runbook exists }, ` +
      `{ score: 2, label: New, description: First time }]
  levels:
    - { id: low, label: Low, min_score: 2 }
    - { id: medium, label: Medium, min_score: 4 }
    - { id: high, label: High, min_score: 5 }
    - { id: critical, label: Critical, min_score: 6 }
`,
    'two-factors.yml',
  ).policy.risk;

  it.each([
    { name: '1 + 1 = 2 is low', given: { blast_radius: 1, novelty: 1 }, score: 2, level: 'low' },
    { name: '1 + 2 = 3 is low', given: { blast_radius: 1, novelty: 2 }, score: 3, level: 'low' },
    { name: '4 + 1 = 5 is high', given: { blast_radius: 4, novelty: 1 }, score: 5, level: 'high' },
    { name: '4 + 2 = 6 is critical', given: { blast_radius: 4, novelty: 2 }, score: 6, level: 'critical' },
  ])('custom factors: $name', ({ given, score, level }) => {
    expect(assessRisk(given, twoFactors)).toEqual({ score, level });
  });

  it('custom factors: score 2 is not an option of blast_radius (options are 1 and 4)', () => {
    expectDomainError(() => assessRisk({ blast_radius: 2, novelty: 1 }, twoFactors), 'INVALID_RISK_ASSESSMENT');
  });

  it('custom factors: the default POL-SEC-008 answers are refused', () => {
    expectDomainError(() => assessRisk(answers(1, 1, 1, 1, 1), twoFactors), 'INVALID_RISK_ASSESSMENT');
  });
});

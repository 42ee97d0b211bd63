import type { Policy, RiskPolicy } from '../policy/schema.js';
import { DomainError } from './errors.js';

export type RiskAnswers = Readonly<Record<string, number>>;

export interface RiskAssessment {
  score: number;
  level: string;
}

/** POL-SEC-008 3.3: the five factor scores are summed; the total picks the level (3.2). */
export function assessRisk(answers: RiskAnswers, risk: RiskPolicy): RiskAssessment {
  let score = 0;
  for (const factor of risk.factors) {
    const answer = answers[factor.id];
    if (answer === undefined) {
      throw new DomainError('INVALID_RISK_ASSESSMENT', `Risk factor "${factor.label}" has no answer.`);
    }
    if (!factor.options.some((option) => option.score === answer)) {
      const allowed = factor.options.map((option) => option.score).join(', ');
      throw new DomainError(
        'INVALID_RISK_ASSESSMENT',
        `Risk factor "${factor.label}" must be one of ${allowed}, not ${answer}.`,
      );
    }
    score += answer;
  }
  const unknown = Object.keys(answers).find((id) => !risk.factors.some((factor) => factor.id === id));
  if (unknown !== undefined) {
    throw new DomainError('INVALID_RISK_ASSESSMENT', `"${unknown}" is not a risk factor of this policy.`);
  }
  // Levels ascend by min_score (validated at load), so the last one reached is the level.
  const level = risk.levels.filter((candidate) => candidate.min_score <= score).at(-1) ?? risk.levels[0];
  if (!level) throw new DomainError('UNKNOWN_RISK_LEVEL', 'The policy defines no risk levels.');
  return { score, level: level.id };
}

function levelRank(level: string, risk: RiskPolicy): number {
  const rank = risk.levels.findIndex((candidate) => candidate.id === level);
  if (rank < 0) throw new DomainError('UNKNOWN_RISK_LEVEL', `"${level}" is not a risk level of this policy.`);
  return rank;
}

/** The requester may raise the computed level but never lower it. */
export function effectiveRiskLevel(computed: string, requested: string | undefined, risk: RiskPolicy): string {
  const computedRank = levelRank(computed, risk);
  if (requested === undefined) return computed;
  return levelRank(requested, risk) > computedRank ? requested : computed;
}

/**
 * The level a change runs at: the computed level, raised by the requester and by the floor (`min_risk`) of any
 * catalog system it affects (issue 16.3 tiers), never lowered.
 */
export function changeRiskLevel(
  computed: string,
  raise: { requested: string | undefined; systems: readonly string[] },
  policy: Pick<Policy, 'risk' | 'systems'>,
): string {
  let level = effectiveRiskLevel(computed, raise.requested, policy.risk);
  for (const system of policy.systems) {
    if (system.min_risk !== undefined && raise.systems.includes(system.id))
      level = effectiveRiskLevel(level, system.min_risk, policy.risk);
  }
  return level;
}

/**
 * The level a form's answers give so far, or undefined until every factor is rated; a level the form did not offer
 * is not taken as a raise.
 */
export function formRiskLevel(
  form: { riskAnswers: Readonly<Record<string, unknown>>; requestedRiskLevel?: string; systems: readonly string[] },
  policy: Pick<Policy, 'risk' | 'systems'>,
): string | undefined {
  const answers: Record<string, number> = {};
  for (const factor of policy.risk.factors) {
    const score = Number(form.riskAnswers[factor.id]);
    if (!factor.options.some((option) => option.score === score)) return undefined;
    answers[factor.id] = score;
  }
  const requested = policy.risk.levels.some((level) => level.id === form.requestedRiskLevel)
    ? form.requestedRiskLevel
    : undefined;
  return changeRiskLevel(assessRisk(answers, policy.risk).level, { requested, systems: form.systems }, policy);
}

import type { RiskPolicy } from '../policy/schema.js';
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

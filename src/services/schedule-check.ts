import { type Conflict, conflictsFor } from '../db/schedule.js';
import type { ChangeRequestForm } from '../domain/change-request.js';
import { assessRisk, effectiveRiskLevel } from '../domain/risk.js';
import type { ScheduleProblem } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from './context.js';
import { requestScheduleProblems } from './submit-change.js';

export interface ScheduleCheck {
  /** Undefined until every risk factor is rated: the windows depend on the risk level. */
  risk: string | undefined;
  problems: ScheduleProblem[];
  conflicts: Conflict[];
}

/** The risk level the form's answers give so far, if every factor is rated. */
function formRiskLevel(form: ChangeRequestForm, policy: Policy): string | undefined {
  const answers: Record<string, number> = {};
  for (const factor of policy.risk.factors) {
    const score = Number(form.riskAnswers[factor.id]);
    if (!factor.options.some((option) => option.score === score)) return undefined;
    answers[factor.id] = score;
  }
  const requested = policy.risk.levels.some((level) => level.id === form.requestedRiskLevel)
    ? form.requestedRiskLevel
    : undefined;
  return effectiveRiskLevel(assessRisk(answers, policy.risk).level, requested, policy.risk);
}

/**
 * Checks a change-request form as it is being filled in: the windows and freezes its times break
 * (9.1, 9.2) and the changes it collides with. Undefined until both times are picked, in order.
 */
export function checkFormSchedule(ctx: UseCaseContext, form: ChangeRequestForm): ScheduleCheck | undefined {
  const { db, policy } = ctx;
  if (form.plannedStart === undefined || form.plannedEnd === undefined || form.plannedEnd <= form.plannedStart)
    return undefined;
  const interval = { plannedStart: new Date(form.plannedStart * 1000), plannedEnd: new Date(form.plannedEnd * 1000) };
  const systems = [...new Set(form.affectedSystems.map((system) => system.trim()).filter(Boolean))];
  const risk = formRiskLevel(form, policy);
  return {
    risk,
    problems: risk === undefined ? [] : requestScheduleProblems(db, ctx, interval, risk),
    conflicts: conflictsFor(db, { id: 0, affectedSystems: systems, ...interval }),
  };
}

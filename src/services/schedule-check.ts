import { type Conflict, conflictsFor } from '../db/schedule.js';
import type { ChangeRequestForm } from '../domain/change-request.js';
import { formRiskLevel } from '../domain/risk.js';
import type { ScheduleProblem } from '../domain/schedule.js';
import type { UseCaseContext } from './context.js';
import { requestScheduleProblems } from './submit-change.js';

export interface ScheduleCheck {
  /** Undefined until every risk factor is rated: the windows depend on the risk level. */
  risk: string | undefined;
  problems: ScheduleProblem[];
  conflicts: Conflict[];
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
  const risk = formRiskLevel({ ...form, systems }, policy);
  return {
    risk,
    problems: risk === undefined ? [] : requestScheduleProblems(db, ctx, interval, risk),
    conflicts: conflictsFor(db, { id: 0, affectedSystems: systems, ...interval }),
  };
}

// Ordered approval stages (approvals.stages; 000 5: the CTO gives final approval, after the Security Lead) and
// "any one of" groups of roles (an approval-matrix entry { any_of: [...] }; MCP4 5.3 "CTO/CISO").

/** The stage of a requirement for any one of `roles`: the earliest stage naming one of them; a role none names, 0. */
export function stageOf(roles: readonly string[], stages: readonly (readonly string[])[]): number {
  return Math.min(
    ...roles.map((role) =>
      Math.max(
        0,
        stages.findIndex((stage) => stage.includes(role)),
      ),
    ),
  );
}

/**
 * The stage whose approvers are asked now: the earliest holding an unsatisfied requirement (earlier stages are
 * approved). Undefined when every requirement is satisfied.
 */
export function openStage(requirements: readonly { stage: number; satisfiedAt: Date | null }[]): number | undefined {
  const waiting = requirements.filter((requirement) => requirement.satisfiedAt === null).map((r) => r.stage);
  return waiting.length > 0 ? Math.min(...waiting) : undefined;
}

/** The stages a phase's requirements run in, in order (one when unordered): a stage's number is its place here. */
export function stagesOf(requirements: readonly { stage: number }[]): number[] {
  return [...new Set(requirements.map((requirement) => requirement.stage))].sort((a, b) => a - b);
}

/** Whether two requirements of one phase are the same "any one of" group: one approval satisfies both. */
export function sameGroup(
  a: { id: number; anyOf: readonly string[] | null },
  b: { id: number; anyOf: readonly string[] | null },
): boolean {
  return a.id !== b.id && a.anyOf !== null && b.anyOf !== null && a.anyOf.join() === b.anyOf.join();
}

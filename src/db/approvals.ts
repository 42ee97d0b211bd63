import { and, eq, isNull, notInArray, or } from 'drizzle-orm';
import { DECIDING_STATES, decisionStageOf } from '../domain/lifecycle.js';
import type { DbExecutor } from './client.js';
import { approvalCandidates, approvalDecisions, approvalRequirements, changes } from './schema.js';

/** Marks a requirement no longer satisfied, e.g. when the approval that met it is disputed. */
export function unsatisfyRequirement(db: DbExecutor, requirementId: number): void {
  db.update(approvalRequirements).set({ satisfiedAt: null }).where(eq(approvalRequirements.id, requirementId)).run();
}

/** Marks a requirement satisfied once; false when it already was. */
export function satisfyRequirement(db: DbExecutor, requirementId: number, at: Date): boolean {
  return (
    db
      .update(approvalRequirements)
      .set({ satisfiedAt: at })
      .where(and(eq(approvalRequirements.id, requirementId), isNull(approvalRequirements.satisfiedAt)))
      .returning({ id: approvalRequirements.id })
      .all().length === 1
  );
}

export type NewRequirement = typeof approvalRequirements.$inferInsert;
export type NewDecision = typeof approvalDecisions.$inferInsert;

export function addRequirement(db: DbExecutor, requirement: NewRequirement): void {
  db.insert(approvalRequirements).values(requirement).run();
}

/** Records that a role's members were asked instead (nobody but the requester or owner holds the role). */
export function setFallbackRole(db: DbExecutor, requirementId: number, fallbackRole: string): void {
  db.update(approvalRequirements).set({ fallbackRole }).where(eq(approvalRequirements.id, requirementId)).run();
}

/** Starts a requirement's SLA clock once: a requirement asked again keeps its first due time. */
export function setRequirementDue(db: DbExecutor, requirementId: number, dueAt: Date): void {
  db.update(approvalRequirements)
    .set({ dueAt })
    .where(and(eq(approvalRequirements.id, requirementId), isNull(approvalRequirements.dueAt)))
    .run();
}

/**
 * Adds someone asked to satisfy a requirement, in their own right or as a delegate (`onBehalfOf`); asking twice
 * keeps the first.
 */
export function addCandidate(
  db: DbExecutor,
  requirementId: number,
  userId: string,
  basis: { onBehalfOf: string } | undefined = undefined,
): void {
  db.insert(approvalCandidates)
    .values({ requirementId, userId, onBehalfOf: basis?.onBehalfOf })
    .onConflictDoNothing()
    .run();
}

/**
 * Makes someone a candidate of a requirement by an admin's reassignment: they may decide without holding the role.
 * Someone asked before (in their own right or as a delegate) is reassigned in place.
 */
export function reassignCandidate(
  db: DbExecutor,
  reassignment: { requirementId: number; userId: string; reassignedBy: string; reason: string },
): void {
  const { requirementId, userId, reassignedBy, reason } = reassignment;
  const values = { onBehalfOf: null, reassignedBy, reassignReason: reason };
  db.insert(approvalCandidates)
    .values({ requirementId, userId, ...values })
    .onConflictDoUpdate({ target: [approvalCandidates.requirementId, approvalCandidates.userId], set: values })
    .run();
}

/**
 * The open requirements someone was asked for in their own right and has not decided: of the phase each change
 * waits in, not yet satisfied.
 */
export function openRequirementsAskedOf(db: DbExecutor, userId: string): { changeId: number; requirementId: number }[] {
  const decidedByUser = db
    .select({ requirementId: approvalDecisions.requirementId })
    .from(approvalDecisions)
    .where(and(eq(approvalDecisions.approverId, userId), isNull(approvalDecisions.voidedAt)));
  return db
    .select({ changeId: approvalRequirements.changeId, requirementId: approvalRequirements.id })
    .from(approvalCandidates)
    .innerJoin(approvalRequirements, eq(approvalCandidates.requirementId, approvalRequirements.id))
    .innerJoin(changes, eq(approvalRequirements.changeId, changes.id))
    .where(
      and(
        eq(approvalCandidates.userId, userId),
        isNull(approvalCandidates.onBehalfOf),
        isNull(approvalCandidates.reassignedBy),
        isNull(approvalRequirements.satisfiedAt),
        or(
          ...DECIDING_STATES.map((state) =>
            and(eq(changes.state, state), eq(approvalRequirements.phase, decisionStageOf(state).phase)),
          ),
        ),
        notInArray(approvalRequirements.id, decidedByUser),
      ),
    )
    .orderBy(approvalRequirements.changeId, approvalRequirements.id)
    .all();
}

/** The changes whose unsatisfied requirements a delegate was asked for on the delegator's behalf. */
export function changesAskedOnBehalf(db: DbExecutor, asked: { delegateId: string; delegatorId: string }): number[] {
  return db
    .selectDistinct({ changeId: approvalRequirements.changeId })
    .from(approvalCandidates)
    .innerJoin(approvalRequirements, eq(approvalCandidates.requirementId, approvalRequirements.id))
    .where(
      and(
        eq(approvalCandidates.userId, asked.delegateId),
        eq(approvalCandidates.onBehalfOf, asked.delegatorId),
        isNull(approvalRequirements.satisfiedAt),
      ),
    )
    .all()
    .map((row) => row.changeId);
}

export function addDecision(db: DbExecutor, decision: NewDecision): void {
  db.insert(approvalDecisions).values(decision).run();
}

/**
 * Adds a decision unless the person already has one standing on the requirement; its id, or undefined. Checked
 * before inserting because the write-once trigger refuses the duplicate before ON CONFLICT could ignore it; call
 * in an immediate transaction.
 */
export function addDecisionOnce(db: DbExecutor, decision: NewDecision): number | undefined {
  const { requirementId, approverId } = decision;
  if (requirementId != null && approverId != null) {
    const standing = db
      .select({ id: approvalDecisions.id })
      .from(approvalDecisions)
      .where(
        and(
          eq(approvalDecisions.requirementId, requirementId),
          eq(approvalDecisions.approverId, approverId),
          isNull(approvalDecisions.voidedAt),
        ),
      )
      .get();
    if (standing) return undefined;
  }
  return db.insert(approvalDecisions).values(decision).returning({ id: approvalDecisions.id }).all()[0]?.id;
}

/** Stops a decision counting (e.g. a disputed verbal approval); the row stays as evidence. */
export function voidDecision(db: DbExecutor, decisionId: number, reason: string, at: Date): void {
  db.update(approvalDecisions)
    .set({ voidedAt: at, voidReason: reason })
    .where(eq(approvalDecisions.id, decisionId))
    .run();
}

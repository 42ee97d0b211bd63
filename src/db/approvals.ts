import { and, eq, isNull } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { approvalCandidates, approvalDecisions, approvalRequirements } from './schema.js';

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

/** Adds someone asked to satisfy a requirement; asking twice keeps one. */
export function addCandidate(db: DbExecutor, requirementId: number, userId: string): void {
  db.insert(approvalCandidates).values({ requirementId, userId }).onConflictDoNothing().run();
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

import { and, eq, isNull } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { approvalRequirements } from './schema.js';

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

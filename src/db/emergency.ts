import { and, eq, isNull } from 'drizzle-orm';
import type { ObligationKind } from '../domain/emergency.js';
import type { VerbalApprovalRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import { obligations, verbalApprovalConfirmations, verbalApprovals } from './schema.js';

export type NewVerbalApproval = typeof verbalApprovals.$inferInsert;
export type NewConfirmation = typeof verbalApprovalConfirmations.$inferInsert;
export type NewObligation = typeof obligations.$inferInsert;

/** Adds what an emergency owes, once per kind; false when it was already owed. */
export function insertObligation(db: DbExecutor, obligation: NewObligation): boolean {
  return (
    db.insert(obligations).values(obligation).onConflictDoNothing().returning({ id: obligations.id }).all().length === 1
  );
}

/** Marks an obligation done unless it already was; what it was due, or undefined when nothing was marked. */
export function markObligationDone(
  db: DbExecutor,
  changeId: number,
  kind: ObligationKind,
  done: { completedBy: string; evidence: string | null; at: Date },
): { dueAt: Date | null } | undefined {
  return db
    .update(obligations)
    .set({ completedAt: done.at, completedBy: done.completedBy, evidence: done.evidence })
    .where(and(eq(obligations.changeId, changeId), eq(obligations.kind, kind), isNull(obligations.completedAt)))
    .returning({ dueAt: obligations.dueAt })
    .all()[0];
}

/** The verbal approval a modal submission recorded, if it was already recorded. */
export function verbalApprovalOfSubmission(db: DbExecutor, submissionKey: string): { id: number } | undefined {
  return db
    .select({ id: verbalApprovals.id })
    .from(verbalApprovals)
    .where(eq(verbalApprovals.submissionKey, submissionKey))
    .get();
}

export function verbalApprovalById(db: DbExecutor, verbalApprovalId: number): VerbalApprovalRow | undefined {
  return db.select().from(verbalApprovals).where(eq(verbalApprovals.id, verbalApprovalId)).get();
}

/** Records a verbal approval; its id. */
export function insertVerbalApproval(db: DbExecutor, verbal: NewVerbalApproval): number {
  const [row] = db.insert(verbalApprovals).values(verbal).returning({ id: verbalApprovals.id }).all();
  if (!row) throw new Error('insert returned no verbal approval');
  return row.id;
}

/** Links a verbal approval to the authorization it counts as. */
export function setVerbalApprovalDecision(db: DbExecutor, verbalApprovalId: number, decisionId: number): void {
  db.update(verbalApprovals).set({ decisionId }).where(eq(verbalApprovals.id, verbalApprovalId)).run();
}

export function insertConfirmation(db: DbExecutor, confirmation: NewConfirmation): void {
  db.insert(verbalApprovalConfirmations).values(confirmation).run();
}

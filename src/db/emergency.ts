import { and, eq, isNull } from 'drizzle-orm';
import type { ObligationKind } from '../domain/emergency.js';
import type { VerbalApprovalRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import {
  authorizationDisputes,
  changeVersions,
  obligations,
  verbalApprovalConfirmations,
  verbalApprovals,
} from './schema.js';

export type NewVerbalApproval = typeof verbalApprovals.$inferInsert;
export type NewConfirmation = typeof verbalApprovalConfirmations.$inferInsert;
export type NewObligation = typeof obligations.$inferInsert;
export type NewChangeVersion = typeof changeVersions.$inferInsert;
export type NewDispute = typeof authorizationDisputes.$inferInsert;

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

/** Keeps one version of an emergency's text (declared, documented); write-once. */
export function insertChangeVersion(db: DbExecutor, version: NewChangeVersion): void {
  db.insert(changeVersions).values(version).run();
}

/** Opens a dispute of an authorization; false when this verbal approval's dispute was already open. */
export function insertDispute(db: DbExecutor, dispute: NewDispute): boolean {
  return (
    db
      .insert(authorizationDisputes)
      .values(dispute)
      .onConflictDoNothing()
      .returning({ id: authorizationDisputes.id })
      .all().length === 1
  );
}

/** Resolves a change's open disputes; how many were open. */
export function resolveDisputes(
  db: DbExecutor,
  changeId: number,
  resolution: { resolvedBy: string; note: string; at: Date },
): number {
  return db
    .update(authorizationDisputes)
    .set({ resolvedBy: resolution.resolvedBy, resolvedAt: resolution.at, resolution: resolution.note })
    .where(and(eq(authorizationDisputes.changeId, changeId), isNull(authorizationDisputes.resolvedAt)))
    .returning({ id: authorizationDisputes.id })
    .all().length;
}

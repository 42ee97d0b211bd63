import { eq } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { postImplementationReviews, rollbacks, verifications } from './schema.js';

export type NewRollback = typeof rollbacks.$inferInsert;
export type NewVerification = typeof verifications.$inferInsert;
export type NewReview = typeof postImplementationReviews.$inferInsert;

export function insertRollback(db: DbExecutor, rollback: NewRollback): void {
  db.insert(rollbacks).values(rollback).run();
}

export function insertVerification(db: DbExecutor, verification: NewVerification): void {
  db.insert(verifications).values(verification).run();
}

/** Removes a verification that no longer holds (the change failed afterwards); the audit log keeps what it was. */
export function deleteVerification(db: DbExecutor, verificationId: number): void {
  db.delete(verifications).where(eq(verifications.id, verificationId)).run();
}

export function insertReview(db: DbExecutor, review: NewReview): void {
  db.insert(postImplementationReviews).values(review).run();
}

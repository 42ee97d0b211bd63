import type { DbExecutor } from './client.js';
import { changeEvidence } from './schema.js';

export type NewChangeEvidence = typeof changeEvidence.$inferInsert;

/** Adds one record of evidence; an earlier record of the same item stays as it was. */
export function insertChangeEvidence(db: DbExecutor, evidence: NewChangeEvidence): void {
  db.insert(changeEvidence).values(evidence).run();
}

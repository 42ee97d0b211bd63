import { and, count, desc, eq, exists, inArray, isNull, notExists, or } from 'drizzle-orm';
import { DECIDING_STATES, decisionStageOf } from '../domain/lifecycle.js';
import type { ChangeRow } from './change-record.js';
import type { DbExecutor } from './client.js';
import { approvalCandidates, approvalDecisions, approvalRequirements, changes } from './schema.js';

/** The change a modal submission created, if it was already recorded (Slack retries, double submits). */
export function changeOfSubmission(db: DbExecutor, submissionKey: string): number | undefined {
  return db.select({ id: changes.id }).from(changes).where(eq(changes.submissionKey, submissionKey)).get()?.id;
}

export type ListFilter = 'mine' | 'pending' | 'all';

/** Newest first. `mine`: requested or owned by the user; `pending`: waiting for the user's decision. */
export function listChanges(
  db: DbExecutor,
  filter: ListFilter,
  userId: string,
  limit: number,
): { rows: ChangeRow[]; total: number } {
  // Open requirements of the phase the change is in, where the user was asked and has not decided (nor a delegate
  // for them) yet. Read from the changes waiting for a decision (few, however long the record), each requirement's
  // candidates and decisions found by its id: the user's own candidacies and decisions grow with the record.
  const askedOfUser = db
    .select({ id: approvalCandidates.id })
    .from(approvalCandidates)
    .where(and(eq(approvalCandidates.requirementId, approvalRequirements.id), eq(approvalCandidates.userId, userId)));
  const decidedByUser = db
    .select({ id: approvalDecisions.id })
    .from(approvalDecisions)
    .where(
      and(
        eq(approvalDecisions.requirementId, approvalRequirements.id),
        or(eq(approvalDecisions.approverId, userId), eq(approvalDecisions.onBehalfOf, userId)),
        isNull(approvalDecisions.voidedAt),
      ),
    );
  const waitingForUser = inArray(
    changes.id,
    db
      .select({ changeId: approvalRequirements.changeId })
      .from(changes)
      .innerJoin(approvalRequirements, eq(approvalRequirements.changeId, changes.id))
      .where(
        and(
          inArray(changes.state, DECIDING_STATES),
          isNull(approvalRequirements.satisfiedAt),
          or(
            ...DECIDING_STATES.map((state) =>
              and(eq(changes.state, state), eq(approvalRequirements.phase, decisionStageOf(state).phase)),
            ),
          ),
          exists(askedOfUser),
          notExists(decidedByUser),
        ),
      ),
  );
  const where =
    filter === 'pending'
      ? waitingForUser
      : filter === 'mine'
        ? or(eq(changes.requesterId, userId), eq(changes.ownerId, userId))
        : undefined;
  const rows = db.select().from(changes).where(where).orderBy(desc(changes.id)).limit(limit).all();
  const total = db.select({ total: count() }).from(changes).where(where).get()?.total ?? 0;
  return { rows, total };
}

/** The IDs of the changes waiting for a decision (approval, authorization or retro-approval), oldest first. */
export function changesWaitingForDecision(db: DbExecutor): number[] {
  return db
    .select({ id: changes.id })
    .from(changes)
    .where(inArray(changes.state, DECIDING_STATES))
    .orderBy(changes.id)
    .all()
    .map((row) => row.id);
}

export type NewChange = typeof changes.$inferInsert;

export function insertChange(db: DbExecutor, change: NewChange): ChangeRow {
  const [row] = db.insert(changes).values(change).returning().all();
  if (!row) throw new Error('insert returned no change');
  return row;
}

/** Sets some of a change's columns (not its state: that goes through `transitionChange`). */
export function updateChange(db: DbExecutor, changeId: number, fields: Omit<Partial<NewChange>, 'id' | 'state'>): void {
  db.update(changes).set(fields).where(eq(changes.id, changeId)).run();
}

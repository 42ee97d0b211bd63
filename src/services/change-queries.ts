import { itemById } from '../db/cab.js';
import { type ChangeRecord, type ChangeRow, loadChangeRecord } from '../db/change-record.js';
import { changesWaitingForDecision, type ListFilter, listChanges } from '../db/changes.js';
import type { DbExecutor } from '../db/client.js';
import { verbalApprovalById } from '../db/emergency.js';
import type { UseCaseContext } from './context.js';

// The reads the Slack layer needs to render and to open forms; every write goes through a use-case.

/** Anything that carries the database: the use-case context, or the app's database at start. */
export type ReadSource = { db: DbExecutor };

export type { ListFilter };

/** A change with everything on it, as its messages show it. */
export function changeRecordOf(source: ReadSource, changeId: number): ChangeRecord | undefined {
  return loadChangeRecord(source.db, changeId);
}

/** Every change waiting for a decision, oldest first. */
export function changesAwaitingDecision(source: ReadSource): ChangeRecord[] {
  return changesWaitingForDecision(source.db).flatMap((id) => loadChangeRecord(source.db, id) ?? []);
}

/** The change a verbal approval was recorded on. */
export function changeOfVerbalApproval(source: ReadSource, verbalApprovalId: number): number | undefined {
  return verbalApprovalById(source.db, verbalApprovalId)?.changeId;
}

/** The change a CAB board item puts to the board. */
export function changeOfBoardItem(source: ReadSource, itemId: number): ChangeRecord | undefined {
  const item = itemById(source.db, itemId);
  return item ? loadChangeRecord(source.db, item.changeId) : undefined;
}

/** Newest first: the actor's own changes, those waiting for their decision, or all. */
export function changesFor(
  ctx: UseCaseContext,
  query: { filter: ListFilter; limit: number },
): { rows: ChangeRow[]; total: number } {
  return listChanges(ctx.db, query.filter, ctx.actorId, query.limit);
}

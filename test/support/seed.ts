import type { Database } from '../../src/db/client.js';
import { approvalRequirements, changes } from '../../src/db/schema.js';

/**
 * Writes `count` high-risk changes waiting only for the board (the cab requirement), planned an hour
 * apart from `now`, with long titles full of characters mrkdwn must escape: a big agenda.
 */
export function seedChangesAwaitingBoard(
  database: Database,
  count: number,
  now: Date,
  requesterId = 'U0REQ0001',
): void {
  const { db } = database;
  db.transaction((tx) => {
    for (let n = 1; n <= count; n += 1) {
      const start = new Date(now.getTime() + n * 3_600_000);
      const [row] = tx
        .insert(changes)
        .values({
          type: 'normal',
          state: 'pending_approval',
          title: `Change ${n}: ${'migrate the <ledger> & reconcile '.repeat(4)}`,
          description: 'Seeded',
          riskLevel: 'high',
          computedRiskLevel: 'high',
          riskScore: 12,
          requesterId,
          ownerId: requesterId,
          plannedStart: start,
          plannedEnd: new Date(start.getTime() + 1_800_000),
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: changes.id })
        .all();
      if (row) tx.insert(approvalRequirements).values({ changeId: row.id, role: 'cab', approvalsNeeded: 1 }).run();
    }
  });
}

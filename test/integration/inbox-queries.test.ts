import { afterEach, expect, it } from 'vitest';
import { homeViewersAmong } from '../../src/db/home-viewers.js';
import {
  activeChangesOf,
  changesAwaitingStepOf,
  openBoardItems,
  unansweredVerbalApprovals,
  waitingRequirements,
} from '../../src/db/inbox.js';
import { queryPlan, statementsPrepared } from '../support/query-plans.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

let database: TempDatabase | undefined;
afterEach(() => {
  database?.dispose();
  database = undefined;
});

// Issue 15.5: a Home is read on every app_home_opened and every move of a change: each of its queries is answered
// through an index, never by reading a whole table.
it('reads what waits for a person through indexes only, never a full table scan', () => {
  database = openTempDatabase();
  const { db } = database;
  const client = db.$client;
  const statements = statementsPrepared(client, () => {
    waitingRequirements(db, { userId: 'U1', boardRole: 'cab', oneRolePerPerson: true, today: '2026-11-18' });
    waitingRequirements(db, { boardRole: 'cab', oneRolePerPerson: false, today: '2026-11-18' });
    unansweredVerbalApprovals(db, 'U1');
    openBoardItems(db, { boardRole: 'cab', personId: 'U1', voterId: 'U1' });
    changesAwaitingStepOf(db, 'U1', 10);
    activeChangesOf(db, 'U1', 10);
    homeViewersAmong(db, ['U1', 'U2']);
  });
  expect(statements).toHaveLength(9);
  for (const source of statements)
    expect(
      queryPlan(client, source).filter((detail) => detail.startsWith('SCAN')),
      source,
    ).toEqual([]);
});

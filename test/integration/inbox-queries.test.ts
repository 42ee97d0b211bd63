import { afterEach, expect, it } from 'vitest';
import { homeViewersAmong } from '../../src/db/home-viewers.js';
import {
  activeChangesOf,
  changesAwaitingStepOf,
  openBoardItems,
  unansweredVerbalApprovals,
  waitingRequirements,
} from '../../src/db/inbox.js';
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
  const statements: string[] = [];
  const prepare = client.prepare.bind(client);
  const spy = (source: string) => {
    statements.push(source);
    return prepare(source);
  };
  Object.assign(client, { prepare: spy });
  try {
    waitingRequirements(db, { userId: 'U1', boardRole: 'cab', oneRolePerPerson: true, today: '2026-11-18' });
    waitingRequirements(db, { boardRole: 'cab', oneRolePerPerson: false, today: '2026-11-18' });
    unansweredVerbalApprovals(db, 'U1');
    openBoardItems(db, { boardRole: 'cab', personId: 'U1', voterId: 'U1' });
    changesAwaitingStepOf(db, 'U1', 10);
    activeChangesOf(db, 'U1', 10);
    homeViewersAmong(db, ['U1', 'U2']);
  } finally {
    Object.assign(client, { prepare });
  }
  expect(statements).toHaveLength(9);
  for (const source of statements) {
    const params = (source.match(/\?/g) ?? []).map(() => 'x');
    const plan = client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[];
    expect(
      plan.filter((step) => step.detail.startsWith('SCAN')).map((step) => step.detail),
      source,
    ).toEqual([]);
  }
});

// Conflict warnings read from SQLite only the changes that may share a system (issue 13: a burst plans hundreds of
// changes in one window, and every message about each of them shows its conflicts); which ones do is decided as
// before, systems compared without regard to case (POL-SEC-008 9.1).
import { afterEach, expect, it } from 'vitest';
import { conflictsFor } from '../../src/db/schedule.js';
import { changes } from '../../src/db/schema.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

let database: TempDatabase | undefined;
afterEach(() => {
  database?.dispose();
  database = undefined;
});

const NOW = new Date('2026-11-24T12:00:00Z');
const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000);

function planned(systems: string[], from: number, to: number): number {
  const db = database?.db;
  if (!db) throw new Error('no database');
  const [row] = db
    .insert(changes)
    .values({
      type: 'normal',
      state: 'approved',
      title: `On ${systems.join(', ')}`,
      description: 'Seeded',
      riskLevel: 'low',
      computedRiskLevel: 'low',
      riskScore: 2,
      requesterId: 'U0REQ0001',
      ownerId: 'U0OWNER01',
      affectedSystems: systems,
      plannedStart: hours(from),
      plannedEnd: hours(to),
      createdAt: NOW,
      updatedAt: NOW,
    })
    .returning({ id: changes.id })
    .all();
  if (!row) throw new Error('not inserted');
  return row.id;
}

it.each([
  {
    name: 'the same system, another case',
    mine: ['edge-proxy'],
    theirs: ['EDGE-Proxy', 'cdn'],
    shared: ['edge-proxy'],
  },
  { name: 'a non-ASCII system, another case', mine: ['zürich-db'], theirs: ['ZÜRICH-DB'], shared: ['zürich-db'] },
  { name: 'two shared systems', mine: ['cdn', 'dns'], theirs: ['DNS', 'cdn'], shared: ['cdn', 'dns'] },
  { name: 'other systems only', mine: ['edge-proxy'], theirs: ['payments-db'], shared: [] },
])('$name: shares $shared', ({ mine, theirs, shared }) => {
  database = openTempDatabase();
  const other = planned(theirs, 1, 3);
  planned(['payments-db'], 1, 3);
  const found = conflictsFor(database.db, {
    id: 0,
    affectedSystems: mine,
    plannedStart: hours(2),
    plannedEnd: hours(4),
  });
  expect(found.map((conflict) => [conflict.change.id, conflict.systems])).toEqual(
    shared.length > 0 ? [[other, shared]] : [],
  );
});

it('leaves out changes planned at another time', () => {
  database = openTempDatabase();
  planned(['edge-proxy'], 5, 6);
  expect(
    conflictsFor(database.db, { id: 0, affectedSystems: ['edge-proxy'], plannedStart: hours(2), plannedEnd: hours(4) }),
  ).toEqual([]);
});

import { afterEach, expect, it } from 'vitest';
import { changeVersion, lastAuditEvent } from '../../src/db/audit-log.js';
import { loadAgendaFacts } from '../../src/db/cab.js';
import { loadChangeRecord } from '../../src/db/change-record.js';
import { listChanges } from '../../src/db/changes.js';
import { plannedChangePages, plannedChangesDuring } from '../../src/db/schedule.js';
import { agendaPlannedReach } from '../../src/domain/agenda.js';
import { CHANGE_STATES } from '../../src/domain/lifecycle.js';
import { changeToDeliver } from '../../src/services/posted-messages.js';
import { minimalPolicy } from '../support/policy.js';
import { queryPlan, statementsPrepared } from '../support/query-plans.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

let database: TempDatabase | undefined;
afterEach(() => {
  database?.dispose();
  database = undefined;
});

/**
 * The tables (by alias) that a statement `read` prepares reads whole. A relational query reads each relation in a
 * co-routine: "SCAN x" after "SEARCH x USING INDEX" walks the co-routine's rows, not the table.
 */
function fullScans(temp: TempDatabase, read: () => void): string[] {
  const client = temp.db.$client;
  const statements = statementsPrepared(client, read);
  expect(statements.length).toBeGreaterThan(0);
  const partialIndexes = (
    client.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql LIKE '% WHERE %'").all() as {
      name: string;
    }[]
  ).map((index) => index.name);
  return statements.flatMap((source) => {
    const plan = queryPlan(client, source, 1);
    const aliasOf = (verb: string) =>
      plan.flatMap((detail) => (detail.startsWith(`${verb} `) ? [detail.split(' ')[1] ?? ''] : []));
    const searched = new Set(aliasOf('SEARCH'));
    // A partial index holds only the rows its condition admits (open paperwork, open disputes): reading it whole
    // reads what is open, not the table.
    const partial = plan.filter((detail) => partialIndexes.some((name) => detail.endsWith(`INDEX ${name}`)));
    const bounded = new Set(partial.map((detail) => detail.split(' ')[1] ?? ''));
    return [...new Set(aliasOf('SCAN'))].filter((alias) => !searched.has(alias) && !bounded.has(alias));
  });
}

// Issue 17.1: every show and click loads a change with all it carries; with a large record each part must be
// found through an index (decisions and verbal approvals by change among them), never by reading a whole table.
it('loads a change record through indexes only', () => {
  database = openTempDatabase();
  const temp = database;
  expect(fullScans(temp, () => loadChangeRecord(temp.db, 1))).toEqual([]);
});

// Issue 17.1: the agenda reads what it shows, each part through an index: changes waiting for a decision, planned
// within its reach, moved since the last CAB, with paperwork or a dispute open; never every change.
it('reads the agenda through indexes only', () => {
  database = openTempDatabase();
  const temp = database;
  const now = new Date('2026-11-18T15:00:00Z');
  const planned = agendaPlannedReach(minimalPolicy(), { meetingAt: now, now });
  expect(fullScans(temp, () => loadAgendaFacts(temp.db, { since: now, planned }))).toEqual([]);
});

// Issue 17.2: the calendar feed reads the changes ending within its reach, not every change ever planned.
it('reads the calendar feed through indexes only', () => {
  database = openTempDatabase();
  const temp = database;
  const interval = { start: new Date('2026-08-20T00:00:00Z'), end: new Date('2027-11-18T00:00:00Z') };
  expect(fullScans(temp, () => plannedChangesDuring(temp.db, interval, CHANGE_STATES))).toEqual([]);
  // A page of the feed reads its changes by id; json_each walks the page's bound array of ids, not a table.
  const pages = () => [...plannedChangePages(temp.db, { interval, states: CHANGE_STATES, pageSize: 250 })];
  expect(fullScans(temp, pages)).toEqual(['json_each']);
});

// Issue 13: every message the outbox sends reads its change, the messages posted about it and its version (to know
// whether a message rendered before a move needs a refresh); the feed's version is the last event.
it('reads what a delivery and the feed version need through indexes only', () => {
  database = openTempDatabase();
  const temp = database;
  expect(
    fullScans(temp, () => {
      changeToDeliver(temp.db, 1);
      changeVersion(temp.db, 1);
      lastAuditEvent(temp.db);
    }),
  ).toEqual([]);
});

// Issue 17.1: `/change list pending` starts from the changes waiting for a decision, `mine` from the person's own.
it.each(['pending', 'mine'] as const)('lists %s through indexes only', (filter) => {
  database = openTempDatabase();
  const temp = database;
  expect(fullScans(temp, () => listChanges(temp.db, filter, 'U0PEER001', 20))).toEqual([]);
});

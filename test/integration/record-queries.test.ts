import { afterEach, expect, it } from 'vitest';
import { loadChangeRecord } from '../../src/db/change-record.js';
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
  const statements: string[] = [];
  const prepare = client.prepare.bind(client);
  Object.assign(client, {
    prepare: (source: string) => {
      statements.push(source);
      return prepare(source);
    },
  });
  try {
    read();
  } finally {
    Object.assign(client, { prepare });
  }
  expect(statements.length).toBeGreaterThan(0);
  return statements.flatMap((source) => {
    const params = (source.match(/\?/g) ?? []).map(() => 1);
    const plan = client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[];
    const aliasOf = (verb: string) =>
      plan.flatMap((step) => (step.detail.startsWith(`${verb} `) ? [step.detail.split(' ')[1] ?? ''] : []));
    const searched = new Set(aliasOf('SEARCH'));
    return [...new Set(aliasOf('SCAN'))].filter((alias) => !searched.has(alias));
  });
}

// Issue 17.1: every show and click loads a change with all it carries; with a large record each part must be
// found through an index (decisions and verbal approvals by change among them), never by reading a whole table.
it('loads a change record through indexes only', () => {
  database = openTempDatabase();
  const temp = database;
  expect(fullScans(temp, () => loadChangeRecord(temp.db, 1))).toEqual([]);
});

// What a repository asks SQLite, and how SQLite answers it: the tests that refuse a full scan of a large table.
import type SQLite from 'better-sqlite3';

/** The statements `read` prepares on the connection, in order (drizzle prepares each query it runs). */
export function statementsPrepared(client: SQLite.Database, read: () => void): string[] {
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
  return statements;
}

/** The steps of a statement's EXPLAIN QUERY PLAN, each `?` bound to `placeholder`. */
export function queryPlan(client: SQLite.Database, source: string, placeholder: unknown = 'x'): string[] {
  const params = (source.match(/\?/g) ?? []).map(() => placeholder);
  return (client.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map(
    (step) => step.detail,
  );
}

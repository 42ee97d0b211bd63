// The database handle types, apart from client.ts so that what openDatabase runs can name them without a cycle.
import type SQLite from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as relations from './relations.js';
import type * as tables from './schema.js';

export type CabinetSchema = typeof tables & typeof relations;

export type CabinetDb = BetterSQLite3Database<CabinetSchema> & { $client: SQLite.Database };

/** The database or a transaction on it: what repositories take, so a use-case's writes commit together. */
export type DbExecutor = CabinetDb | Parameters<Parameters<CabinetDb['transaction']>[0]>[0];

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { sealUnhashedEvents } from './audit-chain.js';
import type { CabinetDb } from './executor.js';
import * as relations from './relations.js';
import * as tables from './schema.js';

const schema = { ...tables, ...relations };

export type { CabinetDb, DbExecutor } from './executor.js';

export interface Database {
  db: CabinetDb;
  /** True when the database answers a query. */
  isHealthy(): boolean;
  close(): void;
}

// src/db and dist/db sit at the same depth, so this finds <repo>/db/migrations from either (the bundled app, one
// file, names its own).
const migrationsBesideSource = () => fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Opens (creating folder and file if needed) and migrates the SQLite database at `path`. */
export function openDatabase(path: string, options: { migrationsFolder?: string } = {}): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (a second bot, a backup) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: options.migrationsFolder ?? migrationsBesideSource() });
  // SQLite cannot hash, so events from before the hash chain are hashed here, once.
  db.transaction((tx) => sealUnhashedEvents(tx), { behavior: 'immediate' });
  return {
    db,
    isHealthy() {
      try {
        sqlite.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../../src/db/client.js';

export interface TempDatabase extends Database {
  path: string;
  /** Closes the database and deletes its folder. */
  dispose(): void;
}

/** A real SQLite file in a fresh temp folder, migrated with the real migrations. */
export function openTempDatabase(): TempDatabase {
  const folder = mkdtempSync(join(tmpdir(), 'cabinet-test-'));
  const path = join(folder, 'nested', 'cabinet.sqlite');
  const database = openDatabase(path);
  return {
    ...database,
    path,
    dispose() {
      database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

// `npm run audit:verify [-- --db PATH] [--head COUNT:HASH ...]`: walks the audit log's hash chain and prints
// `OK <count> events, head <hash>` or the first broken link; exits 1 when it is broken, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { loadStorageConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { parseWitnessedHead, verifyAuditLog, type WitnessedHead } from '../services/audit.js';
import { auditVerificationText, badHeadText } from '../slack/words/audit.js';

function main(): number {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, head: { type: 'string', multiple: true } },
  });
  const heads: WitnessedHead[] = [];
  for (const text of values.head ?? []) {
    const head = parseWitnessedHead(text);
    if (!head) {
      process.stderr.write(`${badHeadText(text)}\n`);
      return 2;
    }
    heads.push(head);
  }
  const database = openDatabase(values.db ?? loadStorageConfig(process.env).databasePath);
  try {
    const result = verifyAuditLog(database.db, heads);
    process.stdout.write(`${auditVerificationText(result)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    database.close();
  }
}

process.exitCode = main();

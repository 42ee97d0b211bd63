// `npm run audit:export -- --from YYYY-MM-DD --to YYYY-MM-DD --out DIR`: writes the evidence pack (issue 14.5).
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadStorageConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { exportPeriod } from '../domain/evidence-period.js';
import { loadPolicyFile, PolicyError } from '../policy/load.js';
import { verifyForExport } from '../services/audit.js';
import { type PackOutput, writeEvidencePack } from '../services/evidence-pack.js';

const USAGE = 'usage: npm run audit:export -- --from YYYY-MM-DD --to YYYY-MM-DD --out DIR';

/** A mistake in how the command was called: told with the usage, exit code 2. */
class UsageError extends Error {}

/** Files in a folder, each written as it comes so a year's pack never sits in memory. */
function folderOutput(folder: string): PackOutput {
  mkdirSync(folder, { recursive: true });
  return {
    open(file) {
      const fd = openSync(join(folder, file), 'w');
      return { write: (text) => void writeSync(fd, text), end: () => closeSync(fd) };
    },
  };
}

function parsedArguments(argv: string[]): { from: string; to: string; out: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { from, to, out } = values;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof out !== 'string')
    throw new UsageError('--from, --to and --out are all required');
  return { from, to, out };
}

/** Writes the pack; returns the line to print. `now` is when the pack says it was generated. */
async function auditExport(argv: string[], env: NodeJS.ProcessEnv, now: Date): Promise<string> {
  const args = parsedArguments(argv);
  const { databasePath, policyPath } = loadStorageConfig(env);
  const { policy } = loadPolicyFile(policyPath);
  const read = exportPeriod(args.from, args.to, policy.timezone);
  if (!read.ok)
    throw new UsageError(
      read.code === 'not_a_date'
        ? `"${read.value}" is not a date: give dates as YYYY-MM-DD, e.g. 2026-01-31`
        : `--to ${read.to} is before --from ${read.from}`,
    );
  // Opening a missing file would create an empty database and export nothing.
  if (!existsSync(databasePath)) throw new ConfigError(`DATABASE_PATH ${databasePath} does not exist`);
  const database = openDatabase(databasePath);
  try {
    // The head is queued for the audit channel too; the running app posts it.
    const chain = await verifyForExport(database.db, { heads: [], now });
    const manifest = await writeEvidencePack(
      { db: database.db, policy, now },
      { period: read.period, chain },
      folderOutput(args.out),
    );
    const { counts } = manifest;
    const chainText = chain.ok
      ? `audit chain verified: ${chain.count} events, head ${chain.head}`
      : `AUDIT CHAIN BROKEN after event ${chain.count}: run npm run audit:verify`;
    return (
      `Wrote the evidence pack for ${args.from} to ${args.to} (${policy.timezone}) to ${args.out}: ` +
      `${counts.changes} changes, ${counts.approvals} decisions, ${counts.verbal_approvals} verbal approvals, ` +
      `${counts.evidence_records} evidence records, ${counts.cab_meetings} CAB meetings, ` +
      `${counts.cab_votes} votes; ${chainText}.`
    );
  } finally {
    database.close();
  }
}

auditExport(process.argv.slice(2), process.env, new Date()).then(
  (summary) => {
    process.stdout.write(`${summary}\n`);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`audit:export: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    const known = error instanceof ConfigError || error instanceof PolicyError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`audit:export failed: ${known ? '' : 'unexpected error: '}${message}\n`);
    process.exit(1);
  },
);

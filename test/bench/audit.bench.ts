// `npm run bench`: the audit record at size. 100,000 closed changes over three years with nine audit events
// each (about 900,000 chained events): how long `verify` walks the chain, how long a year's evidence pack
// takes, and the process's peak memory (issue 14: verify under 10 s, a year's export under 30 s, under 250 MB).
import { afterAll, bench, describe } from 'vitest';
import { addDecision } from '../../src/db/approvals.js';
import { verifyAuditChain } from '../../src/db/audit-chain.js';
import { recordAudit } from '../../src/db/audit-log.js';
import { approvalRequirements, changes } from '../../src/db/schema.js';
import { exportPeriod } from '../../src/domain/evidence-period.js';
import { writeEvidencePack } from '../../src/services/evidence-pack.js';
import { minimalPolicy } from '../support/policy.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

const CHANGES = 100_000;
const EVENTS_PER_CHANGE = 9;
const YEARS = 3;
const rows: Record<string, string | number>[] = [];
let database: TempDatabase | undefined;
afterAll(() => {
  database?.dispose();
  console.table(rows);
});

const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Closed changes spread evenly over the last three years, each with a decision and its history. */
function seed(target: TempDatabase, now: Date): void {
  const span = YEARS * 365 * 86_400_000;
  const batch = 5_000;
  for (let first = 0; first < CHANGES; first += batch) {
    target.db.transaction(
      (tx) => {
        for (let n = first; n < Math.min(first + batch, CHANGES); n += 1) {
          const at = new Date(now.getTime() - span + Math.floor((n * span) / CHANGES));
          const [row] = tx
            .insert(changes)
            .values({
              type: 'normal',
              state: 'closed',
              title: `Change ${n}: rotate the certificates on edge-${n % 50}`,
              description: 'Seeded for the audit bench',
              riskLevel: 'low',
              computedRiskLevel: 'low',
              riskScore: 5,
              requesterId: 'U0REQ0001',
              ownerId: 'U0REQ0001',
              affectedSystems: [`edge-${n % 50}`],
              plannedStart: at,
              plannedEnd: new Date(at.getTime() + 3_600_000),
              createdAt: at,
              updatedAt: at,
            })
            .returning({ id: changes.id })
            .all();
          if (!row) continue;
          const requirement = tx
            .insert(approvalRequirements)
            .values({ changeId: row.id, role: 'peer', approvalsNeeded: 1 })
            .returning({ id: approvalRequirements.id })
            .get();
          addDecision(tx, {
            changeId: row.id,
            requirementId: requirement?.id ?? null,
            approverId: 'U0PEER001',
            role: 'peer',
            decision: 'approve',
            source: 'button',
            decidedAt: at,
          });
          for (let event = 0; event < EVENTS_PER_CHANGE; event += 1)
            recordAudit(tx, { changeId: row.id, actorId: 'U0REQ0001', type: `bench.step_${event}`, data: { n } }, at);
        }
      },
      { behavior: 'immediate' },
    );
  }
}

const ran = new Set<string>();

describe('the audit record at 100,000 changes', () => {
  bench(
    'seed, verify the chain, export a year',
    async () => {
      if (ran.has('audit')) return;
      ran.add('audit');
      database = openTempDatabase();
      const policy = minimalPolicy();
      const now = new Date('2026-12-01T12:00:00Z');
      let started = performance.now();
      seed(database, now);
      const seeded = performance.now() - started;

      started = performance.now();
      const verified = verifyAuditChain(database.db);
      const verifySeconds = (performance.now() - started) / 1000;
      if (!verified.ok) throw new Error(`chain broken at ${verified.eventId}`);

      const period = exportPeriod('2025-12-01', '2026-11-30', policy.timezone);
      if (!period.ok) throw new Error('bad period');
      started = performance.now();
      // The files are counted, not kept: the CLI streams them to disk the same way.
      let written = 0;
      const manifest = await writeEvidencePack(
        { db: database.db, policy, now },
        { period: period.period },
        {
          open: () => ({
            write: (text) => {
              written += text.length;
            },
            end: () => undefined,
          }),
        },
      );
      const exportSeconds = (performance.now() - started) / 1000;
      rows.push({
        changes: CHANGES,
        'audit events': verified.count,
        'seed (s)': (seeded / 1000).toFixed(1),
        'verify (s)': verifySeconds.toFixed(1),
        'export a year (s)': exportSeconds.toFixed(1),
        'changes exported': manifest.counts.changes,
        'pack (MB)': megabytes(written),
        'peak RSS (MB)': megabytes(process.resourceUsage().maxRSS * 1024),
      });
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});

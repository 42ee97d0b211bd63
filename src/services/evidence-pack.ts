// The evidence pack (issue 14.5): what an auditor samples, for a period, as CSV and JSON with a manifest.
import { createHash, type Hash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cabMeetingsInPeriod, changeEvidenceBatch } from '../db/evidence.js';
import type { ExportPeriod } from '../domain/evidence-period.js';
import { inZone } from '../domain/zoned-time.js';
import type { UseCaseContext } from './context.js';
import {
  APPROVALS_TABLE,
  CAB_MEETINGS_TABLE,
  CAB_VOTES_TABLE,
  CHANGES_TABLE,
  csvHeader,
  csvRows,
  EVIDENCE_RECORDS_TABLE,
  type EvidenceTable,
  flatRecord,
  type RenderContext,
  VERBAL_APPROVALS_TABLE,
} from './evidence-render.js';

/** What the audit chain's verifier found, given by the caller (issue 14.1 wires the verifier in). */
export interface ChainStatus {
  ok: boolean;
  count: number;
  head: string | null;
}

/** Where the pack's files go: written in pieces, in order, then ended. */
export interface PackOutput {
  open(file: string): { write(text: string): void; end(): void };
}

export interface ExportInput {
  period: ExportPeriod;
  chain?: ChainStatus;
  /** How many changes are read at a time (memory stays flat for a year of changes). */
  batchSize?: number;
}

export interface PackFileSummary {
  name: string;
  rows: number | null;
  sha256: string;
}

export interface EvidenceManifest {
  format: 'cabinet-evidence-pack/1';
  period: { from: string; to: string; time_zone: string; start_utc: string; end_utc_exclusive: string };
  generated_at_utc: string;
  generated_at_local: string;
  policy_timezone: string;
  counts: {
    changes: number;
    approvals: number;
    verbal_approvals: number;
    evidence_records: number;
    cab_meetings: number;
    cab_votes: number;
  };
  chain: { status: 'verified' | 'broken'; ok: boolean; count: number; head: string | null } | 'not verified';
  files: PackFileSummary[];
}

export const PACK_FILES = {
  changes: CHANGES_TABLE.file,
  approvals: APPROVALS_TABLE.file,
  verbalApprovals: VERBAL_APPROVALS_TABLE.file,
  evidenceRecords: EVIDENCE_RECORDS_TABLE.file,
  cabMeetings: CAB_MEETINGS_TABLE.file,
  cabVotes: CAB_VOTES_TABLE.file,
  json: 'evidence.json',
  manifest: 'manifest.json',
} as const;

const DEFAULT_BATCH = 500;

/** One output file whose bytes are hashed and rows counted as they are written. */
class TrackedFile {
  readonly hash: Hash = createHash('sha256');
  rows = 0;
  private readonly target: ReturnType<PackOutput['open']>;

  constructor(
    output: PackOutput,
    readonly name: string,
  ) {
    this.target = output.open(name);
  }

  write(text: string): void {
    if (text === '') return;
    this.hash.update(text, 'utf8');
    this.target.write(text);
  }

  end(): PackFileSummary {
    this.target.end();
    return { name: this.name, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/** A CSV file of one table: header first, then rows as their sources come. */
class CsvFile<Source, Row> extends TrackedFile {
  constructor(
    output: PackOutput,
    private readonly table: EvidenceTable<Source, Row>,
    private readonly context: RenderContext,
  ) {
    super(output, table.file);
    this.write(csvHeader(table.columns));
  }

  add(source: Source): Row[] {
    const rows = this.table.rows(source);
    this.rows += rows.length;
    this.write(csvRows(this.table.columns, rows, this.context));
    return rows;
  }

  json(rows: readonly Row[]) {
    return rows.map((row) => flatRecord(this.table.columns, row, this.context));
  }
}

function periodRecord(period: ExportPeriod): EvidenceManifest['period'] {
  return {
    from: period.from,
    to: period.to,
    time_zone: period.timeZone,
    start_utc: period.start.toISOString(),
    end_utc_exclusive: period.end.toISOString(),
  };
}

/**
 * Writes the pack for the period: changes created or decided in it (read `batchSize` at a time, the
 * event loop let go between batches) and the CAB meetings held in it, then the manifest with counts,
 * each file's SHA-256 and the chain status (or "not verified").
 */
export async function writeEvidencePack(
  ctx: Pick<UseCaseContext, 'db' | 'policy' | 'now'>,
  input: ExportInput,
  output: PackOutput,
): Promise<EvidenceManifest> {
  const { period } = input;
  const context: RenderContext = { timeZone: ctx.policy.timezone, riskFactors: ctx.policy.risk.factors };
  const changes = new CsvFile(output, CHANGES_TABLE, context);
  const approvals = new CsvFile(output, APPROVALS_TABLE, context);
  const verbal = new CsvFile(output, VERBAL_APPROVALS_TABLE, context);
  const records = new CsvFile(output, EVIDENCE_RECORDS_TABLE, context);
  const json = new TrackedFile(output, PACK_FILES.json);
  json.write(`{"period":${JSON.stringify(periodRecord(period))},\n"changes":[`);

  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  let afterId = 0;
  for (;;) {
    const batch = changeEvidenceBatch(ctx.db, period, { afterId, limit: batchSize });
    for (const evidence of batch) {
      const [change] = changes.json(changes.add(evidence));
      const record = {
        ...change,
        approvals: approvals.json(approvals.add(evidence)),
        verbal_approvals: verbal.json(verbal.add(evidence)),
        evidence_records: records.json(records.add(evidence)),
      };
      json.write(`${changes.rows > 1 ? ',' : ''}\n${JSON.stringify(record)}`);
      afterId = evidence.change.id;
    }
    if (batch.length < batchSize) break;
    await nextTurn();
  }

  const meetings = new CsvFile(output, CAB_MEETINGS_TABLE, context);
  const votes = new CsvFile(output, CAB_VOTES_TABLE, context);
  json.write('\n],\n"cab_meetings":[');
  for (const meeting of cabMeetingsInPeriod(ctx.db, period)) {
    const [row] = meetings.json(meetings.add(meeting));
    const record = { ...row, votes: votes.json(votes.add(meeting)), minutes: meeting.minutes };
    json.write(`${meetings.rows > 1 ? ',' : ''}\n${JSON.stringify(record)}`);
  }
  json.write('\n]}\n');

  const summaries = [changes, approvals, verbal, records, meetings, votes].map((file) => file.end());
  const manifest: EvidenceManifest = {
    format: 'cabinet-evidence-pack/1',
    period: periodRecord(period),
    generated_at_utc: ctx.now.toISOString(),
    generated_at_local: inZone(ctx.now, ctx.policy.timezone).toISO({ suppressMilliseconds: true }),
    policy_timezone: ctx.policy.timezone,
    counts: {
      changes: changes.rows,
      approvals: approvals.rows,
      verbal_approvals: verbal.rows,
      evidence_records: records.rows,
      cab_meetings: meetings.rows,
      cab_votes: votes.rows,
    },
    chain: input.chain ? { status: input.chain.ok ? 'verified' : 'broken', ...input.chain } : 'not verified',
    files: [...summaries, { ...json.end(), rows: null }],
  };
  const manifestFile = new TrackedFile(output, PACK_FILES.manifest);
  manifestFile.write(`${JSON.stringify(manifest, null, 2)}\n`);
  manifestFile.end();
  return manifest;
}

export interface PackInMemory {
  manifest: EvidenceManifest;
  files: { name: string; content: Buffer }[];
}

/** The pack held in memory, for sending as files (Slack uploads whole files anyway). */
export async function evidencePackInMemory(
  ctx: Pick<UseCaseContext, 'db' | 'policy' | 'now'>,
  input: ExportInput,
): Promise<PackInMemory> {
  const chunks = new Map<string, string[]>();
  const manifest = await writeEvidencePack(ctx, input, {
    open(file) {
      const parts: string[] = [];
      chunks.set(file, parts);
      return { write: (text) => parts.push(text), end: () => undefined };
    },
  });
  return {
    manifest,
    files: [...chunks].map(([name, parts]) => ({ name, content: Buffer.from(parts.join(''), 'utf8') })),
  };
}

import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/db/audit-log.js';
import { openDatabase } from '../../src/db/client.js';
import { claimJobSlot, finishJobSlot } from '../../src/db/job-runs.js';
import { approvalDecisions, approvalRequirements, auditEvents, changes, jobRuns } from '../../src/db/schema.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';

let database: TempDatabase | undefined;
function temp(): TempDatabase {
  database = openTempDatabase();
  return database;
}
afterEach(() => {
  database?.dispose();
  database = undefined;
});

const at = new Date('2026-11-18T15:00:00Z');

function insertChange(db: TempDatabase['db']): number {
  const [row] = db
    .insert(changes)
    .values({
      type: 'normal',
      state: 'submitted',
      title: 'Rotate TLS certs',
      description: 'd',
      requesterId: 'U0REQ0001',
      ownerId: 'U0REQ0001',
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: changes.id })
    .all();
  if (!row) throw new Error('insert returned nothing');
  return row.id;
}

describe('database', () => {
  it('creates the folder, applies every migration and sets WAL, foreign keys and a busy timeout', () => {
    const { db, path } = temp();
    const sqlite = db.$client;
    const tables = sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' " +
          "and name not like '__drizzle%' order by name",
      )
      .pluck()
      .all();
    expect(tables).toEqual([
      'approval_candidates',
      'approval_decisions',
      'approval_requirements',
      'audit_events',
      'authorization_disputes',
      'cab_items',
      'cab_meetings',
      'cab_votes',
      'change_evidence',
      'change_freezes',
      'change_versions',
      'changes',
      'delegations',
      'home_viewers',
      'job_runs',
      'obligations',
      'outbox',
      'pipeline_deployments',
      'pipeline_tokens',
      'post_implementation_reviews',
      'retention_guard',
      'rollbacks',
      'slack_messages',
      'verbal_approval_confirmations',
      'verbal_approvals',
      'verifications',
    ]);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(path).toMatch(/nested[/\\]cabinet\.sqlite$/);
  });

  it('reopens an existing file without re-running migrations or losing rows', () => {
    const first = temp();
    const id = insertChange(first.db);
    first.close();
    const again = openDatabase(first.path);
    try {
      expect(
        again.db
          .select()
          .from(changes)
          .all()
          .map((row) => row.id),
      ).toEqual([id]);
    } finally {
      again.close();
    }
  });

  it('keeps the audit log append-only: rows can be added, never changed or deleted', () => {
    const { db } = temp();
    const changeId = insertChange(db);
    recordAudit(db, { changeId, actorId: 'U0REQ0001', type: 'change.submitted', toState: 'submitted' }, at);
    expect(() => db.update(auditEvents).set({ actorId: 'U0EVIL0001' }).run()).toThrow(/append-only/);
    expect(() => db.delete(auditEvents).run()).toThrow(/append-only/);
    expect(db.select().from(auditEvents).all()).toHaveLength(1);
  });

  it('enforces foreign keys', () => {
    const { db } = temp();
    expect(() =>
      db.insert(approvalRequirements).values({ changeId: 999, role: 'peer', approvalsNeeded: 1 }).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps one standing decision per person per requirement, whatever the retries; a voided one makes room', () => {
    const { db } = temp();
    const changeId = insertChange(db);
    const [peer, manager] = db
      .insert(approvalRequirements)
      .values([
        { changeId, role: 'peer', approvalsNeeded: 1 },
        { changeId, role: 'manager', approvalsNeeded: 1 },
      ])
      .returning()
      .all();
    if (!peer || !manager) throw new Error('requirements not inserted');
    const decision = {
      changeId,
      requirementId: peer.id,
      approverId: 'U0PEER001',
      role: 'peer',
      decision: 'approve' as const,
      source: 'button' as const,
      decidedAt: at,
    };
    const [first] = db.insert(approvalDecisions).values(decision).returning().all();
    expect(() => db.insert(approvalDecisions).values(decision).run()).toThrow(/UNIQUE/);
    db.insert(approvalDecisions)
      .values({ ...decision, requirementId: manager.id, role: 'manager' })
      .run();
    // A disputed verbal approval is voided, not deleted: the person may then decide again.
    db.update(approvalDecisions)
      .set({ voidedAt: at, voidReason: 'disputed' })
      .where(eq(approvalDecisions.id, first?.id ?? 0))
      .run();
    db.insert(approvalDecisions).values(decision).run();
    expect(() => db.insert(approvalDecisions).values(decision).run()).toThrow(/UNIQUE/);
    expect(db.select().from(approvalDecisions).all()).toHaveLength(3);
  });

  it('allows a role once per phase: an emergency asks the manager to authorize and later to retro-approve', () => {
    const { db } = temp();
    const changeId = insertChange(db);
    db.insert(approvalRequirements)
      .values({ changeId, phase: 'authorization', role: 'manager', approvalsNeeded: 1 })
      .run();
    db.insert(approvalRequirements)
      .values({ changeId, phase: 'retro_approval', role: 'manager', approvalsNeeded: 1 })
      .run();
    expect(() =>
      db
        .insert(approvalRequirements)
        .values({ changeId, phase: 'retro_approval', role: 'manager', approvalsNeeded: 1 })
        .run(),
    ).toThrow(/UNIQUE/);
  });
});

describe('job slots', () => {
  it('lets exactly one of two connections claim a slot, and records how it finished', () => {
    const first = temp();
    const second = openDatabase(first.path); // a second process on the same file
    try {
      expect(claimJobSlot(first.db, 'cab-agenda', '2026-11-18T15:00:00.000Z', at)).toBe(true);
      expect(claimJobSlot(second.db, 'cab-agenda', '2026-11-18T15:00:00.000Z', at)).toBe(false);
      expect(claimJobSlot(second.db, 'cab-agenda', '2026-11-25T15:00:00.000Z', at)).toBe(true);
      expect(claimJobSlot(second.db, 'other-job', '2026-11-18T15:00:00.000Z', at)).toBe(true);
      finishJobSlot(first.db, { job: 'cab-agenda', slot: '2026-11-18T15:00:00.000Z', error: 'channel_not_found' }, at);
      const runs = first.db.select().from(jobRuns).all();
      expect(runs.map((run) => [run.job, run.slot, run.status])).toEqual([
        ['cab-agenda', '2026-11-18T15:00:00.000Z', 'failed'],
        ['cab-agenda', '2026-11-25T15:00:00.000Z', 'running'],
        ['other-job', '2026-11-18T15:00:00.000Z', 'running'],
      ]);
      expect(runs[0]?.error).toBe('channel_not_found');
    } finally {
      second.close();
    }
  });
});

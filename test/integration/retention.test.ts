import { afterEach, describe, expect, it } from 'vitest';
import { PURGE_CHECKPOINT, verifyAuditChain } from '../../src/db/audit-chain.js';
import { recordAudit } from '../../src/db/audit-log.js';
import type { DbExecutor } from '../../src/db/executor.js';
import {
  approvalCandidates,
  approvalDecisions,
  approvalRequirements,
  authorizationDisputes,
  cabItems,
  cabMeetings,
  cabVotes,
  changes,
  changeVersions,
  obligations,
  outbox,
  postImplementationReviews,
  rollbacks,
  slackMessages,
  verbalApprovalConfirmations,
  verbalApprovals,
  verifications,
} from '../../src/db/schema.js';
import type { ChangeState } from '../../src/domain/lifecycle.js';
import { FakeClock } from '../support/clock.js';
import { eventually } from '../support/interactions.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// POL-SEC-008 11.1: records are kept for their retention (3 years for change requests, approvals, rollbacks and
// CAB minutes by default) and then purged by the daily job; the audit log still verifies afterwards.

const NOW = '2026-06-01T12:00:00Z';
const OLD = new Date('2022-03-01T10:00:00Z'); // more than 3 years before NOW
const YOUNG = new Date('2024-03-01T10:00:00Z'); // less than 3 years before NOW
const USER = 'U0REQ0001';
const NEVER_DUE = new Date('2100-01-01T00:00:00Z');

let database: TempDatabase | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  database?.dispose();
  database = undefined;
});

function sql(db: TempDatabase, statement: string, ...params: unknown[]): void {
  db.db.$client.prepare(statement).run(...params);
}

function count(db: TempDatabase, statement: string, ...params: unknown[]): number {
  const row = db.db.$client.prepare(statement).get(...params) as { n: number };
  return row.n;
}

/** A change with one row in every table hanging off it, all written at `at`, and two audit events about it. */
function seedChange(db: DbExecutor, input: { at: Date; state: ChangeState; meetingId: number }): number {
  const at = input.at;
  const [change] = db
    .insert(changes)
    .values({
      type: 'emergency',
      state: input.state,
      title: `Change of ${at.toISOString()}`,
      description: 'd',
      requesterId: USER,
      ownerId: USER,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: changes.id })
    .all();
  const changeId = change?.id ?? 0;
  recordAudit(db, { changeId, actorId: USER, type: 'change.submitted', data: { title: 'x' } }, at);
  const [requirement] = db
    .insert(approvalRequirements)
    .values({ changeId, role: 'cto', approvalsNeeded: 1, phase: 'authorization', satisfiedAt: at })
    .returning({ id: approvalRequirements.id })
    .all();
  const requirementId = requirement?.id ?? 0;
  db.insert(approvalCandidates).values({ requirementId, userId: 'U0CTO0001' }).run();
  const [decision] = db
    .insert(approvalDecisions)
    .values({ changeId, requirementId, approverId: 'U0CTO0001', decision: 'approve', source: 'verbal', decidedAt: at })
    .returning({ id: approvalDecisions.id })
    .all();
  const [verbal] = db
    .insert(verbalApprovals)
    .values({
      changeId,
      approverId: 'U0CTO0001',
      role: 'cto',
      medium: 'phone',
      givenAt: at,
      recordedBy: USER,
      recordedAt: at,
      decisionId: decision?.id ?? null,
    })
    .returning({ id: verbalApprovals.id })
    .all();
  const verbalApprovalId = verbal?.id ?? 0;
  db.insert(verbalApprovalConfirmations)
    .values({ verbalApprovalId, outcome: 'disputed', respondedBy: 'U0CTO0001', respondedAt: at })
    .run();
  db.insert(authorizationDisputes)
    .values({ changeId, verbalApprovalId, disputedBy: 'U0CTO0001', disputedAt: at, resolvedBy: 'U0CISO001' })
    .run();
  db.insert(changeVersions)
    .values({
      changeId,
      version: 1,
      kind: 'declared',
      title: 't',
      description: 'd',
      affectedSystems: [],
      recordedBy: USER,
      recordedAt: at,
    })
    .run();
  db.insert(obligations).values({ changeId, kind: 'documentation', createdAt: at, completedAt: at }).run();
  db.insert(rollbacks)
    .values({
      changeId,
      decidedAt: at,
      reason: 'r',
      steps: 's',
      impact: 'i',
      durationMinutes: 5,
      recordedBy: USER,
      recordedAt: at,
    })
    .run();
  db.insert(verifications)
    .values({ changeId, checks: ['smoke'], verifiedBy: USER, verifiedAt: at })
    .run();
  db.insert(postImplementationReviews)
    .values({
      changeId,
      outcome: 'rolled_back',
      actualVsExpected: 'a',
      incidents: 'none',
      lessonsLearned: 'l',
      reviewedBy: USER,
      reviewedAt: at,
    })
    .run();
  db.insert(slackMessages)
    .values({ changeId, purpose: 'log', channelId: 'C0LOG0001', ts: `${at.getTime()}.000100`, createdAt: at })
    .run();
  // Pending (never due while the test runs): a change's outbox rows go with it, not by the 30-day prune.
  db.insert(outbox)
    .values({ changeId, kind: 'post', payload: {}, status: 'pending', nextAttemptAt: NEVER_DUE, createdAt: at })
    .run();
  const [item] = db
    .insert(cabItems)
    .values({
      meetingId: input.meetingId,
      changeId,
      phase: 'retro_approval',
      outcome: 'approve',
      decidedAt: at,
      createdAt: at,
    })
    .returning({ id: cabItems.id })
    .all();
  db.insert(cabVotes)
    .values({ itemId: item?.id ?? 0, voterId: 'U0CTO0001', vote: 'approve', votedAt: at })
    .run();
  recordAudit(db, { changeId, actorId: USER, type: 'change.closed', fromState: 'reviewed', toState: input.state }, at);
  return changeId;
}

function seedMeeting(db: DbExecutor, at: Date): number {
  const [meeting] = db
    .insert(cabMeetings)
    .values({ kind: 'emergency', meetingAt: at, openedBy: USER, channelId: 'C0CAB0001', closedAt: at, createdAt: at })
    .returning({ id: cabMeetings.id })
    .all();
  recordAudit(db, { changeId: null, actorId: USER, type: 'cab.closed', data: { meeting: meeting?.id } }, at);
  return meeting?.id ?? 0;
}

interface Fixture {
  expired: number;
  /** Old, but still open: its events stop the log's purged prefix. */
  open: number;
  young: number;
  oldMeeting: number;
  youngMeeting: number;
}

function seedFixture(target: TempDatabase): Fixture {
  const db = target.db;
  const oldMeeting = seedMeeting(db, OLD);
  const expired = seedChange(db, { at: OLD, state: 'closed', meetingId: oldMeeting });
  const openMeeting = seedMeeting(db, new Date(OLD.getTime() + 86_400_000));
  const open = seedChange(db, {
    at: new Date(OLD.getTime() + 86_400_000),
    state: 'pending_retro_approval',
    meetingId: openMeeting,
  });
  const youngMeeting = seedMeeting(db, YOUNG);
  const young = seedChange(db, { at: YOUNG, state: 'closed', meetingId: youngMeeting });
  return { expired, open, young, oldMeeting, youngMeeting };
}

// Every record kind hanging off a change, and how to count one change's rows of it.
const CHANGE_RECORDS: { kind: string; rows: string }[] = [
  { kind: 'change request', rows: 'SELECT count(*) AS n FROM changes WHERE id = ?' },
  { kind: 'approval requirements', rows: 'SELECT count(*) AS n FROM approval_requirements WHERE change_id = ?' },
  {
    kind: 'approval candidates',
    rows: `SELECT count(*) AS n FROM approval_candidates WHERE requirement_id IN
      (SELECT id FROM approval_requirements WHERE change_id = ?)`,
  },
  { kind: 'approval decisions', rows: 'SELECT count(*) AS n FROM approval_decisions WHERE change_id = ?' },
  { kind: 'verbal approvals', rows: 'SELECT count(*) AS n FROM verbal_approvals WHERE change_id = ?' },
  {
    kind: 'verbal approval confirmations',
    rows: `SELECT count(*) AS n FROM verbal_approval_confirmations WHERE verbal_approval_id IN
      (SELECT id FROM verbal_approvals WHERE change_id = ?)`,
  },
  { kind: 'authorization disputes', rows: 'SELECT count(*) AS n FROM authorization_disputes WHERE change_id = ?' },
  { kind: 'change versions', rows: 'SELECT count(*) AS n FROM change_versions WHERE change_id = ?' },
  { kind: 'obligations', rows: 'SELECT count(*) AS n FROM obligations WHERE change_id = ?' },
  { kind: 'rollback records', rows: 'SELECT count(*) AS n FROM rollbacks WHERE change_id = ?' },
  { kind: 'test results (verifications)', rows: 'SELECT count(*) AS n FROM verifications WHERE change_id = ?' },
  { kind: 'reviews', rows: 'SELECT count(*) AS n FROM post_implementation_reviews WHERE change_id = ?' },
  { kind: 'slack message refs', rows: 'SELECT count(*) AS n FROM slack_messages WHERE change_id = ?' },
  { kind: 'outbox rows', rows: 'SELECT count(*) AS n FROM outbox WHERE change_id = ?' },
  { kind: 'CAB items', rows: 'SELECT count(*) AS n FROM cab_items WHERE change_id = ?' },
  {
    kind: 'CAB votes',
    rows: 'SELECT count(*) AS n FROM cab_votes WHERE item_id IN (SELECT id FROM cab_items WHERE change_id = ?)',
  },
  { kind: 'audit events', rows: 'SELECT count(*) AS n FROM audit_events WHERE change_id = ?' },
];

/** The app on the fixture's database, once Bolt's start-up call reached Slack (closing earlier resets it). */
async function startApp(target: TempDatabase): Promise<TestApp> {
  const started = await startTestApp({ database: target, clock: new FakeClock(NOW) });
  await eventually(() => started.slack.callsTo('auth.test').length > 0, 'auth.test');
  return started;
}

async function purged(): Promise<{ db: TempDatabase; fixture: Fixture; before: { count: number; head: string } }> {
  database = openTempDatabase();
  const fixture = seedFixture(database);
  const before = verifyAuditChain(database.db);
  if (!before.ok) throw new Error('the seeded chain does not verify');
  app = await startApp(database);
  await app.runJob('retention');
  return { db: database, fixture, before };
}

describe('retention (POL-SEC-008 11.1)', () => {
  it('purges the prefix of the log past retention and leaves a checkpoint, so verify still passes', async () => {
    const { db, fixture, before } = await purged();
    // The two old meetings' events and the expired change's two went; the still-open change's stop the prefix.
    const checkpoint = db.db.$client
      .prepare('SELECT id, data FROM audit_events WHERE type = ?')
      .get(PURGE_CHECKPOINT) as { id: number; data: string };
    expect(JSON.parse(checkpoint.data)).toEqual({
      before: '2023-06-01T12:00:00.000Z',
      events_purged: 4,
      through_event_id: 4,
      through_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(count(db, 'SELECT min(id) AS n FROM audit_events')).toBe(5);
    expect(count(db, 'SELECT count(*) AS n FROM audit_events WHERE change_id = ?', fixture.open)).toBe(2);
    const witnessed = { count: before.count, hash: before.head };
    expect(verifyAuditChain(db.db, [witnessed])).toMatchObject({ ok: true, count: before.count + 3 });
    // A head witnessed before the purge is skipped when its event is gone, checked against the checkpoint when it
    // is the last purged one, and checked as before otherwise.
    expect(verifyAuditChain(db.db, [{ count: 1, hash: 'f'.repeat(64) }, witnessed])).toMatchObject({ ok: true });
    const last = { count: 4, hash: JSON.parse(checkpoint.data).through_hash as string };
    expect(verifyAuditChain(db.db, [last])).toMatchObject({ ok: true });
    expect(verifyAuditChain(db.db, [{ count: 4, hash: 'f'.repeat(64) }])).toMatchObject({
      ok: false,
      eventId: 4,
      problem: 'witness_mismatch',
    });
  });

  it.each(CHANGE_RECORDS)(
    'deletes the expired change’s $kind and keeps the younger and the open one’s',
    async ({ rows }) => {
      const { db, fixture } = await purged();
      expect(count(db, rows, fixture.expired)).toBe(0);
      expect(count(db, rows, fixture.young)).toBeGreaterThan(0);
      expect(count(db, rows, fixture.open)).toBeGreaterThan(0);
    },
  );

  it('deletes CAB meetings past retention that no kept change was put to, and keeps younger ones', async () => {
    const { db, fixture } = await purged();
    const meetings = (id: number) => count(db, 'SELECT count(*) AS n FROM cab_meetings WHERE id = ?', id);
    expect(meetings(fixture.oldMeeting)).toBe(0);
    expect(meetings(fixture.youngMeeting)).toBe(1);
    expect(count(db, 'SELECT count(*) AS n FROM cab_meetings')).toBe(2);
  });

  it('finds a prefix deleted beyond the checkpoint, naming the first event it does not account for', async () => {
    const { db } = await purged();
    sql(db, 'DROP TRIGGER audit_events_no_delete');
    sql(db, 'DELETE FROM audit_events WHERE id = 5');
    expect(verifyAuditChain(db.db)).toEqual({ ok: false, eventId: 5, problem: 'missing_event' });
  });

  it('prunes delivered outbox rows after 30 days and keeps pending and recent ones', async () => {
    database = openTempDatabase();
    const now = new Date(NOW);
    const day = 86_400_000;
    const rows = [
      { status: 'sent', age: 31, kept: false },
      { status: 'superseded', age: 40, kept: false },
      { status: 'dead', age: 31, kept: false },
      { status: 'sent', age: 29, kept: true },
      { status: 'pending', age: 90, kept: true },
      { status: 'sending', age: 90, kept: true },
    ] as const;
    for (const row of rows) {
      const at = new Date(now.getTime() - row.age * day);
      database.db
        .insert(outbox)
        .values({
          kind: `${row.status}-${row.age}`,
          payload: {},
          status: row.status,
          nextAttemptAt: at,
          createdAt: at,
          sentAt: row.status === 'sent' ? at : null,
        })
        .run();
    }
    app = await startApp(database);
    await app.runJob('retention');
    const left = (database.db.$client.prepare('SELECT kind FROM outbox ORDER BY id').all() as { kind: string }[]).map(
      (row) => row.kind,
    );
    expect(left).toEqual(rows.filter((row) => row.kept).map((row) => `${row.status}-${row.age}`));
  });

  it('still refuses a raw DELETE of evidence, young or old, outside the purge', () => {
    database = openTempDatabase();
    const fixture = seedFixture(database);
    const target = database;
    for (const [statement, message] of [
      ['DELETE FROM audit_events WHERE change_id = ?', /append-only/],
      ['DELETE FROM approval_decisions WHERE change_id = ?', /write-once/],
      ['DELETE FROM change_versions WHERE change_id = ?', /write-once/],
      ['DELETE FROM authorization_disputes WHERE change_id = ?', /never deleted/],
      ['DELETE FROM rollbacks WHERE change_id = ?', /write-once/],
    ] as const) {
      expect(() => sql(target, statement, fixture.young)).toThrow(message);
      expect(() => sql(target, statement, fixture.expired)).toThrow(message);
    }
    // Even a guard set by hand does not open a row younger than a year, nor one younger than the guard.
    sql(target, 'INSERT INTO retention_guard (id, before) VALUES (1, ?)', Date.now());
    expect(() => sql(target, 'DELETE FROM cab_votes')).toThrow(/write-once/);
    sql(target, 'DELETE FROM retention_guard');
    sql(target, 'INSERT INTO retention_guard (id, before) VALUES (1, ?)', OLD.getTime());
    expect(() => sql(target, 'DELETE FROM approval_decisions WHERE change_id = ?', fixture.young)).toThrow(
      /write-once/,
    );
  });
});

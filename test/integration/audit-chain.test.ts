import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../src/db/audit-chain.js';
import { recordAudit } from '../../src/db/audit-log.js';
import { openDatabase } from '../../src/db/client.js';
import { approvalDecisions, changes } from '../../src/db/schema.js';
import { auditHeadJob } from '../../src/jobs/audit-head.js';
import { verifyAuditLog, verifyAuditLogInPages } from '../../src/services/audit.js';
import { eventually } from '../support/interactions.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// POL-SEC-008 11.1: the audit log is evidence; tampering with it by raw SQL must be found and named.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const verifyCli = join(repoRoot, 'dist', 'cli', 'audit-verify.js');
const at = new Date('2026-11-18T15:00:00Z');
const EVENTS = 6;

let database: TempDatabase | undefined;
afterEach(() => {
  database?.dispose();
  database = undefined;
});

/** A database with one change and EVENTS audit events written by the app. */
function seeded(): TempDatabase {
  database = openTempDatabase();
  seed(database);
  return database;
}

function seed(target: TempDatabase): void {
  const [change] = target.db
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
  for (let n = 1; n <= EVENTS; n += 1) {
    recordAudit(
      target.db,
      { changeId: change?.id ?? null, actorId: 'U0REQ0001', type: `step.${n}`, data: { n, note: `step ${n}` } },
      new Date(at.getTime() + n * 1000),
    );
  }
}

function sql(db: TempDatabase, statement: string, ...params: unknown[]): void {
  db.db.$client.prepare(statement).run(...params);
}

/** What a careful insider does first. */
function dropAuditTriggers(db: TempDatabase): void {
  for (const name of ['no_update', 'no_delete', 'no_replace', 'hashed']) sql(db, `DROP TRIGGER audit_events_${name}`);
}

interface Row {
  id: number;
  change_id: number | null;
  actor_id: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  data: string | null;
  occurred_at: number;
  prev_hash: string;
  hash: string;
}

function rows(db: TempDatabase): Row[] {
  return db.db.$client.prepare('SELECT * FROM audit_events ORDER BY id').all() as Row[];
}

function hashOf(row: Row, prevHash: string): string {
  const { id, change_id, actor_id, type, from_state, to_state, data, occurred_at } = row;
  return eventHash([id, change_id, actor_id, type, from_state, to_state, data, occurred_at], prevHash);
}

/** Recomputes every hash in id order, as someone who knows the algorithm can. */
function rehashAll(db: TempDatabase): void {
  let prev = GENESIS_HASH;
  for (const row of rows(db)) {
    const hash = hashOf(row, prev);
    sql(db, 'UPDATE audit_events SET prev_hash = NULL, hash = NULL WHERE id = ?', row.id);
    sql(db, 'UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?', prev, hash, row.id);
    prev = hash;
  }
}

function runCli(db: TempDatabase, ...args: string[]): { status: number | null; stdout: string } {
  db.close();
  const result = spawnSync(process.execPath, [verifyCli, '--db', db.path, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('the audit log hash chain', () => {
  it('chains every event to the one before; verify and npm run audit:verify report the count and head', () => {
    const db = seeded();
    const all = rows(db);
    expect(all[0]?.prev_hash).toBe(GENESIS_HASH);
    for (const [index, row] of all.entries()) {
      expect(row.hash).toBe(hashOf(row, index === 0 ? GENESIS_HASH : (all[index - 1]?.hash ?? '')));
    }
    const head = all[EVENTS - 1]?.hash ?? '';
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: true, count: EVENTS, head });
    expect(runCli(db, '--head', `3:${all[2]?.hash}`)).toEqual({
      status: 0,
      stdout: `OK ${EVENTS} events, head ${head}\n`,
    });
  });

  it('stores and hashes data with its keys sorted, so equal content is equal bytes', () => {
    const db = seeded();
    recordAudit(db.db, { changeId: null, actorId: 'U0A', type: 't', data: { b: 1, a: { d: [2], c: 3 } } }, at);
    recordAudit(db.db, { changeId: null, actorId: 'U0A', type: 't', data: { a: { c: 3, d: [2] }, b: 1 } }, at);
    const [first, second] = rows(db).slice(EVENTS);
    expect(first?.data).toBe('{"a":{"c":3,"d":[2]},"b":1}');
    expect(second?.data).toBe(first?.data);
    expect(verifyAuditLog(db.db, []).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE, INSERT OR REPLACE and an unhashed insert while the triggers exist', () => {
    const db = seeded();
    expect(() => sql(db, "UPDATE audit_events SET actor_id = 'U0EVIL0001' WHERE id = 2")).toThrow(/append-only/);
    expect(() => sql(db, 'UPDATE audit_events SET hash = NULL WHERE id = 2')).toThrow(/append-only/);
    expect(() => sql(db, 'DELETE FROM audit_events WHERE id = 2')).toThrow(/append-only/);
    expect(() =>
      sql(
        db,
        'INSERT OR REPLACE INTO audit_events (id, actor_id, type, occurred_at, prev_hash, hash) ' +
          "VALUES (2, 'U0EVIL0001', 'x', 0, 'a', 'b')",
      ),
    ).toThrow(/append-only/);
    expect(() =>
      sql(db, "INSERT INTO audit_events (actor_id, type, occurred_at) VALUES ('U0EVIL0001', 'x', 0)"),
    ).toThrow(/hash/);
    expect(verifyAuditLog(db.db, []).ok).toBe(true);
  });

  it('verified a page at a time (as the running app does), a long chain gives the same answers', async () => {
    const db = seeded();
    db.db.transaction((tx) => {
      for (let n = 0; n < 12_000; n += 1) recordAudit(tx, { changeId: null, actorId: 'U0REQ0001', type: 'bulk' }, at);
    });
    const whole = verifyAuditLog(db.db, []);
    expect(whole).toMatchObject({ ok: true, count: EVENTS + 12_000 });
    expect(await verifyAuditLogInPages(db.db, [])).toEqual(whole);
    dropAuditTriggers(db);
    sql(db, "UPDATE audit_events SET actor_id = 'U0EVIL0001' WHERE id = 7001");
    expect(await verifyAuditLogInPages(db.db, [])).toEqual({ ok: false, eventId: 7001, problem: 'hash_mismatch' });
    sql(db, 'DELETE FROM audit_events WHERE id = 10001');
    sql(db, "UPDATE audit_events SET actor_id = 'U0REQ0001' WHERE id = 7001");
    expect(await verifyAuditLogInPages(db.db, [])).toEqual({ ok: false, eventId: 10001, problem: 'missing_event' });
  });

  it('finds an UPDATE made with the triggers dropped, naming the event', () => {
    const db = seeded();
    dropAuditTriggers(db);
    sql(db, "UPDATE audit_events SET actor_id = 'U0EVIL0001' WHERE id = 3");
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: false, eventId: 3, problem: 'hash_mismatch' });
    const cli = runCli(db);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('BROKEN at event 3: it does not match its hash (its content was changed).\n');
  });

  it('finds a DELETE made with the triggers dropped, naming the missing event', () => {
    const db = seeded();
    dropAuditTriggers(db);
    sql(db, 'DELETE FROM audit_events WHERE id = 3');
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: false, eventId: 3, problem: 'missing_event' });
  });

  it('finds an INSERT OR REPLACE, whether or not the replaced event was re-hashed', () => {
    const db = seeded();
    dropAuditTriggers(db);
    const [, , third] = rows(db);
    if (!third) throw new Error('no third event');
    const forged = { ...third, actor_id: 'U0EVIL0001' };
    const replace =
      'INSERT OR REPLACE INTO audit_events (id, change_id, actor_id, type, from_state, to_state, data, occurred_at, ' +
      'prev_hash, hash) VALUES (@id, @change_id, @actor_id, @type, @from_state, @to_state, @data, @occurred_at, ' +
      '@prev_hash, @hash)';
    db.db.$client.prepare(replace).run(forged);
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: false, eventId: 3, problem: 'hash_mismatch' });
    db.db.$client.prepare(replace).run({ ...forged, hash: hashOf(forged, third.prev_hash) });
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: false, eventId: 4, problem: 'prev_hash_mismatch' });
  });

  it('finds an event inserted in the middle, into a gap or by renumbering the ones after it', () => {
    const db = seeded();
    dropAuditTriggers(db);
    const before = rows(db);
    // Renumber 4..6 to 5..7, then slip a properly hashed event in as 4.
    sql(db, 'DROP INDEX audit_events_prev_hash_unique');
    for (const id of [6, 5, 4]) sql(db, 'UPDATE audit_events SET id = id + 1 WHERE id = ?', id);
    const inserted = { ...(before[3] as Row), type: 'approval.granted', prev_hash: before[2]?.hash ?? '' };
    db.db.$client
      .prepare(
        'INSERT INTO audit_events (id, change_id, actor_id, type, data, occurred_at, prev_hash, hash) ' +
          'VALUES (@id, @change_id, @actor_id, @type, @data, @occurred_at, @prev_hash, @hash)',
      )
      .run({ ...inserted, hash: hashOf(inserted, inserted.prev_hash) });
    expect(verifyAuditLog(db.db, [])).toEqual({ ok: false, eventId: 5, problem: 'prev_hash_mismatch' });
  });

  it('finds a chain rewritten and re-hashed end to end against a witnessed head', () => {
    const db = seeded();
    const witnessed = { count: EVENTS, hash: rows(db)[EVENTS - 1]?.hash ?? '' };
    dropAuditTriggers(db);
    sql(db, "UPDATE audit_events SET actor_id = 'U0EVIL0001' WHERE id = 2");
    rehashAll(db);
    expect(verifyAuditLog(db.db, []).ok).toBe(true);
    expect(verifyAuditLog(db.db, [witnessed])).toEqual({
      ok: false,
      eventId: EVENTS,
      problem: 'witness_mismatch',
      witnessed,
    });
    const cli = runCli(db, '--head', `${witnessed.count}:${witnessed.hash}`);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`BROKEN at event ${EVENTS}: it does not carry the head hash witnessed for it`);
  });

  it('finds events removed from the end against a witnessed head', () => {
    const db = seeded();
    const witnessed = { count: EVENTS, hash: rows(db)[EVENTS - 1]?.hash ?? '' };
    dropAuditTriggers(db);
    sql(db, 'DELETE FROM audit_events WHERE id > 4');
    expect(verifyAuditLog(db.db, [witnessed])).toEqual({
      ok: false,
      eventId: 5,
      problem: 'witness_beyond_end',
      witnessed,
    });
  });

  it('hashes the events of a database from before the chain once, when it is opened', () => {
    const db = seeded();
    sql(db, 'DROP TRIGGER audit_events_hashed');
    for (const n of [1, 2]) {
      sql(db, "INSERT INTO audit_events (actor_id, type, occurred_at) VALUES ('U0OLD0001', ?, ?)", `old.${n}`, n);
    }
    db.close();
    const again = openDatabase(db.path);
    try {
      expect(verifyAuditLog(again.db, [])).toMatchObject({ ok: true, count: EVENTS + 2 });
      expect(() => again.db.$client.prepare('UPDATE audit_events SET hash = NULL WHERE id = 8').run()).toThrow(
        /append-only/,
      );
    } finally {
      again.close();
    }
  });
});

describe('write-once evidence', () => {
  it('lets a decision be voided once and refuses any other change, REPLACE or removal', () => {
    const db = seeded();
    db.db
      .insert(approvalDecisions)
      .values({
        changeId: 1,
        approverId: 'U0PEER001',
        role: 'peer',
        decision: 'approve',
        source: 'button',
        decidedAt: at,
      })
      .run();
    expect(() => sql(db, "UPDATE approval_decisions SET decision = 'reject' WHERE id = 1")).toThrow(/write-once/);
    expect(() =>
      sql(
        db,
        'INSERT OR REPLACE INTO approval_decisions (id, change_id, decision, source, decided_at) ' +
          "VALUES (1, 1, 'reject', 'cab', 0)",
      ),
    ).toThrow(/write-once/);
    expect(() => sql(db, 'DELETE FROM approval_decisions WHERE id = 1')).toThrow(/write-once/);
    sql(db, "UPDATE approval_decisions SET voided_at = 1, void_reason = 'disputed' WHERE id = 1");
    expect(() => sql(db, "UPDATE approval_decisions SET void_reason = 'other' WHERE id = 1")).toThrow(/write-once/);
  });
});

describe('write-once evidence: CAB votes and obligations', () => {
  it('lets a member change a vote until the item is decided, then refuses; an obligation is completed once', () => {
    const db = seeded();
    sql(
      db,
      'INSERT INTO cab_meetings (kind, meeting_at, opened_by, channel_id, created_at) ' +
        "VALUES ('emergency', 0, 'U0A', 'C0CAB0001', 0)",
    );
    sql(db, "INSERT INTO cab_items (meeting_id, change_id, phase, created_at) VALUES (1, 1, 'approval', 0)");
    sql(db, "INSERT INTO cab_votes (item_id, voter_id, vote, voted_at) VALUES (1, 'U0CAB0001', 'approve', 0)");
    expect(() =>
      sql(
        db,
        "INSERT OR REPLACE INTO cab_votes (item_id, voter_id, vote, voted_at) VALUES (1, 'U0CAB0001', 'reject', 1)",
      ),
    ).toThrow(/write-once/);
    sql(db, "UPDATE cab_votes SET vote = 'reject', voted_at = 1 WHERE id = 1");
    sql(db, "UPDATE cab_items SET outcome = 'reject', decided_by = 'U0CHAIR01', decided_at = 2 WHERE id = 1");
    expect(() => sql(db, "UPDATE cab_votes SET vote = 'approve' WHERE id = 1")).toThrow(/write-once/);
    expect(() => sql(db, "UPDATE cab_items SET outcome = 'approve' WHERE id = 1")).toThrow(/write-once/);
    expect(() => sql(db, 'DELETE FROM cab_votes')).toThrow(/write-once/);

    sql(db, "INSERT INTO obligations (change_id, kind, created_at) VALUES (1, 'documentation', 0)");
    sql(db, "UPDATE obligations SET completed_at = 1, completed_by = 'U0A', evidence = 'x' WHERE id = 1");
    expect(() => sql(db, "UPDATE obligations SET evidence = 'y' WHERE id = 1")).toThrow(/write-once/);
  });
});

describe('/change audit verify', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const replies = (running: TestApp) =>
    running.slack
      .callsTo('response_url')
      .filter((call) => call.path === '/response/cmd')
      .map((call) => String(call.params.text));

  /** Posts a witnessed head to the log channel (the default audit channel) as the daily job does. */
  async function witness(running: TestApp, count: number, head: string): Promise<void> {
    await fetch(`${running.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0LOG0001',
        text: `Audit log: ${count} events, head ${head}`,
        metadata: { event_type: 'cabinet_audit_head', event_payload: { count, head } },
      }),
    });
  }

  it('is refused to anyone outside auditor_roles, saying who may', async () => {
    app = await startTestApp();
    expect((await app.command('audit verify', { userId: 'U0PEER001' })).status).toBe(200);
    const running = app;
    await eventually(() => replies(running).length > 0, 'a reply');
    expect(replies(app)).toEqual(['Only the auditor, ciso can verify the audit log (policy `auditor_roles`).']);
  });

  it('answers an auditor with the count and head, checked against witnessed heads; then finds a rewrite', async () => {
    app = await startTestApp();
    const running = app;
    seed(running.database);
    const head = rows(running.database)[EVENTS - 1]?.hash ?? '';
    await witness(running, EVENTS, head);
    expect((await running.command('audit verify', { userId: 'U0CISO001' })).status).toBe(200);
    await eventually(() => replies(running).length === 1, 'the answer');
    expect(replies(running)[0]).toBe(
      `OK ${EVENTS} events, head ${head}\nChecked against 1 witnessed head in the audit channel.`,
    );

    dropAuditTriggers(running.database);
    sql(running.database, "UPDATE audit_events SET actor_id = 'U0EVIL0001' WHERE id = 2");
    rehashAll(running.database);
    await running.command('audit verify', { userId: 'U0CISO001' });
    await eventually(() => replies(running).length === 2, 'the second answer');
    expect(replies(running)[1]).toBe(
      `BROKEN at event ${EVENTS}: it does not carry the head hash witnessed for it (the chain was rewritten). ` +
        `Witnessed: ${EVENTS} events, head ${head}.\nChecked against 1 witnessed head in the audit channel.`,
    );
  });

  it('the daily job witnesses the head in the audit channel once per slot, and verify reads it back', async () => {
    app = await startTestApp();
    const running = app;
    seed(running.database);
    const head = rows(running.database)[EVENTS - 1]?.hash ?? '';
    const job = auditHeadJob({ database: running.database, clock: running.clock, outbox: { kick() {} } });
    const slot = new Date('2026-11-19T05:05:00Z');
    await job.run(slot, { late: false });
    await job.run(slot, { late: false });
    const posted = await running.slack.waitForCall('chat.postMessage', (call) => call.params.channel === 'C0LOG0001');
    expect(posted.params).toMatchObject({
      text: `Audit log: ${EVENTS} events, head ${head}`,
      metadata: { event_type: 'cabinet_audit_head', event_payload: { count: EVENTS, head } },
    });
    await running.command('audit verify', { userId: 'U0CISO001' });
    await eventually(() => replies(running).length === 1, 'the answer');
    expect(replies(running)[0]).toBe(
      `OK ${EVENTS} events, head ${head}\nChecked against 1 witnessed head in the audit channel.`,
    );
    expect(
      running.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'C0LOG0001'),
    ).toHaveLength(1);
  });
});

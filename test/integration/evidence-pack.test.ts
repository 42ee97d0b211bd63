// The evidence pack (issue 14.5) end to end: changes made through the real flows (signed HTTP into the
// running app, the fake Slack), exported by `/change export` to the asker's DM and by the built CLI.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPeriod } from '../../src/domain/evidence-period.js';
import { parsePolicy } from '../../src/policy/load.js';
import { evidencePackInMemory } from '../../src/services/evidence-pack.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { IMPLEMENTATION_FIELDS } from '../../src/slack/blocks/form-fields.js';
import {
  ACTIONS,
  cabBallotActionId,
  encodeBallotValue,
  IMPLEMENTATION_ACTIONS,
  IMPLEMENTATION_VIEWS,
} from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { FakeFile } from '../support/fake-slack.js';
import {
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitCloseMeeting,
  submitEmergencyForm,
  submitRejectReason,
  submitVerbalApproval,
  submitView,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { recordOwedEvidence } from '../support/preset-walk.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWNER01';
const CHAIR = 'U0CHAIR01';
const AUDITOR = 'U0AUDIT01';
const MANAGER = 'U0MGR0001';
// Tuesday 10:00 in New York; the default form plans Tue 24 Nov 07:00–08:00 New York.
const TUESDAY = '2026-11-17T15:00:00Z';
const TUESDAY_0705 = '2026-11-24T12:05:00Z';
const FRIDAY_0700 = new Date('2026-11-20T12:00:00Z');
const HIGH_RISK: [number, number, number, number, number] = [3, 3, 2, 2, 2];
const LOW_RISK: [number, number, number, number, number] = [1, 1, 1, 1, 1];
const INJECTED_TITLE = '=HYPERLINK("http://evil.example","click")';
const POLICY_YAML = MINIMAL_POLICY_YAML.replace('roles:', `roles:\n  auditor: [${AUDITOR}]`);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

type Row = Record<string, string>;
const text = (value: string) => ({ type: 'plain_text_input', value });
const stateOf = (app: TestApp, ref: string) =>
  app.database.db.$client
    .prepare('select state from changes where id = ?')
    .pluck()
    .get(Number(ref.slice(4)));
const dmTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === `D${userId.slice(1)}`)
    .map((call) => String(call.params.text));
const commandReplies = (app: TestApp) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.path === '/response/cmd')
    .map((call) => String(call.params.text));

/** Clicks a button and waits for its answer: the click is acked first and recorded after. */
async function clickAnswered(app: TestApp, userId: string, actionId: string, value: string): Promise<void> {
  const answers = () =>
    app.slack.callsTo('response_url').filter((call) => call.path.includes(`${userId}-${actionId}`)).length;
  const before = answers();
  await clickButton(app, userId, actionId, value);
  await eventually(() => answers() > before, `the answer to ${userId}'s ${actionId}`, 10_000);
}

async function submitted(app: TestApp, input: Partial<Parameters<typeof submitChangeForm>[2]>): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.text).toBe('');
}

/** CHG-1: high risk; peer, manager and security approve, then the board (chair rule) at CAB-1, minutes kept. */
async function cabDecidedChange(app: TestApp): Promise<void> {
  await submitted(app, { title: 'Rotate the payments TLS certificates', risk: HIGH_RISK });
  for (const approver of ['U0PEER001', MANAGER, 'U0SEC0001'])
    await clickAnswered(app, approver, ACTIONS.approve, 'CHG-1');
  await clickButton(app, CHAIR, ACTIONS.cabPostNow, 'next');
  await eventually(
    () => app.database.db.$client.prepare('select count(*) from cab_items').pluck().get() === 1,
    'item',
    10_000,
  );
  const ballot = (userId: string, kind: 'vote' | 'decide') =>
    clickButton(
      app,
      userId,
      cabBallotActionId(kind, 'approve'),
      encodeBallotValue({ itemId: 1, kind, outcome: 'approve' }),
    );
  await ballot('U0CAB0001', 'vote');
  await ballot(CHAIR, 'decide');
  await eventually(() => stateOf(app, 'CHG-1') === 'approved', 'the board approval');
  expect((await submitCloseMeeting(app, CHAIR, 'CAB-1', 'All on time')).text).toBe('');
}

/** CHG-2: low risk, approved by a peer; implemented later. */
async function approvedChange(app: TestApp): Promise<void> {
  await submitted(app, { title: 'Renew the edge certificates', risk: LOW_RISK, ownerId: OWNER });
  await clickAnswered(app, 'U0PEER001', ACTIONS.approve, 'CHG-2');
  await eventually(() => stateOf(app, 'CHG-2') === 'approved', 'the approval');
}

/** CHG-3: rejected by a peer with a reason. */
async function rejectedChange(app: TestApp): Promise<void> {
  await submitted(app, { title: 'Drop the legacy cipher suites', risk: LOW_RISK });
  await clickButton(app, 'U0PEER002', ACTIONS.reject, 'CHG-3');
  expect((await submitRejectReason(app, 'U0PEER002', 'CHG-3', '-no rollback tested')).text).toBe('');
  await eventually(() => stateOf(app, 'CHG-3') === 'rejected', 'the rejection');
}

/** CHG-4: an emergency with the manager's verbal approval, recorded by the requester and confirmed. */
async function emergencyWithVerbalApproval(app: TestApp): Promise<void> {
  expect((await submitEmergencyForm(app, REQUESTER)).text).toBe('');
  const givenAt = new Date(app.clock.now().getTime() - 5 * 60_000);
  const recorded = await submitVerbalApproval(app, REQUESTER, 'CHG-4', {
    approverId: MANAGER,
    medium: 'phone',
    givenAt,
    note: '@bridge call INC-42',
  });
  expect(recorded.status).toBe(200);
  await eventually(() => dmTexts(app, MANAGER).some((line) => line.startsWith('Please confirm')), 'confirmation DM');
  await clickAnswered(app, MANAGER, ACTIONS.confirmVerbal, 'VA-1');
  await eventually(
    () => app.database.db.$client.prepare('select count(*) from verbal_approval_confirmations').pluck().get() === 1,
    'the confirmation',
  );
}

/** CHG-5: planned on a Friday, outside the windows, with an exception requested; its title is a formula. */
async function changeWithScheduleException(app: TestApp): Promise<void> {
  await submitted(app, {
    title: INJECTED_TITLE,
    risk: LOW_RISK,
    plannedStart: FRIDAY_0700,
    plannedEnd: new Date(FRIDAY_0700.getTime() + 3600_000),
    scheduleException: true,
  });
}

/** CHG-2 is started, fails, is rolled back (10.4), reviewed and validated (8.4). */
async function implementedWithRollback(app: TestApp): Promise<void> {
  app.clock.set(TUESDAY_0705);
  const form = (step: keyof typeof IMPLEMENTATION_VIEWS, values: Record<string, Record<string, unknown>>) =>
    submitView(app, OWNER, IMPLEMENTATION_VIEWS[step], values, { privateMetadata: 'CHG-2' });
  await recordOwedEvidence(app, OWNER, 'start', 2);
  await clickAnswered(app, OWNER, IMPLEMENTATION_ACTIONS.start, 'CHG-2');
  await eventually(() => stateOf(app, 'CHG-2') === 'implementing', 'started');
  app.clock.advance(20 * 60_000);
  await form('fail', { [IMPLEMENTATION_FIELDS.failureReason]: { [FORM_ACTION]: text('Handshakes fail') } });
  expect(stateOf(app, 'CHG-2')).toBe('failed');
  const rollback = {
    [IMPLEMENTATION_FIELDS.rollbackDecidedAt]: {
      [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: Date.parse('2026-11-24T12:20:00Z') / 1000 },
    },
    [IMPLEMENTATION_FIELDS.rollbackReason]: { [FORM_ACTION]: text('Errors above 2%') },
    [IMPLEMENTATION_FIELDS.rollbackSteps]: { [FORM_ACTION]: text('Restored the previous bundle') },
    [IMPLEMENTATION_FIELDS.rollbackImpact]: { [FORM_ACTION]: text('3% of requests failed') },
    [IMPLEMENTATION_FIELDS.rollbackMinutes]: { [FORM_ACTION]: { type: 'number_input', value: '9' } },
  };
  expect((await form('roll_back', rollback)).text).toBe('');
  const review = {
    [IMPLEMENTATION_FIELDS.actualVsExpected]: { [FORM_ACTION]: text('Old clients broke.') },
    [IMPLEMENTATION_FIELDS.incidents]: { [FORM_ACTION]: text('INC-88') },
    [IMPLEMENTATION_FIELDS.lessonsLearned]: { [FORM_ACTION]: text('Test the oldest client.') },
    [IMPLEMENTATION_FIELDS.rootCause]: { [FORM_ACTION]: text('A dropped intermediate.') },
    [IMPLEMENTATION_FIELDS.preventiveMeasures]: { [FORM_ACTION]: text('Chain check in CI.') },
  };
  expect((await form('review', review)).text).toBe('');
  const checks = app.policy.implementation.verification_checklist.map((check) => ({
    value: check.id,
    text: { type: 'plain_text', text: check.label },
  }));
  const verification = {
    [IMPLEMENTATION_FIELDS.verificationChecks]: { [FORM_ACTION]: { type: 'checkboxes', selected_options: checks } },
    [IMPLEMENTATION_FIELDS.verificationNote]: { [FORM_ACTION]: text('Dashboards green.') },
  };
  expect((await form('verify', verification)).text).toBe('');
}

let app: TestApp;
let files: Map<string, FakeFile>;

function csv(name: string): Row[] {
  const content = files.get(name)?.content;
  if (!content) throw new Error(`${name} was not uploaded`);
  return parse(content, { columns: true, bom: false, relax_quotes: false }) as Row[];
}
const byRef = (rows: Row[], ref: string) => rows.filter((row) => row.change_ref === ref);

beforeAll(async () => {
  app = await startTestApp({ clock: new FakeClock(TUESDAY), policy: parsePolicy(POLICY_YAML, 'policy.yml').policy });
  await cabDecidedChange(app);
  await approvedChange(app);
  await rejectedChange(app);
  await emergencyWithVerbalApproval(app);
  await changeWithScheduleException(app);
  await implementedWithRollback(app);

  expect((await app.command('export 2026-11-17 2026-11-24', { userId: AUDITOR })).text).toBe('');
  await eventually(() => app.slack.filesIn(`D${AUDITOR.slice(1)}`).length === 8, 'the pack in the DM', 10_000);
  files = new Map(app.slack.filesIn(`D${AUDITOR.slice(1)}`).map((file) => [file.filename, file]));
}, 60_000);
afterAll(async () => {
  await app?.close();
});

describe('/change export (issue 14.5)', () => {
  it("uploads the pack as files to the asker's DM in one uploadV2, then says so", async () => {
    expect([...files.keys()].sort()).toEqual([
      'approvals.csv',
      'cab_meetings.csv',
      'cab_votes.csv',
      'changes.csv',
      'evidence.json',
      'evidence_records.csv',
      'manifest.json',
      'verbal_approvals.csv',
    ]);
    expect(app.slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(files.get('manifest.json')?.initialComment).toContain('Evidence pack for 2026-11-17 to 2026-11-24');
    await eventually(() => commandReplies(app).length >= 2, 'the replies');
    expect(commandReplies(app)).toEqual([
      'Building the evidence pack for 2026-11-17 to 2026-11-24; it will arrive in your DM with Cabinet.',
      'The evidence pack for 2026-11-17 to 2026-11-24 is in your DM with Cabinet.',
    ]);
  });

  it('changes.csv: one row per change with type, risk, factors, people, schedule exception and implementation', () => {
    const changes = csv('changes.csv');
    expect(changes.map((row) => row.change_ref)).toEqual(['CHG-1', 'CHG-2', 'CHG-3', 'CHG-4', 'CHG-5']);
    const [cab, implemented, rejected, emergency, exception] = changes as [Row, Row, Row, Row, Row];
    expect(cab).toMatchObject({
      type: 'normal',
      state: 'approved',
      risk_level: 'high',
      risk_score: '12',
      risk_factors:
        'systems_affected=3 (High); user_impact=3 (High); data_risk=2 (Medium); reversibility=2 (Medium); ' +
        'security_impact=2 (Medium)',
      requester_id: REQUESTER,
      owner_id: REQUESTER,
      created_at_utc: '2026-11-17T15:00:00.000Z',
      created_at_local: '2026-11-17T10:00:00-05:00',
      approvals: '4',
    });
    expect(rejected).toMatchObject({ state: 'rejected', rejections: '1', risk_level: 'low' });
    expect(emergency).toMatchObject({
      type: 'emergency',
      emergency_criterion: 'production_down',
      verbal_approvals: '1',
    });
    expect(exception).toMatchObject({
      title: `'${INJECTED_TITLE}`,
      schedule_exception_outside_window: 'yes',
      schedule_exception_freezes: '',
      planned_start_utc: '2026-11-20T12:00:00.000Z',
      planned_start_local: '2026-11-20T07:00:00-05:00',
    });
    expect(cab.schedule_exception_outside_window).toBe('');
    expect(implemented).toMatchObject({
      owner_id: OWNER,
      state: 'reviewed',
      implementation_started_at_utc: TUESDAY_0705.replace('Z', '.000Z'),
      implementation_started_at_local: '2026-11-24T07:05:00-05:00',
      implementation_ended_at_utc: '2026-11-24T12:25:00.000Z',
      failure_reason: 'Handshakes fail',
      verified_by: OWNER,
      // No implementation.verifier_roles: the owner verified, in no role.
      verified_as_role: '',
      verification_checks: app.policy.implementation.verification_checklist.map((check) => check.id).join('; '),
      verification_note: 'Dashboards green.',
      reviewed_by: OWNER,
      review_outcome: 'rolled_back',
      review_actual_vs_expected: 'Old clients broke.',
      review_incidents: 'INC-88',
      review_lessons_learned: 'Test the oldest client.',
      review_root_cause: 'A dropped intermediate.',
      review_preventive_measures: 'Chain check in CI.',
      rollback_decided_at_utc: '2026-11-24T12:20:00.000Z',
      rollback_decided_at_local: '2026-11-24T07:20:00-05:00',
      rollback_reason: 'Errors above 2%',
      rollback_steps: 'Restored the previous bundle',
      rollback_impact: '3% of requests failed',
      rollback_duration_minutes: '9',
      rollback_recorded_by: OWNER,
    });
    expect(implemented?.verified_at_utc).toMatch(/^2026-11-24T12:25/);
    expect(implemented?.reviewed_at_local).toMatch(/^2026-11-24T07:25:00-05:00$/);
  });

  it('approvals.csv: every decision with who, role, when and source; verbal ones with who recorded them', () => {
    const approvals = csv('approvals.csv');
    expect(byRef(approvals, 'CHG-1').map((row) => [row.approver_id, row.role, row.source, row.decision])).toEqual([
      ['U0PEER001', 'peer', 'button', 'approve'],
      [MANAGER, 'manager', 'button', 'approve'],
      ['U0SEC0001', 'security', 'button', 'approve'],
      [CHAIR, 'cab', 'cab', 'approve'],
    ]);
    const board = byRef(approvals, 'CHG-1')[3];
    expect(board).toMatchObject({
      cab_meeting: 'CAB-1',
      phase: 'approval',
      decided_at_utc: TUESDAY.replace('Z', '.000Z'),
    });
    expect(board?.decided_at_local).toBe('2026-11-17T10:00:00-05:00');
    expect(board?.reason).toContain('votes: approve 1');
    expect(byRef(approvals, 'CHG-3')).toEqual([
      expect.objectContaining({
        approver_id: 'U0PEER002',
        decision: 'reject',
        source: 'button',
        reason: "'-no rollback tested",
      }),
    ]);
    expect(byRef(approvals, 'CHG-4')).toEqual([
      expect.objectContaining({
        approver_id: MANAGER,
        role: 'manager',
        phase: 'authorization',
        source: 'verbal',
        recorded_by: REQUESTER,
        voided_at_utc: '',
      }),
    ]);
    expect(byRef(approvals, 'CHG-2')).toEqual([
      expect.objectContaining({ approver_id: 'U0PEER001', role: 'peer', source: 'button', decision: 'approve' }),
    ]);
    expect(byRef(approvals, 'CHG-5')).toEqual([]);
  });

  it('verbal_approvals.csv: the verbal approval with its confirmation', () => {
    expect(csv('verbal_approvals.csv')).toEqual([
      expect.objectContaining({
        change_ref: 'CHG-4',
        approver_id: MANAGER,
        role: 'manager',
        medium: 'phone',
        given_at_utc: '2026-11-17T14:55:00.000Z',
        given_at_local: '2026-11-17T09:55:00-05:00',
        note: "'@bridge call INC-42",
        recorded_by: REQUESTER,
        confirmation: 'confirmed',
        responded_by: MANAGER,
        responded_at_utc: '2026-11-17T15:00:00.000Z',
      }),
    ]);
  });

  it('cab_meetings.csv and cab_votes.csv: the meeting with its minutes, decisions and votes', () => {
    expect(csv('cab_meetings.csv')).toEqual([
      expect.objectContaining({
        meeting_ref: 'CAB-1',
        kind: 'regular',
        meeting_at_utc: '2026-11-18T15:00:00.000Z',
        chair_id: CHAIR,
        closed_by: CHAIR,
        participants: `U0CAB0001; ${CHAIR}`,
        decisions: expect.stringMatching(/^CHG-1 approval: approve by U0CHAIR01 \(/),
        notes: 'All on time',
      }),
    ]);
    expect(csv('cab_votes.csv')).toEqual([
      expect.objectContaining({
        meeting_ref: 'CAB-1',
        change_ref: 'CHG-1',
        voter_id: 'U0CAB0001',
        vote: 'approve',
        voted_at_utc: '2026-11-17T15:00:00.000Z',
        item_outcome: 'approve',
        item_decided_by: CHAIR,
      }),
    ]);
  });

  it('evidence_records.csv: each test or step record with its item, evidence, who and when (8.1, 9.3, 11.1)', () => {
    expect(csv('evidence_records.csv')).toEqual([
      {
        change_ref: 'CHG-2',
        evidence_id: '1',
        scope: 'test',
        item: 'unit',
        label: 'Unit tests',
        evidence: 'https://ci.example.com/runs/2/unit',
        recorded_by: OWNER,
        recorded_at_utc: '2026-11-24T12:05:00.000Z',
        recorded_at_local: '2026-11-24T07:05:00-05:00',
      },
    ]);
    const evidence = JSON.parse(files.get('evidence.json')?.content?.toString('utf8') ?? '{}');
    expect(evidence.changes[1].evidence_records).toMatchObject([{ scope: 'test', item: 'unit', recorded_by: OWNER }]);
    expect(evidence.changes[0].evidence_records).toEqual([]);
  });

  it('is RFC 4180 (CRLF), formulas neutralised in CSV but kept in the JSON; the manifest counts', async () => {
    const changesCsv = files.get('changes.csv')?.content?.toString('utf8') ?? '';
    expect(changesCsv.split('\r\n').length).toBe(7);
    expect(changesCsv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const evidence = JSON.parse(files.get('evidence.json')?.content?.toString('utf8') ?? '{}');
    expect(evidence.changes[4].title).toBe(INJECTED_TITLE);
    expect(evidence.changes[0].approvals).toHaveLength(4);
    expect(evidence.changes[3].verbal_approvals[0].confirmation).toBe('confirmed');
    expect(evidence.cab_meetings[0].minutes.notes).toBe('All on time');
    const manifest = JSON.parse(files.get('manifest.json')?.content?.toString('utf8') ?? '{}');
    expect(manifest).toMatchObject({
      period: { from: '2026-11-17', to: '2026-11-24', time_zone: 'America/New_York' },
      policy_timezone: 'America/New_York',
      counts: { changes: 5, approvals: 7, verbal_approvals: 1, evidence_records: 1, cab_meetings: 1, cab_votes: 1 },
      chain: { status: 'verified', ok: true },
    });
    expect(manifest.generated_at_utc).toMatch(/^2026-11-24T12:/);
    // The head the pack states is witnessed in the audit (here: the log) channel too.
    const head = String(manifest.chain.head);
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) => call.params.channel === 'C0LOG0001' && String(call.params.text).includes(head)),
      'the head witnessed with the export',
    );
  });

  it('refuses someone outside auditor_roles, naming who may; bad dates are told what to type', async () => {
    const uploads = app.slack.callsTo('files.getUploadURLExternal').length;
    const before = commandReplies(app).length;
    expect((await app.command('export 2026-11-17 2026-11-24', { userId: 'U0PEER001' })).text).toBe('');
    await eventually(() => commandReplies(app).length > before, 'the refusal');
    expect(commandReplies(app).at(-1)).toBe(
      'Only the auditor, ciso can take the evidence pack (policy `auditor_roles`).',
    );
    const bad = await app.command('export 2026-11-31 2026-12-01', { userId: AUDITOR });
    expect(bad.json).toMatchObject({
      response_type: 'ephemeral',
      text:
        'Type `/change export <from> <to>` with two dates as YYYY-MM-DD, e.g. `/change export 2026-01-01 ' +
        "2026-03-31` (`2026-11-31` is not a date): both days are included, in the policy's time zone " +
        '(America/New_York).',
    });
    const reversed = await app.command('export 2026-12-01 2026-11-01', { userId: AUDITOR });
    expect(JSON.stringify(reversed.json)).toContain('(2026-11-01 is before 2026-12-01)');
    expect(app.slack.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
  });

  it('reads changes in batches: two at a time gives the same files', async () => {
    const period = exportPeriod('2026-11-17', '2026-11-24', app.policy.timezone);
    if (!period.ok) throw new Error('the period is valid');
    const pack = await evidencePackInMemory(
      { db: app.database.db, policy: app.policy, now: app.clock.now() },
      { period: period.period, batchSize: 2, chain: { ok: true, count: 42, head: 'ab12' } },
    );
    for (const file of pack.files.filter((entry) => entry.name.endsWith('.csv') || entry.name === 'evidence.json'))
      expect(file.content).toEqual(files.get(file.name)?.content);
    expect(pack.manifest.chain).toEqual({ status: 'verified', ok: true, count: 42, head: 'ab12' });
  });

  it('the built CLI writes the same files', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cabinet-export-'));
    try {
      const policyPath = join(folder, 'policy.yml');
      writeFileSync(policyPath, POLICY_YAML);
      const out = join(folder, 'pack');
      const child = spawn(
        process.execPath,
        [join(repoRoot, 'dist', 'cli', 'audit-export.js'), '--from', '2026-11-17', '--to', '2026-11-24', '--out', out],
        { env: { PATH: process.env.PATH, DATABASE_PATH: app.database.path, POLICY_PATH: policyPath } },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(stdout).toContain(
        '5 changes, 7 decisions, 1 verbal approvals, 1 evidence records, 1 CAB meetings, 1 votes',
      );
      for (const name of [
        'changes.csv',
        'approvals.csv',
        'verbal_approvals.csv',
        'evidence_records.csv',
        'cab_meetings.csv',
        'cab_votes.csv',
      ])
        expect(readFileSync(join(out, name))).toEqual(files.get(name)?.content);
      expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).counts.changes).toBe(5);

      const usage = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'audit-export.js'), '--from', 'x'], {
        env: { PATH: process.env.PATH, DATABASE_PATH: app.database.path, POLICY_PATH: policyPath },
      });
      expect(await new Promise((resolve) => usage.on('exit', resolve))).toBe(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

// Issue 16.10: the `pol-sec-008` preset (document 001, POL-SEC-008, the built-in defaults) walked end to end over
// signed HTTP from a file that names it: the 4.4 matrix with the CAB's decision, the 9.1 windows, production
// validation and review, pre-authorized standard changes, and an emergency through 6.3 and 6.4.
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.js';
import { IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitDocumentation,
  submitEmergencyForm,
  submitEvidence,
  submitVerbalApproval,
} from '../support/interactions.js';
import {
  boardApproves,
  changeRow,
  decisionsOf,
  evidenceOf,
  HOUR,
  implementAndClose,
  MINUTE,
  paperworkDue,
  paperworkOpen,
  presetFile,
  recipientsOf,
  recordOwedEvidence,
  requiredRoles,
  reviewAll,
  startPreset,
  statesOf,
  step,
  submitChangeEvidence,
  untilAsked,
  untilState,
  verifyAll,
} from '../support/preset-walk.js';
import type { TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CHAIR = 'U0CHAIR01';
// Tuesday 17 Nov 2026, 10:00 in New York: business hours; the CAB meets on Wednesdays at 10:00.
const TUESDAY = '2026-11-17T15:00:00Z';
// The default form plans Tue 24 Nov 07:00–08:00 New York; Monday 23 Nov 07:05 is a low/medium window only.
const TUESDAY_0705 = '2026-11-24T12:05:00Z';
const MONDAY_0700 = new Date('2026-11-23T12:00:00Z');

const FILE = presetFile(
  'pol-sec-008',
  `roles:
  peer: [U0PEER001, U0PEER002]
  manager: [U0MGR0001]
  security: [U0SEC0001]
  cab: [U0CAB0001, U0CAB0002]
  cto: [U0CTO0001]
  ciso: [U0CISO001]
  oncall_manager: [U0ONMGR01]
  oncall_security: [U0ONSEC01]
  dba: [U0DBA0001]
cab: { channel: C0CAB0001, chair: ${CHAIR} }
channels: { log: C0LOG0001 }
standard_changes:
  - { id: routine_patching, title: Routine patching }
`,
);

let running: TestApp | undefined;
async function start(): Promise<TestApp> {
  running = await startPreset(FILE, TUESDAY);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('pol-sec-008 (001) normal and standard changes', () => {
  it('001 4.4, 7.1, 9.1, 8.4: peer, manager, security and the CAB approve high risk; run in its window', async () => {
    const app = await start();
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 2, 2, 2],
    });
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'high' });
    expect(requiredRoles(app)).toEqual(['cab', 'manager', 'peer', 'security']);
    // The board's requirement is put to the CAB, not to its members one by one (7.3).
    await untilAsked(app, 'Approval requested', ['U0PEER001', 'U0MGR0001', 'U0SEC0001']);
    expect(recipientsOf(app, 'Approval requested')).toEqual(['U0MGR0001', 'U0PEER001', 'U0PEER002', 'U0SEC0001']);
    for (const approver of ['U0PEER001', 'U0MGR0001', 'U0SEC0001']) await approve(app, approver, 'CHG-1');
    await eventually(() => decisionsOf(app).length === 3, 'the three approvals');
    expect(changeRow(app)?.state).toBe('pending_approval');
    await boardApproves(app, { chair: CHAIR, voters: ['U0CAB0001'] });
    await untilState(app, 'approved');
    expect(decisionsOf(app).at(-1)).toBe(`${CHAIR}:cab:cab`);

    // 9.1: Monday's window allows medium and low risk only.
    app.clock.set(new Date(MONDAY_0700.getTime() + 5 * MINUTE));
    expect(await step(app, REQUESTER, 'start')).toContain('outside the deployment windows for high-risk changes (9.1)');
    app.clock.set(TUESDAY_0705);
    // 8.4 production validation, and the review of a high-risk change, before it closes.
    await implementAndClose(app, REQUESTER, { review: true });
    expect(statesOf(app)).toEqual([
      'submitted',
      'pending_approval',
      'approved',
      'implementing',
      'completed',
      'reviewed',
      'closed',
    ]);
  }, 20_000);

  it('001 3.1, 9.1, 10.1: a standard change is pre-authorized; a failure shows the rollback triggers', async () => {
    const app = await start();
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      changeType: 'standard:routine_patching',
      plannedStart: MONDAY_0700,
      plannedEnd: new Date(MONDAY_0700.getTime() + HOUR),
    });
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'approved', riskLevel: 'low' });
    expect(decisionsOf(app)).toEqual(['-:-:pre_approved']);

    app.clock.set(new Date(MONDAY_0700.getTime() + 5 * MINUTE));
    await recordOwedEvidence(app, REQUESTER, 'start');
    expect(await step(app, REQUESTER, 'start')).toBe('CHG-1 is started.');
    await clickButton(app, REQUESTER, IMPLEMENTATION_ACTIONS.fail, 'CHG-1');
    const failForm = await app.slack.waitForCall('views.open');
    expect(JSON.stringify(failForm.params.view)).toContain('Performance degradation &gt;50%');
  });
});

describe('pol-sec-008 (001) testing evidence', () => {
  it('001 8.1, 9.3: a medium-risk change starts once its tests and the pre-deployment checks are in', async () => {
    const app = await start();
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: [2, 2, 2, 1, 1],
    });
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'medium' });
    for (const approver of ['U0PEER001', 'U0MGR0001']) await approve(app, approver, 'CHG-1');
    await untilState(app, 'approved');
    app.clock.set(TUESDAY_0705);
    // 9.3 Pre-Deployment: "Testing completed and documented" (8.1's tests for medium risk), "Rollback plan verified",
    // "Monitoring dashboards ready", "Communication sent to stakeholders", "On-call team notified".
    expect(await step(app, REQUESTER, 'start')).toBe(
      'CHG-1 cannot start yet: its evidence is not recorded for “Unit tests”, “Integration tests”, “Staging”, ' +
        '“Rollback plan verified”, “Monitoring dashboards ready”, “Communication sent to stakeholders”, “On-call ' +
        'team notified”. Its requester or owner records it with *Add evidence* on the change.',
    );
    // The form refuses on its inputs: an item the change does not owe (UAT is for high risk), and no evidence.
    const refused = await submitChangeEvidence(app, REQUESTER, { item: 'test:uat', evidence: ' ' });
    expect(JSON.parse(refused.text)).toEqual({
      response_action: 'errors',
      errors: {
        change_evidence_item: 'Pick what the evidence is for from the list.',
        change_evidence_text: 'Enter the evidence: what was done and its result, or a link to it.',
      },
    });
    // Someone else than the requester or owner records nothing.
    const stranger = await submitChangeEvidence(app, 'U0PEER001', { item: 'test:unit', evidence: 'CI run 41' });
    expect(JSON.parse(stranger.text).errors).toEqual({
      change_evidence_item: 'Only the requester or the owner of CHG-1 records its evidence.',
    });
    expect(
      (await submitChangeEvidence(app, REQUESTER, { item: 'test:unit', evidence: 'https://ci.example.com/41' })).text,
    ).toBe('');
    expect(await step(app, REQUESTER, 'start')).toContain('not recorded for “Integration tests”, “Staging”, “Rollback');
    await recordOwedEvidence(app, REQUESTER, 'start');
    expect(evidenceOf(app)).toEqual([
      'test:unit',
      'test:integration',
      'test:staging',
      'step:rollback_plan_verified',
      'step:monitoring_ready',
      'step:stakeholders_told',
      'step:oncall_notified',
    ]);
    expect(await step(app, REQUESTER, 'start')).toBe('CHG-1 is started.');
    // Each record is audited, and the log message shows what was recorded.
    const audited = app.database.db.select().from(auditEvents).all();
    expect(audited.filter((event) => event.type === 'change.evidence_recorded')).toHaveLength(7);
    const logUpdate = () =>
      app.slack
        .callsTo('chat.update')
        .map((call) => JSON.stringify(call.params))
        .findLast((params) => params.includes('"channel":"C0LOG0001"') && params.includes('*Staging* — https'));
    await eventually(() => logUpdate() !== undefined, 'the log message updated');
    const log = logUpdate() ?? '';
    expect(log).toContain('*Unit tests* — https://ci.example.com/41');
    expect(log).toContain('Add evidence');
  }, 20_000);
});

describe('pol-sec-008 (001) emergencies', () => {
  it('001 6.2–6.4: manager and security authorize verbally; 24 h paperwork; the matrix approves after', async () => {
    const app = await start();
    expect((await submitEmergencyForm(app, REQUESTER)).text).toBe('');
    await untilAsked(app, 'Emergency authorization requested', ['U0MGR0001', 'U0SEC0001']);
    // 6.3 business hours: the manager and security; the CTO and CISO only if they do not answer.
    expect(recipientsOf(app, 'Emergency authorization requested')).toEqual(['U0MGR0001', 'U0SEC0001']);
    for (const approverId of ['U0MGR0001', 'U0SEC0001'])
      await submitVerbalApproval(app, REQUESTER, 'CHG-1', {
        approverId,
        medium: 'phone',
        givenAt: new Date(app.clock.now().getTime() - 5 * MINUTE),
      });
    expect(changeRow(app)?.state).toBe('authorized');
    const authorizedAt = app.clock.now();
    expect(paperworkDue(app, authorizedAt)).toEqual([
      ['documentation', 24],
      ['retro_approval', 24],
      ['retro_ticket', 24],
      ['root_cause_analysis', 24],
    ]);

    app.clock.advance(3 * HOUR);
    const documented = await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      risk: [2, 2, 2, 1, 1],
      plannedStart: authorizedAt,
      plannedEnd: new Date(authorizedAt.getTime() + 20 * MINUTE),
    });
    expect(documented.text).toBe('');
    // 6.4 "Obtain formal approval" through the 4.4 matrix: medium is a peer and the manager.
    expect(requiredRoles(app, 'retro_approval')).toEqual(['manager', 'peer']);
    await submitEvidence(app, REQUESTER, 'CHG-1:retro_ticket', 'https://jira.example.com/browse/CHG-1');
    await submitEvidence(app, REQUESTER, 'CHG-1:root_cause_analysis', 'An expired certificate on the ingress.');
    await untilAsked(app, 'Formal approval requested for emergency', ['U0PEER001', 'U0MGR0001']);
    await approve(app, 'U0PEER001', 'CHG-1:retro_approval');
    await approve(app, 'U0MGR0001', 'CHG-1:retro_approval');
    await untilState(app, 'retro_approved');
    expect(paperworkOpen(app)).toEqual([]);

    await reviewAll(app, REQUESTER);
    await verifyAll(app, REQUESTER);
    expect(await step(app, REQUESTER, 'close')).toBe('CHG-1 is closed.');
    expect(statesOf(app).slice(-3)).toEqual(['retro_approved', 'reviewed', 'closed']);
  });
});

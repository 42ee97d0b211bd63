// Issue 16.10: the `finapilot-chg-001` preset (document 004, FinaPilot CHG-001) walked end to end over signed HTTP:
// normal changes documented 48 hours ahead and approved by the CAB (its five members, the Engineering Manager in the
// chair), standard changes by the Engineering Manager, emergencies by the CTO or the Security Officer, documented
// within 24 hours and put to the CAB as needed.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGE_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { ACTIONS, IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitDocumentation,
  submitEmergencyForm,
  submitEvidence,
} from '../support/interactions.js';
import {
  auditDataOf,
  ballotOf,
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
  putToBoard,
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

const ENGINEERING_MANAGER = 'U0EM00001';
const SECURITY_OFFICER = 'U0SO00001';
const COMPLIANCE_OFFICER = 'U0CO00001';
const PRODUCT_MANAGER = 'U0PM00001';
const CTO = 'U0CTO0001';
const DEVELOPER = 'U0DEV0001';
// Tuesday 17 Nov 2026, 10:00 in New York (the default time zone): business hours.
const TUESDAY = '2026-11-17T15:00:00Z';
// Wednesday 18 Nov 07:00 New York: in a window, but 21 hours away. Thursday 19 Nov 07:00: a low-risk window.
const WEDNESDAY_0700 = new Date('2026-11-18T12:00:00Z');
const THURSDAY_0700 = new Date('2026-11-19T12:00:00Z');
// The default form plans Tue 24 Nov 07:00–08:00 New York: a week ahead, in a window (4.3).
const TUESDAY_0705 = '2026-11-24T12:05:00Z';

const FILE = presetFile(
  'finapilot-chg-001',
  `roles:
  engineering_manager: [${ENGINEERING_MANAGER}]
  security_officer: [${SECURITY_OFFICER}]
  compliance_officer: [${COMPLIANCE_OFFICER}]
  product_manager: [${PRODUCT_MANAGER}]
  devops_lead: [U0DL00001]
  cto: [${CTO}]
cab: { channel: C0CAB0001 }
channels: { log: C0LOG0001 }
standard_changes:
  - { id: api_update, title: Non-breaking API update }
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

/** A standard change from the catalog, planned for Thursday's window (no notice needed). */
async function standardChange(app: TestApp): Promise<void> {
  const response = await submitChangeForm(app, DEVELOPER, {
    ...defaultChangeForm(app.clock.now()),
    changeType: 'standard:api_update',
    plannedStart: THURSDAY_0700,
    plannedEnd: new Date(THURSDAY_0700.getTime() + HOUR),
  });
  expect(response.text).toBe('');
}

/** A standard change approved by the Engineering Manager, in its window, its tests recorded and started. */
async function startedStandardChange(app: TestApp): Promise<void> {
  await standardChange(app);
  await approve(app, ENGINEERING_MANAGER, 'CHG-1');
  await untilState(app, 'approved');
  app.clock.set(new Date(THURSDAY_0700.getTime() + 5 * MINUTE));
  await recordOwedEvidence(app, DEVELOPER, 'start');
  expect(await step(app, DEVELOPER, 'start')).toBe('CHG-1 is started.');
}

describe('finapilot-chg-001 (004) normal changes', () => {
  it('004 3.3, 4.2, 9: documented 48 h ahead, approved by the CAB with the Engineering Manager as chair', async () => {
    const app = await start();
    const form = defaultChangeForm(app.clock.now());
    const early = await submitChangeForm(app, DEVELOPER, {
      ...form,
      plannedStart: WEDNESDAY_0700,
      plannedEnd: new Date(WEDNESDAY_0700.getTime() + HOUR),
    });
    expect(early.json).toEqual({
      response_action: 'errors',
      errors: {
        [CHANGE_FIELDS.plannedStart]:
          "This change needs 48 hours' notice (policy scheduling.notice_hours): pick Thu 19 Nov 2026, 10:00 " +
          '(America/New_York) or later.',
      },
    });
    expect(changeRow(app)).toBeUndefined();

    expect((await submitChangeForm(app, DEVELOPER, form)).text).toBe('');
    // 3.3 "Approval: Change Advisory Board": a low-risk change needs the board alone, asked of nobody one by one.
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'low' });
    expect(requiredRoles(app)).toEqual(['cab']);
    // 9: the CTO is not on the board.
    await boardApproves(app, { chair: ENGINEERING_MANAGER, voters: [PRODUCT_MANAGER, COMPLIANCE_OFFICER] });
    await untilState(app, 'approved');
    expect(recipientsOf(app, 'Approval requested')).toEqual([]);
    expect(decisionsOf(app)).toEqual([`${ENGINEERING_MANAGER}:cab:cab`]);

    // 4.3 in the approved window; 4.4 verified; 7 its post-implementation review; closed.
    app.clock.set(TUESDAY_0705);
    await implementAndClose(app, DEVELOPER, { review: true });
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

  it('004 9: the five members vote, the Engineering Manager decides as chair; the CTO is not a member', async () => {
    const app = await start();
    expect((await submitChangeForm(app, DEVELOPER, defaultChangeForm(app.clock.now()))).text).toBe('');
    await putToBoard(app, { chair: ENGINEERING_MANAGER });
    expect(await ballotOf(app, CTO, { kind: 'vote' })).toBe('Only CAB members vote on CHG-1; nothing was recorded.');
    expect(await ballotOf(app, PRODUCT_MANAGER, { kind: 'decide' })).toContain('Only the CAB chair decides CHG-1');
    expect(await ballotOf(app, 'U0DL00001', { kind: 'vote' })).toBe('Your vote to approve CHG-1 is recorded.');
    expect(changeRow(app)?.state).toBe('pending_approval');
    expect(await ballotOf(app, ENGINEERING_MANAGER, { kind: 'decide' })).toBe(
      "Your decision is recorded. The board's decision: CHG-1 is approved.",
    );
    await untilState(app, 'approved');
  });

  it('004 4.2: a security-related change also needs the Security Officer, a regulatory one compliance', async () => {
    const app = await start();
    const response = await submitChangeForm(app, DEVELOPER, {
      ...defaultChangeForm(app.clock.now()),
      securityTriggers: ['authentication'],
      reviewRules: ['compliance'],
    });
    expect(response.text).toBe('');
    expect(requiredRoles(app)).toEqual(['cab', 'compliance_officer', 'security_officer']);
    await untilAsked(app, 'Approval requested', [SECURITY_OFFICER, COMPLIANCE_OFFICER]);
  });
});

describe('finapilot-chg-001 (004) standard changes', () => {
  it('004 3.2: the Engineering Manager approves a standard change, documented before it runs', async () => {
    const app = await start();
    await standardChange(app);
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'pending_approval' });
    expect(requiredRoles(app)).toEqual(['engineering_manager']);
    await untilAsked(app, 'Approval requested', [ENGINEERING_MANAGER]);
    expect(recipientsOf(app, 'Approval requested')).toEqual([ENGINEERING_MANAGER]);
    await approve(app, ENGINEERING_MANAGER, 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual([`${ENGINEERING_MANAGER}:engineering_manager:button`]);

    app.clock.set(new Date(THURSDAY_0700.getTime() + 5 * MINUTE));
    await implementAndClose(app, DEVELOPER, { review: true });
  }, 20_000);

  it('004 4.3 "Document any deviations": the change closes once its deviations are recorded', async () => {
    const app = await start();
    await startedStandardChange(app);
    expect(await step(app, DEVELOPER, 'complete')).toBe('CHG-1 is completed.');
    await reviewAll(app, DEVELOPER);
    await verifyAll(app, DEVELOPER);
    expect(await step(app, DEVELOPER, 'close')).toBe(
      'CHG-1 cannot close yet: its evidence is not recorded for “Deviations from the plan documented (or none)”. ' +
        'Its requester or owner records it with *Add evidence* on the change.',
    );
    const deviations = { item: 'step:deviations', evidence: 'Ran 10 minutes over; no other deviation.' };
    expect((await submitChangeEvidence(app, DEVELOPER, deviations)).text).toBe('');
    expect(await step(app, DEVELOPER, 'close')).toBe('CHG-1 is closed.');
  });

  it('004 6: a failed change shows its rollback triggers, performance degradation over 20 %', async () => {
    const app = await start();
    await startedStandardChange(app);
    await clickButton(app, DEVELOPER, IMPLEMENTATION_ACTIONS.fail, 'CHG-1');
    const failForm = JSON.stringify((await app.slack.waitForCall('views.open')).params.view);
    for (const trigger of ['Critical errors occur', 'Performance degradation &gt; 20%', 'Security vulnerabilities'])
      expect(failForm).toContain(trigger);
  });
});

describe('finapilot-chg-001 (004) testing', () => {
  it('004 5: unit, integration and security tests recorded before Start; performance and UAT recommended', async () => {
    const app = await start();
    await standardChange(app);
    await approve(app, ENGINEERING_MANAGER, 'CHG-1');
    await untilState(app, 'approved');
    app.clock.set(new Date(THURSDAY_0700.getTime() + 5 * MINUTE));
    expect(await step(app, DEVELOPER, 'start')).toBe(
      'CHG-1 cannot start yet: its evidence is not recorded for “Unit tests (80% code coverage minimum)”, ' +
        '“Integration tests (all API endpoints)”, “Security tests (OWASP Top 10 checks)”. Its requester or owner ' +
        'records it with *Add evidence* on the change.',
    );
    // The form offers the recommended kinds too; recording one does not stand in for a required one.
    await clickButton(app, DEVELOPER, ACTIONS.recordEvidence, 'CHG-1');
    const form = JSON.stringify((await app.slack.waitForCall('views.open')).params.view);
    for (const kind of ['test:unit', 'test:integration', 'test:security', 'test:performance', 'test:uat'])
      expect(form).toContain(kind);
    const uat = { item: 'test:uat', evidence: 'Signed off by the product manager' };
    expect((await submitChangeEvidence(app, DEVELOPER, uat)).text).toBe('');
    expect(await step(app, DEVELOPER, 'start')).toContain('cannot start yet');
    await recordOwedEvidence(app, DEVELOPER, 'start');
    expect(evidenceOf(app)).toEqual(['test:uat', 'test:unit', 'test:integration', 'test:security']);
    expect(await step(app, DEVELOPER, 'start')).toBe('CHG-1 is started.');
  });
});

describe('finapilot-chg-001 (004) emergencies', () => {
  it('004 3.1, 9: the CTO or the Security Officer authorizes; documented in 24 h; the CAB meets for it', async () => {
    const app = await start();
    expect((await submitEmergencyForm(app, DEVELOPER)).text).toBe('');
    // 3.1 "Authorization: CTO or Security Officer": both are asked at once, neither a stand-in for the other.
    await untilAsked(app, 'Emergency authorization requested', [CTO, SECURITY_OFFICER]);
    expect(recipientsOf(app, 'Emergency authorization requested')).toEqual([SECURITY_OFFICER, CTO].sort());
    // The first to authorize decides alone, and the record names the role they acted in.
    await approve(app, SECURITY_OFFICER, 'CHG-1:authorization');
    await untilState(app, 'authorized');
    expect(decisionsOf(app)).toEqual([`${SECURITY_OFFICER}:security_officer:button`]);
    // The messages cite CHG-001's own sections, never POL-SEC-008's.
    await eventually(
      () => JSON.stringify(app.slack.calls.map((call) => call.params)).includes('Authorization (CHG-001 3.1)'),
      'the authorization cited from CHG-001',
    );
    expect(JSON.stringify(app.slack.calls.map((call) => call.params))).not.toContain('POL-SEC-008');
    expect(auditDataOf(app, 'approval.approved')).toMatchObject([
      { role: 'security_officer', phase: 'authorization', anyOf: ['cto', 'security_officer'] },
    ]);
    const authorizedAt = app.clock.now();
    expect(paperworkDue(app, authorizedAt)).toEqual([
      ['documentation', 24],
      ['retro_approval', 24],
      ['retro_ticket', 24],
      ['root_cause_analysis', 24],
    ]);

    // 3.1 "Documentation: Post-implementation within 24 hours".
    app.clock.advance(5 * HOUR);
    const documented = await submitDocumentation(app, DEVELOPER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      title: 'Zero-day vulnerability patch',
      plannedStart: authorizedAt,
      plannedEnd: new Date(authorizedAt.getTime() + 30 * MINUTE),
    });
    expect(documented.text).toBe('');
    expect(requiredRoles(app, 'retro_approval')).toEqual(['cab']);
    await submitEvidence(app, DEVELOPER, 'CHG-1:retro_ticket', 'https://jira.example.com/browse/CHG-1');
    await submitEvidence(app, DEVELOPER, 'CHG-1:root_cause_analysis', 'An unpatched library.');
    // 9 "Meetings: Weekly, or as needed for emergency changes".
    await boardApproves(app, { chair: ENGINEERING_MANAGER, voters: [SECURITY_OFFICER], convenedBy: DEVELOPER });
    await untilState(app, 'retro_approved');
    expect(paperworkOpen(app)).toEqual([]);

    // 4.4 and 7: verified, reviewed, closed.
    await reviewAll(app, DEVELOPER);
    await verifyAll(app, DEVELOPER);
    expect(await step(app, DEVELOPER, 'close')).toBe('CHG-1 is closed.');
    expect(statesOf(app).slice(-3)).toEqual(['retro_approved', 'reviewed', 'closed']);
  });
});

import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approvalRequirements,
  auditEvents,
  changes,
  postImplementationReviews,
  rollbacks,
  verifications,
} from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { CHANGE_FIELDS, IMPLEMENTATION_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { IMPLEMENTATION_ACTIONS, IMPLEMENTATION_VIEWS, VIEWS } from '../../src/slack/ids.js';
import {
  approve,
  type ChangeFormInput,
  changeFormState,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitView,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { recordOwedEvidence } from '../support/preset-walk.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWNER01';
const LOW: ChangeFormInput['risk'] = [1, 1, 1, 1, 1];
// Wed 2026-11-18 10:00 New York: the fake clock's start. The default form plans Tue 24 Nov 07:00–08:00.
const TUESDAY_0705 = '2026-11-24T12:05:00Z';
const FRIDAY_0700 = new Date('2026-11-20T12:00:00Z');

let running: TestApp | undefined;
async function start(options?: TestAppOptions): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const repliesTo = (app: TestApp, userId: string, actionId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.params.response_type === 'ephemeral' && call.path.includes(`${userId}-${actionId}`))
    .map((call) => String(call.params.text));
const auditOf = (app: TestApp) => app.database.db.select().from(auditEvents).where(eq(auditEvents.changeId, 1)).all();
const errorsOf = (text: string): Record<string, string> =>
  (JSON.parse(text) as { errors: Record<string, string> }).errors;

async function submitLowChange(app: TestApp, input: Partial<ChangeFormInput> = {}): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, {
    ...defaultChangeForm(app.clock.now()),
    risk: LOW,
    ownerId: OWNER,
    ...input,
  });
  expect(response.text).toBe('');
}

/** A low-risk change approved by a peer (4.4), its owner's DM posted, its unit tests recorded (8.1, 9.3). */
async function approvedLowChange(app: TestApp): Promise<void> {
  await submitLowChange(app);
  await approve(app, 'U0PEER001', 'CHG-1');
  await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
  await recordOwedEvidence(app, OWNER, 'start');
  await eventually(
    () =>
      app.slack
        .callsTo('chat.postMessage')
        .some(
          (call) =>
            call.params.channel === 'D0OWNER01' &&
            JSON.stringify(call.params.blocks).includes(IMPLEMENTATION_ACTIONS.start),
        ),
    "the owner's DM with Start",
  );
}

async function step(app: TestApp, userId: string, action: keyof typeof IMPLEMENTATION_ACTIONS): Promise<string> {
  const replies = () => repliesTo(app, userId, IMPLEMENTATION_ACTIONS[action]);
  const [before, modalsBefore] = [replies().length, app.slack.callsTo('views.open').length];
  await clickButton(app, userId, IMPLEMENTATION_ACTIONS[action], 'CHG-1');
  await eventually(
    () => replies().length > before || app.slack.callsTo('views.open').length > modalsBefore,
    `${action} answered`,
  );
  return replies().length > before ? (replies().at(-1) ?? '') : '';
}

const text = (value: string) => ({ type: 'plain_text_input', value });

function submitForm(
  app: TestApp,
  form: keyof typeof IMPLEMENTATION_VIEWS,
  values: Record<string, Record<string, unknown>>,
  viewId?: string,
) {
  return submitView(app, OWNER, IMPLEMENTATION_VIEWS[form], values, { privateMetadata: 'CHG-1', viewId });
}

const verifyAll = (app: TestApp) =>
  submitForm(app, 'verify', {
    [IMPLEMENTATION_FIELDS.verificationChecks]: {
      [FORM_ACTION]: {
        type: 'checkboxes',
        selected_options: app.policy.implementation.verification_checklist.map((check) => ({
          value: check.id,
          text: { type: 'plain_text', text: check.label },
        })),
      },
    },
    [IMPLEMENTATION_FIELDS.verificationNote]: { [FORM_ACTION]: text('Dashboards green for 30 minutes.') },
  });

describe('deployment windows on submission (POL-SEC-008 9.1)', () => {
  it('refuses a plan outside the windows of its risk, naming the next; an exception lets it in, asks CTO', async () => {
    const app = await start();
    const friday = { plannedStart: FRIDAY_0700, plannedEnd: new Date(FRIDAY_0700.getTime() + 3600_000) };
    const refused = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: LOW,
      ...friday,
    });
    const errors = errorsOf(refused.text);
    expect(errors[CHANGE_FIELDS.plannedStart]).toContain('outside the deployment windows for low-risk changes');
    expect(errors[CHANGE_FIELDS.plannedStart]).toContain('Mon 23 Nov 2026, 06:00–10:00');
    expect(changeRow(app)).toBeUndefined();

    const accepted = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: LOW,
      ...friday,
      scheduleException: true,
    });
    expect(accepted.text).toBe('');
    expect(changeRow(app)?.scheduleException).toEqual({ outsideWindow: true, freezes: [] });
    const roles = app.database.db
      .select()
      .from(approvalRequirements)
      .all()
      .map((requirement) => requirement.role);
    expect(roles.sort()).toEqual(['cto', 'peer']);
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some(
            (call) => call.params.channel === 'D0CTO0001' && String(call.params.text).startsWith('Approval requested'),
          ),
      'the CTO asked',
    );
    const ctoMessage = app.slack.callsTo('chat.postMessage').find((call) => call.params.channel === 'D0CTO0001');
    expect(JSON.stringify(ctoMessage?.params.blocks)).toContain('Schedule exception requested');
    expect(auditOf(app).map((event) => event.type)).toContain('change.schedule_exception_requested');
  });

  it('refuses a plan that runs past the end of its window on the end field', async () => {
    const app = await start();
    const form = defaultChangeForm(app.clock.now());
    const response = await submitChangeForm(app, REQUESTER, {
      ...form,
      risk: LOW,
      plannedEnd: new Date(form.plannedStart.getTime() + 4 * 3600_000),
    });
    expect(errorsOf(response.text)[CHANGE_FIELDS.plannedEnd]).toContain('past the end of the deployment windows');
  });
});

describe('conflicts (two changes on one system at one time)', () => {
  it('warns in the modal while filled in, naming the other change; shows the conflict to approvers', async () => {
    const app = await start();
    await submitLowChange(app, { title: 'First change on the edge proxies' });
    const form = { ...defaultChangeForm(app.clock.now()), risk: LOW, systems: 'EDGE-PROXY, cdn' };
    // The requester picks the end time: Slack sends a block action from the open modal.
    await app.interact({
      type: 'block_actions',
      team: { id: 'T0CABINET', domain: 'cabinet-test' },
      user: { id: REQUESTER, username: 'req', name: 'req', team_id: 'T0CABINET' },
      api_app_id: 'A0CABINET',
      token: 'deprecated-verification-token',
      trigger_id: `trigger-${randomUUID()}`,
      container: { type: 'view', view_id: 'V0FORM001' },
      view: {
        id: 'V0FORM001',
        hash: 'h1',
        type: 'modal',
        callback_id: VIEWS.changeRequest,
        private_metadata: '',
        state: { values: changeFormState(form, REQUESTER) },
        team_id: 'T0CABINET',
        app_id: 'A0CABINET',
        bot_id: 'B0CABINET',
      },
      actions: [
        {
          type: 'datetimepicker',
          action_id: FORM_ACTION,
          block_id: CHANGE_FIELDS.plannedEnd,
          selected_date_time: Math.floor(form.plannedEnd.getTime() / 1000),
          action_ts: '1700000002.000200',
        },
      ],
    });
    const update = await app.slack.waitForCall('views.update');
    expect(update.params.view_id).toBe('V0FORM001');
    expect(update.params.hash).toBe('h1');
    const warning = JSON.stringify(update.params.view);
    expect(warning).toContain('Overlaps CHG-1 · First change on the edge proxies on EDGE-PROXY');

    const second = await submitChangeForm(app, REQUESTER, form);
    expect(second.text).toBe('');
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) => call.params.channel === 'D0PEER001' && JSON.stringify(call.params.blocks).includes('CHG-2')),
      'CHG-2 sent to a peer',
    );
    const peerMessage = app.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.channel === 'D0PEER001' && JSON.stringify(call.params.blocks).includes('CHG-2'));
    expect(JSON.stringify(peerMessage?.params.blocks)).toContain(
      '*Conflicts:* overlaps CHG-1 · First change on the edge proxies on EDGE-PROXY',
    );
  });
});

describe('implementation (9.1, 8.4, 10.4) and closure', () => {
  it('refuses Start before approval, and to anyone but the owner', async () => {
    const app = await start();
    await submitLowChange(app);
    expect(await step(app, OWNER, 'start')).toContain('CHG-1 cannot start: it is not approved yet (pending approval)');
    expect(changeRow(app)?.state).toBe('pending_approval');
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    app.clock.set(TUESDAY_0705);
    expect(await step(app, REQUESTER, 'start')).toContain(`Only the change owner, <@${OWNER}>, can start CHG-1`);
    expect(changeRow(app)?.state).toBe('approved');
  });

  it('refuses Start outside a window that allows its risk, naming the next one', async () => {
    const app = await start();
    await approvedLowChange(app);
    app.clock.set('2026-11-20T13:00:00Z'); // Friday 08:00 New York: no window
    expect(await step(app, OWNER, 'start')).toContain(
      'CHG-1 cannot start now: it is outside the deployment windows for low-risk changes ' +
        '(9.1). The next low-risk window is Mon 23 Nov 2026, 06:00–10:00',
    );
    expect(changeRow(app)?.state).toBe('approved');
  });

  it('start → complete → verify → close, each a transition with an audit event; owner DM and log follow', async () => {
    const app = await start();
    await approvedLowChange(app);
    app.clock.set(TUESDAY_0705);

    expect(await step(app, OWNER, 'start')).toBe('CHG-1 is started.');
    expect(changeRow(app)?.state).toBe('implementing');
    expect(await step(app, OWNER, 'start')).toContain('already started'); // a double click records nothing more
    expect(await step(app, OWNER, 'complete')).toBe('CHG-1 is completed.');
    expect(await step(app, OWNER, 'close')).toContain(
      'CHG-1 cannot close yet: it still needs the production validation checklist',
    );

    const partial = await submitForm(app, 'verify', {
      [IMPLEMENTATION_FIELDS.verificationChecks]: {
        [FORM_ACTION]: {
          type: 'checkboxes',
          selected_options: [{ value: 'health_checks', text: { type: 'plain_text', text: 'x' } }],
        },
      },
    });
    expect(errorsOf(partial.text)[IMPLEMENTATION_FIELDS.verificationChecks]).toContain('No increase in error rates');
    expect((await verifyAll(app)).text).toBe('');
    expect(app.database.db.select().from(verifications).all()).toHaveLength(1);

    expect(await step(app, REQUESTER, 'close')).toContain(`Only the change owner, <@${OWNER}>, can close CHG-1`);
    expect(await step(app, OWNER, 'close')).toBe('CHG-1 is closed.');
    expect(changeRow(app)?.state).toBe('closed');
    // not "already closed" to a stranger
    expect(await step(app, REQUESTER, 'close')).toContain('Only the change owner');
    const transitions = auditOf(app)
      .filter((event) => event.toState !== null)
      .map((event) => `${event.fromState}→${event.toState}`);
    expect(transitions.slice(-3)).toEqual(['approved→implementing', 'implementing→completed', 'completed→closed']);
    expect(auditOf(app).map((event) => event.type)).toContain('change.verified');
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some(
            (call) =>
              call.params.channel === 'D0OWNER01' && JSON.stringify(call.params.blocks).includes('Status: closed'),
          ),
      "the owner's DM updated",
    );
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) => call.params.channel === 'D0REQ0001' && String(call.params.text).includes('is closed')),
      'the requester told',
    );
  });

  it('failure → rollback (every 10.4 field) → review → verify → close', async () => {
    const app = await start();
    await approvedLowChange(app);
    app.clock.set(TUESDAY_0705);
    await step(app, OWNER, 'start');

    await step(app, OWNER, 'fail');
    expect(app.slack.callsTo('views.open').at(-1)?.params.view).toMatchObject({
      callback_id: IMPLEMENTATION_VIEWS.fail,
    });
    expect(
      (
        await submitForm(app, 'fail', {
          [IMPLEMENTATION_FIELDS.failureReason]: { [FORM_ACTION]: text('TLS handshakes fail on <old> clients & bots') },
        })
      ).text,
    ).toBe('');
    expect(changeRow(app)).toMatchObject({
      state: 'failed',
      failureReason: 'TLS handshakes fail on <old> clients & bots',
    });

    const decidedAt = new Date('2026-11-24T12:04:00Z');
    const rollbackValues = {
      [IMPLEMENTATION_FIELDS.rollbackDecidedAt]: {
        [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: decidedAt.getTime() / 1000 },
      },
      [IMPLEMENTATION_FIELDS.rollbackReason]: { [FORM_ACTION]: text('Handshake errors above 2%') },
      [IMPLEMENTATION_FIELDS.rollbackSteps]: {
        [FORM_ACTION]: text('Restored the previous bundle with certs.yml --rollback'),
      },
      [IMPLEMENTATION_FIELDS.rollbackImpact]: { [FORM_ACTION]: text('3% of requests failed for 12 minutes') },
      [IMPLEMENTATION_FIELDS.rollbackMinutes]: { [FORM_ACTION]: { type: 'number_input', value: '9' } },
    };
    const badMinutes = await submitForm(app, 'roll_back', {
      ...rollbackValues,
      [IMPLEMENTATION_FIELDS.rollbackMinutes]: { [FORM_ACTION]: { type: 'number_input', value: '0' } },
    });
    expect(Object.keys(errorsOf(badMinutes.text))).toEqual([IMPLEMENTATION_FIELDS.rollbackMinutes]);
    expect((await submitForm(app, 'roll_back', rollbackValues, 'V0ROLLBACK')).text).toBe('');
    // Slack's retry records nothing more
    expect((await submitForm(app, 'roll_back', rollbackValues, 'V0ROLLBACK')).text).toBe('');
    expect(changeRow(app)?.state).toBe('rolled_back');
    expect(app.database.db.select().from(rollbacks).all()).toEqual([
      expect.objectContaining({
        changeId: 1,
        decidedAt,
        reason: 'Handshake errors above 2%',
        steps: 'Restored the previous bundle with certs.yml --rollback',
        impact: '3% of requests failed for 12 minutes',
        durationMinutes: 9,
        recordedBy: OWNER,
      }),
    ]);

    // A rolled-back change needs its review (and verification) before it closes.
    expect(await step(app, OWNER, 'close')).toContain('Cannot close a change that is rolled back');
    const review = {
      [IMPLEMENTATION_FIELDS.actualVsExpected]: { [FORM_ACTION]: text('Expected a silent swap; old clients broke.') },
      [IMPLEMENTATION_FIELDS.incidents]: { [FORM_ACTION]: text('INC-88') },
      [IMPLEMENTATION_FIELDS.lessonsLearned]: { [FORM_ACTION]: text('Test with the oldest supported client.') },
    };
    const missingRootCause = await submitForm(app, 'review', review);
    expect(Object.keys(errorsOf(missingRootCause.text)).sort()).toEqual(
      [IMPLEMENTATION_FIELDS.preventiveMeasures, IMPLEMENTATION_FIELDS.rootCause].sort(),
    );
    const complete = {
      ...review,
      [IMPLEMENTATION_FIELDS.rootCause]: { [FORM_ACTION]: text('The new chain dropped a cross-signed intermediate.') },
      [IMPLEMENTATION_FIELDS.preventiveMeasures]: { [FORM_ACTION]: text('Chain check in CI.') },
    };
    expect((await submitForm(app, 'review', complete)).text).toBe('');
    expect(app.database.db.select().from(postImplementationReviews).all()).toEqual([
      expect.objectContaining({
        outcome: 'rolled_back',
        incidents: 'INC-88',
        rootCause: 'The new chain dropped a cross-signed intermediate.',
        preventiveMeasures: 'Chain check in CI.',
        reviewedBy: OWNER,
      }),
    ]);
    expect(await step(app, OWNER, 'close')).toContain('production validation checklist');
    expect((await verifyAll(app)).text).toBe('');
    expect(await step(app, OWNER, 'close')).toBe('CHG-1 is closed.');
    const transitions = auditOf(app)
      .filter((event) => event.toState !== null)
      .map((event) => event.toState);
    expect(transitions.slice(-5)).toEqual(['implementing', 'failed', 'rolled_back', 'reviewed', 'closed']);
    const rolledBack = auditOf(app).find((event) => event.toState === 'rolled_back');
    expect(rolledBack?.data).toMatchObject({
      reason: 'Handshake errors above 2%',
      durationMinutes: 9,
      decidedAt: decidedAt.toISOString(),
    });
    // User text reaches Slack escaped.
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some(
            (call) =>
              call.params.channel === 'D0REQ0001' &&
              String(call.params.text).includes('&lt;old&gt; clients &amp; bots'),
          ),
      'the requester told of the failure',
    );
  });

  it('an approved exception lets the change start outside the windows', async () => {
    const app = await start();
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: LOW,
      ownerId: OWNER,
      plannedStart: FRIDAY_0700,
      plannedEnd: new Date(FRIDAY_0700.getTime() + 3600_000),
      scheduleException: true,
    });
    expect(response.text).toBe('');
    await approve(app, 'U0PEER001', 'CHG-1');
    expect(await step(app, OWNER, 'start')).toContain('not approved yet'); // the CTO has not approved the exception
    await approve(app, 'U0CTO0001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    await recordOwedEvidence(app, OWNER, 'start');
    app.clock.set('2026-11-20T12:01:00Z');
    expect(await step(app, OWNER, 'start')).toBe('CHG-1 is started.');
    const started = auditOf(app).find((event) => event.toState === 'implementing');
    expect(started?.data).toMatchObject({ underException: { outsideWindow: true } });
  });
});

describe('issue 16.4 lead time: scheduling.notice_hours, in the form and again at Start (004 4.2: 48 h)', () => {
  const noticePolicy = () =>
    parsePolicy(`${MINIMAL_POLICY_YAML}scheduling: { notice_hours: { by_type: { normal: 48 } } }\n`, 'notice.yml')
      .policy;

  it('refuses a planned start sooner than the notice on the planned-start block, naming the earliest', async () => {
    const app = await start({ policy: noticePolicy() });
    // Thu 19 Nov 07:00–08:00 New York: in Thursday's low-risk window, 21 hours after the clock's Wed 10:00.
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: LOW,
      ownerId: OWNER,
      plannedStart: new Date('2026-11-19T12:00:00Z'),
      plannedEnd: new Date('2026-11-19T13:00:00Z'),
    });
    expect(errorsOf(response.text)).toEqual({
      [CHANGE_FIELDS.plannedStart]:
        "This change needs 48 hours' notice (policy scheduling.notice_hours): pick Fri 20 Nov 2026, 10:00 " +
        '(America/New_York) or later.',
    });
    expect(changeRow(app)).toBeUndefined();
  });

  it('refuses Start until the notice has run from when the change was documented', async () => {
    const app = await start({ policy: noticePolicy() });
    await approvedLowChange(app);
    app.clock.set('2026-11-19T12:05:00Z'); // Thu 07:05 New York: a low-risk window, 21 h after submission
    expect(await step(app, OWNER, 'start')).toBe(
      "CHG-1 cannot start yet: it needs 48 hours' notice from when it was documented (policy " +
        '`scheduling.notice_hours`), so it may start from Fri 20 Nov 2026, 10:00 (America/New_York).',
    );
    expect(changeRow(app)?.state).toBe('approved');
    app.clock.set(TUESDAY_0705);
    expect(await step(app, OWNER, 'start')).toContain('CHG-1');
    expect(changeRow(app)?.state).toBe('implementing');
  });
});

/** A low-risk change started in its window and marked failed ("Slow"). */
async function failedLowChange(app: TestApp): Promise<void> {
  await approvedLowChange(app);
  app.clock.set(TUESDAY_0705);
  await step(app, OWNER, 'start');
  await step(app, OWNER, 'fail');
  await submitForm(app, 'fail', { [IMPLEMENTATION_FIELDS.failureReason]: { [FORM_ACTION]: text('Slow') } });
  await eventually(() => changeRow(app)?.state === 'failed', 'marked failed');
}

describe('issue 16.9 rollback triggers and the decision maker as a role (POL-SEC-008 10.1–10.2; 004 6)', () => {
  it('shows the policy’s triggers at Failed and Rolled back, and the decision maker’s members', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}rollback_triggers: ["Performance degradation > 20%", "Critical errors occur"]
rollback_decision:
  low: { decision_maker: Change owner, decision_maker_role: manager, time_limit_minutes: 240 }
  medium: { decision_maker: Change owner, time_limit_minutes: 60 }
  high: { decision_maker: Team lead, time_limit_minutes: 30 }
  critical: { decision_maker: On-call engineer, time_limit_minutes: 15 }
`,
      'rollback.yml',
    ).policy;
    const app = await start({ policy });
    await approvedLowChange(app);
    app.clock.set(TUESDAY_0705);
    await step(app, OWNER, 'start');
    const shown = () => JSON.stringify(app.slack.callsTo('views.open').at(-1)?.params.view);

    await step(app, OWNER, 'fail');
    expect(shown()).toContain('*Roll back if (10.1):*\\n• Performance degradation &gt; 20%\\n• Critical errors occur');
    await submitForm(app, 'fail', { [IMPLEMENTATION_FIELDS.failureReason]: { [FORM_ACTION]: text('Slow') } });
    await eventually(() => changeRow(app)?.state === 'failed', 'marked failed');

    await step(app, OWNER, 'roll_back');
    expect(shown()).toContain('10.2 for low-risk changes: the Change owner (<@U0MGR0001>) decides within 240 minutes.');
    expect(shown()).toContain('Performance degradation &gt; 20%');
  });

  it('10.2: a change still failed at its time limit tells its owner and the decision maker, once', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}rollback_decision:
  low: { decision_maker: Change owner, decision_maker_role: manager, time_limit_minutes: 240 }
`,
      'rollback.yml',
    ).policy;
    const app = await start({ policy });
    await failedLowChange(app);
    const overdueTo = (channel: string) =>
      app.slack
        .callsTo('chat.postMessage')
        .filter((call) => call.params.channel === channel && String(call.params.text).includes('is not rolled back'));

    app.clock.advance(239 * 60_000);
    await app.command('help');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(overdueTo('D0OWNER01')).toHaveLength(0);
    app.clock.advance(60_000);
    await eventually(() => overdueTo('D0OWNER01').length === 1 && overdueTo('D0MGR0001').length === 1, 'both told');
    expect(String(overdueTo('D0OWNER01')[0]?.params.text)).toContain(
      '10.2 for low-risk changes: the Change owner (<@U0MGR0001>) decides within 240 minutes.',
    );
    const audited = app.database.db.select().from(auditEvents).where(eq(auditEvents.type, 'rollback.decision_overdue'));
    expect(audited.all()).toHaveLength(1);
  });

  it('10.2: a change rolled back in time is not chased', async () => {
    const app = await start();
    await failedLowChange(app);
    await step(app, OWNER, 'roll_back');
    expect(
      (
        await submitForm(app, 'roll_back', {
          [IMPLEMENTATION_FIELDS.rollbackDecidedAt]: {
            [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: app.clock.now().getTime() / 1000 },
          },
          [IMPLEMENTATION_FIELDS.rollbackReason]: { [FORM_ACTION]: text('Slow') },
          [IMPLEMENTATION_FIELDS.rollbackSteps]: { [FORM_ACTION]: text('Redeployed v1') },
          [IMPLEMENTATION_FIELDS.rollbackImpact]: { [FORM_ACTION]: text('None') },
          [IMPLEMENTATION_FIELDS.rollbackMinutes]: { [FORM_ACTION]: { type: 'number_input', value: '5' } },
        })
      ).text,
    ).toBe('');
    await eventually(() => changeRow(app)?.state === 'rolled_back', 'rolled back');
    app.clock.advance(5 * 3_600_000);
    await app.command('help');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const overdue = app.slack.calls.filter((call) => String(call.params.text).includes('is not rolled back'));
    expect(overdue).toHaveLength(0);
  });

  it('refuses a decision maker role the policy does not define', () => {
    expect(() =>
      parsePolicy(
        `${MINIMAL_POLICY_YAML}rollback_decision: { low: { decision_maker: Lead, decision_maker_role: lead, ` +
          'time_limit_minutes: 5 } }\n',
        'bad.yml',
      ),
    ).toThrow(/rollback_decision\.low\.decision_maker_role: role "lead" is not defined/);
  });
});

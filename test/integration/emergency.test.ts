// Emergency changes end to end (POL-SEC-008 6): signed HTTP into the real app, a fake Slack Web API,
// a temp SQLite file, and a fake clock that the outbox's timers read.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approvalDecisions,
  auditEvents,
  changes,
  obligations,
  outbox,
  verbalApprovalConfirmations,
  verbalApprovals,
} from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitDocumentation,
  submitEmergencyForm,
  submitEvidence,
  submitRejectReason,
  submitVerbalApproval,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Wednesday 10:00 in New York (the policy timezone): business hours.
const BUSINESS_HOURS = '2026-11-18T15:00:00Z';
// Tuesday 22:00 in New York: after hours.
const AFTER_HOURS = '2026-11-18T03:00:00Z';

let running: TestApp | undefined;
async function start(options: TestAppOptions = {}): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const dmTo = (userId: string) => `D${userId.slice(1)}`;
const postsTo = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === dmTo(userId) || call.params.channel === userId);
const textsTo = (app: TestApp, userId: string) => postsTo(app, userId).map((call) => String(call.params.text));
const isAuthorizationRequest = (call: RecordedCall) =>
  call.method === 'chat.postMessage' && String(call.params.text).startsWith('Emergency authorization requested');
const authorizationRecipients = (app: TestApp) =>
  app.slack.calls
    .filter(isAuthorizationRequest)
    .map((call) => `U${String(call.params.channel).slice(1)}`)
    .sort();
const ephemeralTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.path.includes(userId))
    .map((call) => String(call.params.text));
const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const auditTypes = (app: TestApp) =>
  app.database.db
    .select()
    .from(auditEvents)
    .all()
    .map((event) => event.type);
const decisionRows = (app: TestApp) => app.database.db.select().from(approvalDecisions).all();
const obligationRows = (app: TestApp) => app.database.db.select().from(obligations).all();

async function declared(app: TestApp, input: Parameters<typeof submitEmergencyForm>[2] = {}): Promise<void> {
  const response = await submitEmergencyForm(app, REQUESTER, input);
  expect(response.status).toBe(200);
  if (!input.verballyAuthorized) expect(response.text).toBe('');
}

async function authorizationRequested(app: TestApp, count: number): Promise<void> {
  await eventually(
    () => app.slack.calls.filter(isAuthorizationRequest).length >= count,
    `${count} authorization requests`,
  );
}

async function verbal(app: TestApp, approverId: string, options: { recorder?: string; viewId?: string } = {}) {
  return submitVerbalApproval(
    app,
    options.recorder ?? REQUESTER,
    'CHG-1',
    {
      approverId,
      medium: 'phone',
      givenAt: new Date(app.clock.now().getTime() - 5 * MINUTE),
      note: 'Bridge call, incident INC-42',
    },
    options.viewId,
  );
}

describe('authorization by time of day (POL-SEC-008 6.3)', () => {
  it('in business hours asks the manager and security, and both authorizing starts the 6.4 paperwork', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    expect(authorizationRecipients(app)).toEqual(['U0MGR0001', 'U0SEC0001']);
    expect(changeRow(app)).toMatchObject({
      type: 'emergency',
      state: 'pending_authorization',
      emergencyCriterion: 'production_down',
    });
    // The requester follows the emergency in its own DM, with the buttons for what is due next.
    await eventually(
      () => textsTo(app, REQUESTER).some((text) => text.startsWith('Emergency CHG-1')),
      'the requester console',
    );
    const console = JSON.stringify(postsTo(app, REQUESTER)[0]?.params.blocks);
    expect(console).toContain(ACTIONS.recordVerbal);
    expect(console).toContain(ACTIONS.escalate);

    await approve(app, 'U0MGR0001', 'CHG-1:authorization');
    await eventually(() => ephemeralTexts(app, 'U0MGR0001').length === 1, 'manager answer');
    expect(ephemeralTexts(app, 'U0MGR0001')[0]).toBe('Your authorization of CHG-1 is recorded.');
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized');
    await eventually(
      () => ephemeralTexts(app, 'U0SEC0001')[0] === 'Your authorization of CHG-1 is recorded. CHG-1 is now authorized.',
      'security answer',
    );
    await eventually(
      () => textsTo(app, REQUESTER).some((text) => text.includes('is authorized: go ahead')),
      'requester told',
    );

    const due = new Date(new Date(BUSINESS_HOURS).getTime() + 24 * HOUR);
    expect(obligationRows(app).map((o) => [o.kind, o.dueAt?.toISOString(), o.completedAt])).toEqual([
      ['documentation', due.toISOString(), null],
      ['retro_ticket', due.toISOString(), null],
      ['retro_approval', due.toISOString(), null],
      ['root_cause_analysis', due.toISOString(), null],
    ]);
    expect(auditTypes(app)).toEqual([
      'change.submitted',
      'change.request_authorization',
      'approval.requested',
      'approval.approved',
      'requirement.satisfied',
      'approval.approved',
      'requirement.satisfied',
      'change.authorize',
      'obligation.created',
      'obligation.created',
      'obligation.created',
      'obligation.created',
    ]);
    // The authorizers' messages lose their buttons once the change is authorized.
    const lastUpdate = () =>
      app.slack
        .callsTo('chat.update')
        .filter((call) => call.params.channel === dmTo('U0MGR0001'))
        .at(-1);
    await eventually(
      () => JSON.stringify(lastUpdate()?.params.blocks ?? '').includes('Status: authorized'),
      'manager DM updated',
    );
    expect(JSON.stringify(lastUpdate()?.params.blocks)).not.toContain(ACTIONS.approve);
    expect(JSON.stringify(lastUpdate()?.params.blocks)).toContain('approved by <@U0SEC0001>');
  });

  it('after hours asks the on-call manager and on-call security instead', async () => {
    const app = await start({ clock: new FakeClock(AFTER_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    expect(authorizationRecipients(app)).toEqual(['U0ONMGR01', 'U0ONSEC01']);
  });

  it('asks the CTO and CISO when nobody answers within the policy wait, and one of them authorizes alone', async () => {
    const policy = parsePolicy(`${MINIMAL_POLICY_YAML}emergency: { escalate_after_minutes: 10 }\n`, 'p.yml').policy;
    const app = await start({ policy, clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    app.clock.advance(9 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(authorizationRecipients(app)).toEqual(['U0MGR0001', 'U0SEC0001']);

    app.clock.advance(1 * MINUTE);
    await authorizationRequested(app, 4);
    expect(authorizationRecipients(app)).toEqual(['U0CISO001', 'U0CTO0001', 'U0MGR0001', 'U0SEC0001']);
    expect(changeRow(app)?.authorizationEscalatedAt?.toISOString()).toBe(
      new Date(new Date(BUSINESS_HOURS).getTime() + 10 * MINUTE).toISOString(),
    );
    await eventually(
      () => textsTo(app, REQUESTER).some((text) => text.includes('the stand-in authorizers were asked')),
      'requester told of the escalation',
    );

    await approve(app, 'U0CTO0001', 'CHG-1:authorization');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized by the CTO alone');
    expect(decisionRows(app).map((d) => [d.approverId, d.role])).toEqual([['U0CTO0001', 'cto']]);
    const escalation = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .find((event) => event.type === 'authorization.escalated');
    expect(escalation?.data).toEqual({ roles: ['cto', 'ciso'], reason: 'not authorized in time' });
  });

  it('asks the CTO and CISO at once on request, once, and only for the requester, owner or an authorizer', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await clickButton(app, 'U0PEER001', ACTIONS.escalate, 'CHG-1');
    await eventually(() => ephemeralTexts(app, 'U0PEER001').length === 1, 'outsider refused');
    expect(ephemeralTexts(app, 'U0PEER001')[0]).toContain('Only the requester, the owner or an authorizer');

    await clickButton(app, REQUESTER, ACTIONS.escalate, 'CHG-1');
    await clickButton(app, REQUESTER, ACTIONS.escalate, 'CHG-1', { retryNum: 1 });
    await authorizationRequested(app, 4);
    await eventually(() => ephemeralTexts(app, REQUESTER).length === 2, 'two answers');
    expect(ephemeralTexts(app, REQUESTER).sort()).toEqual([
      'Asked the stand-in authorizers of CHG-1 (cto, ciso).',
      'The stand-in authorizers of CHG-1 were already asked.',
    ]);
    expect(auditTypes(app).filter((type) => type === 'authorization.escalated')).toHaveLength(1);
    // The timer later finds the change already escalated and asks nobody again.
    app.clock.advance(20 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(app.slack.calls.filter(isAuthorizationRequest)).toHaveLength(4);
  });
});

describe('verbal approvals (6.2, 6.3)', () => {
  it('counts a verbal approval at once, asks the approver to confirm, and records the confirmation', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    // "Already authorized verbally" turns the emergency modal into the verbal-approval form; the same
    // submission again (a Slack retry) answers the same and records no second change.
    const responses = [
      await submitEmergencyForm(app, REQUESTER, { verballyAuthorized: true }, 'VEMERG1'),
      await submitEmergencyForm(app, REQUESTER, { verballyAuthorized: true }, 'VEMERG1'),
    ];
    for (const response of responses) {
      const pushed = response.json as {
        response_action: string;
        view: { callback_id: string; private_metadata: string; blocks: unknown[] };
      };
      expect(pushed.response_action).toBe('update');
      expect(pushed.view.callback_id).toBe(VIEWS.verbalApproval);
      expect(pushed.view.private_metadata).toBe('CHG-1');
      expect(JSON.stringify(pushed.view.blocks)).toContain('<@U0MGR0001>');
    }
    expect(app.database.db.select().from(changes).all()).toHaveLength(1);
    await authorizationRequested(app, 2);

    const recorded = await verbal(app, 'U0MGR0001', { viewId: 'VVERBAL1' });
    expect(recorded.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(recorded.json)).toContain('counts toward the authorization');
    // The same submission again (a Slack retry) records nothing new.
    await verbal(app, 'U0MGR0001', { viewId: 'VVERBAL1' });
    expect(app.database.db.select().from(verbalApprovals).all()).toHaveLength(1);
    expect(decisionRows(app).map((d) => [d.approverId, d.role, d.source])).toEqual([
      ['U0MGR0001', 'manager', 'verbal'],
    ]);

    await eventually(
      () => textsTo(app, 'U0MGR0001').some((text) => text.startsWith('Please confirm your verbal approval')),
      'confirmation DM',
    );
    const ask = postsTo(app, 'U0MGR0001').find((call) => String(call.params.text).startsWith('Please confirm'));
    expect(JSON.stringify(ask?.params.blocks)).toContain('unconfirmed');
    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;

    // Only the named approver may answer; a double click records one confirmation.
    await clickButton(app, 'U0SEC0001', ACTIONS.confirmVerbal, `VA-${verbalId}`);
    await Promise.all([
      clickButton(app, 'U0MGR0001', ACTIONS.confirmVerbal, `VA-${verbalId}`),
      clickButton(app, 'U0MGR0001', ACTIONS.confirmVerbal, `VA-${verbalId}`, { retryNum: 1 }),
    ]);
    await eventually(
      () => ephemeralTexts(app, 'U0MGR0001').length === 2 && ephemeralTexts(app, 'U0SEC0001').length === 1,
      'answers',
    );
    expect(ephemeralTexts(app, 'U0SEC0001')[0]).toContain('Only <@U0MGR0001>');
    expect(ephemeralTexts(app, 'U0MGR0001').sort()).toEqual([
      'Thank you: your verbal approval of CHG-1 is confirmed.',
      'You already confirmed this verbal approval of CHG-1.',
    ]);
    const confirmations = app.database.db.select().from(verbalApprovalConfirmations).all();
    expect(confirmations.map((c) => [c.outcome, c.respondedBy])).toEqual([['confirmed', 'U0MGR0001']]);

    // Security's verbal approval completes the authorization.
    await verbal(app, 'U0SEC0001');
    expect(changeRow(app)?.state).toBe('authorized');

    const show = await app.command('show CHG-1', { userId: 'U0PEER001' });
    const shown = JSON.stringify(show.json);
    expect(shown).toContain('Verbal approvals');
    expect(shown).toMatch(/<@U0MGR0001> \(manager\) by phone .*confirmed/);
    expect(shown).toMatch(/<@U0SEC0001> \(security\) by phone .*unconfirmed/);
    expect(shown).toContain('Document the emergency change');
    expect(shown).toContain('Authorization (POL-SEC-008 6.3)');
  });

  it('a disputed verbal approval stops counting, flags the change for the CAB, tells security and CISO', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await verbal(app, 'U0MGR0001');
    expect(app.database.db.select().from(verbalApprovals).all()).toHaveLength(1);
    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;
    await eventually(
      () => textsTo(app, 'U0MGR0001').some((text) => text.startsWith('Please confirm')),
      'confirmation DM',
    );

    await clickButton(app, 'U0MGR0001', ACTIONS.disputeVerbal, `VA-${verbalId}`);
    await eventually(() => changeRow(app)?.flaggedAt !== null, 'flagged');
    expect(changeRow(app)).toMatchObject({
      state: 'pending_authorization',
      flagReason: 'A verbal approval was disputed by its approver',
    });
    expect(decisionRows(app)[0]?.voidedAt).not.toBeNull();
    expect(auditTypes(app)).toEqual(
      expect.arrayContaining([
        'verbal_approval.recorded',
        'verbal_approval.disputed',
        'requirement.reopened',
        'change.flagged',
      ]),
    );
    for (const userId of ['U0SEC0001', 'U0CISO001', REQUESTER]) {
      await eventually(
        () => textsTo(app, userId).some((text) => text.includes('disputed the verbal approval')),
        `${userId} told of the dispute`,
      );
    }
    // It no longer counts: security alone does not authorize the change; the manager must decide again.
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => ephemeralTexts(app, 'U0SEC0001').length === 1, 'security answer');
    expect(changeRow(app)?.state).toBe('pending_authorization');
    await approve(app, 'U0MGR0001', 'CHG-1:authorization');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized by the manager');
  });

  it('with verbal_approvals_count_unconfirmed: false, a verbal approval counts once confirmed', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}emergency: { verbal_approvals_count_unconfirmed: false }\n`,
      'p.yml',
    ).policy;
    const app = await start({ policy, clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => decisionRows(app).length === 1, 'security authorized');
    const recorded = await verbal(app, 'U0MGR0001');
    expect(JSON.stringify(recorded.json)).toContain('it will count once they confirm it');
    expect(changeRow(app)?.state).toBe('pending_authorization');
    expect(decisionRows(app)).toHaveLength(1);

    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;
    await clickButton(app, 'U0MGR0001', ACTIONS.confirmVerbal, `VA-${verbalId}`);
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized on confirmation');
    expect(decisionRows(app).map((d) => [d.approverId, d.source])).toEqual([
      ['U0SEC0001', 'button'],
      ['U0MGR0001', 'verbal'],
    ]);
    expect(app.database.db.select().from(verbalApprovals).get()?.decisionId).toBe(decisionRows(app)[1]?.id);
  });

  it('a dispute after the change was authorized leaves it authorized but flags it for the CAB', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await verbal(app, 'U0MGR0001');
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized');
    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;
    await clickButton(app, 'U0MGR0001', ACTIONS.disputeVerbal, `VA-${verbalId}`);
    await eventually(() => changeRow(app)?.flaggedAt !== null, 'flagged');
    expect(changeRow(app)?.state).toBe('authorized');
    expect(auditTypes(app)).not.toContain('requirement.reopened');
    await eventually(
      () => textsTo(app, 'U0CISO001').some((text) => text.includes('disputed the verbal approval')),
      'CISO told',
    );
  });

  it('an authorizer declines with a reason, which ends the emergency without paperwork', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await clickButton(app, 'U0SEC0001', ACTIONS.reject, 'CHG-1:authorization');
    const opened = await app.slack.waitForCall('views.open');
    expect((opened.params.view as { title: { text: string }; private_metadata: string }).title.text).toBe(
      'Decline CHG-1',
    );
    expect((opened.params.view as { private_metadata: string }).private_metadata).toBe('CHG-1:authorization');
    // A decline reason sent as an approval-phase form (e.g. an old modal) is refused.
    const stale = await submitRejectReason(app, 'U0SEC0001', 'CHG-1', 'Wrong phase');
    expect(JSON.stringify(stale.json)).toContain('out of date');
    await submitRejectReason(app, 'U0SEC0001', 'CHG-1:authorization', 'Not an emergency: wait for the Tuesday window');
    expect(changeRow(app)?.state).toBe('declined');
    expect(obligationRows(app)).toHaveLength(0);
    await eventually(
      () => textsTo(app, REQUESTER).some((text) => text.includes('was declined by <@U0SEC0001>: Not an emergency')),
      'requester told',
    );
  });

  it('refuses a verbal approval naming someone who cannot authorize, and says who can', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await declared(app);
    await authorizationRequested(app, 2);
    await app.command('verbal CHG-1', { userId: REQUESTER });
    const opened = await app.slack.waitForCall('views.open');
    const modal = JSON.stringify(opened.params.view);
    for (const person of ['U0MGR0001', 'U0SEC0001', 'U0CTO0001', 'U0CISO001']) expect(modal).toContain(`<@${person}>`);

    const refused = await verbal(app, 'U0PEER001');
    expect(refused.json).toEqual({
      response_action: 'errors',
      errors: {
        verbal_approver:
          'That person cannot authorize CHG-1. Who can: manager, security, or instead cto, ' +
          'ciso (the people listed above).',
      },
    });
    expect(app.database.db.select().from(verbalApprovals).all()).toHaveLength(0);
    expect(decisionRows(app)).toHaveLength(0);

    // An outsider may not record one at all, and a normal change takes none.
    const outsider = await app.command('verbal CHG-1', { userId: 'U0EVIL0001' });
    expect(String((outsider.json as { text: string }).text)).toContain(
      'Only the requester, the owner or an authorizer',
    );
    const typo = await app.command('verbal CHG-x', { userId: REQUESTER });
    expect(String((typo.json as { text: string }).text)).toContain('Type `/change verbal CHG-<number>`');
  });
});

describe('after the emergency (6.4)', () => {
  async function authorized(app: TestApp): Promise<void> {
    await declared(app);
    await authorizationRequested(app, 2);
    await verbal(app, 'U0MGR0001');
    await verbal(app, 'U0SEC0001');
    expect(changeRow(app)?.state).toBe('authorized');
  }

  it('issue 16.7 (000 3): without prior authorization an emergency is authorized as declared', async () => {
    const policy = parsePolicy(`${MINIMAL_POLICY_YAML}emergency: { prior_authorization: false }\n`, 'now.yml').policy;
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS), policy });
    expect((await submitEmergencyForm(app, REQUESTER)).status).toBe(200);
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized at once');
    expect(obligationRows(app).map((row) => row.kind)).toEqual([
      'documentation',
      'retro_ticket',
      'retro_approval',
      'root_cause_analysis',
    ]);
    const authorize = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .find((event) => event.toState === 'authorized');
    expect(authorize?.actorId).toBe('cabinet');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      app.slack
        .callsTo('chat.postMessage')
        .filter((call) => String(call.params.text).startsWith('Emergency authorization requested')),
    ).toEqual([]);
  });

  it('issue 16.7: the paperwork the policy lists, each by its deadline; retro-review by CTO or CISO', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}emergency: { paperwork_hours: { documentation: 1, retro_approval: 48 }, ` +
        'retro_review_any_of: [cto, ciso] }\n',
      'mcp4-emergency.yml',
    ).policy;
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS), policy });
    await authorized(app);
    const authorizedAt = app.clock.now().getTime();
    expect(obligationRows(app).map((row) => [row.kind, (row.dueAt?.getTime() ?? 0) - authorizedAt])).toEqual([
      ['documentation', HOUR],
      ['retro_approval', 48 * HOUR],
    ]);
    // The 4-hour reminder would fall before the 1-hour deadline's authorization: only the 48-hour one has one.
    const timers = app.database.db
      .select()
      .from(outbox)
      .all()
      .filter((row) => row.kind === 'paperwork_deadline')
      .map((row) => [(row.payload as { stage: string }).stage, row.nextAttemptAt.getTime() - authorizedAt]);
    expect(timers).toEqual([
      ['overdue', HOUR],
      ['reminder', 44 * HOUR],
      ['overdue', 48 * HOUR],
    ]);

    const ranAt = new Date(app.clock.now().getTime() - HOUR);
    await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 3, 3, 3],
      plannedStart: ranAt,
      plannedEnd: new Date(ranAt.getTime() + 20 * MINUTE),
    });
    await eventually(() => changeRow(app)?.state === 'pending_retro_approval', 'documented');
    // Critical by the matrix would need five roles; the retro-review is any one of the CTO and the CISO.
    await approve(app, 'U0CISO001', 'CHG-1:retro_approval');
    await eventually(() => changeRow(app)?.state === 'retro_approved', 'retro-approved by the CISO alone');
  });

  it('reminds the owner before the deadline, then tells the manager and the CAB chair once it has passed', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await authorized(app);
    app.clock.advance(19 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(textsTo(app, REQUESTER).filter((text) => text.startsWith('Reminder'))).toHaveLength(0);

    app.clock.advance(1 * HOUR); // 4 hours before the 24-hour deadline
    await eventually(
      () => textsTo(app, REQUESTER).some((text) => text.startsWith('Reminder: the paperwork of emergency')),
      'reminder',
    );
    const reminder = textsTo(app, REQUESTER).find((text) => text.startsWith('Reminder')) ?? '';
    expect(reminder).toContain('Document the emergency change');
    expect(reminder).toContain('Complete root cause analysis');
    expect(textsTo(app, 'U0MGR0001').some((text) => text.includes('is overdue'))).toBe(false);

    // The ticket is added before the deadline: the overdue notice lists only what is still open.
    await submitEvidence(app, REQUESTER, 'CHG-1:retro_ticket', 'https://jira.example.com/browse/CHG-1');
    app.clock.advance(4 * HOUR);
    for (const userId of ['U0MGR0001', 'U0CHAIR01', REQUESTER]) {
      await eventually(
        () => textsTo(app, userId).some((text) => text.includes('is overdue')),
        `${userId} told it is overdue`,
      );
    }
    const overdue = textsTo(app, 'U0CHAIR01').find((text) => text.includes('is overdue')) ?? '';
    expect(overdue).not.toContain('Create retrospective change ticket');
    expect(overdue).toContain('Obtain formal approval');
    expect(auditTypes(app).filter((type) => type.startsWith('paperwork.'))).toEqual([
      'paperwork.reminded',
      'paperwork.overdue',
    ]);
  });

  it('sends no reminder when the paperwork is done; the formal approval goes through the normal matrix', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await authorized(app);

    await clickButton(app, REQUESTER, ACTIONS.document, 'CHG-1');
    const opened = await app.slack.waitForCall('views.open');
    const form = opened.params.view as {
      callback_id: string;
      blocks: { block_id?: string; element?: { initial_value?: string } }[];
    };
    expect(form.callback_id).toBe(VIEWS.emergencyDocumentation);
    expect(form.blocks.find((block) => block.block_id === 'title')?.element?.initial_value).toBe(
      'Checkout returns 502 for all users',
    );

    // Medium risk: peer + manager (4.4). The fix ran an hour ago, before the documentation.
    const ranAt = new Date(app.clock.now().getTime() - HOUR);
    const documented = await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      title: 'Roll back the ingress controller',
      risk: [2, 2, 2, 1, 1],
      plannedStart: ranAt,
      plannedEnd: new Date(ranAt.getTime() + 20 * MINUTE),
    });
    expect(documented.text).toBe('');
    expect(changeRow(app)).toMatchObject({
      state: 'pending_retro_approval',
      riskLevel: 'medium',
      title: 'Roll back the ingress controller',
      ownerId: REQUESTER,
    });
    // The same submission again (a Slack retry) is accepted and changes nothing.
    const again = await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 3, 3, 3],
      plannedStart: ranAt,
      plannedEnd: new Date(ranAt.getTime() + 20 * MINUTE),
    });
    expect(again.text).toBe('');
    expect(changeRow(app)?.riskLevel).toBe('medium');
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .filter((call) => String(call.params.text).startsWith('Formal approval requested for emergency')).length ===
        3,
      'retro-approval requests',
    );
    await submitEvidence(app, REQUESTER, 'CHG-1:retro_ticket', 'https://jira.example.com/browse/CHG-1');
    await submitEvidence(
      app,
      REQUESTER,
      'CHG-1:root_cause_analysis',
      'An ingress upgrade dropped the <upstream> keepalive setting.',
    );

    // A click on the manager's old authorization DM does not count as the formal approval.
    await approve(app, 'U0MGR0001', 'CHG-1:authorization');
    await eventually(
      () =>
        ephemeralTexts(app, 'U0MGR0001').includes(
          'That request is out of date: CHG-1 is now pending retro approval; nothing was recorded.',
        ),
      'stale click refused',
    );
    await approve(app, 'U0PEER001', 'CHG-1:retro_approval');
    await approve(app, 'U0MGR0001', 'CHG-1:retro_approval');
    await eventually(() => changeRow(app)?.state === 'retro_approved', 'retro-approved');
    expect(obligationRows(app).every((o) => o.completedAt !== null)).toBe(true);
    expect(obligationRows(app).map((o) => o.kind)).not.toContain('cab_presentation'); // medium: no CAB presentation
    expect(
      decisionRows(app)
        .filter((d) => d.source === 'button')
        .map((d) => [d.approverId, d.role]),
    ).toEqual([
      ['U0PEER001', 'peer'],
      ['U0MGR0001', 'manager'],
    ]);

    app.clock.advance(25 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(textsTo(app, REQUESTER).some((text) => text.startsWith('Reminder') || text.includes('is overdue'))).toBe(
      false,
    );
    expect(auditTypes(app).filter((type) => type.startsWith('paperwork.'))).toEqual([]);
    const show = JSON.stringify((await app.command('show CHG-1')).json);
    expect(show).toContain('An ingress upgrade dropped the &lt;upstream&gt; keepalive setting.');
  });

  it('a high-risk emergency also owes a CAB presentation, marked by the CAB chair only', async () => {
    const app = await start({ clock: new FakeClock(BUSINESS_HOURS) });
    await authorized(app);
    // The fix cannot have started in the future.
    const future = await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 2, 2, 2],
    });
    expect(future.json).toEqual({
      response_action: 'errors',
      errors: { planned_start: 'That is in the future; pick when the fix started.' },
    });
    const ranAt = new Date(app.clock.now().getTime() - 2 * HOUR);
    await submitDocumentation(app, REQUESTER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 2, 2, 2],
      plannedStart: ranAt,
      plannedEnd: new Date(ranAt.getTime() + HOUR),
    });
    expect(changeRow(app)?.riskLevel).toBe('high');
    expect(obligationRows(app).find((o) => o.kind === 'cab_presentation')).toMatchObject({
      dueAt: null,
      completedAt: null,
    });
    // The chair gets the emergency's DM with the button; the requester's has none.
    await eventually(
      () => postsTo(app, 'U0CHAIR01').some((call) => JSON.stringify(call.params.blocks).includes('Presented to CAB')),
      'chair DM',
    );
    const requesterConsole = () =>
      app.slack
        .callsTo('chat.update')
        .filter((call) => call.params.channel === dmTo(REQUESTER))
        .at(-1);
    await eventually(
      () => JSON.stringify(requesterConsole()?.params.blocks ?? '').includes('Present to CAB'),
      'requester console refreshed',
    );
    expect(JSON.stringify(requesterConsole()?.params.blocks)).not.toContain('Presented to CAB');
    await clickButton(app, REQUESTER, ACTIONS.addEvidence, 'CHG-1:cab_presentation');
    await clickButton(app, 'U0CHAIR01', ACTIONS.addEvidence, 'CHG-1:cab_presentation');
    await eventually(
      () => ephemeralTexts(app, REQUESTER).length === 1 && ephemeralTexts(app, 'U0CHAIR01').length === 1,
      'answers',
    );
    expect(ephemeralTexts(app, REQUESTER)[0]).toBe('Only the CAB chair marks CHG-1 as presented to the CAB.');
    expect(obligationRows(app).find((o) => o.kind === 'cab_presentation')?.completedBy).toBe('U0CHAIR01');
  });
});

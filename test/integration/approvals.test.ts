import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalDecisions, auditEvents, changes, outbox } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { ACTIONS, IMPLEMENTATION_ACTIONS, VIEWS } from '../../src/slack/ids.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  type ChangeFormInput,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitRejectReason,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';

let running: TestApp | undefined;
async function start(options?: TestAppOptions): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const userOfDm = (channel: unknown) => `U${String(channel).slice(1)}`;
const isApprovalRequest = (call: RecordedCall) =>
  call.method === 'chat.postMessage' && String(call.params.text).startsWith('Approval requested');
const approvalRecipients = (app: TestApp) =>
  app.slack.calls
    .filter(isApprovalRequest)
    .map((call) => userOfDm(call.params.channel))
    .sort();
const postsTo = (app: TestApp, channel: string) =>
  app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === channel);
const ephemeralReplies = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.params.response_type === 'ephemeral' && call.path.includes(userId));
const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const decisions = (app: TestApp) => app.database.db.select().from(approvalDecisions).all();

async function submitted(app: TestApp, input: Partial<ChangeFormInput> = {}, requester = REQUESTER): Promise<void> {
  const response = await submitChangeForm(app, requester, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.status).toBe(200);
  expect(response.text).toBe(''); // the modal closes: no errors
}

async function approvalRequestsSent(app: TestApp, count: number): Promise<void> {
  await eventually(() => app.slack.calls.filter(isApprovalRequest).length >= count, `${count} approval requests`);
}

describe('routing by risk level (POL-SEC-008 3.3 scores, 4.4 matrix)', () => {
  it.each([
    { level: 'low', risk: [1, 1, 1, 1, 1], approvers: ['U0PEER001', 'U0PEER002'] },
    { level: 'medium', risk: [2, 2, 2, 1, 1], approvers: ['U0MGR0001', 'U0PEER001', 'U0PEER002'] },
    // The cab role is the board's decision (7.3): put to the CAB, never asked of its members one by one.
    { level: 'high', risk: [3, 3, 2, 2, 2], approvers: ['U0MGR0001', 'U0PEER001', 'U0PEER002', 'U0SEC0001'] },
    {
      level: 'critical',
      risk: [3, 3, 3, 3, 2],
      approvers: ['U0CTO0001', 'U0MGR0001', 'U0PEER001', 'U0PEER002', 'U0SEC0001'],
    },
  ] as const)('a $level change asks every member of its required roles at once', async ({ level, risk, approvers }) => {
    const app = await start();
    await submitted(app, { risk: [...risk] });
    await approvalRequestsSent(app, approvers.length);
    await eventually(() => postsTo(app, 'D0REQ0001').length === 1, 'the requester notice');

    expect(changeRow(app)?.riskLevel).toBe(level);
    expect(changeRow(app)?.state).toBe('pending_approval');
    expect(approvalRecipients(app)).toEqual(approvers);
    const notice = String(postsTo(app, 'D0REQ0001')[0]?.params.text);
    expect(notice).toContain('CHG-1');
    expect(notice.toLowerCase()).toContain(level);
    for (const approver of approvers) expect(notice).toContain(`<@${approver}>`);
    // A change that needs the board says when it next meets (Wednesday 25 Nov, 10:00 New York).
    if (level === 'high' || level === 'critical')
      expect(notice).toContain(
        `*cab*: decided by the CAB; the CAB next meets <!date^${Date.parse('2026-11-25T15:00:00Z') / 1000}^`,
      );
    await eventually(() => postsTo(app, 'C0LOG0001').length === 1, 'the log channel post');
  });

  it('adds the DBA for database changes and security for a security trigger (4.3)', async () => {
    const app = await start();
    await submitted(app, { reviewRules: ['database'], securityTriggers: ['encryption'] });
    await approvalRequestsSent(app, 4);
    expect(approvalRecipients(app)).toEqual(['U0DBA0001', 'U0PEER001', 'U0PEER002', 'U0SEC0001']);
  });

  it('resolves user groups through usergroups.users.list', async () => {
    const policy = parsePolicy(
      MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', 'peer: [S0PEERS01]'),
      'p.yml',
    ).policy;
    const app = await start({ policy });
    app.slack.userGroups.set('S0PEERS01', ['U0PEER007', 'U0PEER008', REQUESTER]);
    await submitted(app);
    await approvalRequestsSent(app, 2);
    expect(approvalRecipients(app)).toEqual(['U0PEER007', 'U0PEER008']);
  });
});

describe('deciding', () => {
  it('approves through every role, tells the requester, owner and log channel, updates every message', async () => {
    const app = await start();
    await submitted(app, { risk: [2, 2, 2, 1, 1], ownerId: 'U0OWNER01' }); // medium: peer + manager
    await approvalRequestsSent(app, 3);
    await eventually(() => postsTo(app, 'C0LOG0001').length === 1, 'log post');

    expect((await approve(app, 'U0PEER001', 'CHG-1')).status).toBe(200);
    await eventually(() => ephemeralReplies(app, 'U0PEER001').length === 1, 'the confirmation');
    expect(changeRow(app)?.state).toBe('pending_approval');
    // The other peer's message now says the role is satisfied, and by whom.
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some(
            (call) =>
              call.params.channel === 'D0PEER002' &&
              JSON.stringify(call.params.blocks).includes('approved by <@U0PEER001>'),
          ),
      'peer 2 message updated',
    );

    await approve(app, 'U0MGR0001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'approval');
    await eventually(
      () => postsTo(app, 'D0REQ0001').some((call) => String(call.params.text).includes('is approved')),
      'requester told',
    );
    // The owner gets the DM they implement it from, with Start.
    await eventually(
      () =>
        postsTo(app, 'D0OWNER01').some((call) =>
          JSON.stringify(call.params.blocks).includes(IMPLEMENTATION_ACTIONS.start),
        ),
      'owner told',
    );
    await eventually(
      () =>
        postsTo(app, 'C0LOG0001').some(
          (call) =>
            String(call.params.text).includes('CHG-1') &&
            String(call.params.text).includes('is approved') &&
            String(call.params.reply_broadcast) === 'true',
        ),
      'log told',
    );

    // Every approver message and the log message end up showing the decision, without decision buttons.
    const finalUpdate = (channel: string) =>
      app.slack
        .callsTo('chat.update')
        .filter((call) => call.params.channel === channel)
        .at(-1);
    await eventually(
      () =>
        ['D0PEER001', 'D0PEER002', 'D0MGR0001', 'C0LOG0001'].every((channel) =>
          JSON.stringify(finalUpdate(channel)?.params.blocks ?? '').includes('Status: approved'),
        ),
      'all messages updated',
    );
    for (const channel of ['D0PEER001', 'D0PEER002', 'D0MGR0001']) {
      const blocks = JSON.stringify(finalUpdate(channel)?.params.blocks);
      expect(blocks).not.toContain(ACTIONS.approve);
      expect(blocks).not.toContain(ACTIONS.reject);
      expect(blocks).toContain('approved by <@U0PEER001>');
      expect(blocks).toContain('approved by <@U0MGR0001>');
    }
    expect(decisions(app).map((d) => [d.approverId, d.role, d.decision, d.source])).toEqual([
      ['U0PEER001', 'peer', 'approve', 'button'],
      ['U0MGR0001', 'manager', 'approve', 'button'],
    ]);
    const audit = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .map((event) => event.type);
    expect(audit).toEqual([
      'change.submitted',
      'change.request_approval',
      'approval.requested',
      'approval.approved',
      'requirement.satisfied',
      'approval.approved',
      'requirement.satisfied',
      'change.approve',
    ]);
  });

  it('rejects with a reason asked in a modal, ending the change', async () => {
    const app = await start();
    await submitted(app);
    await approvalRequestsSent(app, 2);

    await clickButton(app, 'U0PEER002', ACTIONS.reject, 'CHG-1');
    const opened = await app.slack.waitForCall('views.open');
    expect((opened.params.view as { callback_id: string }).callback_id).toBe(VIEWS.rejectReason);

    const empty = await submitRejectReason(app, 'U0PEER002', 'CHG-1', '   ');
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('Give a reason') },
    });
    expect(changeRow(app)?.state).toBe('pending_approval');

    const done = await submitRejectReason(app, 'U0PEER002', 'CHG-1', 'No rollback tested <@U0CTO0001> & co');
    expect(done.text).toBe('');
    expect(changeRow(app)?.state).toBe('rejected');
    expect(decisions(app).map((d) => [d.approverId, d.decision, d.reason])).toEqual([
      ['U0PEER002', 'reject', 'No rollback tested <@U0CTO0001> & co'],
    ]);
    await eventually(
      () => postsTo(app, 'D0REQ0001').some((call) => String(call.params.text).includes('was rejected by <@U0PEER002>')),
      'requester told',
    );
    const notice = postsTo(app, 'D0REQ0001').find((call) => String(call.params.text).includes('rejected'));
    expect(String(notice?.params.text)).toContain('No rollback tested &lt;@U0CTO0001&gt; &amp; co');

    // A later approval on the rejected change is refused and records nothing.
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => ephemeralReplies(app, 'U0PEER001').length === 1, 'refusal');
    expect(String(ephemeralReplies(app, 'U0PEER001')[0]?.params.text)).toContain('CHG-1 is already rejected');
    expect(decisions(app)).toHaveLength(1);
  });
});

describe('authorization and idempotency', () => {
  it("never asks the requester or takes their approval; asks the CTO if they are a role's only member", async () => {
    const policy = parsePolicy(
      MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', `peer: [${REQUESTER}]`),
      'p.yml',
    ).policy;
    const app = await start({ policy });
    await submitted(app);
    await approvalRequestsSent(app, 1);
    expect(approvalRecipients(app)).toEqual(['U0CTO0001']);
    await eventually(() => postsTo(app, 'D0REQ0001').length === 1, 'requester notice');
    expect(String(postsTo(app, 'D0REQ0001')[0]?.params.text)).toContain(
      'nobody else holds peer, so cto was asked instead',
    );

    await approve(app, REQUESTER, 'CHG-1');
    await eventually(() => ephemeralReplies(app, REQUESTER).length === 1, 'refusal');
    expect(String(ephemeralReplies(app, REQUESTER)[0]?.params.text)).toContain('You requested CHG-1');
    expect(decisions(app)).toHaveLength(0);

    await approve(app, 'U0CTO0001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'approved by the fallback');
  });

  it("refuses an outsider's forged click and a forged value, recording nothing", async () => {
    const app = await start();
    await submitted(app);
    await approvalRequestsSent(app, 2);

    await approve(app, 'U0EVIL0001', 'CHG-1');
    await clickButton(app, 'U0EVIL0001', ACTIONS.approve, 'CHG-1; DROP TABLE changes');
    await clickButton(app, 'U0PEER001', ACTIONS.approve, 'CHG-999');
    await eventually(
      () => ephemeralReplies(app, 'U0EVIL0001').length === 2 && ephemeralReplies(app, 'U0PEER001').length === 1,
      'three refusals',
    );
    const texts = [...ephemeralReplies(app, 'U0EVIL0001'), ...ephemeralReplies(app, 'U0PEER001')].map((call) =>
      String(call.params.text),
    );
    expect(texts).toEqual([
      'You are not one of the approvers of CHG-1; nothing was recorded.',
      'That button does not refer to anything Cabinet knows; nothing was recorded.',
      'That change does not exist; nothing was recorded.',
    ]);
    expect(decisions(app)).toHaveLength(0);
    expect(changeRow(app)?.state).toBe('pending_approval');
  });

  it('records one decision for a double click plus a Slack retry', async () => {
    const app = await start();
    await submitted(app, { risk: [2, 2, 2, 1, 1] });
    await approvalRequestsSent(app, 3);
    const responses = await Promise.all([
      approve(app, 'U0PEER001', 'CHG-1'),
      approve(app, 'U0PEER001', 'CHG-1'),
      approve(app, 'U0PEER001', 'CHG-1', { retryNum: 1 }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventually(() => ephemeralReplies(app, 'U0PEER001').length === 3, 'three answers');
    expect(decisions(app)).toHaveLength(1);
    expect(
      app.database.db
        .select()
        .from(auditEvents)
        .all()
        .filter((event) => event.type === 'approval.approved'),
    ).toHaveLength(1);
    const texts = ephemeralReplies(app, 'U0PEER001')
      .map((call) => String(call.params.text))
      .sort();
    expect(texts.filter((text) => text.startsWith('Your approval of CHG-1 is recorded'))).toHaveLength(1);
  });

  it('counts one person for one role: a manager who is also a peer approves once', async () => {
    const policy = parsePolicy(
      MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', 'peer: [U0PEER001, U0MGR0001]'),
      'p.yml',
    ).policy;
    const app = await start({ policy });
    await submitted(app, { risk: [2, 2, 2, 1, 1] });
    await approvalRequestsSent(app, 2);
    await approve(app, 'U0MGR0001', 'CHG-1');
    await approve(app, 'U0MGR0001', 'CHG-1');
    await eventually(() => ephemeralReplies(app, 'U0MGR0001').length === 2, 'answers');
    // The scarcer role (manager) was taken; the peer role is left for the other peer.
    expect(decisions(app).map((d) => [d.approverId, d.role])).toEqual([['U0MGR0001', 'manager']]);
    expect(String(ephemeralReplies(app, 'U0MGR0001')[1]?.params.text)).toContain('one person counts for one role');
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'approved');
  });
});

describe('standard changes and validation', () => {
  it('issue 16.3: a catalog entry naming approvers waits for them (MCP4 4); system owners approve', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML.replace('  dba: [U0DBA0001]\n', '  dba: [U0DBA0001]\n  edge_owners: [U0EDGE001]\n')}` +
        'standard_changes:\n  - { id: docker_rebuild, title: Routine Docker rebuild, approver_roles: [peer] }\n' +
        'systems:\n  - { id: edge-proxy, label: Edge proxy, owner_role: edge_owners }\n',
      'p.yml',
    ).policy;
    const app = await start({ policy });
    await submitted(app, { changeType: 'standard:docker_rebuild', systems: 'edge-proxy', systemsFromCatalog: true });
    await approvalRequestsSent(app, 2);
    expect(changeRow(app)?.state).toBe('pending_approval');
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'approved by a peer');

    // A normal change to the same system also needs its owners.
    await submitted(app, { systems: 'edge-proxy', systemsFromCatalog: true });
    await eventually(
      () => app.slack.calls.filter(isApprovalRequest).some((call) => call.params.channel === 'D0EDGE001'),
      "the system owner's request",
    );
  });

  it('approves a catalog standard change automatically, records it as pre-approved, still announces it', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}standard_changes:\n  - { id: tls_rotation, title: Rotate TLS certificates }\n`,
      'p.yml',
    ).policy;
    const app = await start({ policy });
    await submitted(app, { changeType: 'standard:tls_rotation' });
    expect(changeRow(app)?.state).toBe('approved');
    expect(decisions(app).map((d) => [d.source, d.approverId, d.reason])).toEqual([
      ['pre_approved', null, 'Standard change catalog: tls_rotation'],
    ]);
    // The requester, who is also the owner, is told and gets the DM to implement it from.
    await eventually(
      () => postsTo(app, 'C0LOG0001').length === 2 && postsTo(app, 'D0REQ0001').length === 2,
      'announced',
    );
    expect(
      postsTo(app, 'D0REQ0001')
        .map((call) => String(call.params.text))
        .join('\n'),
    ).toContain('pre-approved standard change (tls_rotation)');
    expect(app.slack.calls.filter(isApprovalRequest)).toHaveLength(0);
  });

  it('returns errors on the exact blocks and writes nothing', async () => {
    const app = await start();
    const now = app.clock.now();
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(now),
      title: '   ',
      plannedStart: new Date(now.getTime() - 3600_000),
      plannedEnd: new Date(now.getTime() - 7200_000),
      link: 'ftp://example.com/x',
      omit: ['risk_data_risk'],
    });
    expect(response.status).toBe(200);
    const body = response.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual([
      'link',
      'planned_end',
      'planned_start',
      'risk_data_risk',
      'title',
    ]);
    expect(body.errors.planned_start).toContain('in the past');
    expect(body.errors.planned_end).toContain('after the start');

    const standardUnknown = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(now),
      changeType: 'standard:nope',
    });
    expect((standardUnknown.json as { errors: Record<string, string> }).errors).toEqual({
      change_type: expect.stringContaining('not in the catalog'),
    });
    expect(app.database.db.select().from(changes).all()).toHaveLength(0);
    expect(app.database.db.select().from(outbox).all()).toHaveLength(0);
  });

  it('records a repeated submission of the same modal once', async () => {
    const app = await start();
    const input = defaultChangeForm(app.clock.now());
    await Promise.all([
      submitChangeForm(app, REQUESTER, input, 'V0SAMEVIEW'),
      submitChangeForm(app, REQUESTER, input, 'V0SAMEVIEW'),
    ]);
    expect(app.database.db.select().from(changes).all()).toHaveLength(1);
  });
});

describe('Slack failures and escaping', () => {
  it('delivers a notification that failed with HTTP 500 later, without holding up the others', async () => {
    const logged: string[] = [];
    const app = await start({ logSink: (_level, line) => logged.push(line) });
    app.slack.failNext('chat.postMessage', { status: 500 });
    await submitted(app);
    await approvalRequestsSent(app, 2); // the DMs went out although one post failed
    await eventually(() => logged.some((line) => line.includes('failed (attempt 1)')), 'the failure logged');
    const failed = app.database.db
      .select()
      .from(outbox)
      .all()
      .find((row) => row.attempts === 1);
    expect(failed?.status).toBe('pending');
    expect(failed?.lastError).toContain('500');

    app.clock.advance(6_000); // past the first backoff (5 s)
    await eventually(
      () =>
        app.database.db
          .select()
          .from(outbox)
          .all()
          // The SLA timers (4.4) are due days later.
          .every((row) => row.status === 'sent' || row.kind === 'sla_milestone'),
      'everything sent',
    );
    expect(
      app.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.id, failed?.id ?? 0))
        .get()?.attempts,
    ).toBe(1);
  });

  it('escapes a <!channel> title everywhere it is posted', async () => {
    const app = await start();
    const title = '<!channel> deploy & <https://evil.example|click here>';
    await submitted(app, { title, risk: [2, 2, 2, 1, 1] });
    await approvalRequestsSent(app, 3);
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => app.slack.callsTo('chat.update').length >= 4, 'updates');
    const shown = await app.command('show CHG-1');
    const listed = await app.command('list all', { userId: REQUESTER });

    const posted = [...app.slack.callsTo('chat.postMessage'), ...app.slack.callsTo('chat.update')].map((call) =>
      JSON.stringify(call.params),
    );
    for (const text of [...posted, shown.text, listed.text]) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(
      posted.some((text) => text.includes('&lt;!channel&gt; deploy &amp; &lt;https://evil.example|click here&gt;')),
    ).toBe(true);
  });
});

describe('reading changes', () => {
  it('/change opens the form on the trigger; show and list answer with status, approvals and filters', async () => {
    const app = await start();
    const opened = await app.command('');
    expect(opened.status).toBe(200);
    const modal = await app.slack.waitForCall('views.open');
    const view = modal.params.view as { callback_id: string; title: { text: string }; blocks: unknown[] };
    expect(modal.params.trigger_id).toMatch(/^trigger-/);
    expect(view.callback_id).toBe(VIEWS.changeRequest);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('High (3) — Critical infrastructure');

    await submitted(app);
    await approvalRequestsSent(app, 2);
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'approved');

    const shown = JSON.stringify((await app.command('show chg-1')).json);
    expect(shown).toContain('Status: approved');
    expect(shown).toContain('approved by <@U0PEER001> <!date^');
    expect(JSON.stringify((await app.command('show CHG-9')).json)).toContain('There is no CHG-9');
    expect(JSON.stringify((await app.command('show yesterday')).json)).toContain('/change show CHG-<number>');

    await submitted(app, { title: 'Second change' });
    await approvalRequestsSent(app, 4);
    const pendingForPeer = JSON.stringify((await app.command('list pending', { userId: 'U0PEER002' })).json);
    expect(pendingForPeer).toContain('CHG-2');
    expect(pendingForPeer).not.toContain('CHG-1');
    const mine = (await app.command('list', { userId: REQUESTER })).json as { text: string };
    expect(mine.text.indexOf('CHG-2')).toBeLessThan(mine.text.indexOf('CHG-1'));
    expect(JSON.stringify((await app.command('list pending', { userId: 'U0MGR0001' })).json)).toContain('none');
    expect(JSON.stringify((await app.command('list everything')).json)).toContain('/change list pending');
  });
});

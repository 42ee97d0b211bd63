// Delegation and out-of-office, and reassignment by an admin (issue 15, items 3 and 4): through the running app over
// signed HTTP, the fake Slack and a real SQLite file.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalDecisions, auditEvents, changes, delegations } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { ACTIONS, REASSIGN_FIELDS, VIEWS } from '../../src/slack/ids.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  type ChangeFormInput,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitView,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import type { AppResponse } from '../support/slack-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const MANAGER = 'U0MGR0001';
const DEPUTY = 'U0DEP0001';
const CTO = 'U0CTO0001';
const OUTSIDER = 'U0OUT0001';
/** Medium risk (POL-SEC-008 4.4): a peer and the manager approve. */
const MEDIUM: ChangeFormInput['risk'] = [2, 2, 2, 1, 1];

let running: TestApp | undefined;
async function start(): Promise<TestApp> {
  running = await startTestApp();
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const userOfDm = (channel: unknown) => `U${String(channel).slice(1)}`;
const isApprovalRequest = (call: RecordedCall) =>
  call.method === 'chat.postMessage' && String(call.params.text).startsWith('Approval requested');
const requestsTo = (app: TestApp, userId: string) =>
  app.slack.calls.filter((call) => isApprovalRequest(call) && userOfDm(call.params.channel) === userId);
const ackText = (response: AppResponse) => String((response.json as { text?: unknown } | undefined)?.text);
const replies = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.params.response_type === 'ephemeral' && call.path.includes(userId))
    .map((call) => String(call.params.text));
const events = (app: TestApp, type: string) =>
  app.database.db
    .select()
    .from(auditEvents)
    .all()
    .filter((event) => event.type === type);
const decisions = (app: TestApp) => app.database.db.select().from(approvalDecisions).all();
const stateOf = (app: TestApp, id: number) =>
  app.database.db
    .select()
    .from(changes)
    .all()
    .find((change) => change.id === id)?.state;

/** Submits a change as `requester` and waits until `asked` more approval requests went out. */
async function submitted(app: TestApp, asked: number, input: Partial<ChangeFormInput> = {}, requester = REQUESTER) {
  const before = app.slack.calls.filter(isApprovalRequest).length;
  const response = await submitChangeForm(app, requester, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.text).toBe('');
  await eventually(
    () => app.slack.calls.filter(isApprovalRequest).length === before + asked,
    `${asked} approval requests`,
  );
}

/** `/change delegate <text>` as `userId`; the ack's text. */
async function delegate(app: TestApp, userId: string, text: string): Promise<string> {
  return ackText(await app.command(`delegate ${text}`.trim(), { userId }));
}

describe('delegation while out of office', () => {
  it('routes open and new requests to the delegate, who approves on behalf of the delegator; all audited', async () => {
    const app = await start();
    await submitted(app, 3, { risk: MEDIUM }); // CHG-1: the peers and the manager

    const set = await delegate(app, MANAGER, `<@${DEPUTY}|deputy> until 2026-11-20 Offsite in Lisbon`);
    expect(set).toContain(`Until the end of 2026-11-20 (America/New_York), your approval requests go to <@${DEPUTY}>`);
    expect(set).toContain('Your open requests were sent to them too: CHG-1.');
    // The open request is re-sent to the deputy, who is told for whom they are asked.
    await eventually(() => requestsTo(app, DEPUTY).length === 1, 'the open request re-sent');
    expect(JSON.stringify(requestsTo(app, DEPUTY)[0]?.params.blocks)).toContain(
      `You are asked as: manager, on behalf of <@${MANAGER}>`,
    );
    expect(events(app, 'delegation.set').map((event) => [event.actorId, event.changeId, event.data])).toEqual([
      [
        MANAGER,
        null,
        { delegationId: 1, delegatorId: MANAGER, delegateId: DEPUTY, until: '2026-11-20', reason: 'Offsite in Lisbon' },
      ],
    ]);
    expect(events(app, 'delegation.forwarded').map((event) => [event.changeId, event.data])).toEqual([
      [1, { delegationId: 1, delegatorId: MANAGER, delegateId: DEPUTY, phase: 'approval', roles: ['manager'] }],
    ]);
    expect(await delegate(app, MANAGER, '')).toContain(
      `Your approval requests also go to <@${DEPUTY}> until the end of 2026-11-20 (America/New_York) ` +
        '(“Offsite in Lisbon”).',
    );
    expect(await delegate(app, DEPUTY, '')).toContain(`You decide for <@${MANAGER}> until the end of 2026-11-20`);

    // A new request goes to the deputy as well as the manager.
    await submitted(app, 4, { risk: MEDIUM, title: 'Second change' });
    expect(requestsTo(app, MANAGER)).toHaveLength(2);
    expect(requestsTo(app, DEPUTY)).toHaveLength(2);
    expect(events(app, 'approval.requested').map((event) => event.data?.delegates)).toEqual([
      undefined,
      { [MANAGER]: DEPUTY },
    ]);

    // The deputy approves CHG-1 for the manager: "approved by X on behalf of Y".
    await approve(app, DEPUTY, 'CHG-1');
    await eventually(() => replies(app, DEPUTY).length === 1, 'the confirmation');
    expect(replies(app, DEPUTY)).toEqual(['Your approval of CHG-1 is recorded.']);
    expect(decisions(app).map((d) => [d.approverId, d.role, d.onBehalfOf])).toEqual([[DEPUTY, 'manager', MANAGER]]);
    const approved = events(app, 'approval.approved');
    expect(approved.map((event) => [event.actorId, event.data])).toEqual([
      [DEPUTY, { role: 'manager', phase: 'approval', source: 'button', onBehalfOf: MANAGER }],
    ]);
    expect(events(app, 'delegation.used').map((event) => [event.changeId, event.actorId, event.data])).toEqual([
      [1, DEPUTY, { delegationId: 1, delegatorId: MANAGER, delegateId: DEPUTY, role: 'manager', decision: 'approve' }],
    ]);
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some((call) =>
            JSON.stringify(call.params.blocks).includes(`approved by <@${DEPUTY}> on behalf of <@${MANAGER}>`),
          ),
      'the messages say on whose behalf',
    );
    // The manager's own approval is given: one person counts once.
    await approve(app, MANAGER, 'CHG-1');
    await eventually(() => replies(app, MANAGER).length === 1, 'the refusal');
    expect(replies(app, MANAGER)).toEqual(['Your approval of CHG-1 as manager is already recorded.']);

    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => stateOf(app, 1) === 'approved', 'CHG-1 approved');
    const shown = JSON.stringify((await app.command('show CHG-1')).json);
    expect(shown).toContain(`approved by <@${DEPUTY}> on behalf of <@${MANAGER}>`);

    // Evidence: on whose behalf is never rewritten; a delegation is never edited nor deleted.
    const sqlite = app.database.db.$client;
    expect(() => sqlite.prepare('UPDATE approval_decisions SET on_behalf_of = NULL').run()).toThrow(/write-once/);
    expect(() => sqlite.prepare("UPDATE delegations SET until = '2027-01-01'").run()).toThrow(/write-once/);
    expect(() => sqlite.prepare('DELETE FROM delegations').run()).toThrow(/write-once/);
  });

  it('refuses a mention Slack did not send, yourself, unreadable or past dates, and re-delegation', async () => {
    const app = await start();
    expect(await delegate(app, MANAGER, `@deputy until 2026-11-20`)).toContain(
      '`@deputy` is not a person Slack recognised; nothing was set.',
    );
    // Typed by hand, "<@U…>" arrives escaped: it is not a mention.
    expect(await delegate(app, MANAGER, `&lt;@${DEPUTY}&gt; until 2026-11-20`)).toContain(
      `\`&lt;@${DEPUTY}&gt;\` is not a person Slack recognised`,
    );
    expect(await delegate(app, MANAGER, `<@${MANAGER}|me> until 2026-11-20`)).toContain(
      'You cannot delegate to yourself; name someone else.',
    );
    expect(await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-13-01`)).toContain(
      'The last day must be a date written YYYY-MM-DD',
    );
    expect(await delegate(app, MANAGER, `<@${DEPUTY}> until tomorrow`)).toContain(
      'The last day must be a date written YYYY-MM-DD',
    );
    expect(await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-17`)).toContain(
      'That day is past: the last day must be today (2026-11-18) or later.',
    );
    expect(await delegate(app, MANAGER, `<@${DEPUTY}> 2026-11-20`)).toContain('/change delegate @someone until');
    expect(app.database.db.select().from(delegations).all()).toEqual([]);

    expect(await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-20`)).toContain('Until the end of 2026-11-20');
    // What was delegated cannot be delegated again, and a delegator receives no delegation while theirs runs.
    expect(await delegate(app, DEPUTY, `<@${OUTSIDER}> until 2026-11-20`)).toBe(
      `You decide for <@${MANAGER}> while they are away, so you cannot delegate: what was delegated to you is not ` +
        'delegated again. Nothing was set.',
    );
    expect(await delegate(app, 'U0PEER001', `<@${MANAGER}> until 2026-11-20`)).toContain(
      `<@${MANAGER}> has delegated their own approvals (to <@${DEPUTY}>, until 2026-11-20), so they cannot take yours`,
    );
    expect(app.database.db.select().from(delegations).all()).toHaveLength(1);
    expect(events(app, 'delegation.set')).toHaveLength(1);
  });

  it('never routes to a delegate who requested or owns the change, and refuses their self-approval', async () => {
    const app = await start();
    const OTHER = 'U0REQ0002';
    await submitted(app, 3, { risk: MEDIUM }); // CHG-1 by the requester
    await submitted(app, 3, { risk: MEDIUM, ownerId: REQUESTER }, OTHER); // CHG-2 owned by the requester
    await submitted(app, 3, { risk: MEDIUM, ownerId: 'U0OWN0001' }, OTHER); // CHG-3, none of theirs

    // The manager delegates to the requester of CHG-1, owner of CHG-2: only CHG-3 is sent to them.
    const set = await delegate(app, MANAGER, `<@${REQUESTER}> until 2026-11-20`);
    expect(set).toContain('Your open requests were sent to them too: CHG-3.');
    await eventually(() => requestsTo(app, REQUESTER).length === 1, 'CHG-3 re-sent');
    expect(String(requestsTo(app, REQUESTER)[0]?.params.text)).toContain('CHG-3');

    // A new change by the delegate is not put to them either.
    await submitted(app, 3, { risk: MEDIUM, title: 'Mine' });
    expect(requestsTo(app, REQUESTER)).toHaveLength(1);
    expect(events(app, 'approval.requested').at(-1)?.data?.delegates).toBeUndefined();

    // Clicking anyway (a forged or old button) records nothing.
    for (const ref of ['CHG-1', 'CHG-2', 'CHG-4']) await approve(app, REQUESTER, ref);
    await eventually(() => replies(app, REQUESTER).length === 3, 'the refusals');
    expect(replies(app, REQUESTER).sort()).toEqual([
      'You own CHG-2, so someone else must approve it.',
      'You requested CHG-1, so someone else must approve it.',
      'You requested CHG-4, so someone else must approve it.',
    ]);
    expect(decisions(app)).toEqual([]);
    expect(events(app, 'delegation.used')).toEqual([]);
  });

  it('stops routing when turned off or once its last day is over, with an audit event for each end', async () => {
    const app = await start();
    await submitted(app, 3, { risk: MEDIUM }); // CHG-1
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-19`);
    await eventually(() => requestsTo(app, DEPUTY).length === 1, 'CHG-1 re-sent');

    expect(await delegate(app, MANAGER, 'off')).toBe(
      `Your delegation to <@${DEPUTY}> has ended: new requests come to you alone, and <@${DEPUTY}> can no longer ` +
        'decide for you. The decisions they took for you stand.',
    );
    expect(await delegate(app, MANAGER, 'OFF')).toBe('You have no delegation running; nothing changed.');
    expect(events(app, 'delegation.ended').map((event) => [event.actorId, event.data?.how])).toEqual([
      [MANAGER, 'off'],
    ]);
    await approve(app, DEPUTY, 'CHG-1');
    await eventually(() => replies(app, DEPUTY).length === 1, 'the refusal');
    expect(replies(app, DEPUTY)).toEqual([
      `You were asked on behalf of <@${MANAGER}>, whose delegation to you has ended, so you cannot decide on ` +
        'CHG-1; nothing was recorded.',
    ]);
    await submitted(app, 3, { risk: MEDIUM, title: 'After off' }); // CHG-2: the peers and the manager only
    expect(requestsTo(app, DEPUTY)).toHaveLength(1);

    // Again until tomorrow; after midnight in New York its timer ends it, nobody pressing anything.
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-19`);
    await eventually(() => requestsTo(app, DEPUTY).length === 2, 'CHG-2 sent to the deputy');
    app.clock.set('2026-11-20T04:59:00Z');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(events(app, 'delegation.ended')).toHaveLength(1);
    app.clock.set('2026-11-20T05:00:01Z');
    await eventually(() => events(app, 'delegation.ended').length === 2, 'the expiry');
    expect(events(app, 'delegation.ended')[1]).toMatchObject({
      actorId: 'cabinet',
      changeId: null,
      data: { delegationId: 2, delegatorId: MANAGER, delegateId: DEPUTY, until: '2026-11-19', how: 'expired' },
    });
    expect(await delegate(app, MANAGER, '')).toContain('You have not delegated your approvals.');
    // Ended once: nobody rewrites how.
    expect(() =>
      app.database.db.$client.prepare("UPDATE delegations SET ended_by = 'U0EVIL001' WHERE id = 1").run(),
    ).toThrow(/write-once/);
    await submitted(app, 3, { risk: MEDIUM, title: 'After expiry' });
    expect(requestsTo(app, DEPUTY)).toHaveLength(2);
    await approve(app, DEPUTY, 'CHG-2');
    await eventually(() => replies(app, DEPUTY).length === 2, 'the second refusal');
    expect(replies(app, DEPUTY)[1]).toContain('whose delegation to you has ended');
    expect(decisions(app)).toEqual([]);
  });
});

const openHome = (app: TestApp, userId: string) =>
  app.event({ type: 'app_home_opened', user: userId, channel: `D${userId.slice(1)}`, tab: 'home', event_ts: '1.2' });
const publishes = (app: TestApp, userId: string) =>
  app.slack.callsTo('views.publish').filter((call) => call.params.user_id === userId);
const homeOf = (app: TestApp, userId: string) => JSON.stringify(publishes(app, userId).at(-1)?.params.view ?? {});
async function opened(app: TestApp, users: readonly string[]): Promise<void> {
  for (const userId of users) {
    await openHome(app, userId);
    await eventually(() => publishes(app, userId).length > 0, `${userId}'s Home`);
  }
}

describe('the Homes of a delegator and their delegate (issue 15.3, 15.5)', () => {
  it('are republished when a delegation is set, turned off or expires, whatever changes it concerns', async () => {
    const app = await start();
    await opened(app, [MANAGER, DEPUTY]);
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-19`);
    await eventually(() => homeOf(app, MANAGER).includes('Your approval requests also go to'), "the manager's Home");
    await eventually(() => homeOf(app, DEPUTY).includes(`You decide for <@${MANAGER}>`), "the deputy's Home");

    await delegate(app, MANAGER, 'off');
    await eventually(() => homeOf(app, MANAGER).includes('You have not delegated'), "the manager's Home after off");
    await eventually(() => !homeOf(app, DEPUTY).includes('You decide for'), "the deputy's Home after off");

    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-19`);
    await eventually(() => homeOf(app, DEPUTY).includes(`You decide for <@${MANAGER}>`), "the deputy's Home again");
    app.clock.set('2026-11-20T05:00:01Z'); // after its last day in New York: its timer ends it
    await eventually(() => homeOf(app, MANAGER).includes('You have not delegated'), "the manager's Home at expiry");
    await eventually(() => !homeOf(app, DEPUTY).includes('You decide for'), "the deputy's Home at expiry");
  });
});

describe('once a delegation has ended (issue 15.1-15.3, 15.5)', () => {
  it("the delegate's Home, digest and reminders no longer list the delegator's requests", async () => {
    const app = await start();
    app.slack.addUser(DEPUTY, 'deputy', 'America/New_York');
    await opened(app, [DEPUTY]);
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-20`);
    await submitted(app, 4, { risk: MEDIUM }); // CHG-1: the peers, the manager and the deputy
    await eventually(() => homeOf(app, DEPUTY).includes(`"value":"CHG-1"`), "CHG-1 on the deputy's Home");

    // The messages about CHG-1 name the deputy as asked for the manager…
    const listsDeputy = (call: RecordedCall) =>
      JSON.stringify(call.params.blocks ?? '').includes(`<@${DEPUTY}> (for <@${MANAGER}>)`);
    expect(app.slack.calls.some(listsDeputy)).toBe(true);
    const updatesBefore = app.slack.callsTo('chat.update').length;

    await delegate(app, MANAGER, 'off');
    await eventually(() => !homeOf(app, DEPUTY).includes('You decide for'), "the deputy's Home after off");
    expect(homeOf(app, DEPUTY)).toContain('Nothing waits for your decision.');
    // …and are updated once it ends: the deputy is no longer asked.
    const updatedSince = () => app.slack.callsTo('chat.update').slice(updatesBefore);
    await eventually(() => updatedSince().length > 0, 'the messages updated');
    expect(updatedSince().filter(listsDeputy)).toEqual([]);
    expect(homeOf(app, DEPUTY)).not.toContain(`"value":"CHG-1"`);

    // Answered in the ack: who is reminded is read from the record, with no Slack call first.
    const reminded = await app.command('remind CHG-1', { userId: REQUESTER });
    expect(reminded.status).toBe(200);
    const answer = String((reminded.json as { text?: string }).text);
    expect(answer).toMatch(/^Reminded /);
    expect(answer).not.toContain(DEPUTY);

    app.clock.set('2026-11-19T14:00:00Z'); // Thursday 09:00 in New York
    await app.runJob('approval_digest');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'D0DEP0001')).toHaveLength(
      1, // the request re-sent when the delegation was set; no digest
    );
  });
});

describe('approved on behalf of someone (issue 15.1, 15.3, 15.5)', () => {
  it("leaves neither the delegate nor the delegator that phase's other roles to do (one role per person)", async () => {
    const yaml = MINIMAL_POLICY_YAML.replace(
      'peer: [U0PEER001, U0PEER002]',
      `peer: [U0PEER001, U0PEER002, ${MANAGER}]`,
    );
    running = await startTestApp({ policy: parsePolicy(yaml, 'policy.yml').policy });
    const app = running;
    await opened(app, [MANAGER, DEPUTY]);
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-20`);
    await submitted(app, 4, { risk: MEDIUM }); // CHG-1: the peers (the manager among them), the manager, the deputy
    await eventually(() => homeOf(app, MANAGER).includes('"value":"CHG-1"'), "CHG-1 on the manager's Home");

    await approve(app, DEPUTY, 'CHG-1');
    await eventually(() => replies(app, DEPUTY).length === 1, 'the confirmation');
    expect(decisions(app).map((d) => [d.approverId, d.role, d.onBehalfOf])).toEqual([[DEPUTY, 'manager', MANAGER]]);
    // The manager's approval is given: they may not approve as peer too, nor may their deputy for them.
    await approve(app, MANAGER, 'CHG-1');
    await eventually(() => replies(app, MANAGER).length === 1, 'the refusal');
    expect(replies(app, MANAGER)[0]).toContain('one role');
    await eventually(
      () => !homeOf(app, MANAGER).includes('"value":"CHG-1"') && !homeOf(app, DEPUTY).includes('"value":"CHG-1"'),
      'CHG-1 off both Homes',
    );

    const answer = await app.command('remind CHG-1', { userId: REQUESTER });
    expect((answer.json as { text?: string }).text).toBe(
      'Reminded <@U0PEER001>, <@U0PEER002> about CHG-1, in the thread of their request.',
    );
  });
});

describe('a delegate deciding elsewhere than in their request (issue 15.3, 15.5)', () => {
  it('finds the decision buttons in Details, as the delegator would', async () => {
    const app = await start();
    await delegate(app, MANAGER, `<@${DEPUTY}> until 2026-11-20`);
    await submitted(app, 4, { risk: MEDIUM }); // CHG-1: the peers, the manager and the deputy
    await clickButton(app, DEPUTY, ACTIONS.details, 'CHG-1');
    const details = JSON.stringify((await app.slack.waitForCall('views.open')).params.view);
    expect(details).toContain(`"action_id":"${ACTIONS.approve}","value":"CHG-1"`);
  });
});

/** A click on a button inside a modal (Details): Slack sends the view and no response URL. */
function clickInModal(app: TestApp, userId: string, actionId: string, value: string): Promise<AppResponse> {
  return app.interact({
    type: 'block_actions',
    team: { id: 'T0CABINET', domain: 'cabinet-test' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0CABINET' },
    api_app_id: 'A0CABINET',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    container: { type: 'view', view_id: 'V0DETAILS' },
    view: { id: 'V0DETAILS', type: 'modal', callback_id: VIEWS.changeDetails, private_metadata: '', state: {} },
    actions: [{ type: 'button', action_id: actionId, block_id: 'reassign', value, action_ts: '1700000002.000200' }],
  });
}

function submitReassign(
  app: TestApp,
  userId: string,
  form: { requirement: string | undefined; person: string; reason: string },
): Promise<AppResponse> {
  const selected = form.requirement ? { text: { type: 'plain_text', text: 'peer' }, value: form.requirement } : null;
  return submitView(
    app,
    userId,
    VIEWS.reassign,
    {
      [REASSIGN_FIELDS.requirement]: { [FORM_ACTION]: { type: 'static_select', selected_option: selected } },
      [REASSIGN_FIELDS.person]: { [FORM_ACTION]: { type: 'users_select', selected_user: form.person } },
      [REASSIGN_FIELDS.reason]: { [FORM_ACTION]: { type: 'plain_text_input', value: form.reason } },
    },
    { privateMetadata: 'CHG-1' },
  );
}

const viewOf = (call: RecordedCall | undefined) =>
  call?.params.view as { callback_id?: string; blocks: unknown[] } | undefined;

describe('reassignment by an admin (approvals.admin_roles)', () => {
  it('shows Reassign to admins only, refuses anyone else at the click and the submission', async () => {
    const app = await start();
    await submitted(app, 2); // CHG-1, low risk: a peer approves

    await clickButton(app, CTO, ACTIONS.details, 'CHG-1');
    await clickButton(app, 'U0PEER001', ACTIONS.details, 'CHG-1');
    await eventually(() => app.slack.callsTo('views.open').length === 2, 'both Details');
    const [forAdmin, forPeer] = app.slack.callsTo('views.open').map((call) => JSON.stringify(viewOf(call)?.blocks));
    expect(forAdmin).toContain(ACTIONS.reassign);
    expect(forPeer).not.toContain(ACTIONS.reassign);

    // Hiding the button is no authorization: the click and the form are checked on the server.
    await clickInModal(app, 'U0PEER001', ACTIONS.reassign, 'CHG-1');
    await eventually(() => app.slack.callsTo('views.push').length === 1, 'the refusal');
    const refusal = JSON.stringify(viewOf(app.slack.callsTo('views.push')[0]));
    expect(refusal).toContain('Only the change_manager, cto can reassign an approval');
    expect(viewOf(app.slack.callsTo('views.push')[0])?.callback_id).toBeUndefined();

    const forged = await submitReassign(app, 'U0PEER001', { requirement: 'REQ-1', person: OUTSIDER, reason: 'x' });
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: {
        [REASSIGN_FIELDS.requirement]:
          'Only the change_manager, cto can reassign an approval (policy `approvals.admin_roles`); ' +
          'nothing was recorded.',
      },
    });
    expect(events(app, 'approval.reassigned')).toEqual([]);
  });

  it('asks the named person, who may approve without the role; the requester is told; audited', async () => {
    const app = await start();
    await submitted(app, 2);

    await clickInModal(app, CTO, ACTIONS.reassign, 'CHG-1');
    await eventually(() => app.slack.callsTo('views.push').length === 1, 'the form');
    const form = viewOf(app.slack.callsTo('views.push')[0]);
    expect(form?.callback_id).toBe(VIEWS.reassign);
    expect(JSON.stringify(form?.blocks)).toContain('"value":"REQ-1"');

    // Never to the requester; a reason is required; errors sit on their inputs.
    expect((await submitReassign(app, CTO, { requirement: 'REQ-1', person: REQUESTER, reason: 'x' })).json).toEqual({
      response_action: 'errors',
      errors: { [REASSIGN_FIELDS.person]: `<@${REQUESTER}> requested CHG-1, so cannot approve it. Name someone else.` },
    });
    expect((await submitReassign(app, CTO, { requirement: 'REQ-1', person: OUTSIDER, reason: '  ' })).json).toEqual({
      response_action: 'errors',
      errors: { [REASSIGN_FIELDS.reason]: 'Say why: the requester and the auditors will read it.' },
    });
    expect((await submitReassign(app, CTO, { requirement: 'REQ-7', person: OUTSIDER, reason: 'x' })).json).toEqual({
      response_action: 'errors',
      errors: {
        [REASSIGN_FIELDS.requirement]: 'That approval of CHG-1 is no longer open to reassign; nothing was recorded.',
      },
    });

    const done = await submitReassign(app, CTO, {
      requirement: 'REQ-1',
      person: OUTSIDER,
      reason: 'Both peers are at the offsite',
    });
    expect(done.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(done.json)).toContain(`<@${OUTSIDER}> is asked for the peer approval of CHG-1`);
    expect(events(app, 'approval.reassigned').map((event) => [event.changeId, event.actorId, event.data])).toEqual([
      [1, CTO, { phase: 'approval', role: 'peer', assigneeId: OUTSIDER, reason: 'Both peers are at the offsite' }],
    ]);
    await eventually(() => requestsTo(app, OUTSIDER).length === 1, 'the person asked');
    expect(JSON.stringify(requestsTo(app, OUTSIDER)[0]?.params.blocks)).toContain(
      `You are asked as: peer, reassigned to you by <@${CTO}>: “Both peers are at the offsite”`,
    );
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) => call.params.channel === 'D0REQ0001' && String(call.params.text).includes('was reassigned')),
      'the requester told',
    );
    const notice = app.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.channel === 'D0REQ0001' && String(call.params.text).includes('was reassigned'));
    expect(String(notice?.params.text)).toContain(
      `• *peer*: <@${OUTSIDER}>, by <@${CTO}>: “Both peers are at the offsite”`,
    );
    expect(
      (await submitReassign(app, CTO, { requirement: 'REQ-1', person: OUTSIDER, reason: 'again' })).json,
    ).toMatchObject({ errors: { [REASSIGN_FIELDS.person]: expect.stringContaining('already reassigned') } });

    // Not a peer, yet they may approve for the requirement reassigned to them.
    await approve(app, OUTSIDER, 'CHG-1');
    await eventually(() => stateOf(app, 1) === 'approved', 'CHG-1 approved');
    expect(decisions(app).map((d) => [d.approverId, d.role, d.onBehalfOf])).toEqual([[OUTSIDER, 'peer', null]]);
    expect(events(app, 'approval.approved')[0]?.data).toEqual({
      role: 'peer',
      phase: 'approval',
      source: 'button',
      reassigned: true,
    });
  });
});

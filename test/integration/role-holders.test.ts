// Decisions by current role holders (issue 14, item 4): whoever left a role, in the policy or in
// its Slack user group, may no longer decide on a change they were asked about; whoever joined one
// while the change waits is asked too, and may decide.
import { afterEach, describe, expect, it } from 'vitest';
import { approvalDecisions, auditEvents, changes, verbalApprovals } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitEmergencyForm,
  submitVerbalApproval,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const PEERS = 'S0PEERS01';

const apps: TestApp[] = [];
let database: TempDatabase | undefined;
async function start(options?: TestAppOptions): Promise<TestApp> {
  const app = await startTestApp(options);
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  database?.dispose();
  database = undefined;
});

const policyWithPeers = (peers: string): Policy =>
  parsePolicy(MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', `peer: [${peers}]`), 'p.yml').policy;
const userOfDm = (channel: unknown) => `U${String(channel).slice(1)}`;
const isApprovalRequest = (call: RecordedCall) =>
  call.method === 'chat.postMessage' && String(call.params.text).startsWith('Approval requested');
const approvalRecipients = (app: TestApp) =>
  app.slack.calls
    .filter(isApprovalRequest)
    .map((call) => userOfDm(call.params.channel))
    .sort();
const replyTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.params.response_type === 'ephemeral' && call.path.includes(userId))
    .map((call) => String(call.params.text));
const decisions = (app: TestApp) => app.database.db.select().from(approvalDecisions).all();
const changeState = (app: TestApp) => app.database.db.select().from(changes).get()?.state;

/** A low-risk change (one peer approval) submitted, and every peer asked. */
async function submittedLowRisk(app: TestApp, asked: number): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, defaultChangeForm(app.clock.now()));
  expect(response.text).toBe('');
  await eventually(() => app.slack.calls.filter(isApprovalRequest).length === asked, `${asked} approval requests`);
}

async function refusedAsLeaver(app: TestApp, userId: string): Promise<void> {
  expect((await approve(app, userId, 'CHG-1')).status).toBe(200);
  await eventually(() => replyTexts(app, userId).length === 1, 'the refusal');
  expect(replyTexts(app, userId)).toEqual([
    'You no longer hold the peer role, so you cannot decide on CHG-1; nothing was recorded.',
  ]);
  expect(decisions(app)).toEqual([]);
  expect(changeState(app)).toBe('pending_approval');
}

describe('a decision by someone who left the role (POL-SEC-008 4.4: approvers hold the role)', () => {
  it('refuses a member removed from the user group after being asked; nothing is recorded', async () => {
    const app = await start({ policy: policyWithPeers(PEERS) });
    app.slack.userGroups.set(PEERS, ['U0PEER007', 'U0PEER008']);
    await submittedLowRisk(app, 2);
    expect(approvalRecipients(app)).toEqual(['U0PEER007', 'U0PEER008']);

    app.slack.userGroups.set(PEERS, ['U0PEER008']);
    await refusedAsLeaver(app, 'U0PEER007');

    // Whoever still holds the role decides as before.
    await approve(app, 'U0PEER008', 'CHG-1');
    await eventually(() => replyTexts(app, 'U0PEER008').length === 1, 'the confirmation');
    expect(replyTexts(app, 'U0PEER008')[0]).toBe('Your approval of CHG-1 is recorded. CHG-1 is now approved.');
    expect(decisions(app).map((decision) => decision.approverId)).toEqual(['U0PEER008']);
  });

  it('refuses a member removed from the policy role (the bot restarted with the new policy)', async () => {
    database = openTempDatabase();
    const first = await start({ database });
    await submittedLowRisk(first, 2);
    await first.close();
    apps.splice(0);

    const second = await start({ database, policy: policyWithPeers('U0PEER002') });
    await refusedAsLeaver(second, 'U0PEER001');
  });

  it('answers a burst of clicks with one usergroups.users.list, kept 60 s', async () => {
    const app = await start({ policy: policyWithPeers(PEERS) });
    app.slack.userGroups.set(PEERS, ['U0PEER007', 'U0PEER008']);
    await submittedLowRisk(app, 2);
    const lookups = () => app.slack.callsTo('usergroups.users.list').length;
    const before = lookups();

    app.slack.userGroups.set(PEERS, ['U0PEER008']);
    await Promise.all(['U0PEER007', 'U0EVIL001', REQUESTER].map((userId) => approve(app, userId, 'CHG-1')));
    await eventually(() => replyTexts(app, REQUESTER).length === 1, 'the last refusal');
    expect(lookups()).toBe(before + 1);

    app.clock.advance(61_000);
    await approve(app, 'U0PEER007', 'CHG-1');
    await eventually(() => replyTexts(app, 'U0PEER007').length === 2, 'the second refusal');
    expect(lookups()).toBe(before + 2);
  });
});

describe('someone added to the role while the change waits', () => {
  it('is asked by the periodic re-check, once, and can approve', async () => {
    const app = await start({ policy: policyWithPeers(PEERS) });
    app.slack.userGroups.set(PEERS, ['U0PEER007']);
    await submittedLowRisk(app, 1);

    app.slack.userGroups.set(PEERS, ['U0PEER007', 'U0PEER009', REQUESTER]);
    await app.runJob('approver_recheck');
    await eventually(() => app.slack.calls.filter(isApprovalRequest).length === 2, 'the new member asked');
    expect(approvalRecipients(app)).toEqual(['U0PEER007', 'U0PEER009']);
    const added = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .filter((event) => event.type === 'approval.candidates_added');
    expect(added.map((event) => event.data)).toEqual([{ phase: 'approval', candidates: { peer: ['U0PEER009'] } }]);

    // Nobody is asked twice.
    await app.runJob('approver_recheck');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.slack.calls.filter(isApprovalRequest)).toHaveLength(2);

    await approve(app, 'U0PEER009', 'CHG-1');
    await eventually(() => replyTexts(app, 'U0PEER009').length === 1, 'the confirmation');
    expect(replyTexts(app, 'U0PEER009')[0]).toBe('Your approval of CHG-1 is recorded. CHG-1 is now approved.');
    expect(changeState(app)).toBe('approved');
  });

  it('may approve at once from a message they were shown, before any re-check', async () => {
    const app = await start({ policy: policyWithPeers(PEERS) });
    app.slack.userGroups.set(PEERS, ['U0PEER007']);
    await submittedLowRisk(app, 1);

    app.slack.userGroups.set(PEERS, ['U0PEER007', 'U0PEER009']);
    await approve(app, 'U0PEER009', 'CHG-1');
    await eventually(() => replyTexts(app, 'U0PEER009').length === 1, 'the confirmation');
    expect(replyTexts(app, 'U0PEER009')[0]).toBe('Your approval of CHG-1 is recorded. CHG-1 is now approved.');
    expect(decisions(app).map((decision) => [decision.approverId, decision.role])).toEqual([['U0PEER009', 'peer']]);
  });
});

describe('a verbal approval confirmed by someone who left the role (6.2, 4.4)', () => {
  it('records the confirmation but does not count it toward the authorization', async () => {
    const managers = 'S0MGRS001';
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML.replace('manager: [U0MGR0001]', `manager: [${managers}]`)}` +
        'emergency: { verbal_approvals_count_unconfirmed: false }\n',
      'p.yml',
    ).policy;
    // Business hours in New York: the manager and security authorize.
    const app = await start({ policy, clock: new FakeClock('2026-11-18T15:00:00Z') });
    app.slack.userGroups.set(managers, ['U0MGR0001']);
    expect((await submitEmergencyForm(app, REQUESTER)).text).toBe('');
    await eventually(() => app.slack.callsTo('chat.postMessage').length >= 2, 'the authorization requests');
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => decisions(app).length === 1, 'security authorized');
    const given = new Date(app.clock.now().getTime() - 5 * 60_000);
    const recorded = await submitVerbalApproval(app, REQUESTER, 'CHG-1', {
      approverId: 'U0MGR0001',
      medium: 'phone',
      givenAt: given,
    });
    expect(recorded.status).toBe(200);
    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;
    expect(verbalId).toBeGreaterThan(0);

    // The manager leaves the group; a minute later (past the role cache) they confirm.
    app.slack.userGroups.set(managers, ['U0MGR0002']);
    app.clock.advance(61_000);
    expect((await clickButton(app, 'U0MGR0001', ACTIONS.confirmVerbal, `VA-${verbalId}`)).status).toBe(200);
    await eventually(
      () =>
        app.database.db
          .select()
          .from(auditEvents)
          .all()
          .some((e) => e.type === 'verbal_approval.confirmed'),
      'the confirmation recorded',
    );
    expect(changeState(app)).toBe('pending_authorization');
    expect(decisions(app).map((decision) => decision.approverId)).toEqual(['U0SEC0001']);
  });
});

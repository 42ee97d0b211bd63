import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalRequirements, auditEvents, changes, outbox } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { ACTIONS, REASSIGN_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  type ChangeFormInput,
  clickButton,
  clickInView,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitView,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

// Issue 15.2: on business days from approvals.digest_time (09:00) in each person's own Slack time zone, everyone
// with decisions waiting gets one digest listing them; quiet roles get neither the requests nor the digest.

const REQUESTER = 'U0REQ0001';
const NEW_YORK_PEER = 'U0PEER001';
const TOKYO_PEER = 'U0PEER002';
const MANAGER = 'U0MGR0001';
const CTO = 'U0CTO0001';
const DEPUTY = 'U0DEP0001';
const OUTSIDER = 'U0OUT0001';
const DIGEST = 'approval_digest';

let running: TestApp | undefined;
async function start(options: TestAppOptions & { yaml?: string }): Promise<TestApp> {
  const policy = options.yaml ? parsePolicy(options.yaml, 'policy.yml').policy : undefined;
  running = await startTestApp({ ...options, ...(policy ? { policy } : {}) });
  for (const [id, tz] of [
    [NEW_YORK_PEER, 'America/New_York'],
    [TOKYO_PEER, 'Asia/Tokyo'],
    [MANAGER, 'America/New_York'],
    [CTO, 'America/New_York'],
    [REQUESTER, 'America/New_York'],
    [DEPUTY, 'America/New_York'],
    [OUTSIDER, 'America/New_York'],
  ] as const)
    running.slack.addUser(id, id.toLowerCase(), tz);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const settled = (app: TestApp) =>
  app.database.db
    .select()
    .from(outbox)
    .all()
    .every((row) => row.status !== 'sending' && (row.status !== 'pending' || row.nextAttemptAt > app.clock.now()));
const isDigest = (call: RecordedCall) =>
  /^(One decision waits|\d+ decisions wait) for you/.test(String(call.params.text));
const digestsTo = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === `D${userId.slice(1)}` && isDigest(call));
const stateOf = (app: TestApp, id: number) =>
  app.database.db.select().from(changes).where(eq(changes.id, id)).get()?.state;
const allDigests = (app: TestApp) => app.slack.callsTo('chat.postMessage').filter(isDigest);
const requestsTo = (app: TestApp) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => String(call.params.text).startsWith('Approval requested'))
    .map((call) => `U${String(call.params.channel).slice(1)}`)
    .sort();

async function quiet(app: TestApp): Promise<void> {
  await eventually(() => settled(app), 'everything delivered', 5000);
}

async function submitted(app: TestApp, input: Partial<ChangeFormInput> = {}): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.text).toBe('');
  await quiet(app);
}

/** Runs the digest job as its 15-minute slot at `at` would. */
async function digestRunAt(app: TestApp, at: string): Promise<void> {
  app.clock.set(at);
  await app.runJob(DIGEST);
  await quiet(app);
}

describe('the morning digest', () => {
  it('goes to each person once per business morning in their own time zone, none on a weekend or holiday', async () => {
    // Thanksgiving (Thu 26 Nov) is a holiday; the digest is at 09:00 by default.
    const app = await start({
      clock: new FakeClock('2026-11-22T12:00:00Z'), // Sunday
      yaml: `${MINIMAL_POLICY_YAML}holidays: [{ date: "11-26", name: Thanksgiving }]\n`,
    });
    await submitted(app, { systems: 'edge-proxy', title: 'First' });
    await submitted(app, { systems: 'billing-api', title: 'Second' });
    expect(requestsTo(app)).toEqual([NEW_YORK_PEER, NEW_YORK_PEER, TOKYO_PEER, TOKYO_PEER]);

    await digestRunAt(app, '2026-11-22T23:45:00Z'); // Sun 18:45 New York; Mon 08:45 Tokyo
    expect(allDigests(app)).toEqual([]);
    await digestRunAt(app, '2026-11-23T00:00:00Z'); // Mon 09:00 Tokyo; still Sunday in New York
    expect(digestsTo(app, TOKYO_PEER)).toHaveLength(1);
    expect(digestsTo(app, NEW_YORK_PEER)).toHaveLength(0);
    await digestRunAt(app, '2026-11-23T00:15:00Z');
    // Each person's time zone is asked of Slack once an hour at most: the run 15 minutes later reused it.
    expect(app.slack.callsTo('users.info').filter((call) => call.params.user === TOKYO_PEER)).toHaveLength(1);
    await digestRunAt(app, '2026-11-23T13:45:00Z'); // Mon 08:45 New York
    expect(digestsTo(app, TOKYO_PEER)).toHaveLength(1);
    expect(digestsTo(app, NEW_YORK_PEER)).toHaveLength(0);
    await digestRunAt(app, '2026-11-23T14:00:00Z'); // Mon 09:00 New York
    await digestRunAt(app, '2026-11-23T14:15:00Z');
    await digestRunAt(app, '2026-11-23T20:00:00Z');
    expect(digestsTo(app, NEW_YORK_PEER)).toHaveLength(1);
    expect(digestsTo(app, TOKYO_PEER)).toHaveLength(1);

    // The digest: both decisions, oldest first, with their buttons and due times.
    const [digest] = digestsTo(app, NEW_YORK_PEER);
    expect(digest?.params.text).toBe('2 decisions wait for you');
    const blocks = JSON.stringify(digest?.params.blocks);
    expect(blocks.indexOf('*CHG-1 · First*')).toBeLessThan(blocks.indexOf('*CHG-2 · Second*'));
    expect(blocks).toContain(`"action_id":"${ACTIONS.approve}","value":"CHG-1"`);
    expect(blocks).toContain(`"action_id":"${ACTIONS.reject}","value":"CHG-2"`);
    expect(blocks).toContain('you are asked as peer; due <!date^');

    await digestRunAt(app, '2026-11-24T00:00:00Z'); // Tue 09:00 Tokyo
    await digestRunAt(app, '2026-11-24T14:00:00Z'); // Tue 09:00 New York
    expect(digestsTo(app, TOKYO_PEER)).toHaveLength(2);
    expect(digestsTo(app, NEW_YORK_PEER)).toHaveLength(2);
    await digestRunAt(app, '2026-11-26T05:00:00Z'); // Thanksgiving, 14:00 in Tokyo, midnight in New York
    await digestRunAt(app, '2026-11-26T14:00:00Z'); // Thanksgiving, 09:00 in New York
    await digestRunAt(app, '2026-11-28T14:00:00Z'); // Saturday
    expect(digestsTo(app, TOKYO_PEER)).toHaveLength(2);
    expect(digestsTo(app, NEW_YORK_PEER)).toHaveLength(2);

    // Nobody with nothing waiting gets one: not the requester, and nobody once both are decided.
    expect(digestsTo(app, REQUESTER)).toEqual([]);
    await approve(app, TOKYO_PEER, 'CHG-1');
    await approve(app, TOKYO_PEER, 'CHG-2');
    await eventually(
      () =>
        app.database.db
          .select()
          .from(changes)
          .all()
          .every((change) => change.state === 'approved'),
      'both approved',
    );
    const before = allDigests(app).length;
    await digestRunAt(app, '2026-11-30T00:00:00Z'); // Mon 09:00 Tokyo
    await digestRunAt(app, '2026-11-30T14:00:00Z'); // Mon 09:00 New York
    expect(allDigests(app)).toHaveLength(before);
  }, 20_000);

  it('is not scheduled when approvals.nudges is "reminders"', async () => {
    const app = await start({ yaml: `${MINIMAL_POLICY_YAML}approvals: { nudges: reminders }\n` });
    await app.command('help'); // the app has finished starting (auth.test) before it is closed
    await expect(app.runJob(DIGEST)).rejects.toThrow(`no scheduled job ${DIGEST}`);
  });
});

describe('approvals.quiet_roles', () => {
  it('a quiet role is sent neither the request nor the digest, yet decides from the Home or Details', async () => {
    // Nobody but the requester holds peer, so the CTO (a quiet role) stands in for it; the manager is asked as usual.
    const yaml = `${MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', `peer: [${REQUESTER}]`)}approvals:
  quiet_roles: [cto]
`;
    const app = await start({ clock: new FakeClock('2026-11-23T13:00:00Z'), yaml }); // Monday 08:00 New York
    await submitted(app, { risk: [2, 2, 2, 1, 1], systems: 'billing-api' }); // CHG-1, medium: peer + manager
    await submitted(app, { systems: 'edge-proxy' }); // CHG-2, low: peer only
    expect(requestsTo(app)).toEqual([MANAGER]);
    const requested = app.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, 'approval.requested'))
      .all();
    expect(requested.map((event) => event.data)).toEqual([
      expect.objectContaining({ fallbacks: { peer: 'cto' }, notSent: [CTO] }),
      expect.objectContaining({ fallbacks: { peer: 'cto' }, notSent: [CTO] }),
    ]);

    await digestRunAt(app, '2026-11-23T14:00:00Z'); // Monday 09:00 New York
    expect(digestsTo(app, MANAGER)).toHaveLength(1);
    expect(allDigests(app)).toHaveLength(1);

    // The CTO sees both on their Home, and approving there counts.
    await app.event({ type: 'app_home_opened', user: CTO, channel: 'D0CTO0001', tab: 'home', event_ts: '1.2' });
    const home = await app.slack.waitForCall('views.publish', (call) => call.params.user_id === CTO);
    expect(JSON.stringify(home.params.view)).toContain('*Waiting for your decision* (2), oldest first');
    expect((await clickInView(app, CTO, { actionId: ACTIONS.approve, value: 'CHG-1' })).status).toBe(200);
    await approve(app, MANAGER, 'CHG-1');
    await eventually(() => stateOf(app, 1) === 'approved', 'CHG-1 approved by the CTO and the manager');

    // Details carries the decision buttons for whoever may decide; a click in that modal is answered by DM.
    await clickButton(app, CTO, ACTIONS.details, 'CHG-2');
    const details = JSON.stringify((await app.slack.waitForCall('views.open')).params.view);
    expect(details).toContain(`"action_id":"${ACTIONS.approve}","value":"CHG-2"`);
    await clickInView(app, CTO, { actionId: ACTIONS.approve, value: 'CHG-2', viewType: 'modal' });
    await eventually(() => stateOf(app, 2) === 'approved', 'CHG-2 approved from Details');
    const answer = await app.slack.waitForCall('chat.postMessage', (call) => call.params.channel === CTO);
    expect(answer.params.text).toBe('Your approval of CHG-2 is recorded. CHG-2 is now approved.');
  });
});

describe('approvals.quiet_roles with delegation and reassignment (issue 15.2-15.4)', () => {
  it('a delegate and someone an approval was reassigned to get their digest though they hold no role', async () => {
    const yaml = `${MINIMAL_POLICY_YAML}approvals:\n  quiet_roles: [cto]\n`;
    const app = await start({ clock: new FakeClock('2026-11-23T13:00:00Z'), yaml }); // Monday 08:00 New York
    expect((await app.command(`delegate <@${DEPUTY}> until 2026-11-27`, { userId: MANAGER })).status).toBe(200);
    await submitted(app, { risk: [2, 2, 2, 1, 1], systems: 'billing-api' }); // CHG-1, medium: peer + manager
    const peer = app.database.db
      .select()
      .from(approvalRequirements)
      .all()
      .find((requirement) => requirement.role === 'peer');
    // The CTO (an admin, and a quiet role) reassigns the peer approval to someone outside every role.
    const reassigned = await submitView(
      app,
      CTO,
      VIEWS.reassign,
      {
        [REASSIGN_FIELDS.requirement]: {
          [FORM_ACTION]: { type: 'static_select', selected_option: { value: `REQ-${peer?.id}` } },
        },
        [REASSIGN_FIELDS.person]: { [FORM_ACTION]: { type: 'users_select', selected_user: OUTSIDER } },
        [REASSIGN_FIELDS.reason]: { [FORM_ACTION]: { type: 'plain_text_input', value: 'Both peers are away' } },
      },
      { privateMetadata: 'CHG-1' },
    );
    expect(reassigned.json).toMatchObject({ response_action: 'update' });
    await quiet(app);

    await digestRunAt(app, '2026-11-23T14:00:00Z'); // Monday 09:00 New York
    expect(digestsTo(app, MANAGER)).toHaveLength(1);
    expect(digestsTo(app, DEPUTY)).toHaveLength(1);
    expect(digestsTo(app, OUTSIDER)).toHaveLength(1);
    expect(JSON.stringify(digestsTo(app, DEPUTY)[0]?.params.blocks)).toContain(
      `"action_id":"${ACTIONS.approve}","value":"CHG-1"`,
    );
  });
  it("a quiet role's delegate is not pinged either: no request forwarded, no reminder", async () => {
    const yaml = `${MINIMAL_POLICY_YAML.replace('peer: [U0PEER001, U0PEER002]', `peer: [${REQUESTER}]`)}approvals:
  quiet_roles: [cto]
`;
    const app = await start({ clock: new FakeClock('2026-11-23T13:00:00Z'), yaml }); // Monday 08:00 New York
    await submitted(app, { systems: 'edge-proxy' }); // CHG-1, low: peer only, so the CTO stands in, unasked
    expect(requestsTo(app)).toEqual([]);
    const set = await app.command(`delegate <@${DEPUTY}> until 2026-11-27`, { userId: CTO });
    expect(String((set.json as { text?: string }).text)).toContain('CHG-1');
    await quiet(app);
    expect(requestsTo(app)).toEqual([]);

    const answer = await app.command('remind CHG-1', { userId: REQUESTER });
    expect(String((answer.json as { text?: string }).text)).toMatch(/^Nobody can be reminded about CHG-1/);
    await quiet(app);
    expect(app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'D0DEP0001')).toEqual([]);
  });
});

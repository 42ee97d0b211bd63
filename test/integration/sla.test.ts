// The 4.4 SLA clock end to end: signed HTTP into the real app, the fake Slack Web API, a temp SQLite file, and a
// fake clock the outbox's timers read. Business hours Mon–Fri 09:00–17:00 America/New_York (defaults.ts), whose
// clocks go back on Sun 2026-11-01 and forward on Sun 2027-03-14.
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, changes, slackMessages } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  type ChangeFormInput,
  defaultChangeForm,
  eventually,
  submitChangeForm,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const PEERS = ['U0PEER001', 'U0PEER002'];
const MANAGER = 'U0MGR0001';
const CHAIR = 'U0CHAIR01';
const MEDIUM: ChangeFormInput['risk'] = [2, 2, 2, 1, 1]; // peer (review SLA) + manager (approval SLA): 2 days
const HIGH: ChangeFormInput['risk'] = [3, 3, 2, 2, 2]; // peer, manager, security and the board: 3 days
const LOW: ChangeFormInput['risk'] = [1, 1, 1, 1, 1]; // peer: 1 day

let running: TestApp | undefined;
async function start(clock: string, policyYaml = ''): Promise<TestApp> {
  const policy = parsePolicy(`${MINIMAL_POLICY_YAML}${policyYaml}`, 'sla-policy.yml').policy;
  running = await startTestApp({ clock: new FakeClock(clock), policy });
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const dmOf = (userId: string) => `D${userId.slice(1)}`;
const postsTo = (app: TestApp, userId: string) =>
  app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === dmOf(userId));
const isRequest = (call: RecordedCall) => String(call.params.text).startsWith('Approval requested');
/** Replies in a thread of the person's DM: the reminders. */
const repliesTo = (app: TestApp, userId: string) =>
  postsTo(app, userId)
    .filter((call) => call.params.thread_ts !== undefined)
    .map((call) => ({ threadTs: String(call.params.thread_ts), text: String(call.params.text) }));
const escalationsTo = (app: TestApp, userId: string) =>
  postsTo(app, userId)
    .map((call) => String(call.params.text))
    .filter((text) => text.includes('past its approval SLA'));
/** Where the person's approval request was posted (the DM the reminders reply under). */
const requestTs = (app: TestApp, userId: string) =>
  app.database.db
    .select()
    .from(slackMessages)
    .where(and(eq(slackMessages.purpose, 'approval_request'), eq(slackMessages.recipientId, userId)))
    .get()?.ts;
const audited = (app: TestApp, type: string) =>
  app.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.type, type))
    .all()
    .map((event) => ({ actorId: event.actorId, data: event.data ?? {} }));
const stateOf = (app: TestApp) => app.database.db.select().from(changes).where(eq(changes.id, 1)).get()?.state;
const slackDateOf = (iso: string) => `<!date^${Date.parse(iso) / 1000}^`;
/** Lets the outbox poll (every 25 ms) a few times: long enough for anything due to go out. */
const quietMoment = () => new Promise((resolve) => setTimeout(resolve, 250));

async function submitted(app: TestApp, risk: ChangeFormInput['risk'], approvers: number): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), risk });
  expect(response.text).toBe('');
  await eventually(
    () => app.slack.callsTo('chat.postMessage').filter(isRequest).length === approvers,
    `${approvers} approval requests`,
  );
  await eventually(() => postsTo(app, REQUESTER).length === 1, 'the receipt');
}

/** Moves the clock to `iso` and waits for `what` to hold. */
async function at(app: TestApp, iso: string, condition: () => boolean, what: string): Promise<void> {
  app.clock.set(iso);
  await eventually(condition, what);
}

async function remind(app: TestApp, userId: string, ref = 'CHG-1'): Promise<string> {
  const ack = await app.command(`remind ${ref}`, { userId });
  expect(ack.status).toBe(200);
  // Answered in the ack (who is reminded is read from the record).
  return (ack.json as { text?: string } | undefined)?.text ?? '';
}

describe('SLA reminders and escalation (POL-SEC-008 4.4)', () => {
  it('reminds at 50 % and 100 % in business time over a weekend, a holiday and fall back, then escalates', async () => {
    // Fri 2026-10-30 15:00 EDT; Monday 2 November is a holiday. 2 business days = 16 business hours:
    // Fri 2 h, (weekend, clocks back, holiday), Tue 8 h, Wed 6 h.
    // 50 %: Tue 11-03 15:00 EST; 100 %: Wed 11-04 15:00 EST.
    const app = await start('2026-10-30T19:00:00Z', 'holidays: [{ date: "2026-11-02", name: Company day }]\n');
    await submitted(app, MEDIUM, 3);
    const asked = [...PEERS, MANAGER];

    app.clock.set('2026-11-02T20:00:00Z'); // a weekday's afternoon, but a holiday: the clock has not run
    await quietMoment();
    app.clock.set('2026-11-03T19:59:00Z');
    await quietMoment();
    expect(asked.flatMap((userId) => repliesTo(app, userId))).toEqual([]);

    await at(app, '2026-11-03T20:00:00Z', () => asked.every((id) => repliesTo(app, id).length === 1), '50 % reminders');
    for (const userId of asked) {
      const [reminder] = repliesTo(app, userId);
      // A reply in the thread of their request, not a new DM.
      expect(reminder?.threadTs).toBe(requestTs(app, userId));
      expect(reminder?.text).toContain('Reminder: CHG-1 · Rotate TLS certificates on the edge proxies');
      expect(reminder?.text).toContain(`It is due ${slackDateOf('2026-11-04T20:00:00Z')}`);
    }
    expect(repliesTo(app, MANAGER)[0]?.text).toContain('(as manager)');
    expect(postsTo(app, MANAGER).filter((call) => call.params.thread_ts === undefined)).toHaveLength(1);

    // A peer approves: the peer requirement is satisfied, so the other peer is not reminded again.
    await approve(app, PEERS[0] ?? '', 'CHG-1');
    app.clock.set('2026-11-04T19:59:00Z');
    await quietMoment();
    expect(escalationsTo(app, MANAGER)).toEqual([]);

    await at(app, '2026-11-04T20:00:00Z', () => escalationsTo(app, REQUESTER).length === 1, 'the escalation');
    await eventually(() => repliesTo(app, MANAGER).length === 2, 'the 100 % reminder');
    await eventually(() => escalationsTo(app, MANAGER).length === 1, 'the manager told');
    await quietMoment();
    expect(PEERS.map((userId) => repliesTo(app, userId).length)).toEqual([1, 1]);
    expect(repliesTo(app, MANAGER)[1]?.text).toContain(`It was due ${slackDateOf('2026-11-04T20:00:00Z')}`);
    const [escalation] = escalationsTo(app, MANAGER);
    expect(escalation).toContain('CHG-1 · Rotate TLS certificates on the edge proxies is past its approval SLA');
    expect(escalation).toContain(`• *manager* — asked: <@${MANAGER}>`);
    expect(escalation).not.toContain('*peer*');
    expect(escalationsTo(app, REQUESTER)[0]).toContain('Your change CHG-1');
    expect(escalationsTo(app, REQUESTER)[0]).toContain('Cabinet told the manager role');
    expect(escalationsTo(app, CHAIR)).toEqual([]);

    expect(audited(app, 'approval.reminded').map(({ data }) => [data.role, data.percent, data.remindedIds])).toEqual([
      ['peer', 50, PEERS],
      ['manager', 50, [MANAGER]],
      ['manager', 100, [MANAGER]],
    ]);
    expect(audited(app, 'approval.escalated')).toEqual([
      {
        actorId: 'cabinet',
        data: expect.objectContaining({
          role: 'manager',
          percent: 100,
          dueAt: '2026-11-04T20:00:00.000Z',
          roles: ['manager'],
          userIds: [],
          requesterId: REQUESTER,
        }),
      },
    ]);
  });

  it('sends nothing once the change is decided (across spring forward)', async () => {
    // Fri 2027-03-12 16:00 EST; 1 business day = 8 business hours: Fri 1 h, Mon 7 h (EDT from Sunday).
    // 50 %: Mon 03-15 12:00 EDT; 100 %: Mon 16:00 EDT.
    const app = await start('2027-03-12T21:00:00Z');
    await submitted(app, LOW, 2);
    app.clock.set('2027-03-15T15:59:00Z');
    await quietMoment();
    expect(PEERS.flatMap((userId) => repliesTo(app, userId))).toEqual([]);
    await at(app, '2027-03-15T16:00:00Z', () => PEERS.every((id) => repliesTo(app, id).length === 1), 'reminders');

    await approve(app, PEERS[1] ?? '', 'CHG-1');
    await eventually(() => stateOf(app) === 'approved', 'approved');
    app.clock.set('2027-03-15T20:00:00Z');
    await quietMoment();
    app.clock.set('2027-03-22T20:00:00Z');
    await quietMoment();
    expect(PEERS.map((userId) => repliesTo(app, userId).length)).toEqual([1, 1]);
    expect([REQUESTER, MANAGER].flatMap((userId) => escalationsTo(app, userId))).toEqual([]);
    expect(audited(app, 'approval.reminded')).toHaveLength(1);
    expect(audited(app, 'approval.escalated')).toEqual([]);
    expect(await remind(app, REQUESTER)).toBe('CHG-1 is approved: it waits for no decision, so nobody was reminded.');
  });

  it("the board's requirement escalates to the CAB chair, and its members are never reminded", async () => {
    // Wed 2026-11-18 10:00 EST; 3 business days: due Mon 11-23 10:00 EST.
    const app = await start('2026-11-18T15:00:00Z');
    await submitted(app, HIGH, 4);
    for (const userId of [PEERS[0] ?? '', MANAGER, 'U0SEC0001']) await approve(app, userId, 'CHG-1');

    await at(app, '2026-11-23T15:00:00Z', () => escalationsTo(app, CHAIR).length === 1, 'the chair told');
    await eventually(() => escalationsTo(app, REQUESTER).length === 1, 'the requester told');
    await quietMoment();
    expect(escalationsTo(app, CHAIR)[0]).toContain("• *cab* — the CAB's decision; it next meets");
    expect(escalationsTo(app, REQUESTER)[0]).toContain(`still waits for *cab*. Cabinet told <@${CHAIR}>.`);
    expect(escalationsTo(app, MANAGER)).toEqual([]);
    expect(['U0CAB0001', 'U0CAB0002'].flatMap((userId) => postsTo(app, userId))).toEqual([]);
    expect(audited(app, 'approval.escalated').map(({ data }) => [data.role, data.roles, data.userIds])).toEqual([
      ['cab', [], [CHAIR]],
    ]);
    // Everyone else had decided before the first reminder was due.
    expect(audited(app, 'approval.reminded')).toEqual([]);
  });

  it('with approvals.nudges "digest" sends no reminders, yet still escalates', async () => {
    // Wed 2026-11-18 10:00 EST + 1 business day: Thu 11-19 10:00 EST.
    const app = await start('2026-11-18T15:00:00Z', 'approvals: { nudges: digest }\n');
    await submitted(app, LOW, 2);
    await at(app, '2026-11-19T15:00:00Z', () => escalationsTo(app, MANAGER).length === 1, 'the manager told');
    await quietMoment();
    expect(PEERS.flatMap((userId) => repliesTo(app, userId))).toEqual([]);
    expect(audited(app, 'approval.reminded')).toEqual([]);
    expect(audited(app, 'approval.escalated')).toHaveLength(1);
  });
});

describe('escalation while out of office', () => {
  it('tells the delegate of an escalation target who is away, as well as the target', async () => {
    const deputy = 'U0DEP0001';
    const app = await start('2026-11-18T15:00:00Z', 'approvals: { nudges: digest }\n');
    const delegated = await app.command(`delegate <@${deputy}|deputy> until 2026-11-27 Leave`, { userId: MANAGER });
    expect(JSON.stringify(delegated.json)).toContain(`your approval requests go to <@${deputy}>`);
    await submitted(app, LOW, 2);
    await at(app, '2026-11-19T15:00:00Z', () => escalationsTo(app, deputy).length === 1, 'the deputy told');
    expect(escalationsTo(app, MANAGER)).toHaveLength(1);
    expect(escalationsTo(app, deputy)[0]).toContain('CHG-1 · Rotate TLS certificates on the edge proxies is past');
  });
});

describe('/change remind (4.4: the requester nudges)', () => {
  it('reminds the undecided once in 4 hours, never the quiet roles, for the requester only', async () => {
    const app = await start('2026-11-18T15:00:00Z', 'approvals: { quiet_roles: [manager] }\n');
    // The quiet manager is not sent the request (issue 15.2): the two peers are.
    await submitted(app, MEDIUM, 2);

    expect(await remind(app, PEERS[0] ?? '')).toBe(
      'Only the requester or the owner of CHG-1 can send a reminder about it.',
    );
    expect(await remind(app, REQUESTER, 'CHG-x')).toBe(
      'Type `/change remind CHG-<number>`, e.g. `/change remind CHG-12` (`CHG-x` is not a change ID).',
    );
    expect(await remind(app, REQUESTER)).toBe(
      `Reminded <@${PEERS[0]}>, <@${PEERS[1]}> about CHG-1, in the thread of their request.`,
    );
    await eventually(() => PEERS.every((userId) => repliesTo(app, userId).length === 1), 'the nudges');
    for (const userId of PEERS) {
      expect(repliesTo(app, userId)[0]?.threadTs).toBe(requestTs(app, userId));
      expect(repliesTo(app, userId)[0]?.text).toContain(`<@${REQUESTER}> asks you to decide on CHG-1`);
    }

    app.clock.advance(3 * 3600_000 + 59 * 60_000);
    const tooSoon = await remind(app, REQUESTER);
    expect(tooSoon).toContain('CHG-1 was nudged less than 4 hours ago; nobody was reminded. The next reminder can go ');
    expect(tooSoon).toContain(slackDateOf('2026-11-18T19:00:00Z'));

    // The second peer's request never reached Slack (no message recorded): the reminder brings it, with its buttons.
    app.database.db
      .delete(slackMessages)
      .where(eq(slackMessages.recipientId, PEERS[1] ?? ''))
      .run();
    app.clock.set('2026-11-18T19:00:00Z');
    expect(await remind(app, REQUESTER)).toContain('Reminded');
    await eventually(() => repliesTo(app, PEERS[0] ?? '').length === 2, 'the second nudge');
    const topLevel = () => postsTo(app, PEERS[1] ?? '').filter((call) => call.params.thread_ts === undefined);
    await eventually(() => topLevel().length === 2, 'the nudge with the request');
    const resent = topLevel()[1];
    expect(resent?.params.thread_ts).toBeUndefined();
    expect(String(resent?.params.text)).toContain(`<@${REQUESTER}> asks you to decide on CHG-1`);
    expect(JSON.stringify(resent?.params.blocks)).toContain(`"action_id":"${ACTIONS.approve}"`);
    // Recorded as the request, once Slack has answered: the next reminder replies under it.
    await eventually(() => requestTs(app, PEERS[1] ?? '') !== undefined, 'the request recorded');

    // Once the peer role is satisfied only the quiet manager is left: nobody to remind.
    await approve(app, PEERS[0] ?? '', 'CHG-1');
    app.clock.set('2026-11-19T15:00:00Z');
    expect(await remind(app, REQUESTER)).toBe(
      'Nobody can be reminded about CHG-1: it waits for manager, whose decision Cabinet does not ping anyone for ' +
        '(the CAB decides at its meeting; quiet roles decide from the Home or Details).',
    );
    await quietMoment();
    expect(repliesTo(app, MANAGER)).toEqual([]);
    expect(audited(app, 'approval.nudged')).toEqual([
      { actorId: REQUESTER, data: { phase: 'approval', remindedIds: PEERS } },
      { actorId: REQUESTER, data: { phase: 'approval', remindedIds: PEERS } },
    ]);
  });
});

describe('reminders follow who was sent the request (quiet roles, 15.2)', () => {
  it('reminds a quiet-role member asked through another role, as they were sent the request', async () => {
    // The CTO (quiet) also holds the manager role: asked as manager, they were sent the request, so are reminded.
    running = await startTestApp({
      clock: new FakeClock('2026-11-18T15:00:00Z'),
      policy: parsePolicy(
        `${MINIMAL_POLICY_YAML.replace('manager: [U0MGR0001]', 'manager: [U0CTO0001]')}` +
          'approvals: { quiet_roles: [cto] }\n',
        'quiet-cto.yml',
      ).policy,
    });
    const app = running;
    await submitted(app, MEDIUM, 3);
    expect(await remind(app, REQUESTER)).toBe(
      `Reminded <@${PEERS[0]}>, <@${PEERS[1]}>, <@U0CTO0001> about CHG-1, in the thread of their request.`,
    );
  });
});

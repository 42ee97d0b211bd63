import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approvalCandidates,
  approvalRequirements,
  cabItems,
  cabMeetings,
  changes,
  outbox,
  verbalApprovals,
} from '../../src/db/schema.js';
import { ACTIONS, cabBallotActionId, IMPLEMENTATION_ACTIONS, VIEWS } from '../../src/slack/ids.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  type ChangeFormInput,
  clickButton,
  clickInView,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitRejectReason,
} from '../support/interactions.js';
import { recordOwedEvidence } from '../support/preset-walk.js';
import { seedChangesAwaitingBoard } from '../support/seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Issue 15.5: the App Home is each person's inbox, published when it is opened and whenever a change they are
// part of moves.

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWNER01';
const PEER1 = 'U0PEER001';
const PEER2 = 'U0PEER002';
const MANAGER = 'U0MGR0001';
const SECURITY = 'U0SEC0001';
const CHAIR = 'U0CHAIR01';
const MEDIUM: ChangeFormInput['risk'] = [2, 2, 2, 1, 1]; // peer + manager
const HIGH: ChangeFormInput['risk'] = [3, 3, 2, 2, 2]; // peer, manager, security and the CAB

let running: TestApp | undefined;
async function start(): Promise<TestApp> {
  running = await startTestApp();
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const openHome = (app: TestApp, userId: string) =>
  app.event({ type: 'app_home_opened', user: userId, channel: `D${userId.slice(1)}`, tab: 'home', event_ts: '1.2' });
const publishes = (app: TestApp, userId: string) =>
  app.slack.callsTo('views.publish').filter((call) => call.params.user_id === userId);
const homeOf = (app: TestApp, userId: string) => JSON.stringify(publishes(app, userId).at(-1)?.params.view ?? {});
const blocksOf = (call: RecordedCall | undefined) =>
  ((call?.params.view as { blocks?: Record<string, unknown>[] } | undefined)?.blocks ?? []) as {
    type: string;
    text?: { text: string };
    elements?: { action_id?: string; value?: string }[];
  }[];
/** Every due outbox row delivered (timers due later, e.g. a conflict refresh, may still wait). */
const settled = (app: TestApp) =>
  app.database.db
    .select()
    .from(outbox)
    .all()
    .every((row) => row.status !== 'sending' && (row.status !== 'pending' || row.nextAttemptAt > app.clock.now()));
const changeState = (app: TestApp, id: number) =>
  app.database.db.select().from(changes).where(eq(changes.id, id)).get()?.state;

async function opened(app: TestApp, users: readonly string[]): Promise<void> {
  for (const userId of users) {
    expect((await openHome(app, userId)).status).toBe(200);
    await eventually(() => publishes(app, userId).length > 0, `${userId}'s Home`);
  }
}

async function submitted(app: TestApp, input: Partial<ChangeFormInput>, requester = REQUESTER): Promise<void> {
  const response = await submitChangeForm(app, requester, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.text).toBe('');
}

async function quiet(app: TestApp): Promise<void> {
  await eventually(() => settled(app), 'everything delivered', 5000);
}

describe('the App Home lists what each person must do', () => {
  it('an approver, a requester, an owner and the chair each see theirs, with working buttons', async () => {
    const app = await start();
    await opened(app, [PEER1, MANAGER, REQUESTER, OWNER, CHAIR]);
    expect(homeOf(app, PEER1)).toContain('Nothing waits for your decision.');

    // CHG-1: medium, waiting for a peer and the manager. CHG-2: low, approved by a peer; its owner starts it.
    await submitted(app, { risk: MEDIUM, ownerId: OWNER, systems: 'billing-api', title: 'Resize the billing pool' });
    await submitted(app, { ownerId: OWNER, systems: 'edge-proxy' });
    await quiet(app);
    await approve(app, PEER2, 'CHG-2');
    // CHG-3: high, from someone else: all but the board approve, then the chair posts the agenda.
    await submitted(app, { risk: HIGH, systems: 'payments-api', title: 'Payments TLS' }, 'U0REQ0002');
    await quiet(app);
    for (const approver of [PEER1, MANAGER, SECURITY]) await approve(app, approver, 'CHG-3');
    await quiet(app);
    await clickButton(app, CHAIR, ACTIONS.cabPostNow, 'next');
    await eventually(() => changeState(app, 2) === 'approved', 'CHG-2 approved');
    await quiet(app);

    const peer = homeOf(app, PEER1);
    expect(peer).toContain('*Waiting for your decision* (1), oldest first');
    expect(peer).toContain('*CHG-1 · Resize the billing pool*');
    expect(peer).toContain('you are asked as peer; due <!date^');
    expect(peer).toContain(`"action_id":"${ACTIONS.approve}","value":"CHG-1"`);
    expect(peer).not.toContain(`"value":"CHG-3"`);
    expect(homeOf(app, MANAGER)).toContain('you are asked as manager');

    const requester = homeOf(app, REQUESTER);
    expect(requester).toContain('Nothing waits for your decision.');
    expect(requester).toContain('*Your changes* (2), newest first');
    expect(requester).toMatch(
      /CHG-1 · Resize the billing pool\* — pending approval; waiting for peer, manager; due <!date\^/,
    );
    expect(requester).toContain(`approved; <@${OWNER}> starts it`);
    expect(requester).toContain('*The next 7 days*');

    const owner = homeOf(app, OWNER);
    expect(owner).toContain('*Waiting for you to implement* (1)');
    expect(owner).toContain(`"action_id":"${IMPLEMENTATION_ACTIONS.start}","value":"CHG-2"`);
    expect(owner).toContain('*Your changes* (1)');
    expect(owner).toContain('CHG-1 · Resize the billing pool* — pending approval');

    const chair = homeOf(app, CHAIR);
    expect(chair).toContain('*Put to the CAB* (1)');
    expect(chair).toContain('*CHG-3 · Payments TLS*');
    expect(chair).toContain('your decision as chair');
    expect(chair).toContain(`"action_id":"${cabBallotActionId('vote', 'approve')}","value":"ITEM-1:vote:approve"`);
    // The policy stays reachable: who authorizes an emergency now, and the command for the rest.
    expect(chair).toContain('Emergency authorization now');
    expect(chair).toContain('`/change policy`');

    // The owner starts CHG-2 from their Home: refused outside its window, with the answer on top of the Home…
    const before = publishes(app, OWNER).length;
    expect((await clickInView(app, OWNER, { actionId: IMPLEMENTATION_ACTIONS.start, value: 'CHG-2' })).status).toBe(
      200,
    );
    await eventually(() => publishes(app, OWNER).length > before, "the owner's Home republished");
    expect(homeOf(app, OWNER)).toContain(
      ':speech_balloon: CHG-2 cannot start now: it is outside the deployment windows',
    );
    // …and taken at its planned time, the Home then offering the next steps.
    const plannedStart = app.database.db.select().from(changes).where(eq(changes.id, 2)).get()?.plannedStart;
    app.clock.set(plannedStart ?? new Date());
    await recordOwedEvidence(app, OWNER, 'start', 2);
    await clickInView(app, OWNER, { actionId: IMPLEMENTATION_ACTIONS.start, value: 'CHG-2' });
    await eventually(() => changeState(app, 2) === 'implementing', 'CHG-2 started');
    await quiet(app);
    expect(homeOf(app, OWNER)).toContain(`"action_id":"${IMPLEMENTATION_ACTIONS.complete}","value":"CHG-2"`);
  }, 20_000);

  it('publishes within a second of app_home_opened, and only people who opened it are republished', async () => {
    const app = await start();
    const sent = Date.now();
    await openHome(app, PEER1);
    const published = await app.slack.waitForCall('views.publish');
    expect(published.at - sent).toBeLessThan(1000);
    await submitted(app, {});
    await quiet(app);
    // The other peer never opened the Home: Slack is not asked to publish one for them.
    expect(publishes(app, PEER1).length).toBeGreaterThan(1);
    expect(publishes(app, PEER2)).toEqual([]);
    expect(publishes(app, REQUESTER)).toEqual([]);
  });
});

describe('deciding from the Home', () => {
  it('approving there approves and republishes every Home concerned; no response_url is needed', async () => {
    const app = await start();
    await opened(app, [PEER1, PEER2, MANAGER, REQUESTER, OWNER]);
    await submitted(app, { risk: MEDIUM, ownerId: OWNER });
    await quiet(app);
    await approve(app, PEER1, 'CHG-1');
    await quiet(app);
    expect(homeOf(app, PEER2)).not.toContain('"value":"CHG-1"');
    expect(homeOf(app, MANAGER)).toContain(`"action_id":"${ACTIONS.approve}","value":"CHG-1"`);
    const counts = new Map([PEER2, MANAGER, REQUESTER, OWNER].map((user) => [user, publishes(app, user).length]));

    expect((await clickInView(app, MANAGER, { actionId: ACTIONS.approve, value: 'CHG-1' })).status).toBe(200);
    await eventually(() => changeState(app, 1) === 'approved', 'CHG-1 approved');
    await quiet(app);

    for (const [user, count] of counts) expect(publishes(app, user).length, user).toBeGreaterThan(count);
    const manager = homeOf(app, MANAGER);
    expect(manager).toContain('Your approval of CHG-1 is recorded. CHG-1 is now approved.');
    expect(manager).toContain('Nothing waits for your decision.');
    expect(homeOf(app, REQUESTER)).toContain(`CHG-1 · Rotate TLS certificates on the edge proxies* — approved`);
    expect(homeOf(app, OWNER)).toContain(`"action_id":"${IMPLEMENTATION_ACTIONS.start}","value":"CHG-1"`);
    expect(app.slack.callsTo('response_url').filter((call) => call.path.includes(MANAGER))).toEqual([]);
  });

  it('a refusal is answered on the Home; Reject opens its reason modal from there', async () => {
    const app = await start();
    await opened(app, [PEER1, PEER2, REQUESTER]);
    await submitted(app, {});
    await quiet(app);

    await clickInView(app, REQUESTER, { actionId: ACTIONS.approve, value: 'CHG-1' });
    await eventually(() => homeOf(app, REQUESTER).includes('someone else must approve it'), 'the refusal');
    expect(homeOf(app, REQUESTER)).toContain('You requested CHG-1, so someone else must approve it.');

    await clickInView(app, PEER2, { actionId: ACTIONS.reject, value: 'CHG-1' });
    const modal = await app.slack.waitForCall('views.open');
    expect((modal.params.view as { callback_id?: string }).callback_id).toBe(VIEWS.rejectReason);
    expect((await submitRejectReason(app, PEER2, 'CHG-1', 'Wrong window')).status).toBe(200);
    await eventually(() => changeState(app, 1) === 'rejected', 'CHG-1 rejected');
    await quiet(app);
    expect(homeOf(app, PEER1)).toContain('Nothing waits for your decision.');
    expect(homeOf(app, REQUESTER)).toContain('None of your changes is open.');
  });
});

/** 300 of everything for CHAIR: decisions, changes to implement, own changes, board items, verbal approvals. */
function seedBusyPerson(app: TestApp, userId: string): void {
  const now = app.clock.now();
  const { db } = app.database;
  const planned = (n: number) => {
    const start = new Date(now.getTime() + 3_600_000 + n * 600_000);
    return { plannedStart: start, plannedEnd: new Date(start.getTime() + 1_800_000) };
  };
  const change = (n: number, fields: Partial<typeof changes.$inferInsert>) => ({
    type: 'normal' as const,
    state: 'pending_approval' as const,
    title: `Change ${n}: ${'migrate the <ledger> & reconcile '.repeat(6)}`,
    description: 'Seeded',
    riskLevel: 'medium',
    computedRiskLevel: 'medium',
    riskScore: 8,
    requesterId: REQUESTER,
    ownerId: REQUESTER,
    affectedSystems: ['ledger'],
    createdAt: now,
    updatedAt: now,
    ...planned(n),
    ...fields,
  });
  db.transaction((tx) => {
    for (let n = 1; n <= 300; n += 1) {
      const [row] = tx.insert(changes).values(change(n, {})).returning({ id: changes.id }).all();
      const [requirement] = tx
        .insert(approvalRequirements)
        .values({
          changeId: row?.id ?? 0,
          role: 'peer',
          approvalsNeeded: 1,
          dueAt: new Date(now.getTime() + 86_400_000),
        })
        .returning({ id: approvalRequirements.id })
        .all();
      tx.insert(approvalCandidates)
        .values({ requirementId: requirement?.id ?? 0, userId })
        .run();
      tx.insert(changes)
        .values(change(n, { state: 'approved', ownerId: userId }))
        .run();
      tx.insert(changes)
        .values(change(n, { requesterId: userId, ownerId: userId, state: 'submitted' }))
        .run();
      tx.insert(verbalApprovals)
        .values({
          changeId: row?.id ?? 0,
          approverId: userId,
          role: 'manager',
          medium: 'phone',
          givenAt: now,
          recordedBy: REQUESTER,
          recordedAt: now,
        })
        .run();
    }
  });
  const firstBoardChange = 901;
  seedChangesAwaitingBoard(app.database, 300, now);
  const [meeting] = db
    .insert(cabMeetings)
    .values({
      kind: 'regular',
      slot: 'seeded',
      meetingAt: now,
      openedBy: 'cabinet',
      channelId: 'C0CAB0001',
      createdAt: now,
    })
    .returning({ id: cabMeetings.id })
    .all();
  for (let n = 0; n < 300; n += 1)
    db.insert(cabItems)
      .values({ meetingId: meeting?.id ?? 0, changeId: firstBoardChange + n, phase: 'approval', createdAt: now })
      .run();
}

describe('a very busy person', () => {
  it('with 300 of everything waiting gets a valid Home: counts, and /change list for the rest', async () => {
    const app = await start();
    seedBusyPerson(app, CHAIR);
    await openHome(app, CHAIR);
    const published = await app.slack.waitForCall('views.publish');
    await app.command('help'); // a later request was handled, so the event's listener has finished

    const blocks = blocksOf(published);
    expect(blocks.length).toBeLessThanOrEqual(100);
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    // Slack took it: nothing was queued to be tried again.
    expect(app.slack.callsTo('views.publish')).toHaveLength(1);
    expect(app.database.db.select().from(outbox).where(eq(outbox.kind, 'publish_home')).all()).toEqual([]);
    const home = JSON.stringify(published.params.view);
    expect(home).toContain('*Waiting for your decision* (300), oldest first');
    expect(home).toContain('…and 288 more: `/change list pending`.');
    expect(home).toContain('*Verbal approvals recorded in your name* (300)');
    expect(home).toContain('*Put to the CAB* (300)');
    expect(home).toContain('…and 292 more: `/change agenda`.');
    expect(home).toContain('*Waiting for you to implement* (300)');
    expect(home).toContain('*Your changes* (300), newest first');
    expect(home).toContain('`/change calendar 7`');
    expect(home).toContain('&lt;ledger&gt; &amp; reconcile');
    expect(home).not.toContain('<ledger>');
  });
});

describe('the Home shows the person’s delegation (issue 15.3, 15.5)', () => {
  it('says to whom their requests also go, and for whom they decide', async () => {
    const app = await start();
    const response = await app.command(`delegate <@${PEER2}> until 2026-11-27 Holiday`, { userId: MANAGER });
    expect(response.status).toBe(200);
    await opened(app, [MANAGER, PEER2]);
    expect(homeOf(app, MANAGER)).toContain(`Your approval requests also go to <@${PEER2}> until the end of 2026-11-27`);
    expect(homeOf(app, PEER2)).toContain(`You decide for <@${MANAGER}> until the end of 2026-11-27`);
  });
});

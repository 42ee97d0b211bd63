// The CAB end to end (POL-SEC-008 7): signed HTTP into the real app, a fake Slack Web API that
// enforces Block Kit limits, temp SQLite files with the real migrations, and a fake clock.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import {
  approvalDecisions,
  approvalRequirements,
  auditEvents,
  cabItems,
  cabMeetings,
  changes,
  jobRuns,
  outbox,
} from '../../src/db/schema.js';
import { cabAgendaJob } from '../../src/jobs/cab-agenda.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import { ACTIONS, cabBallotActionId, encodeBallotValue } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitCabReason,
  submitChangeForm,
  submitCloseMeeting,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { seedChangesAwaitingBoard } from '../support/seed.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CHAIR = 'U0CHAIR01';
const CAB_CHANNEL = 'C0CAB0001';
// Tuesday 10:00 in New York: the next CAB (Wednesdays 10:00, 7.2) is 2026-11-18T15:00:00Z.
const TUESDAY = '2026-11-17T15:00:00Z';
const NEXT_CAB = '2026-11-18T15:00:00Z';
const HIGH_RISK: [number, number, number, number, number] = [3, 3, 2, 2, 2];

const running: TestApp[] = [];
const databases: TempDatabase[] = [];
async function start(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp({ clock: new FakeClock(TUESDAY), ...options });
  running.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
  for (const database of databases.splice(0)) database.dispose();
});

function policyWith(cab: string): Policy {
  return parsePolicy(MINIMAL_POLICY_YAML.replace(/^cab: .*$/m, cab), 'policy.yml').policy;
}

const rootPosts = (app: TestApp) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === CAB_CHANNEL && call.params.thread_ts === undefined);
const threadPosts = (app: TestApp) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === CAB_CHANNEL && call.params.thread_ts !== undefined);
const dmTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === `D${userId.slice(1)}`)
    .map((call) => String(call.params.text));
/** What `/change …` answered through its response URL (after acking), oldest first. */
const commandReplies = (app: TestApp) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.path === '/response/cmd')
    .map((call) => String(call.params.text));
const ephemeralTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.path.includes(userId))
    .map((call) => String(call.params.text));
const blockTexts = (call: RecordedCall | undefined) => JSON.stringify(call?.params.blocks ?? []);
const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const meetings = (app: TestApp) => app.database.db.select().from(cabMeetings).all();
const items = (app: TestApp) => app.database.db.select().from(cabItems).all();
const ballot = (itemId: number, kind: 'vote' | 'decide', outcome: 'approve' | 'reject' | 'defer') =>
  encodeBallotValue({ itemId, kind, outcome });
const castBallot = (
  app: TestApp,
  userId: string,
  itemId: number,
  kind: 'vote' | 'decide',
  outcome: 'approve' | 'reject' | 'defer',
) => clickButton(app, userId, cabBallotActionId(kind, outcome), ballot(itemId, kind, outcome));

/** A high-risk change (4.4: peer, manager, security and the CAB) with every approval but the board's. */
async function highChangeAwaitingBoard(app: TestApp, title = 'Rotate the payments TLS certificates'): Promise<void> {
  const response = await submitChangeForm(app, REQUESTER, {
    ...defaultChangeForm(app.clock.now()),
    title,
    risk: HIGH_RISK,
  });
  expect(response.text).toBe('');
  await eventually(
    () =>
      app.slack.callsTo('chat.postMessage').filter((call) => String(call.params.text).startsWith('Approval requested'))
        .length >= 4,
    'the approval requests',
  );
  for (const approver of ['U0PEER001', 'U0MGR0001', 'U0SEC0001'])
    expect((await approve(app, approver, 'CHG-1')).status).toBe(200);
  await eventually(() => ephemeralTexts(app, 'U0SEC0001').length > 0, 'the last approval');
  expect(changeRow(app)?.state).toBe('pending_approval');
}

/** `/change agenda` as `userId`: the preview comes through the response URL after the ack. */
async function previewAgenda(app: TestApp, userId: string): Promise<RecordedCall | undefined> {
  const before = app.slack.callsTo('response_url').length;
  expect((await app.command('agenda', { userId })).status).toBe(200);
  await eventually(() => app.slack.callsTo('response_url').length > before, 'the agenda preview');
  return app.slack.callsTo('response_url')[before];
}

async function postAgendaNow(app: TestApp): Promise<void> {
  await clickButton(app, CHAIR, ACTIONS.cabPostNow, 'next');
  await eventually(() => rootPosts(app).length === 1, 'the agenda in the CAB channel');
}

describe('the weekly agenda is posted exactly once per slot (7.2)', () => {
  it('posts a slot missed while down once at start, marked late; a restart or 2nd process posts no more', async () => {
    const database = openTempDatabase();
    databases.push(database);
    // 11:30 in New York: the 10:00 slot was missed, and the default grace period is 4 hours.
    const first = await start({ database, scheduler: true, clock: new FakeClock('2026-11-18T16:30:00Z') });
    await eventually(() => rootPosts(first).length === 1, 'the late agenda');
    const root = rootPosts(first)[0];
    expect(String(root?.params.text)).toContain('CAB agenda');
    expect(blockTexts(root)).toContain('Posted late');
    expect(blockTexts(root)).toContain('Review of previous changes');
    expect(blockTexts(root)).toContain('Open issues and concerns');
    // The chair gets a DM with a link to it.
    await eventually(() => dmTexts(first, CHAIR).length === 1, "the chair's link");
    expect(dmTexts(first, CHAIR)[0]).toContain(`https://cabinet-test.slack.com/archives/${CAB_CHANNEL}/p`);
    await first.close();
    running.splice(running.indexOf(first), 1);

    // A restart inside the same slot, and meanwhile a second process on the same database file.
    const second = await start({ database, scheduler: true, clock: new FakeClock('2026-11-18T16:45:00Z') });
    const otherConnection = openDatabase(database.path);
    const third = await start({
      database: { ...otherConnection, path: database.path, dispose: () => otherConnection.close() },
      scheduler: true,
      clock: new FakeClock('2026-11-18T16:45:00Z'),
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the outboxes poll every 25 ms
    expect(rootPosts(second)).toHaveLength(0);
    expect(rootPosts(third)).toHaveLength(0);
    await third.close();
    running.splice(running.indexOf(third), 1);
    otherConnection.close();

    expect(meetings(second)).toHaveLength(1);
    expect(meetings(second)[0]).toMatchObject({
      kind: 'regular',
      slot: NEXT_CAB.replace('Z', '.000Z'),
      late: true,
      openedBy: 'cabinet',
    });
    const runs = second.database.db.select().from(jobRuns).all();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'cab_agenda', status: 'succeeded' });
  });

  it('does not post a slot missed by more than the grace period (cab.missed_agenda_grace_hours)', async () => {
    const app = await start({
      scheduler: true,
      clock: new FakeClock('2026-11-18T19:30:00Z'),
      policy: policyWith('cab: { channel: C0CAB0001, chair: U0CHAIR01, missed_agenda_grace_hours: 4 }'),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rootPosts(app)).toHaveLength(0);
    expect(meetings(app)).toHaveLength(0);
  });

  it('posts each cron slot once while running, with two processes on one database', async () => {
    // Every two seconds, so the test sees real cron slots fire.
    const policy = policyWith('cab: { channel: C0CAB0001, chair: U0CHAIR01, schedule: "*/2 * * * * *" }');
    const database = openTempDatabase();
    databases.push(database);
    const otherConnection = openDatabase(database.path);
    const one = await start({ database, scheduler: true, policy });
    const two = await start({
      database: { ...otherConnection, path: database.path, dispose: () => otherConnection.close() },
      scheduler: true,
      policy,
    });
    await eventually(() => meetings(one).length >= 2, 'two slots', 6000);
    await eventually(() => rootPosts(one).length + rootPosts(two).length >= 2, 'their posts', 3000);
    await Promise.all([one.close(), two.close()]);
    running.splice(0);
    otherConnection.close();

    const held = database.db.select().from(cabMeetings).all();
    const slots = held.map((meeting) => meeting.slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect(rootPosts(one).length + rootPosts(two).length).toBe(held.filter((meeting) => meeting.ts !== null).length);
    const runs = database.db.select().from(jobRuns).all();
    expect(new Set(runs.map((run) => run.slot)).size).toBe(runs.length);
  });
});

describe('CAB votes and decisions (7.1, 7.3)', () => {
  it('chair rule: members vote, the chair decides, the requester is told; minutes stored and retrieved', async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    // The board's requirement is not asked of the members one by one.
    expect(dmTexts(app, 'U0CAB0001')).toHaveLength(0);

    // Anyone previews the next agenda; only the chair gets "Post now".
    const preview = blockTexts(await previewAgenda(app, 'U0PEER002'));
    expect(preview).toContain('*CHG-1* · Rotate the payments TLS certificates · High · owner <@U0REQ0001>');
    expect(preview).not.toContain(ACTIONS.cabPostNow);
    expect(blockTexts(await previewAgenda(app, CHAIR))).toContain(ACTIONS.cabPostNow);
    await clickButton(app, 'U0PEER002', ACTIONS.cabPostNow, 'next');
    await eventually(
      () => ephemeralTexts(app, 'U0PEER002').some((text) => text.includes('Only the CAB chair')),
      'the refusal',
    );

    await postAgendaNow(app);
    await eventually(
      () => threadPosts(app).some((call) => String(call.params.text).startsWith('CAB: CHG-1')),
      'the item in the thread',
    );
    const [item] = items(app);
    expect(item).toMatchObject({ changeId: 1, phase: 'approval', outcome: null });
    const itemId = item?.id ?? 0;
    // The scheduled run of that slot finds it posted.
    await cabAgendaJob({
      policy: app.policy,
      database: app.database,
      clock: app.clock,
      outbox: { kick: () => undefined },
    }).run(new Date(NEXT_CAB), { late: false });
    expect(meetings(app)).toHaveLength(1);

    // Members vote; the requester, a stranger and a member deciding are refused.
    await castBallot(app, 'U0CAB0001', itemId, 'vote', 'approve');
    await castBallot(app, 'U0CAB0001', itemId, 'vote', 'approve');
    await castBallot(app, REQUESTER, itemId, 'vote', 'approve');
    await castBallot(app, 'U0PEER002', itemId, 'vote', 'approve');
    await castBallot(app, 'U0CAB0002', itemId, 'decide', 'approve');
    await eventually(() => ephemeralTexts(app, 'U0CAB0002').length === 1, 'the refusal');
    expect(ephemeralTexts(app, 'U0CAB0001')).toEqual([
      `Your vote to approve CHG-1 is recorded.`,
      'Your vote to approve CHG-1 is already recorded.',
    ]);
    expect(ephemeralTexts(app, REQUESTER).at(-1)).toContain('You requested CHG-1');
    expect(ephemeralTexts(app, 'U0PEER002').at(-1)).toBe('Only CAB members vote on CHG-1; nothing was recorded.');
    expect(ephemeralTexts(app, 'U0CAB0002')[0]).toContain('Only the CAB chair decides CHG-1');
    await eventually(
      () => app.slack.callsTo('chat.update').some((call) => blockTexts(call).includes('Approve (1): <@U0CAB0001>')),
      'the votes shown on the item',
    );
    expect(changeRow(app)?.state).toBe('pending_approval');

    // The chair decides.
    await castBallot(app, CHAIR, itemId, 'decide', 'approve');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    await eventually(
      () =>
        dmTexts(app, REQUESTER).some((text) =>
          text.includes('CHG-1 · Rotate the payments TLS certificates* is approved'),
        ),
      'the requester told',
    );
    const board = app.database.db.select().from(approvalDecisions).where(eq(approvalDecisions.source, 'cab')).all();
    expect(board).toHaveLength(1);
    expect(board[0]).toMatchObject({ approverId: CHAIR, role: 'cab', decision: 'approve' });
    expect(board[0]?.reason).toContain('votes: approve 1, reject 0, defer 0');
    expect(
      app.database.db.select().from(approvalRequirements).where(eq(approvalRequirements.role, 'cab')).get()
        ?.satisfiedAt,
    ).not.toBeNull();
    await eventually(
      () => app.slack.callsTo('chat.update').some((call) => blockTexts(call).includes('Approved by the board')),
      'the item updated',
    );
    // A late vote is refused.
    await castBallot(app, 'U0CAB0002', itemId, 'vote', 'reject');
    await eventually(() => ephemeralTexts(app, 'U0CAB0002').length === 2, 'the refusal');
    expect(ephemeralTexts(app, 'U0CAB0002')[1]).toBe('The board already decided CHG-1: approved.');

    // Only the chair closes the meeting; the minutes are stored, posted and retrievable.
    await clickButton(app, 'U0CAB0001', ACTIONS.cabClose, 'CAB-1');
    await eventually(
      () => ephemeralTexts(app, 'U0CAB0001').includes('Only the CAB chair closes the meeting.'),
      'the refusal',
    );
    expect((await submitCloseMeeting(app, CHAIR, 'CAB-1', 'Certificates: <urgent> & on time')).text).toBe('');
    await eventually(
      () => threadPosts(app).some((call) => String(call.params.text).startsWith('CAB minutes')),
      'the minutes in the thread',
    );
    const minutes = meetings(app)[0]?.minutes;
    expect(minutes?.items).toEqual([
      expect.objectContaining({
        ref: 'CHG-1',
        outcome: 'approve',
        decidedBy: CHAIR,
        votes: [{ voterId: 'U0CAB0001', vote: 'approve' }],
      }),
    ]);
    expect(minutes?.notes).toBe('Certificates: <urgent> & on time');
    expect(minutes?.participants).toEqual(['U0CAB0001', CHAIR]);
    expect((await submitCloseMeeting(app, CHAIR, 'CAB-1', 'again')).text).toContain('already closed');

    const byDate = await app.command('cab minutes 2026-11-18', { userId: 'U0PEER002' });
    const shown = JSON.stringify(byDate.json);
    expect(shown).toContain('*CHG-1* · Rotate the payments TLS certificates — *approved* by <@U0CHAIR01>');
    expect(shown).toContain('Certificates: &lt;urgent&gt; &amp; on time'); // escaped for mrkdwn
    expect(JSON.stringify((await app.command('cab minutes', { userId: 'U0PEER002' })).json)).toContain('CAB minutes');
    const none = await app.command('cab minutes 2026-11-11', { userId: 'U0PEER002' });
    expect(JSON.stringify(none.json)).toContain(
      'No CAB minutes for 2026-11-11. Recent meetings with minutes: 2026-11-18.',
    );
    expect(JSON.stringify((await app.command('cab minutes last week', { userId: 'U0PEER002' })).json)).toContain(
      'YYYY-MM-DD',
    );
    const audit = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .map((event) => event.type);
    expect(audit).toEqual(
      expect.arrayContaining([
        'cab.meeting_opened',
        'cab.put_to_board',
        'cab.voted',
        'cab.decided',
        'change.approve',
        'cab.meeting_closed',
      ]),
    );
  });

  it('under the quorum rule the outcome that first has the quorum decides; a member may change a vote', async () => {
    const app = await start({
      policy: policyWith('cab: { channel: C0CAB0001, chair: U0CHAIR01, decision_rule: quorum, quorum: 2 }'),
    });
    await highChangeAwaitingBoard(app);
    await postAgendaNow(app);
    await eventually(() => items(app).length === 1, 'the item');
    const itemId = items(app)[0]?.id ?? 0;
    await castBallot(app, 'U0CAB0001', itemId, 'vote', 'approve');
    await castBallot(app, 'U0CAB0001', itemId, 'vote', 'reject');
    await castBallot(app, CHAIR, itemId, 'decide', 'approve');
    await eventually(() => ephemeralTexts(app, CHAIR).length === 2, 'the refusal'); // after the "Post now" answer
    expect(ephemeralTexts(app, CHAIR)[1]).toContain('by a quorum of 2 votes; vote instead');
    expect(changeRow(app)?.state).toBe('pending_approval');
    await castBallot(app, 'U0CAB0002', itemId, 'vote', 'reject');
    await eventually(() => changeRow(app)?.state === 'rejected', 'the rejection');
    await eventually(
      () =>
        dmTexts(app, REQUESTER).some(
          (text) => text.includes('was rejected by <@U0CAB0002>') && text.includes('rejected by a quorum of 2'),
        ),
      'the requester told',
    );
    expect(items(app)[0]).toMatchObject({ outcome: 'reject', decidedBy: 'U0CAB0002' });
  });

  it('a deferral keeps the change waiting, tells the requester why, and puts it on the next agenda', async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await postAgendaNow(app);
    await eventually(() => items(app).length === 1, 'the item');
    const itemId = items(app)[0]?.id ?? 0;
    await castBallot(app, CHAIR, itemId, 'decide', 'reject');
    await eventually(() => app.slack.callsTo('views.open').length === 1, 'the reason modal');
    expect((await submitCabReason(app, CHAIR, ballot(itemId, 'decide', 'reject'), '')).json).toMatchObject({
      response_action: 'errors',
    });
    expect(
      (await submitCabReason(app, CHAIR, ballot(itemId, 'decide', 'defer'), 'Needs a load-test report')).text,
    ).toBe('');
    await eventually(
      () =>
        dmTexts(app, REQUESTER).some(
          (text) => text.includes('The CAB deferred') && text.includes('Needs a load-test report'),
        ),
      'the requester told',
    );
    expect(changeRow(app)?.state).toBe('pending_approval');

    // The next week's agenda puts it to the board again.
    app.clock.set('2026-11-24T15:00:00Z');
    expect(blockTexts(await previewAgenda(app, 'U0PEER002'))).toContain('*CHG-1*');
  });
});

/** The buttons of the item's message as the CAB channel shows them to everyone, by their label. */
function itemButtons(app: TestApp): Map<string, { actionId: string; value: string }> {
  const post = threadPosts(app).find((call) => String(call.params.text).startsWith('CAB: CHG-1'));
  const blocks = (post?.params.blocks ?? []) as {
    type: string;
    elements?: { type: string; text?: { text: string }; action_id?: string; value?: string }[];
  }[];
  const buttons = blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .filter((element) => element.type === 'button');
  return new Map(
    buttons.map((element) => [
      element.text?.text ?? '',
      { actionId: element.action_id ?? '', value: element.value ?? '' },
    ]),
  );
}

/** `userId` clicks the item's button labelled `label`, as it was posted. */
async function clickItemButton(app: TestApp, userId: string, label: string): Promise<void> {
  const shown = itemButtons(app).get(label);
  expect(shown, label).toBeDefined();
  expect((await clickButton(app, userId, shown?.actionId ?? '', shown?.value ?? '')).status).toBe(200);
}

async function itemPosted(app: TestApp): Promise<number> {
  await postAgendaNow(app);
  await eventually(
    () => threadPosts(app).some((call) => String(call.params.text).startsWith('CAB: CHG-1')),
    'the item in the thread',
  );
  return items(app)[0]?.id ?? 0;
}

const boardDecisions = (app: TestApp) =>
  app.database.db.select().from(approvalDecisions).where(eq(approvalDecisions.source, 'cab')).all();
const decidedEvents = (app: TestApp) =>
  app.database.db
    .select()
    .from(auditEvents)
    .all()
    .filter((event) => event.type === 'cab.decided');

describe('CAB posts go out at once', () => {
  it("the items after the agenda, and the chair's link, do not wait for the outbox's next poll", async () => {
    const app = await start({ outboxPollMs: 60_000 });
    await highChangeAwaitingBoard(app);
    await postAgendaNow(app);
    await eventually(
      () => threadPosts(app).some((call) => String(call.params.text).startsWith('CAB: CHG-1')),
      'the item in the thread',
      1000,
    );
    await eventually(() => dmTexts(app, CHAIR).length === 1, "the chair's link", 1000);
  });
});

describe('the chair decides with one click (7.1, decision_rule: chair)', () => {
  it("shows one Approve and one Reject; the chair's click on Approve decides, a member's is a vote", async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await itemPosted(app);
    expect([...itemButtons(app).keys()]).toEqual(['Approve', 'Reject', 'Defer', 'Details']);

    await clickItemButton(app, 'U0CAB0001', 'Approve');
    await eventually(() => ephemeralTexts(app, 'U0CAB0001').length === 1, 'the answer');
    expect(ephemeralTexts(app, 'U0CAB0001')).toEqual(['Your vote to approve CHG-1 is recorded.']);
    expect(changeRow(app)?.state).toBe('pending_approval');

    await clickItemButton(app, CHAIR, 'Approve');
    await eventually(() => ephemeralTexts(app, CHAIR).length === 2, 'the answer'); // after the "Post now" answer
    expect(ephemeralTexts(app, CHAIR)[1]).toBe("Your decision is recorded. The board's decision: CHG-1 is approved.");
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    expect(items(app)[0]).toMatchObject({ outcome: 'approve', decidedBy: CHAIR });
    expect(items(app)[0]?.reason).toContain('approved by the chair at the CAB of 2026-11-18');
    expect(boardDecisions(app)).toEqual([
      expect.objectContaining({ approverId: CHAIR, role: 'cab', decision: 'approve' }),
    ]);
    expect(decidedEvents(app).map((event) => event.data)).toEqual([
      expect.objectContaining({ outcome: 'approve', rule: 'chair' }),
    ]);
    // The chair's click is the decision, not a vote beside it.
    const minutesVotes = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .filter((event) => event.type === 'cab.voted')
      .map((event) => event.actorId);
    expect(minutesVotes).toEqual(['U0CAB0001']);
    await eventually(
      () =>
        dmTexts(app, REQUESTER).some((text) =>
          text.includes('CHG-1 · Rotate the payments TLS certificates* is approved'),
        ),
      'the requester told',
    );
  });

  it("the chair's click on Reject asks why, then rejects; a second submission decides nothing more", async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await itemPosted(app);
    await clickItemButton(app, 'U0CAB0002', 'Reject');
    await eventually(() => ephemeralTexts(app, 'U0CAB0002').length === 1, 'the answer');
    expect(ephemeralTexts(app, 'U0CAB0002')).toEqual(['Your vote to reject CHG-1 is recorded.']);
    expect(app.slack.callsTo('views.open')).toHaveLength(0);

    await clickItemButton(app, CHAIR, 'Reject');
    await clickItemButton(app, CHAIR, 'Reject');
    await eventually(() => app.slack.callsTo('views.open').length === 2, 'the reason modals');
    const modal = app.slack.callsTo('views.open')[0]?.params.view as { private_metadata: string };
    expect(modal.private_metadata).toBe(ballot(1, 'decide', 'reject'));
    expect(JSON.stringify(modal)).toContain("the board's decision: *rejected*");
    expect(changeRow(app)?.state).toBe('pending_approval');

    expect((await submitCabReason(app, CHAIR, modal.private_metadata, 'No rollback tested')).text).toBe('');
    await eventually(() => changeRow(app)?.state === 'rejected', 'the rejection');
    expect(items(app)[0]).toMatchObject({ outcome: 'reject', decidedBy: CHAIR });
    expect(items(app)[0]?.reason).toContain('No rollback tested');
    const again = await submitCabReason(app, CHAIR, modal.private_metadata, 'Still no rollback');
    expect(again.json).toMatchObject({
      response_action: 'errors',
      errors: { cab_reason: 'The board already decided CHG-1: rejected.' },
    });
    expect(boardDecisions(app)).toEqual([
      expect.objectContaining({ approverId: CHAIR, role: 'cab', decision: 'reject' }),
    ]);
    expect(decidedEvents(app)).toHaveLength(1);
    await eventually(
      () => dmTexts(app, REQUESTER).some((text) => text.includes('No rollback tested')),
      'the requester told',
    );
  });

  it("the chair's double click on Approve decides once", async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await itemPosted(app);
    await Promise.all([clickItemButton(app, CHAIR, 'Approve'), clickItemButton(app, CHAIR, 'Approve')]);
    await eventually(() => ephemeralTexts(app, CHAIR).length === 3, 'both answers'); // after the "Post now" answer
    expect(ephemeralTexts(app, CHAIR).slice(1).sort()).toEqual([
      'The board already decided CHG-1: approved.',
      "Your decision is recorded. The board's decision: CHG-1 is approved.",
    ]);
    expect(changeRow(app)?.state).toBe('approved');
    expect(boardDecisions(app)).toHaveLength(1);
    expect(decidedEvents(app)).toHaveLength(1);
  });

  it("under the quorum rule the chair's click on Approve is a vote like the members'", async () => {
    const app = await start({
      policy: policyWith('cab: { channel: C0CAB0001, chair: U0CHAIR01, decision_rule: quorum, quorum: 2 }'),
    });
    await highChangeAwaitingBoard(app);
    await itemPosted(app);
    expect(blockTexts(threadPosts(app).at(-1))).not.toContain("your click is the board's decision");
    await clickItemButton(app, CHAIR, 'Approve');
    await eventually(() => ephemeralTexts(app, CHAIR).length === 2, 'the answer'); // after the "Post now" answer
    expect(ephemeralTexts(app, CHAIR)[1]).toBe('Your vote to approve CHG-1 is recorded.');
    expect(changeRow(app)?.state).toBe('pending_approval');
    await clickItemButton(app, 'U0CAB0001', 'Approve');
    await eventually(() => changeRow(app)?.state === 'approved', 'the quorum');
    expect(items(app)[0]).toMatchObject({ outcome: 'approve', decidedBy: 'U0CAB0001' });
  });
});

describe('emergency CAB (7.2)', () => {
  it('`/change cab convene CHG-n` posts the change with vote buttons and mentions the members, once', async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    // It is on the weekly agenda already; the emergency CAB supersedes that item.
    await postAgendaNow(app);
    await eventually(() => items(app)[0]?.ts != null, 'the agenda item');
    const agendaItemId = items(app)[0]?.id ?? 0;
    await app.command('cab convene CHG-1', { userId: 'U0PEER002' });
    await eventually(() => commandReplies(app).length === 1, 'the refusal');
    expect(commandReplies(app)[0]).toContain('Only the CAB chair, a CAB member, or the requester or owner');

    await app.command('cab convene CHG-1', { userId: REQUESTER });
    await eventually(() => rootPosts(app).length === 2, 'the emergency CAB post');
    const post = blockTexts(rootPosts(app)[1]);
    expect(post).toContain('Emergency CAB');
    for (const member of [CHAIR, 'U0CAB0001', 'U0CAB0002']) expect(post).toContain(`<@${member}>`);
    expect(post).toContain(cabBallotActionId('vote', 'approve'));
    // One set of buttons: under the chair rule the chair's click on any of them decides.
    expect(post).not.toContain(cabBallotActionId('decide', 'reject'));
    expect(post).toContain("your click is the board's decision");
    await app.command('cab convene CHG-1', { userId: REQUESTER });
    await eventually(() => commandReplies(app).some((text) => text.includes('already open')), 'the second answer');
    expect(rootPosts(app)).toHaveLength(2);
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some((call) => blockTexts(call).includes('CHG-1 was put to the board again since: vote there.')),
      'the agenda item superseded',
    );
    await castBallot(app, 'U0CAB0001', agendaItemId, 'vote', 'approve');
    await eventually(() => ephemeralTexts(app, 'U0CAB0001').length === 1, 'the refusal');
    expect(ephemeralTexts(app, 'U0CAB0001')[0]).toBe(
      'CHG-1 was put to the board again since; vote on its latest agenda. Nothing was recorded.',
    );

    const itemId = items(app)[1]?.id ?? 0;
    await castBallot(app, CHAIR, itemId, 'decide', 'approve');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some(
            (call) => blockTexts(call).includes('Emergency CAB') && blockTexts(call).includes('Approved by the board'),
          ),
      'the post updated',
    );

    const bad = await app.command('cab convene CHG-99', { userId: REQUESTER });
    expect(bad.status).toBe(200);
    await eventually(() => commandReplies(app).some((text) => text.includes('CHG-99 does not exist')), 'the answer');
    expect(JSON.stringify((await app.command('cab convene tomorrow', { userId: REQUESTER })).json)).toContain(
      '/change cab convene CHG-<number>',
    );
  });

  it('7.2 "within 4 hours": an emergency CAB undecided at its deadline is chased in its thread', async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await app.command('cab convene CHG-1', { userId: REQUESTER });
    await eventually(() => rootPosts(app).length === 1, 'the emergency CAB post');
    const overdue = () => threadPosts(app).filter((call) => String(call.params.text).includes('was due'));
    app.clock.advance(3 * 3_600_000 + 59 * 60_000);
    await app.command('help');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(overdue()).toHaveLength(0);
    app.clock.advance(60_000);
    await eventually(() => overdue().length === 1, 'the chase');
    const text = String(overdue()[0]?.params.text);
    expect(text).toContain("the board's decision on *CHG-1");
    expect(text).toContain('(within 4 h, POL-SEC-008 7.2) and is still open');
    for (const member of [CHAIR, 'U0CAB0001', 'U0CAB0002']) expect(text).toContain(`<@${member}>`);
    const events = app.database.db.select().from(auditEvents).all();
    expect(events.filter((event) => event.type === 'cab.emergency_overdue')).toHaveLength(1);
  });

  it('an emergency CAB decided before its deadline is not chased', async () => {
    const app = await start();
    await highChangeAwaitingBoard(app);
    await app.command('cab convene CHG-1', { userId: REQUESTER });
    await eventually(() => items(app)[0]?.ts != null, 'the emergency CAB post');
    await castBallot(app, CHAIR, items(app)[0]?.id ?? 0, 'decide', 'approve');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    app.clock.advance(5 * 3_600_000);
    await app.command('help');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threadPosts(app).filter((call) => String(call.params.text).includes('was due'))).toHaveLength(0);
    const events = app.database.db.select().from(auditEvents).all();
    expect(events.filter((event) => event.type === 'cab.emergency_overdue')).toHaveLength(0);
  });

  it('refuses to convene for a change the board does not decide', async () => {
    const app = await start();
    await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), risk: [2, 2, 2, 1, 1] });
    await eventually(() => changeRow(app)?.state === 'pending_approval', 'the change');
    await app.command('cab convene CHG-1', { userId: REQUESTER });
    await eventually(() => commandReplies(app).length === 1, 'the answer');
    expect(commandReplies(app)[0]).toBe(
      'CHG-1 is not waiting for a CAB decision (it is pending approval); there is nothing to convene for.',
    );
    expect(rootPosts(app)).toHaveLength(0);
  });
});

describe('big agendas (Block Kit limits)', () => {
  it('posts a 300-change agenda as messages Slack accepts, the rest continuing in the thread', async () => {
    const app = await start();
    seedChangesAwaitingBoard(app.database, 300, app.clock.now());
    const preview = await previewAgenda(app, CHAIR);
    expect((preview?.params.blocks as unknown[] | undefined)?.length).toBeLessThanOrEqual(50);

    await postAgendaNow(app);
    await eventually(
      () => items(app).length === 300 && items(app).every((item) => item.ts !== null),
      'every item posted',
      20_000,
    );
    await eventually(() => dmTexts(app, CHAIR).length === 1, "the chair's link");
    const failed = app.database.db
      .select()
      .from(outbox)
      .all()
      .filter((row) => row.status !== 'sent' || row.lastError !== null);
    expect(failed).toEqual([]);
    const pages = threadPosts(app).filter((call) => String(call.params.text).includes('(continued,'));
    expect(pages.length).toBeGreaterThan(1);
    const agendaText = [rootPosts(app)[0], ...pages].map(blockTexts).join('');
    for (const ref of ['CHG-1*', 'CHG-150*', 'CHG-300*']) expect(agendaText).toContain(ref);
    for (const call of [...rootPosts(app), ...threadPosts(app)])
      expect((call.params.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  }, 30_000);
});

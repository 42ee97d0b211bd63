// Emergency records auditors can trust (issue 14 items 2 and 3, POL-SEC-008 6.3, 6.4): the declaration
// is kept beside the documentation, verbal approvals are bounded in time, and a disputed authorization
// blocks closing until it is resolved. Signed HTTP into the real app, the fake Slack, a temp SQLite file.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { changes, changeVersions, verbalApprovals } from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitDocumentation,
  submitEmergencyForm,
  submitVerbalApproval,
} from '../support/interactions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Wednesday 10:00 in New York (the policy timezone): business hours.
const BUSINESS_HOURS = '2026-11-18T15:00:00Z';
const DECLARED_TITLE = 'Checkout returns 502 for all users';
const DOCUMENTED_TITLE = 'Roll back the ingress controller';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});
async function start(): Promise<TestApp> {
  running = await startTestApp({ clock: new FakeClock(BUSINESS_HOURS) });
  return running;
}

const dmTo = (userId: string) => `D${userId.slice(1)}`;
const changeRow = (app: TestApp) => app.database.db.select().from(changes).where(eq(changes.id, 1)).get();
const lastUpdateTo = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.update')
    .filter((call) => call.params.channel === dmTo(userId))
    .at(-1);
const blocksOf = (call: { params: Record<string, unknown> } | undefined) => JSON.stringify(call?.params.blocks ?? '');

function verbal(app: TestApp, approverId: string, givenAt = new Date(app.clock.now().getTime() - 5 * MINUTE)) {
  return submitVerbalApproval(app, REQUESTER, 'CHG-1', {
    approverId,
    medium: 'phone',
    givenAt,
    note: 'Bridge call, incident INC-42',
  });
}

async function declared(app: TestApp): Promise<void> {
  expect((await submitEmergencyForm(app, REQUESTER)).status).toBe(200);
  await eventually(
    () =>
      app.slack
        .callsTo('chat.postMessage')
        .filter((call) => String(call.params.text).startsWith('Emergency authorization requested')).length === 2,
    'authorization requests',
  );
}

async function documented(app: TestApp, title = DOCUMENTED_TITLE): Promise<void> {
  const ranAt = new Date(app.clock.now().getTime() - HOUR);
  const response = await submitDocumentation(app, REQUESTER, 'CHG-1', {
    ...defaultChangeForm(app.clock.now()),
    title,
    risk: [2, 2, 2, 1, 1],
    plannedStart: ranAt,
    plannedEnd: new Date(ranAt.getTime() + 20 * MINUTE),
  });
  expect(response.text).toBe('');
}

describe('emergency records are versioned, never overwritten (6.4)', () => {
  it("documenting with a new title leaves the authorizers' messages showing what they authorized", async () => {
    const app = await start();
    await declared(app);
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await verbal(app, 'U0MGR0001');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized');
    await documented(app);
    expect(changeRow(app)?.title).toBe(DOCUMENTED_TITLE);

    const versions = app.database.db.select().from(changeVersions).all();
    expect(versions.map((v) => [v.version, v.kind, v.title, v.recordedBy])).toEqual([
      [1, 'declared', DECLARED_TITLE, REQUESTER],
      [2, 'documented', DOCUMENTED_TITLE, REQUESTER],
    ]);
    // Both authorizers' DMs (a button click and a verbal approval) and the confirmation request are
    // refreshed after the documentation: they still show the declaration, marked.
    const refreshedAfter = (userId: string, startsWith: string) =>
      app.slack
        .callsTo('chat.update')
        .filter((call) => call.params.channel === dmTo(userId) && String(call.params.text).startsWith(startsWith))
        .filter((call) => blocksOf(call).includes('pending retro approval'))
        .at(-1);
    for (const userId of ['U0SEC0001', 'U0MGR0001']) {
      await eventually(() => refreshedAfter(userId, 'Status:') !== undefined, `${userId} DM refreshed`);
      const update = refreshedAfter(userId, 'Status:');
      expect(String(update?.params.text)).toContain(DECLARED_TITLE);
      expect(blocksOf(update)).toContain(DECLARED_TITLE);
      expect(blocksOf(update)).not.toContain(DOCUMENTED_TITLE);
      expect(blocksOf(update)).toContain('documented later — see Details');
    }
    await eventually(
      () => blocksOf(lastUpdateTo(app, 'U0MGR0001')).includes('documented later'),
      'confirmation request refreshed',
    );
    const confirmation = app.slack
      .callsTo('chat.update')
      .filter((call) => String(call.params.text).includes('verbal approval'))
      .at(-1);
    expect(blocksOf(confirmation)).toContain(DECLARED_TITLE);
    expect(blocksOf(confirmation)).toContain('documented later — see Details');

    // The retro-approval requests ask about the documentation; Details and /change show give both.
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) =>
            String(call.params.text).startsWith(`Formal approval requested for emergency: CHG-1 · ${DOCUMENTED_TITLE}`),
          ),
      'retro-approval request',
    );
    const show = JSON.stringify((await app.command('show CHG-1')).json);
    expect(show).toContain('As declared (what was authorized)');
    expect(show).toContain(DECLARED_TITLE);
    expect(show).toContain('As documented');
    expect(show).toContain(DOCUMENTED_TITLE);
    await clickButton(app, 'U0SEC0001', ACTIONS.details, 'CHG-1');
    const details = JSON.stringify((await app.slack.waitForCall('views.open')).params.view);
    expect(details).toContain('As declared (what was authorized)');
    expect(details).toContain(DECLARED_TITLE);
    expect(details).toContain(DOCUMENTED_TITLE);
  });
});

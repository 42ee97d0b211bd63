// Emergency records auditors can trust (issue 14 items 2 and 3, POL-SEC-008 6.3, 6.4): the declaration
// is kept beside the documentation, verbal approvals are bounded in time, and a disputed authorization
// blocks closing until it is resolved. Signed HTTP into the real app, the fake Slack, a temp SQLite file.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizationDisputes, changes, changeVersions, verbalApprovals } from '../../src/db/schema.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { IMPLEMENTATION_FIELDS, VERBAL_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { ACTIONS, IMPLEMENTATION_ACTIONS, IMPLEMENTATION_VIEWS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitDocumentation,
  submitEmergencyForm,
  submitVerbalApproval,
  submitView,
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
    // The manager's request to confirm the verbal approval recorded in their name, too.
    const confirmation = () =>
      app.slack
        .callsTo('chat.update')
        .filter(
          (call) =>
            String(call.params.text).startsWith('Verbal approval answered') ||
            String(call.params.text).startsWith('Please confirm'),
        )
        .filter((call) => blocksOf(call).includes('documented later'))
        .at(-1);
    await eventually(() => confirmation() !== undefined, 'confirmation request refreshed');
    expect(blocksOf(confirmation())).toContain(DECLARED_TITLE);
    expect(blocksOf(confirmation())).not.toContain(DOCUMENTED_TITLE);

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

describe('verbal approvals with bounds (6.2, 6.3)', () => {
  it('refuses on the field a time before the declaration less the policy minutes, and accepts one inside', async () => {
    const app = await start();
    await declared(app);
    // Declared at 10:00; the default bound is 60 minutes before: 08:59 is refused, 09:00 accepted.
    const declaredAt = app.clock.now().getTime();
    app.clock.advance(10 * MINUTE);
    const early = await verbal(app, 'U0MGR0001', new Date(declaredAt - 61 * MINUTE));
    expect(early.json).toEqual({
      response_action: 'errors',
      errors: {
        [VERBAL_FIELDS.givenAt]:
          'That is more than 60 minutes before the emergency was declared (policy ' +
          '`emergency.verbal_before_declaration_minutes`); pick when the approval was given.',
      },
    });
    expect(app.database.db.select().from(verbalApprovals).all()).toHaveLength(0);

    const inside = await verbal(app, 'U0MGR0001', new Date(declaredAt - 60 * MINUTE));
    expect(inside.json).toMatchObject({ response_action: 'update' });
    expect(
      app.database.db
        .select()
        .from(verbalApprovals)
        .all()
        .map((v) => v.givenAt.getTime()),
    ).toEqual([declaredAt - 60 * MINUTE]);
  });
});

describe('an authorization disputed after the fact (6.3)', () => {
  const text = (value: string) => ({ type: 'plain_text_input', value });
  const closeReplies = (app: TestApp) =>
    app.slack
      .callsTo('response_url')
      .filter((call) => call.path.includes(`${REQUESTER}-${IMPLEMENTATION_ACTIONS.close}`))
      .map((call) => String(call.params.text));
  async function close(app: TestApp): Promise<string> {
    const before = closeReplies(app).length;
    await clickButton(app, REQUESTER, IMPLEMENTATION_ACTIONS.close, 'CHG-1');
    await eventually(() => closeReplies(app).length > before, 'close answered');
    return closeReplies(app).at(-1) ?? '';
  }
  const responseTexts = (app: TestApp) => app.slack.callsTo('response_url').map((call) => String(call.params.text));
  async function resolve(app: TestApp, userId: string, note: string): Promise<string> {
    const before = responseTexts(app).length;
    await app.command(`resolve CHG-1 ${note}`, { userId });
    await eventually(() => responseTexts(app).length > before, 'resolve answered');
    return responseTexts(app).at(-1) ?? '';
  }

  it('is shown on its messages and the agenda, and blocks closing until a dispute resolver resolves it', async () => {
    const app = await start();
    await declared(app);
    await verbal(app, 'U0MGR0001');
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    await eventually(() => changeRow(app)?.state === 'authorized', 'authorized');
    const verbalId = app.database.db.select().from(verbalApprovals).get()?.id ?? 0;
    await clickButton(app, 'U0MGR0001', ACTIONS.disputeVerbal, `VA-${verbalId}`);
    await eventually(() => app.database.db.select().from(authorizationDisputes).all().length === 1, 'disputed');
    expect(changeRow(app)?.state).toBe('authorized');
    expect(app.database.db.select().from(authorizationDisputes).get()).toMatchObject({
      verbalApprovalId: verbalId,
      disputedBy: 'U0MGR0001',
      resolvedAt: null,
    });
    // Every message of the change says so: the requester's console and the security authorizer's DM.
    for (const userId of [REQUESTER, 'U0SEC0001']) {
      await eventually(
        () => blocksOf(lastUpdateTo(app, userId)).includes('authorization disputed'),
        `${userId} sees the dispute`,
      );
    }
    const agenda = async () => {
      const before = responseTexts(app).length;
      await app.command('agenda', { userId: 'U0PEER001' });
      await eventually(() => responseTexts(app).length > before, 'agenda preview');
      return JSON.stringify(app.slack.callsTo('response_url').at(-1)?.params.blocks);
    };
    expect(await agenda()).toContain('Authorization disputed by <@U0MGR0001>');

    // The paperwork is done, reviewed and verified: only the dispute holds it open.
    await documented(app);
    await approve(app, 'U0PEER001', 'CHG-1:retro_approval');
    await approve(app, 'U0MGR0001', 'CHG-1:retro_approval');
    await eventually(() => changeRow(app)?.state === 'retro_approved', 'retro-approved');
    const form = (view: keyof typeof IMPLEMENTATION_VIEWS, values: Record<string, Record<string, unknown>>) =>
      submitView(app, REQUESTER, IMPLEMENTATION_VIEWS[view], values, { privateMetadata: 'CHG-1' });
    const reviewed = await form('review', {
      [IMPLEMENTATION_FIELDS.actualVsExpected]: { [FORM_ACTION]: text('Checkout back within 20 minutes.') },
      [IMPLEMENTATION_FIELDS.incidents]: { [FORM_ACTION]: text('INC-42') },
      [IMPLEMENTATION_FIELDS.lessonsLearned]: { [FORM_ACTION]: text('Pin the ingress version.') },
    });
    expect(reviewed.text).toBe('');
    const verified = await form('verify', {
      [IMPLEMENTATION_FIELDS.verificationChecks]: {
        [FORM_ACTION]: {
          type: 'checkboxes',
          selected_options: app.policy.implementation.verification_checklist.map((check) => ({ value: check.id })),
        },
      },
    });
    expect(verified.text).toBe('');
    expect(changeRow(app)?.state).toBe('reviewed');
    expect(await close(app)).toBe(
      'CHG-1 cannot close yet: its authorization is disputed. The CAB chair or a dispute resolver resolves it ' +
        'first (`/change resolve CHG-1 <note>`).',
    );

    // Someone else may not resolve it; the CISO (emergency.dispute_resolver_roles) may, once, with a note.
    expect(await resolve(app, 'U0PEER001', 'Looks fine to me')).toContain('Only the CAB chair or the ciso');
    expect(await resolve(app, 'U0CISO001', '')).toContain('Say how the dispute of CHG-1 was resolved');
    expect(app.database.db.select().from(authorizationDisputes).get()?.resolvedAt).toBeNull();
    expect(await resolve(app, 'U0CISO001', 'Manager approved on the bridge; recording confirmed.')).toBe(
      'The disputed authorization of CHG-1 is resolved (as a dispute resolver); it may close again.',
    );
    expect(app.database.db.select().from(authorizationDisputes).get()).toMatchObject({
      resolvedBy: 'U0CISO001',
      resolution: 'Manager approved on the bridge; recording confirmed.',
    });
    expect(await agenda()).not.toContain('Authorization disputed by');
    expect(await close(app)).toBe('CHG-1 is closed.');
    expect(changeRow(app)?.state).toBe('closed');
    const show = JSON.stringify((await app.command('show CHG-1')).json);
    expect(show).toContain('Disputed authorization resolved');
  });
});

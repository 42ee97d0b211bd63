// Change freezes (POL-SEC-008 9.2) announced from Slack, the `/change calendar` view and the
// subscribed iCalendar feed, all through the running app: signed Slack requests in, the fake Slack
// Web API and a real SQLite file out.
import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { approvalRequirements, auditEvents, changeFreezes, changes, slackMessages } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { CHANGE_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { ACTIONS, FREEZE_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-slack.js';
import {
  type ChangeFormInput,
  clickButton,
  defaultChangeForm,
  eventually,
  nextAllRiskWindow,
  submitChangeForm,
  submitRejectReason,
  submitView,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import type { AppResponse } from '../support/slack-request.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CHANGE_MANAGER = 'U0CHM0001';
const CTO = 'U0CTO0001';
const TOKEN = 'a'.repeat(40);

let running: TestApp | undefined;
async function start(options?: TestAppOptions): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The minimal policy with a change manager, and any top-level YAML appended (freezes:, scheduling:). */
function policyWith(extraYaml = ''): Policy {
  const yaml = MINIMAL_POLICY_YAML.replace(/^roles:.*$/m, `roles:\n  change_manager: [${CHANGE_MANAGER}]`) + extraYaml;
  return parsePolicy(yaml, 'policy.yml').policy;
}

const POLICY_FREEZE_YAML = 'freezes:\n  - { from: "2026-12-20", to: "2027-01-02", reason: "Holiday freeze" }\n';

const freezeRows = (app: TestApp) => app.database.db.select().from(changeFreezes).all();
const auditTypes = (app: TestApp) =>
  app.database.db
    .select()
    .from(auditEvents)
    .all()
    .map((event) => event.type);
const auditOf = (app: TestApp, type: string) =>
  app.database.db.select().from(auditEvents).where(eq(auditEvents.type, type)).all();
const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const ackText = (response: AppResponse) => String((response.json as { text?: unknown } | undefined)?.text);

/**
 * Sends `/change <text>` as `userId` and returns what came back through the response URL after the
 * ack (all commands share the fake's `/response/cmd` URL, so only the new posts are returned).
 */
async function commandReplies(
  app: TestApp,
  text: string,
  userId: string,
  count = 1,
): Promise<{ ack: AppResponse; replies: RecordedCall[] }> {
  const before = app.slack.callsTo('response_url').length;
  const ack = await app.command(text, { userId });
  expect(ack.status).toBe(200);
  await eventually(() => app.slack.callsTo('response_url').length >= before + count, `the reply to /change ${text}`);
  return { ack, replies: app.slack.callsTo('response_url').slice(before) };
}

async function replyText(app: TestApp, text: string, userId: string): Promise<string> {
  const { ack, replies } = await commandReplies(app, text, userId);
  expect(ack.text).toBe(''); // acked empty, answered through the response URL
  expect(replies).toHaveLength(1);
  expect(replies[0]?.params.response_type).toBe('ephemeral');
  return String(replies[0]?.params.text);
}

/** Submits the add-freeze modal: two datepickers and the reason. */
function submitFreezeForm(
  app: TestApp,
  userId: string,
  input: { from: string | null; to: string | null; reason: string | null },
  viewId?: string,
): Promise<AppResponse> {
  return submitView(
    app,
    userId,
    VIEWS.freezeAdd,
    {
      [FREEZE_FIELDS.from]: { [FORM_ACTION]: { type: 'datepicker', selected_date: input.from } },
      [FREEZE_FIELDS.to]: { [FORM_ACTION]: { type: 'datepicker', selected_date: input.to } },
      [FREEZE_FIELDS.reason]: { [FORM_ACTION]: { type: 'plain_text_input', value: input.reason } },
    },
    { viewId },
  );
}

/** Submits the change-request modal with "Request an exception" ticked. */
const submitChangeWithException = (app: TestApp, requesterId: string, input: ChangeFormInput) =>
  submitChangeForm(app, requesterId, { ...input, scheduleException: true });

/** "2026-11-24": the calendar date of an instant in New York. */
const newYorkDate = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

async function submitted(app: TestApp, input: Partial<ChangeFormInput> = {}, requester = REQUESTER): Promise<void> {
  const response = await submitChangeForm(app, requester, { ...defaultChangeForm(app.clock.now()), ...input });
  expect(response.status).toBe(200);
  expect(response.text).toBe('');
}

describe('/change freeze add, list and remove (9.2)', () => {
  it('lets a change manager announce a freeze, recorded with its audit event', async () => {
    const app = await start({ policy: policyWith() });
    const text = await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', CHANGE_MANAGER);
    expect(text).toContain('*FRZ-1*');
    expect(text).toContain('“Quarter close” (2026-12-01 to 2026-12-03)');
    expect(text).toContain('No change is planned inside it.');

    expect(freezeRows(app)).toMatchObject([
      {
        id: 1,
        fromDate: '2026-12-01',
        toDate: '2026-12-03',
        reason: 'Quarter close',
        createdBy: CHANGE_MANAGER,
        removedAt: null,
        submissionKey: null,
      },
    ]);
    const [added] = auditOf(app, 'freeze.added');
    expect(added).toMatchObject({
      changeId: null,
      actorId: CHANGE_MANAGER,
      data: { freeze: 'FRZ-1', from: '2026-12-01', to: '2026-12-03', reason: 'Quarter close' },
    });
  });

  it('lets the CTO and CISO announce one too, and refuses anyone else, saying who can', async () => {
    const app = await start({ policy: policyWith() });
    const refusal = await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', REQUESTER);
    expect(refusal).toContain('Only the change_manager, cto, ciso can add or remove change freezes');
    expect(refusal).toContain('scheduling.freeze_manager_roles');
    expect(freezeRows(app)).toEqual([]);
    expect(auditTypes(app)).toEqual([]);

    expect(await replyText(app, 'freeze add 2026-12-01 2026-12-01 CTO freeze', CTO)).toContain('*FRZ-1*');
    expect(await replyText(app, 'freeze add 2026-12-02 2026-12-02 CISO freeze', 'U0CISO001')).toContain('*FRZ-2*');
    expect(freezeRows(app).map((row) => row.createdBy)).toEqual([CTO, 'U0CISO001']);
  });

  it('resolves a freeze manager role given as a user group', async () => {
    const app = await start({
      policy: parsePolicy(MINIMAL_POLICY_YAML.replace(/^roles:.*$/m, 'roles:\n  change_manager: [S0CHMGRS1]'), 'p.yml')
        .policy,
    });
    app.slack.userGroups.set('S0CHMGRS1', ['U0CHM0007']);
    expect(await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', 'U0CHM0007')).toContain('*FRZ-1*');
    expect(await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', 'U0CHM0008')).toContain(
      'Only the change_manager',
    );
    expect(freezeRows(app)).toHaveLength(1);
  });

  it.each([
    { text: 'freeze add 2026-12-1 2026-12-03 Quarter close', says: 'Give the first day as YYYY-MM-DD' },
    { text: 'freeze add 2026-02-30 2026-12-03 Quarter close', says: 'Give the first day as YYYY-MM-DD' },
    { text: 'freeze add 2026-12-01 tomorrow Quarter close', says: 'Give the last day as YYYY-MM-DD' },
    { text: 'freeze add 2026-12-03 2026-12-01 Quarter close', says: 'The last day must not be before the first.' },
    {
      text: 'freeze add 2026-11-01 2026-11-17 Too late',
      says: 'That freeze would be over already (today is 2026-11-18).',
    },
    { text: 'freeze add 2026-12-01 2026-12-03', says: 'Say why' },
    { text: 'freeze add 2026-12-01', says: 'Give the last day as YYYY-MM-DD' },
    { text: `freeze add 2026-12-01 2026-12-03 ${'x'.repeat(201)}`, says: 'Keep the reason under 200 characters.' },
  ])('explains `$text` with the usage and stores nothing', async ({ text, says }) => {
    const app = await start({ policy: policyWith() });
    const reply = await replyText(app, text, CHANGE_MANAGER);
    expect(reply).toContain(says);
    expect(reply).toContain('/change freeze add 2027-03-01 2027-03-05 Quarter close');
    expect(freezeRows(app)).toEqual([]);
    expect(auditTypes(app)).toEqual([]);
  });

  it('lists the freezes announced from Slack and those in the policy file, to anyone', async () => {
    const app = await start({ policy: policyWith(POLICY_FREEZE_YAML) });
    const empty = await app.command('freeze list', { userId: REQUESTER });
    expect(ackText(empty)).toContain('_policy file_ “Holiday freeze” (2026-12-20 to 2027-01-02)');

    await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', CHANGE_MANAGER);
    const list = await app.command('freeze list', { userId: REQUESTER });
    expect(list.json).toMatchObject({ response_type: 'ephemeral' });
    const text = ackText(list);
    expect(text).toContain('*FRZ-1* “Quarter close” (2026-12-01 to 2026-12-03)');
    // Earliest first: the Slack freeze (1 Dec) before the policy's (20 Dec).
    expect(text.indexOf('FRZ-1')).toBeLessThan(text.indexOf('Holiday freeze'));
  });

  it('"today" is in the policy timezone: a freeze ending today is accepted, listed at 22:00 in New York', async () => {
    // Wed 18 Nov, 22:00 in New York
    const app = await start({ policy: policyWith(), clock: new FakeClock('2026-11-19T03:00:00Z') });
    expect(await replyText(app, 'freeze add 2026-11-18 2026-11-18 Tonight', CHANGE_MANAGER)).toContain('*FRZ-1*');
    expect(ackText(await app.command('freeze list'))).toContain('*FRZ-1* “Tonight” (2026-11-18)');
    app.clock.set('2026-11-19T05:00:00Z'); // Thu 19 Nov, 00:00 in New York
    expect(ackText(await app.command('freeze list'))).toContain('No change freeze is in force');
    expect(await replyText(app, 'freeze add 2026-11-18 2026-11-18 Tonight', CHANGE_MANAGER)).toContain(
      'That freeze would be over already (today is 2026-11-19).',
    );
  });

  // A reason typed with &, < or > must not be read by Slack as markup ("<!here>" would be a mention).
  it('escapes the reason in the removal confirmation', async () => {
    const app = await start({ policy: policyWith() });
    expect(
      (await submitFreezeForm(app, CHANGE_MANAGER, { from: '2026-12-01', to: '2026-12-03', reason: 'Q&A <launch>' }))
        .text,
    ).toBe('');
    expect(ackText(await app.command('freeze list'))).toContain('“Q&amp;A &lt;launch&gt;”');
    expect(await replyText(app, 'freeze remove FRZ-1', CHANGE_MANAGER)).toBe(
      'Freeze *FRZ-1* “Q&amp;A &lt;launch&gt;” (2026-12-01 to 2026-12-03) is removed.',
    );
  });

  it('says so when no freeze is in force', async () => {
    const app = await start({ policy: policyWith() });
    expect(ackText(await app.command('freeze list'))).toContain('No change freeze is in force or announced.');
  });

  it('lets the manager remove a freeze once, recorded with its audit event; the list no longer shows it', async () => {
    const app = await start({ policy: policyWith() });
    await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', CHANGE_MANAGER);

    // Someone else may not remove it.
    expect(await replyText(app, 'freeze remove FRZ-1', REQUESTER)).toContain(
      'Only the change_manager, cto, ciso can add or remove',
    );
    expect(freezeRows(app)[0]?.removedAt).toBeNull();

    expect(await replyText(app, 'freeze remove FRZ-1', CHANGE_MANAGER)).toBe(
      'Freeze *FRZ-1* “Quarter close” (2026-12-01 to 2026-12-03) is removed.',
    );
    expect(freezeRows(app)[0]).toMatchObject({ removedBy: CHANGE_MANAGER, removedAt: app.clock.now() });
    expect(auditOf(app, 'freeze.removed')).toMatchObject([
      { actorId: CHANGE_MANAGER, data: { freeze: 'FRZ-1', reason: 'Quarter close' } },
    ]);
    expect(ackText(await app.command('freeze list'))).toContain('No change freeze is in force');

    expect(await replyText(app, 'freeze remove frz-1', CHANGE_MANAGER)).toContain('There is no freeze FRZ-1 in force.');
    expect(await replyText(app, 'freeze remove FRZ-7', CHANGE_MANAGER)).toContain('There is no freeze FRZ-7 in force.');
    expect(auditOf(app, 'freeze.removed')).toHaveLength(1);
  });

  it('explains a remove without a freeze ID in the ack', async () => {
    const app = await start({ policy: policyWith() });
    expect(ackText(await app.command('freeze remove policy-1', { userId: CHANGE_MANAGER }))).toContain(
      '(`policy-1` is not a freeze ID)',
    );
    expect(ackText(await app.command('freeze remove', { userId: CHANGE_MANAGER }))).toContain(
      'Type `/change freeze remove FRZ-<n>`',
    );
    expect(ackText(await app.command('freeze thaw', { userId: CHANGE_MANAGER }))).toContain('/change freeze list');
  });

  it('tells whoever adds a freeze which changes are already planned inside it', async () => {
    const app = await start({ policy: policyWith() });
    await submitted(app, { title: 'Rotate <edge> certs' });
    const day = newYorkDate(nextAllRiskWindow(app.clock.now()).start);
    const reply = await replyText(app, `freeze add ${day} ${day} Audit week`, CHANGE_MANAGER);
    expect(reply).toContain('Already planned inside it');
    expect(reply).toContain('CHG-1 · Rotate &lt;edge&gt; certs');
    expect(reply).toContain(`owner <@${REQUESTER}>`);
  });
});

describe('the add-freeze modal', () => {
  it('opens on `/change freeze` and `/change freeze add` with nothing after them', async () => {
    const app = await start({ policy: policyWith() });
    for (const text of ['freeze', 'freeze add']) {
      const before = app.slack.callsTo('views.open').length;
      const ack = await app.command(text, { userId: REQUESTER });
      expect(ack.status).toBe(200);
      expect(ack.text).toBe('');
      await eventually(() => app.slack.callsTo('views.open').length === before + 1, `the modal for ${text}`);
      const view = app.slack.callsTo('views.open')[before]?.params.view as {
        callback_id: string;
        blocks: { block_id?: string }[];
      };
      expect(view.callback_id).toBe(VIEWS.freezeAdd);
      expect(view.blocks.map((block) => block.block_id).filter(Boolean)).toEqual(
        expect.arrayContaining([FREEZE_FIELDS.from, FREEZE_FIELDS.to, FREEZE_FIELDS.reason]),
      );
    }
  });

  it('adds the freeze submitted by a manager and sends the confirmation as a DM, once per submission', async () => {
    const app = await start({ policy: policyWith() });
    const first = await submitFreezeForm(
      app,
      CHANGE_MANAGER,
      { from: '2026-12-01', to: '2026-12-03', reason: ' Quarter close ' },
      'VFREEZE01',
    );
    expect(first.status).toBe(200);
    expect(first.text).toBe('');
    await eventually(
      () => app.slack.callsTo('chat.postMessage').some((call) => call.params.channel === 'D0CHM0001'),
      'the DM',
    );

    // Slack retries, or a double click: the same view again adds nothing.
    const again = await submitFreezeForm(
      app,
      CHANGE_MANAGER,
      { from: '2026-12-01', to: '2026-12-03', reason: 'Quarter close' },
      'VFREEZE01',
    );
    expect(again.text).toBe('');
    expect(freezeRows(app)).toMatchObject([
      { id: 1, fromDate: '2026-12-01', toDate: '2026-12-03', reason: 'Quarter close', submissionKey: 'VFREEZE01' },
    ]);
    expect(auditOf(app, 'freeze.added')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const dms = app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'D0CHM0001');
    expect(dms).toHaveLength(1);
    expect(String(dms[0]?.params.text)).toContain('*FRZ-1*');

    // Another modal is another freeze.
    expect(
      (
        await submitFreezeForm(
          app,
          CHANGE_MANAGER,
          { from: '2026-12-01', to: '2026-12-03', reason: 'Quarter close' },
          'VFREEZE02',
        )
      ).text,
    ).toBe('');
    expect(freezeRows(app)).toHaveLength(2);
    await eventually(
      () => app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === 'D0CHM0001').length === 2,
      'the second DM',
    );
  });

  it('refuses a non-manager on the form, recording nothing', async () => {
    const app = await start({ policy: policyWith() });
    const response = await submitFreezeForm(app, REQUESTER, {
      from: '2026-12-01',
      to: '2026-12-03',
      reason: 'Quarter close',
    });
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [FREEZE_FIELDS.reason]: expect.stringContaining('Only the change_manager, cto, ciso can add change freezes'),
      },
    });
    expect(freezeRows(app)).toEqual([]);
    expect(auditTypes(app)).toEqual([]);
  });

  it('puts date and reason errors on their inputs', async () => {
    const app = await start({ policy: policyWith() });
    const backwards = await submitFreezeForm(app, CHANGE_MANAGER, {
      from: '2026-12-03',
      to: '2026-12-01',
      reason: '  ',
    });
    expect(backwards.json).toEqual({
      response_action: 'errors',
      errors: {
        [FREEZE_FIELDS.to]: 'The last day must not be before the first.',
        [FREEZE_FIELDS.reason]: expect.stringContaining('Say why'),
      },
    });
    const missing = await submitFreezeForm(app, CHANGE_MANAGER, { from: null, to: null, reason: 'Quarter close' });
    expect(missing.json).toMatchObject({
      response_action: 'errors',
      errors: { [FREEZE_FIELDS.from]: expect.any(String), [FREEZE_FIELDS.to]: expect.any(String) },
    });
    expect(freezeRows(app)).toEqual([]);
  });
});

describe('a freeze announced from Slack holds changes back (9.2)', () => {
  /** Announces a one-day freeze on the New York day the default form plans its change. */
  async function freezeThePlannedDay(app: TestApp, reason = 'Payments audit'): Promise<string> {
    const day = newYorkDate(nextAllRiskWindow(app.clock.now()).start);
    expect(await replyText(app, `freeze add ${day} ${day} ${reason}`, CTO)).toContain('*FRZ-1*');
    return day;
  }

  it('refuses a change planned into it, naming the freeze on the planned start', async () => {
    const app = await start({ policy: policyWith() });
    const day = await freezeThePlannedDay(app);
    const response = await submitChangeForm(app, REQUESTER, defaultChangeForm(app.clock.now()));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: { [CHANGE_FIELDS.plannedStart]: expect.stringContaining(`“Payments audit” (${day})`) },
    });
    expect(String((response.json as { errors: Record<string, string> }).errors[CHANGE_FIELDS.plannedStart])).toContain(
      'Request an exception',
    );
    expect(app.database.db.select().from(changes).all()).toEqual([]);
  });

  it('no longer refuses once the freeze is removed', async () => {
    const app = await start({ policy: policyWith() });
    await freezeThePlannedDay(app);
    await replyText(app, 'freeze remove FRZ-1', CTO);
    await submitted(app);
    expect(changeRow(app)?.scheduleException).toBeNull();
  });

  it('ignores a freeze on the New York day before the planned day', async () => {
    const app = await start({ policy: policyWith() });
    const planned = nextAllRiskWindow(app.clock.now()).start;
    const dayBefore = newYorkDate(new Date(planned.getTime() - 24 * 3600_000));
    await replyText(app, `freeze add ${dayBefore} ${dayBefore} Day before`, CTO);
    await submitted(app);
  });

  it('reads freeze days in New York time, not UTC', async () => {
    const app = await start({ policy: policyWith() });
    // Tue 24 Nov 23:30–Wed 25 Nov 00:00 in New York: 04:30–05:00 UTC on the 25th. Outside the windows,
    // so it needs an exception either way; the exception names the freezes it runs in.
    const late = {
      ...defaultChangeForm(app.clock.now()),
      plannedStart: new Date('2026-11-25T04:30:00Z'),
      plannedEnd: new Date('2026-11-25T05:00:00Z'),
    };
    await replyText(app, 'freeze add 2026-11-25 2026-11-25 Wednesday only', CTO);
    expect((await submitChangeWithException(app, REQUESTER, late)).text).toBe('');
    expect(changeRow(app, 1)?.scheduleException).toEqual({ outsideWindow: true, freezes: [] });

    await replyText(app, 'freeze add 2026-11-24 2026-11-24 Tuesday only', CTO);
    expect((await submitChangeWithException(app, REQUESTER, late)).text).toBe('');
    expect(changeRow(app, 2)?.scheduleException).toEqual({
      outsideWindow: true,
      freezes: [{ id: 'FRZ-2', reason: 'Tuesday only' }],
    });
  });

  it('under `freeze_rule: refuse`, refuses it even with an exception requested', async () => {
    const app = await start({ policy: policyWith('scheduling: { freeze_rule: refuse }\n') });
    const day = await freezeThePlannedDay(app);
    const response = await submitChangeWithException(app, REQUESTER, defaultChangeForm(app.clock.now()));
    expect(response.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [CHANGE_FIELDS.plannedStart]: expect.stringContaining(`“Payments audit” (${day}); no change runs during it`),
        [CHANGE_FIELDS.scheduleException]: expect.stringContaining('An exception cannot be granted'),
      },
    });
    expect(app.database.db.select().from(changes).all()).toEqual([]);
  });

  it('under the default rule, accepts it with an exception, which the CTO must approve', async () => {
    const app = await start({ policy: policyWith() });
    await freezeThePlannedDay(app);
    const response = await submitChangeWithException(app, REQUESTER, defaultChangeForm(app.clock.now()));
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({
      state: 'pending_approval',
      riskLevel: 'low',
      scheduleException: { outsideWindow: false, freezes: [{ id: 'FRZ-1', reason: 'Payments audit' }] },
    });
    const roles = app.database.db
      .select()
      .from(approvalRequirements)
      .where(eq(approvalRequirements.changeId, 1))
      .all()
      .map((requirement) => requirement.role);
    expect(roles).toContain('cto');
    expect(roles).toContain('peer');
    expect(auditOf(app, 'change.schedule_exception_requested')).toMatchObject([
      { changeId: 1, data: { outsideWindow: false, freezes: [{ id: 'FRZ-1', reason: 'Payments audit' }] } },
    ]);
  });
});

describe('/change calendar', () => {
  it('lists planned changes under their New York day, and the freezes', async () => {
    const app = await start({ policy: policyWith() });
    await submitted(app, { title: 'Rotate TLS certificates' });
    // Tue 24 Nov 23:30 New York is already Wed 25 Nov in UTC; it needs an exception (outside the windows).
    const late = new Date('2026-11-25T04:30:00Z');
    expect(
      (
        await submitChangeWithException(app, REQUESTER, {
          ...defaultChangeForm(app.clock.now()),
          title: 'Late night <db> patch',
          plannedStart: late,
          plannedEnd: new Date(late.getTime() + 1800_000),
        })
      ).text,
    ).toBe('');
    await replyText(app, 'freeze add 2026-11-27 2026-11-28 Thanksgiving', CHANGE_MANAGER);

    const { ack, replies } = await commandReplies(app, 'calendar', REQUESTER);
    expect(ack.text).toBe('');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.params.response_type).toBe('ephemeral');
    const blocks = replies[0]?.params.blocks as { type: string; text?: { text: string } }[];
    const lines = blocks.flatMap((block) => (block.text?.text ?? '').split('\n'));
    expect(lines[0]).toContain('*Change calendar* — the next 14 days (America/New_York days)');
    // Days as "Tue 24 Nov 2026" (some ICU versions put a comma after the weekday).
    const dayLine = (day: RegExp) => lines.findIndex((line) => day.test(line));
    const tuesday = dayLine(/^\*Tue,? 24 Nov 2026\*$/);
    expect(tuesday).toBeGreaterThan(0);
    expect(lines[tuesday + 1]).toContain('*CHG-1* · Rotate TLS certificates — Low risk');
    expect(lines[tuesday + 1]).toContain('pending approval');
    expect(lines[tuesday + 2]).toContain('*CHG-2* · Late night &lt;db&gt; patch');
    expect(dayLine(/25 Nov 2026/)).toBe(-1);
    const friday = dayLine(/^\*Fri,? 27 Nov 2026\*$/);
    expect(friday).toBeGreaterThan(tuesday);
    expect(lines[friday + 1]).toBe(':snowflake: *Change freeze* “Thanksgiving” (2026-11-27 to 2026-11-28)');
  });

  it('leaves out changes beyond the days asked for and those no longer planned', async () => {
    const app = await start({ policy: policyWith() });
    await submitted(app);
    const { replies } = await commandReplies(app, 'calendar 3', REQUESTER);
    const text = JSON.stringify(replies[0]?.params.blocks);
    expect(text).toContain('the next 3 days');
    expect(text).toContain('Nothing is planned and no freeze is in force.');

    const week = JSON.stringify((await commandReplies(app, 'calendar 7', REQUESTER)).replies[0]?.params.blocks);
    expect(week).toContain('*CHG-1*');
    app.database.db.update(changes).set({ state: 'cancelled' }).where(eq(changes.id, 1)).run();
    const after = JSON.stringify((await commandReplies(app, 'calendar 7', REQUESTER)).replies[0]?.params.blocks);
    expect(after).not.toContain('CHG-1');
  });

  // Changes and freezes are read for the same whole days in the policy timezone: a change listed on a
  // day is listed with the freeze in force that day.
  it('shows the freeze of every day it lists a change on', async () => {
    const app = await start({ policy: policyWith() });
    await submitted(app);
    const day = newYorkDate(nextAllRiskWindow(app.clock.now()).start); // Tue 24 Nov
    await replyText(app, `freeze add ${day} ${day} Payments audit`, CTO);
    const text = JSON.stringify((await commandReplies(app, 'calendar 6', REQUESTER)).replies[0]?.params.blocks);
    expect(text.includes('CHG-1')).toBe(text.includes('Payments audit'));
  });

  it.each(['0', 'abc', '91', '1.5', '-3'])('answers `/change calendar %s` with the usage', async (days) => {
    const app = await start({ policy: policyWith() });
    const response = await app.command(`calendar ${days}`, { userId: REQUESTER });
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    expect(ackText(response)).toContain(
      'Type `/change calendar` for the next 14 days, or `/change calendar <days>` with 1 to 90 days',
    );
    expect(ackText(response)).toContain(`(\`${days}\` is not one)`);
  });
});

describe('the iCalendar feed (GET /calendar.ics)', () => {
  const feed = (app: TestApp, query = '') => fetch(`${app.url}/calendar.ics${query}`);

  function events(text: string): ICAL.Event[] {
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.name).toBe('vcalendar');
    return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
  }

  it('needs the token: 401 without it or with a wrong one, the calendar with it', async () => {
    const app = await start({ policy: policyWith(), calendarToken: TOKEN });
    const without = await feed(app);
    expect(without.status).toBe(401);
    expect(await without.text()).not.toContain(TOKEN);
    expect((await feed(app, '?token=')).status).toBe(401);
    expect((await feed(app, `?token=${'b'.repeat(40)}`)).status).toBe(401);
    expect((await feed(app, `?token=${TOKEN.slice(1)}`)).status).toBe(401);
    expect((await feed(app, `?token=${TOKEN}x`)).status).toBe(401);

    const ok = await feed(app, `?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await ok.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(events(text)).toEqual([]);
  });

  it('does not exist without CALENDAR_TOKEN', async () => {
    const app = await start({ policy: policyWith() });
    expect((await feed(app)).status).toBe(404);
    expect((await feed(app, `?token=${TOKEN}`)).status).toBe(404);
    expect((await feed(app, '?token=')).status).toBe(404);
  });

  it('an event per planned change at its times, title escaped and folded; freezes as all-day events', async () => {
    const app = await start({ policy: policyWith(POLICY_FREEZE_YAML), calendarToken: TOKEN });
    const title =
      'Migrate Zürich ledger, phase 2; rotate keys — naïve café backslash\\ test for the ümlaut-heavy payments cluster';
    expect(new TextEncoder().encode(`SUMMARY:CHG-1 · ${title}`).length).toBeGreaterThan(75);
    const form = defaultChangeForm(app.clock.now());
    await submitted(app, { title });
    await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close, Q4; final', CHANGE_MANAGER);

    const response = await feed(app, `?token=${TOKEN}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    // Every line ends in CRLF and none is longer than 75 octets (RFC 5545 3.1).
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.slice(0, -2).split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text).toMatch(/\r\n /); // something was folded

    const all = events(text);
    const change = all.find((event) => event.uid === 'chg-1@cabinet');
    expect(change).toBeDefined();
    expect(change?.summary).toBe(`CHG-1 · ${title}`);
    expect(change?.startDate.toJSDate().getTime()).toBe(form.plannedStart.getTime());
    expect(change?.endDate.toJSDate().getTime()).toBe(form.plannedEnd.getTime());
    expect(change?.startDate.isDate).toBe(false);
    expect(change?.description).toContain('State: pending approval');
    expect(change?.description).toContain('Systems: edge-proxy');
    expect(change?.component.getFirstPropertyValue('status')).toBe('TENTATIVE');

    const slackFreeze = all.find((event) => event.uid === 'freeze-frz-1@cabinet');
    expect(slackFreeze?.summary).toBe('Change freeze: Quarter close, Q4; final');
    expect(slackFreeze?.startDate.isDate).toBe(true);
    expect(slackFreeze?.startDate.toString()).toBe('2026-12-01');
    expect(slackFreeze?.endDate.isDate).toBe(true);
    expect(slackFreeze?.endDate.toString()).toBe('2026-12-04'); // the day after the last, exclusive

    const policyFreeze = all.find((event) => event.uid === 'freeze-2026-12-20-2027-01-02@cabinet');
    expect(policyFreeze?.summary).toBe('Change freeze: Holiday freeze');
    expect(policyFreeze?.startDate.toString()).toBe('2026-12-20');
    expect(policyFreeze?.endDate.toString()).toBe('2027-01-03');
    expect(all).toHaveLength(3);
  });

  it('leaves out rejected and cancelled changes, and removed freezes', async () => {
    const app = await start({ policy: policyWith(), calendarToken: TOKEN });
    await submitted(app, { title: 'To be rejected' });
    await submitted(app, { title: 'To be cancelled' });
    await submitted(app, { title: 'Still planned' });
    await replyText(app, 'freeze add 2026-12-01 2026-12-03 Quarter close', CHANGE_MANAGER);
    await replyText(app, 'freeze add 2026-12-10 2026-12-10 Removed freeze', CHANGE_MANAGER);
    await replyText(app, 'freeze remove FRZ-2', CHANGE_MANAGER);

    // CHG-1 rejected by a peer, as in Slack; CHG-2 cancelled (written straight to the database).
    // Three requests to U0PEER002 (some may share one message, sent in a burst).
    await eventually(
      () =>
        app.database.db.select().from(slackMessages).where(eq(slackMessages.channelId, 'D0PEER002')).all().length === 3,
      'the approval requests',
    );
    await clickButton(app, 'U0PEER002', ACTIONS.reject, 'CHG-1');
    await app.slack.waitForCall('views.open');
    expect((await submitRejectReason(app, 'U0PEER002', 'CHG-1', 'No rollback tested')).text).toBe('');
    expect(changeRow(app, 1)?.state).toBe('rejected');
    app.database.db.update(changes).set({ state: 'cancelled' }).where(eq(changes.id, 2)).run();

    const all = events(await (await feed(app, `?token=${TOKEN}`)).text());
    expect(all.map((event) => event.uid).sort()).toEqual(['chg-3@cabinet', 'freeze-frz-1@cabinet']);
  });

  it('keeps a change that ran in the last calendar.past_days (default 90), confirmed', async () => {
    const app = await start({ policy: policyWith(), calendarToken: TOKEN });
    await submitted(app);
    app.database.db.update(changes).set({ state: 'completed' }).where(eq(changes.id, 1)).run();
    app.clock.advance(80 * 24 * 3600_000);
    const [event] = events(await (await feed(app, `?token=${TOKEN}`)).text());
    expect(event?.uid).toBe('chg-1@cabinet');
    expect(event?.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    app.clock.advance(20 * 24 * 3600_000); // now 94 days after it ran
    expect(events(await (await feed(app, `?token=${TOKEN}`)).text())).toEqual([]);
  });

  it('answers 304 to a client holding the current version, and a new version once something is recorded', async () => {
    const app = await start({ policy: policyWith('calendar: { past_days: 30 }\n'), calendarToken: TOKEN });
    await submitted(app);
    const first = await feed(app, `?token=${TOKEN}`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    await first.text();
    const again = await fetch(`${app.url}/calendar.ics?token=${TOKEN}`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // The owner's Start moves the change: the next request renders it again.
    await submitted(app);
    const changed = await fetch(`${app.url}/calendar.ics?token=${TOKEN}`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(events(await changed.text())).toHaveLength(2);
  });

  it('keeps its version while nothing is recorded: an app polling hourly gets 304 until a change moves', async () => {
    const app = await start({ policy: policyWith(), calendarToken: TOKEN });
    await submitted(app); // at 15:00
    // Sending the approval request records that it was sent: wait for it, so nothing more is recorded.
    const due = app.database.db.$client.prepare(
      "select count(*) as n from outbox where status in ('pending', 'sending') and next_attempt_at <= ?",
    );
    await vi.waitFor(() => expect(due.get(app.clock.now().getTime())).toEqual({ n: 0 }));
    app.clock.set('2026-11-18T15:30:00Z');
    const first = await feed(app, `?token=${TOKEN}`);
    const etag = first.headers.get('etag') ?? '';
    // DTSTAMP is when the record last changed, not when the feed was rendered.
    expect(await first.text()).toContain('DTSTAMP:20261118T150000Z');
    // Hours later (before the 4-hour SLA reminder, which would be recorded), nothing has changed.
    for (const time of ['16:30', '17:30', '18:45']) {
      app.clock.set(`2026-11-18T${time}:00Z`);
      const polled = await fetch(`${app.url}/calendar.ics?token=${TOKEN}`, { headers: { 'If-None-Match': etag } });
      expect(polled.status).toBe(304);
    }
    // A new day moves the covered period: a new version.
    app.clock.set('2026-11-19T00:15:00Z');
    const nextDay = await fetch(`${app.url}/calendar.ics?token=${TOKEN}`, { headers: { 'If-None-Match': etag } });
    expect(nextDay.status).toBe(200);
    expect(nextDay.headers.get('etag')).not.toBe(etag);
    await nextDay.text();
  });
});

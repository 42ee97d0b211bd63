// CAB edge cases found in review: a board approval while other roles are open, an agenda posted early,
// a policy with no CAB channel, and a page of the minutes that fails once.
import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/db/audit-log.js';
import { cabMeetings, changes } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { agendaFor, openRegularMeeting } from '../../src/services/cab.js';
import { ACTIONS, cabBallotActionId, encodeBallotValue } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import {
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitCloseMeeting,
} from '../support/interactions.js';
import { MINIMAL_POLICY_YAML, minimalPolicy } from '../support/policy.js';
import { seedChangesAwaitingBoard } from '../support/seed.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CHAIR = 'U0CHAIR01';
const CAB_CHANNEL = 'C0CAB0001';
const running: TestApp[] = [];
const databases: TempDatabase[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
  for (const database of databases.splice(0)) database.dispose();
});
const dmTexts = (app: TestApp, userId: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.params.channel === `D${userId.slice(1)}`)
    .map((call) => String(call.params.text));

describe('CAB edge cases', () => {
  it('the "CAB approved" notice lists what is still open, not that the CAB has to decide next meeting', async () => {
    const app = await startTestApp({ clock: new FakeClock('2026-11-17T15:00:00Z') });
    running.push(app);
    // High risk: peer, manager, security and the CAB; the board decides first.
    await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), risk: [3, 3, 2, 2, 2] });
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .filter((call) => String(call.params.text).startsWith('Approval requested')).length >= 3,
      'the requests',
    );
    await clickButton(app, CHAIR, ACTIONS.cabPostNow, 'next');
    await eventually(() => app.database.db.select().from(cabMeetings).all().length === 1, 'the meeting');
    await clickButton(
      app,
      CHAIR,
      cabBallotActionId('decide', 'approve'),
      encodeBallotValue({ itemId: 1, kind: 'decide', outcome: 'approve' }),
    );
    await eventually(() => dmTexts(app, REQUESTER).some((text) => text.startsWith('The CAB approved')), 'the notice');
    const notice = dmTexts(app, REQUESTER).find((text) => text.startsWith('The CAB approved')) ?? '';
    expect(notice).not.toContain('decided by the CAB; the CAB next meets');
    expect(notice).toContain('*manager*');
  });

  it('events between an early "Post now" and the meeting time reach the next agenda', () => {
    const database = openTempDatabase();
    databases.push(database);
    const policy = minimalPolicy();
    const monday = new Date('2026-11-16T15:00:00Z');
    const wednesday = new Date('2026-11-18T15:00:00Z');
    const nextWednesday = new Date('2026-11-25T15:00:00Z');
    expect(openRegularMeeting(database.db, policy, { slot: wednesday, late: false, openedBy: CHAIR }, monday).ok).toBe(
      true,
    );
    // Tuesday: a change completes.
    const tuesday = new Date('2026-11-17T15:00:00Z');
    const [row] = database.db
      .insert(changes)
      .values({
        type: 'normal',
        state: 'completed',
        title: 'Tuesday change',
        description: 'd',
        riskLevel: 'high',
        requesterId: REQUESTER,
        ownerId: REQUESTER,
        createdAt: new Date('2026-11-01T15:00:00Z'),
        updatedAt: tuesday,
      })
      .returning({ id: changes.id })
      .all();
    recordAudit(
      database.db,
      {
        changeId: row?.id ?? 0,
        actorId: REQUESTER,
        type: 'change.complete',
        fromState: 'implementing',
        toState: 'completed',
      },
      tuesday,
    );
    const next = agendaFor(database.db, policy, nextWednesday, nextWednesday);
    expect(next.previousChanges.map((entry) => entry.change.title)).toContain('Tuesday change');
  });

  it('a policy with no CAB channel is warned about: changes that need the board could not be approved', () => {
    const { warnings } = parsePolicy(
      MINIMAL_POLICY_YAML.replace(/^cab: .*$/m, 'cab: { chair: U0CHAIR01 }'),
      'policy.yml',
    );
    expect(warnings).toContain(
      'cab.channel is not set: CAB agendas will not be posted, and changes that need the ' +
        'board (role "cab") cannot be approved',
    );
  });

  it('minutes are not posted twice when one of their messages fails and is retried', async () => {
    const app = await startTestApp({ clock: new FakeClock('2026-11-17T15:00:00Z') });
    running.push(app);
    seedChangesAwaitingBoard(app.database, 60, app.clock.now());
    await clickButton(app, CHAIR, ACTIONS.cabPostNow, 'next');
    await eventually(
      () =>
        app.slack.callsTo('chat.postMessage').filter((call) => String(call.params.text).startsWith('CAB: ')).length ===
        60,
      'the items',
      15_000,
    );
    // Fail the second message of the minutes once (the fake applies a fault queued while it records the call).
    const calls = app.slack.calls;
    const push = calls.push.bind(calls);
    let failed = false;
    calls.push = (...added) => {
      for (const call of added) {
        if (
          !failed &&
          call.method === 'chat.postMessage' &&
          String(call.params.text).includes('minutes') &&
          String(call.params.text).includes('(continued)')
        ) {
          failed = true;
          app.slack.failNext('chat.postMessage', { error: 'internal_error' });
        }
      }
      return push(...added);
    };
    await submitCloseMeeting(app, CHAIR, 'CAB-1', 'notes');
    await eventually(() => failed, 'the failed page', 5000);
    app.clock.advance(60_000); // the retry falls due
    const firstPages = () =>
      app.slack
        .callsTo('chat.postMessage')
        .filter(
          (call) =>
            call.params.channel === CAB_CHANNEL &&
            String(call.params.text).startsWith('CAB minutes') &&
            !String(call.params.text).includes('(continued)'),
        );
    await eventually(
      () => app.database.db.select().from(cabMeetings).all()[0]?.minutesTs !== null,
      'the minutes stored',
      10_000,
    );
    expect(firstPages()).toHaveLength(1);
  }, 40_000);
});

// `npm run bench`: how fast the app acks over real signed HTTP. Slack gives an ack 3 seconds; we aim
// for single-digit milliseconds so slow work (Web API calls, queries) is always done after the ack.
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { nextMeetingAt } from '../../src/domain/cab.js';
import { agendaFor } from '../../src/services/cab.js';
import { agendaMessages } from '../../src/slack/blocks/agenda.js';
import { defaultChangeForm, eventually, submitChangeForm, submitEmergencyForm } from '../support/interactions.js';
import { seedChangesAwaitingBoard } from '../support/seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CALENDAR_TOKEN = 'b'.repeat(40);
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ calendarToken: CALENDAR_TOKEN });
  // A busy week: the agenda preview reads and renders 300 changes waiting for the board.
  seedChangesAwaitingBoard(app.database, 300, app.clock.now());
});
afterAll(async () => {
  await app.close();
});

describe('ack latency over signed HTTP', () => {
  bench(
    '/change help',
    async () => {
      const response = await app.command('help');
      if (response.status !== 200) throw new Error(`status ${response.status}`);
    },
    { time: 3000 },
  );

  bench(
    'change request submitted (validation, one transaction, ack)',
    async () => {
      const response = await submitChangeForm(app, 'U0REQ0001', defaultChangeForm(app.clock.now()));
      if (response.status !== 200 || response.text !== '')
        throw new Error(`status ${response.status}: ${response.text}`);
    },
    { time: 3000 },
  );

  bench(
    'emergency declared (validation, authorizers of the hour, one transaction, ack)',
    async () => {
      const response = await submitEmergencyForm(app, 'U0REQ0001');
      if (response.status !== 200 || response.text !== '')
        throw new Error(`status ${response.status}: ${response.text}`);
    },
    { time: 3000 },
  );

  // The preview is built after the ack; this is what the person waits for: until it reaches them.
  bench(
    '/change agenda until its preview arrives (ack, then read, build and render 300 changes)',
    async () => {
      const before = app.slack.callsTo('response_url').length;
      const response = await app.command('agenda', { userId: 'U0CHAIR01' });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      await eventually(() => app.slack.callsTo('response_url').length > before, 'the preview', 10_000);
    },
    { time: 3000 },
  );

  // Calendar apps poll the feed; it holds every change the other benches submit (hundreds, all in one window).
  bench(
    'GET /calendar.ics (read, render RFC 5545)',
    async () => {
      const response = await fetch(`${app.url}/calendar.ics?token=${CALENDAR_TOKEN}`);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      await response.arrayBuffer();
    },
    { time: 3000 },
  );

  bench(
    'GET /healthz (includes a database query)',
    async () => {
      const response = await fetch(`${app.url}/healthz`);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      await response.arrayBuffer();
    },
    { time: 3000 },
  );
});

describe('after the ack', () => {
  bench(
    'agenda of a busy week: read from SQLite, build (7.3) and render to Block Kit',
    () => {
      const now = app.clock.now();
      const meetingAt = nextMeetingAt(app.policy, now);
      if (!meetingAt) throw new Error('no meeting');
      const agenda = agendaFor(app.database.db, app.policy, meetingAt, now);
      if (agenda.forApproval.length < 300) throw new Error(`${agenda.forApproval.length} changes for approval`);
      agendaMessages(agenda, app.policy, { title: 'bench', notes: [], actions: undefined });
    },
    { time: 3000 },
  );
});

// Defects found trying Cabinet as a new user would (issue 13): oversized command text echoed back,
// unescaped freeze reasons, unacked view submissions, duplicate action IDs. All through the running app
// over signed HTTP.
import { request as httpRequest } from 'node:http';
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { changeFreezes } from '../../src/db/schema.js';
import { IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import { FakeClock } from '../support/clock.js';
import { duplicateActionIds } from '../support/fake-slack.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitEmergencyForm,
  submitView,
} from '../support/interactions.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWNER01';
// Tue 2026-11-24 07:05 New York: inside the window the default form plans.
const TUESDAY_0705 = '2026-11-24T12:05:00Z';

let running: TestApp | undefined;
async function start(options?: TestAppOptions): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface EphemeralReply {
  text: string;
  blocks?: { type: string; text?: { text: string } }[];
}

/** Whether Slack would accept the reply: text under 40,000 characters, every section under 3,001. */
function expectSlackSized(reply: EphemeralReply, what: string): void {
  expect(reply.text.length, what).toBeLessThan(40_000);
  for (const block of reply.blocks ?? []) expect(block.text?.text.length ?? 0, what).toBeLessThanOrEqual(3000);
}

describe('command text quoted back', () => {
  // 1,000,000 characters: what a user pasting a megabyte after /change sends.
  const huge = `${'x'.repeat(999_990)}<!channel>`;
  const echoing = [
    huge,
    `show ${huge}`,
    `verbal ${huge}`,
    `calendar ${huge}`,
    `freeze remove ${huge}`,
    `cab convene ${huge}`,
    `cab minutes ${huge}`,
  ];

  it('quotes a bounded, escaped excerpt of command text, never the whole text', async () => {
    const app = await start();
    for (const text of echoing) {
      const what = `/change ${text.slice(0, 20)}…`;
      const response = await app.command(text);
      expect(response.status, what).toBe(200);
      const reply = response.json as EphemeralReply;
      expectSlackSized(reply, what);
      expect(reply.text, what).toContain('xxxxxxxxxx…');
      expect(reply.text, what).not.toContain('<!channel>');
    }
  });

  it('still quotes short command text whole', async () => {
    const app = await start();
    // The command is escaped (manifest `should_escape`): Slack sends "<" and ">" as entities.
    const reply = (await app.command('show CHG-x&lt;b&gt;')).json as EphemeralReply;
    expect(reply.text).toContain('(`CHG-x&lt;b&gt;` is not a change ID)');
  });
});

describe('a freeze reason in mrkdwn', () => {
  it('reaches the Start refusal escaped', async () => {
    const app = await start();
    await submitChangeForm(app, REQUESTER, { ...defaultChangeForm(app.clock.now()), ownerId: OWNER });
    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(
      () => app.slack.callsTo('chat.postMessage').some((call) => call.params.channel === 'D0OWNER01'),
      "the owner's DM",
    );
    // Announced after the approval: the change may no longer start.
    app.database.db
      .insert(changeFreezes)
      .values({
        fromDate: '2026-11-24',
        toDate: '2026-11-24',
        reason: 'Audit <!channel> & <https://evil.example|click>',
        createdBy: 'U0CHM0001',
        createdAt: app.clock.now(),
      })
      .run();
    app.clock.set(TUESDAY_0705);
    await clickButton(app, OWNER, IMPLEMENTATION_ACTIONS.start, 'CHG-1');
    const replies = () =>
      app.slack
        .callsTo('response_url')
        .filter((call) => call.path.includes(`${OWNER}-${IMPLEMENTATION_ACTIONS.start}`));
    await eventually(() => replies().length > 0, 'the Start refusal');
    const text = String(replies()[0]?.params.text);
    expect(text).toContain('cannot start during the change freeze “Audit &lt;!channel&gt; &amp; &lt;https://evil');
    expect(text).not.toContain('<!channel>');
  });
});

describe('view submissions no listener handles', () => {
  it('are acked at once and logged by callback ID only', async () => {
    const lines: string[] = [];
    const app = await start({ logSink: (_level, line) => lines.push(line) });
    const started = Date.now();
    const response = await submitView(app, REQUESTER, 'some_stale_view', {
      note: { value: { type: 'plain_text_input', value: 'secret user text' } },
    });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    const closed = await app.interact({
      type: 'view_closed',
      team: { id: 'T0CABINET', domain: 'cabinet-test' },
      user: { id: REQUESTER },
      api_app_id: 'A0CABINET',
      view: { id: 'V0CLOSED1', type: 'modal', callback_id: 'change_details', private_metadata: 'CHG-1', state: {} },
      is_cleared: false,
    });
    expect(closed.status).toBe(200);
    expect(lines.some((line) => line.includes('some_stale_view'))).toBe(true);
    expect(lines.join('\n')).not.toContain('secret user text');
  });
});

describe("the emergency's own DM", () => {
  it('carries each action ID once per actions block, so Slack accepts it', async () => {
    // Wednesday 10:00 New York: the manager and security authorize.
    const app = await start({ clock: new FakeClock('2026-11-18T15:00:00Z') });
    const requester = REQUESTER;
    expect((await submitEmergencyForm(app, requester)).status).toBe(200);
    await approve(app, 'U0MGR0001', 'CHG-1:authorization');
    await approve(app, 'U0SEC0001', 'CHG-1:authorization');
    const consoles = () =>
      app.slack.calls.filter(
        (call) =>
          (call.method === 'chat.postMessage' || call.method === 'chat.update') &&
          call.params.channel === `D${requester.slice(1)}` &&
          JSON.stringify(call.params.blocks ?? '').includes('Add root cause'),
      );
    await eventually(() => consoles().length > 0, 'the console with the checklist');
    for (const call of consoles()) expect(duplicateActionIds(call.params.blocks)).toEqual([]);
  });
});

/** POSTs `size` bytes to the app, declared in Content-Length or chunked; resolves with the status. */
function postBytes(app: TestApp, size: number, chunked: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const request = httpRequest(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(chunked ? {} : { 'Content-Length': String(size) }),
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // The app may close the connection before all is sent: the status is what counts.
    request.on('error', reject);
    const write = (left: number): void => {
      if (left <= 0 || request.destroyed) {
        request.end();
        return;
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, left));
      if (request.write(piece)) setImmediate(() => write(left - piece.length));
      else request.once('drain', () => write(left - piece.length));
    };
    write(size);
  });
}

describe('the HTTP edge', () => {
  const TWO_MB = 2 * 1024 * 1024;

  it('answers 413 to a body over 1 MB, declared or chunked, and still serves Slack', async () => {
    const app = await start();
    expect(await postBytes(app, TWO_MB, false)).toBe(413);
    expect(await postBytes(app, TWO_MB, true)).toBe(413);
    // A body under the limit still reaches Bolt (unsigned: 401), and a signed command is answered.
    expect(await postBytes(app, 100_000, true)).toBe(401);
    expect((await app.command('help')).status).toBe(200);
  });

  it('logs a request no route serves by its path, never its query string', async () => {
    const lines: string[] = [];
    const app = await start({ logSink: (_level, line) => lines.push(line), logLevel: LogLevel.DEBUG });
    expect((await fetch(`${app.url}/nothing-here?token=secret-calendar-token`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz?token=secret-calendar-token`, { method: 'DELETE' })).status).toBe(404);
    expect(lines.some((line) => line.includes('/nothing-here'))).toBe(true);
    expect(lines.join('\n')).not.toContain('secret-calendar-token');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load.js';
import { FakeClock } from '../support/clock.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { slackSignature } from '../support/slack-request.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface EphemeralAck {
  response_type: string;
  text: string;
  blocks: unknown[];
}

let running: TestApp | undefined;
async function start(...args: Parameters<typeof startTestApp>): Promise<TestApp> {
  running = await startTestApp(...args);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('/change over signed HTTP', () => {
  it('answers /change help with the subcommands, ephemerally, in the ack', async () => {
    const app = await start();
    const response = await app.command('help');
    expect(response.status).toBe(200);
    const ack = response.json as EphemeralAck;
    expect(ack.response_type).toBe('ephemeral');
    for (const usage of ['help', 'policy', 'new', 'show CHG-<n>', 'list [mine|pending|all]'])
      expect(ack.text).toContain(`\`/change ${usage}\``);
    expect(JSON.stringify(ack.blocks)).toContain('/change help');
  });

  it('treats any capitalisation of help as help', async () => {
    const app = await start();
    for (const text of ['help', '  HELP  ', 'Help']) {
      const ack = (await app.command(text)).json as EphemeralAck;
      expect(ack.text, `text ${JSON.stringify(text)}`).toMatch(/^Cabinet runs change management/);
    }
  });

  it('answers an unknown subcommand with the help, naming it with its mrkdwn escaped', async () => {
    const app = await start();
    const response = await app.command('frobnicate <!channel> & more');
    expect(response.status).toBe(200);
    const ack = response.json as EphemeralAck;
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain("I don't know `/change frobnicate`");
    expect(ack.text).toContain('`/change help`');

    const injected = await app.command('<!channel>');
    const injectedAck = injected.json as EphemeralAck;
    expect(injectedAck.text).toContain('&lt;!channel&gt;');
    expect(injectedAck.text).not.toContain('<!channel>');
  });

  it('shows the policy in force: the approval matrix and who authorizes an emergency now', async () => {
    // Wednesday 2026-11-18 10:00 in New York: business hours (POL-SEC-008 6.3).
    const app = await start({ clock: new FakeClock('2026-11-18T15:00:00Z') });
    const ack = (await app.command('policy')).json as EphemeralAck;
    const text = JSON.stringify(ack.blocks);
    expect(text).toContain('*Critical*: peer, manager, security, cab, cto');
    expect(text).toContain('*Low* 5–7');
    expect(text).toContain('*Critical* 14–15');
    expect(text).toContain('business hours');
    expect(text).toContain('manager (<@U0MGR0001>) + security (<@U0SEC0001>)');
  });

  it('refuses a request whose signature is wrong or stale with 401 and runs no listener', async () => {
    const app = await start();
    const homeOpened = {
      type: 'app_home_opened',
      user: 'U0REQ0001',
      channel: 'D0REQ0001',
      tab: 'home',
      event_ts: '1700000000.000100',
    };
    const now = Math.floor(Date.now() / 1000);
    const forged = await app.event(homeOpened, {
      signature: slackSignature('0123456789abcdef0123456789abcdef', now, 'other'),
    });
    expect(forged.status).toBe(401);
    const stale = await app.event(homeOpened, { timestamp: now - 10 * 60 });
    expect(stale.status).toBe(401);
    expect((await app.command('help', { signature: 'v0=deadbeef' })).status).toBe(401);

    // The same event correctly signed is handled, so the refusals above were the signature's doing.
    expect((await app.event(homeOpened)).status).toBe(200);
    await app.slack.waitForCall('views.publish');
    expect(app.slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('answers a Slack retry of a command the same way, with nothing extra sent to Slack', async () => {
    const app = await start();
    const first = await app.command('help');
    const retry = await app.command('help', { retryNum: 1 });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(app.slack.calls.filter((call) => call.method !== 'auth.test')).toHaveLength(0);
  });

  it('answers the Events API URL verification challenge', async () => {
    const app = await start();
    const response = await app.post(
      '/slack/events',
      JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'challenge-123' }),
      {
        contentType: 'application/json',
      },
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('challenge-123');
  });
});

describe('App Home', () => {
  it('publishes the home tab with the bot token when it is opened, with after-hours authorizers at night', async () => {
    // Saturday 2026-11-21 03:00 in New York: after hours.
    const app = await start({ clock: new FakeClock('2026-11-21T08:00:00Z') });
    const response = await app.event({
      type: 'app_home_opened',
      user: 'U0REQ0001',
      channel: 'D0REQ0001',
      tab: 'home',
      event_ts: '1700000000.000100',
    });
    expect(response.status).toBe(200);
    const publish = await app.slack.waitForCall('views.publish');
    expect(publish.token).toBe('xoxb-test-token');
    expect(publish.params.user_id).toBe('U0REQ0001');
    const view = JSON.stringify(publish.params.view);
    expect(view).toContain('"type":"home"');
    expect(view).toContain('after hours');
    expect(view).toContain('oncall_manager (<@U0ONMGR01>) + oncall_security (<@U0ONSEC01>)');
    expect(view).toContain('any of: cto (<@U0CTO0001>), ciso (<@U0CISO001>)');
  });

  it('shows user groups as group mentions and roles nobody holds as such', async () => {
    const policy = parsePolicy(
      MINIMAL_POLICY_YAML.replace('manager: [U0MGR0001]', 'manager: [S0MANAGERS]').replace(
        'security: [U0SEC0001]',
        'security: []',
      ),
      'p.yml',
    ).policy;
    const app = await start({ policy, clock: new FakeClock('2026-11-18T15:00:00Z') });
    await app.event({
      type: 'app_home_opened',
      user: 'U0REQ0001',
      channel: 'D0REQ0001',
      tab: 'home',
      event_ts: '1700000000.000100',
    });
    const view = JSON.stringify((await app.slack.waitForCall('views.publish')).params.view);
    expect(view).toContain('manager (<!subteam^S0MANAGERS>) + security (nobody yet)');
  });

  it('does not publish anything when the Messages tab is opened', async () => {
    const app = await start();
    await app.event({
      type: 'app_home_opened',
      user: 'U0REQ0001',
      channel: 'D0REQ0001',
      tab: 'messages',
      event_ts: '1700000000.000100',
    });
    await app.command('help'); // a later request has been fully handled, so the event has been too
    expect(app.slack.callsTo('views.publish')).toHaveLength(0);
  });
});

describe('GET /healthz', () => {
  it('reports ok with the database status, and 503 once the database is gone', async () => {
    const app = await start();
    const healthy = await fetch(`${app.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: 'ok', database: 'ok' });

    app.database.close();
    const broken = await fetch(`${app.url}/healthz`);
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual({ status: 'unavailable', database: 'unavailable' });
  });
});

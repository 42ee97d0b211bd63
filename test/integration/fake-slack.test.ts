import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

// The rig itself, driven by Slack's real Web API client: later flow tests rely on these answers.
describe('fake Slack Web API', () => {
  it('records calls with their token and decoded arguments, and answers like Slack', async () => {
    slack = await FakeSlack.start();
    const client = new webApi.WebClient('xoxb-rig', { slackApiUrl: slack.apiUrl });
    const posted = await client.chat.postMessage({ channel: 'C0LOG0001', text: 'hi', blocks: [{ type: 'divider' }] });
    expect(posted.ok).toBe(true);
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
    const opened = await client.conversations.open({ users: 'U0PEER001' });
    expect(opened.channel?.id).toBe('D0PEER001');
    slack.userGroups.set('S0MANAGERS', ['U0MGR0001', 'U0MGR0002']);
    expect((await client.usergroups.users.list({ usergroup: 'S0MANAGERS' })).users).toEqual(['U0MGR0001', 'U0MGR0002']);

    const call = slack.callsTo('chat.postMessage')[0];
    expect(call?.token).toBe('xoxb-rig');
    expect(call?.params.blocks).toEqual([{ type: 'divider' }]);
  });

  it('injects ok:false errors, HTTP 500 and 429 with Retry-After', async () => {
    slack = await FakeSlack.start();
    const client = new webApi.WebClient('xoxb-rig', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C0GONE0001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });

    slack.failNext('chat.update', { status: 500 });
    await expect(client.chat.update({ channel: 'C0LOG0001', ts: '1.2', text: 'x' })).rejects.toThrow();

    // The client honours Retry-After and retries by itself, so a rate limit costs time, not the call.
    slack.failNext('views.publish', { status: 429, retryAfterSeconds: 1 });
    const published = await new webApi.WebClient('xoxb-rig', { slackApiUrl: slack.apiUrl }).views.publish({
      user_id: 'U0REQ0001',
      view: { type: 'home', blocks: [] },
    });
    expect(published.ok).toBe(true);
    expect(slack.callsTo('views.publish')).toHaveLength(2);
    const [limited, retried] = slack.callsTo('views.publish');
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('records response_url posts', async () => {
    slack = await FakeSlack.start();
    const response = await fetch(slack.responseUrl('abc'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }),
    });
    expect(response.status).toBe(200);
    expect((await slack.waitForCall('response_url')).params).toEqual({ text: 'done', response_type: 'ephemeral' });
  });
});

// `npm run bench`: how fast the app acks over real signed HTTP. Slack gives an ack 3 seconds; we aim
// for single-digit milliseconds so slow work (Web API calls, queries) is always done after the ack.
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { defaultChangeForm, submitChangeForm, submitEmergencyForm } from '../support/interactions.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('ack latency over signed HTTP', () => {
  bench('/change help', async () => {
    const response = await app.command('help');
    if (response.status !== 200) throw new Error(`status ${response.status}`);
  }, { time: 3000 });

  bench('change request submitted (validation, one transaction, ack)', async () => {
    const response = await submitChangeForm(app, 'U0REQ0001', defaultChangeForm(app.clock.now()));
    if (response.status !== 200 || response.text !== '') throw new Error(`status ${response.status}: ${response.text}`);
  }, { time: 3000 });

  bench('emergency declared (validation, authorizers of the hour, one transaction, ack)', async () => {
    const response = await submitEmergencyForm(app, 'U0REQ0001');
    if (response.status !== 200 || response.text !== '') throw new Error(`status ${response.status}: ${response.text}`);
  }, { time: 3000 });

  bench('GET /healthz (includes a database query)', async () => {
    const response = await fetch(`${app.url}/healthz`);
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    await response.arrayBuffer();
  }, { time: 3000 });
});

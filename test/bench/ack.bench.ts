// `npm run bench`: how fast the app acks over real signed HTTP. Slack gives an ack 3 seconds; we aim
// for single-digit milliseconds so slow work (Web API calls, queries) is always done after the ack.
import { afterAll, beforeAll, bench, describe } from 'vitest';
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

  bench('GET /healthz (includes a database query)', async () => {
    const response = await fetch(`${app.url}/healthz`);
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    await response.arrayBuffer();
  }, { time: 3000 });
});

// Out-of-thread parts of a bench: a bare Bolt app (the floor for an ack) and a clicker that times signed posts.
// On their own threads, neither shares the app's event loop: the clicker sees an ack when its bytes arrive, not when
// the app's loop is next free, and the bare app's floor is not slowed by the app's work.
import { Worker } from 'node:worker_threads';

// Plain JavaScript run with `eval`: a worker cannot load TypeScript. `require` resolves from the project's root.
const BARE_APP = `
const { parentPort, workerData } = require('node:worker_threads');
const { App } = require('@slack/bolt');
const app = new App({
  token: 'xoxb-bare',
  signingSecret: workerData.signingSecret,
  endpoints: '/slack/events',
  clientOptions: { slackApiUrl: workerData.slackApiUrl },
});
app.action(/.*/, async ({ ack }) => { await ack(); });
app.start({ port: 0, host: '127.0.0.1' }).then((server) => parentPort.postMessage(server.address().port));
`;

const CLICKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
parentPort.on('message', async ({ url, body }) => {
  const timestamp = Math.floor(Date.now() / 1000);
  const hmac = createHmac('sha256', workerData.signingSecret).update('v0:' + timestamp + ':' + body);
  const signature = 'v0=' + hmac.digest('hex');
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signature,
    },
    body,
  });
  await response.text();
  parentPort.postMessage({ status: response.status, ms: performance.now() - started });
});
`;

/** A bare Bolt app that only acks, on its own thread. */
export async function startBareAppThread(options: { slackApiUrl: string; signingSecret: string }) {
  const worker = new Worker(BARE_APP, { eval: true, workerData: options });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => worker.terminate() };
}

/** Posts signed bodies from its own thread, one at a time, and says how long each answer took (ms). */
export function startClickerThread(signingSecret: string) {
  const worker = new Worker(CLICKER, { eval: true, workerData: { signingSecret } });
  const click = (url: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', (answer: { status: number; ms: number }) =>
        answer.status === 200 ? resolve(answer.ms) : reject(new Error(`status ${answer.status}`)),
      );
      worker.postMessage({ url, body });
    });
  return { click, stop: () => worker.terminate() };
}

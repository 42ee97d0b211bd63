// `npm run bench`: the HTTP edge under an oversized request. An unsigned 160 MB POST, streamed without a
// Content-Length as an attacker would, must be answered 413 without the process holding the body.
import { request } from 'node:http';
import { afterAll, bench, describe } from 'vitest';
import { startTestApp } from '../support/test-app.js';

const BODY_MB = 160;
const rows: Record<string, string | number>[] = [];
afterAll(() => {
  console.table(rows);
});

/** Streams `megabytes` of zeros as a chunked POST; resolves with the status once answered. */
function postChunked(url: string, megabytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request(
      { hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST' },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        outgoing.destroy();
      },
    );
    outgoing.on('error', (error) => (outgoing.destroyed ? undefined : reject(error)));
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const write = () => {
      while (sent < megabytes && !outgoing.destroyed) {
        sent += 1;
        if (!outgoing.write(chunk)) {
          outgoing.once('drain', write);
          return;
        }
      }
      if (!outgoing.destroyed) outgoing.end();
    };
    write();
  });
}

describe('the HTTP edge', () => {
  bench(
    `an unsigned ${BODY_MB} MB chunked POST to /slack/events`,
    async () => {
      const app = await startTestApp({ logSink: () => {} });
      try {
        global.gc?.();
        const before = process.memoryUsage().rss;
        const status = await postChunked(`${app.url}/slack/events`, BODY_MB);
        const after = process.memoryUsage().rss;
        rows.push({
          request: `${BODY_MB} MB unsigned`,
          status,
          'RSS change (MB)': ((after - before) / 2 ** 20).toFixed(1),
        });
      } finally {
        await app.close();
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});

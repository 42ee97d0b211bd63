// `npm run bench -- --changes 10000,100000`: the app on a large record (issue 17). Seeds a realistic record
// through the app's repositories (kept in a cache folder, so later runs reuse it), then measures over signed HTTP
// what people wait for, and starts the built app as `npm start` does (`node dist/cabinet.js`) on the same file for
// its start time and RSS.
// Prints one table, the sizes side by side.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../src/db/audit-chain.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { FakeClock } from '../support/clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { postSigned, slashCommandBody } from '../support/slack-request.js';
import type { TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BENCH_USERS, seedRecord } from './record-seed.js';

const CALENDAR_TOKEN = 'c'.repeat(40);
/** The test app's clock: the record is seeded around it. */
const NOW = new FakeClock().now();
/** Raised when the seed writes a different record. */
const SEED_VERSION = 2;
const CACHE = join(import.meta.dirname, '../../node_modules/.cache/cabinet-bench');

type Row = Record<string, string>;

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const summary = (values: readonly number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;

async function timed(times: number, run: (n: number) => Promise<unknown>): Promise<number[]> {
  const taken: number[] = [];
  for (let n = 0; n < times; n += 1) {
    const started = performance.now();
    await run(n);
    taken.push(performance.now() - started);
  }
  return taken;
}

/** The seeded file for `count` changes and these migrations, seeding it first when there is none. */
function seededFile(count: number, fresh: boolean): { path: string; seedSeconds: string } {
  // Opening a copy runs the migrations written since: the cache holds only what was seeded.
  const path = join(CACHE, `record-${count}-v${SEED_VERSION}.sqlite`);
  if (existsSync(path) && !fresh) return { path, seedSeconds: 'cached' };
  mkdirSync(CACHE, { recursive: true });
  const seeding = `${path}.seeding`;
  rmSync(seeding, { force: true });
  const database = openDatabase(seeding);
  const seconds = seedRecord(database.db, { count, now: NOW });
  // The chain seeded is the chain the app writes: verify walks it as `npm run audit:verify` does.
  const verified = verifyAuditChain(database.db);
  if (!verified.ok) throw new Error(`the seeded chain breaks at event ${verified.eventId}: ${verified.problem}`);
  database.db.$client.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
  renameSync(seeding, path);
  return { path, seedSeconds: seconds.toFixed(0) };
}

/** A private copy of the seeded file (the app writes to it). */
function copyOf(path: string): { folder: string; path: string } {
  const folder = mkdtempSync(join(tmpdir(), 'cabinet-bench-'));
  const copy = join(folder, 'cabinet.sqlite');
  copyFileSync(path, copy);
  return { folder, path: copy };
}

/** Bytes of the file outside the audit log (its table and indexes), per change. */
function bytesPerChange(database: Database): number {
  const client = database.db.$client;
  const audit = client
    .prepare(
      `SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE name IN
        (SELECT name FROM sqlite_schema WHERE tbl_name = 'audit_events')`,
    )
    .get() as { bytes: number };
  const total = client.prepare('SELECT sum(pgsize) AS bytes FROM dbstat').get() as { bytes: number };
  const changes = client.prepare('SELECT count(*) AS n FROM changes').get() as { n: number };
  return (total.bytes - audit.bytes) / changes.n;
}

function openAt(path: string): TempDatabase {
  const database = openDatabase(path);
  return { ...database, path, dispose: () => database.close() };
}

/** A signed slash command whose answer through its response URL can be waited for. */
function command(app: TestApp, text: string, options: { userId: string; reply: string }) {
  const body = slashCommandBody('/change', {
    text,
    userId: options.userId,
    responseUrl: app.slack.responseUrl(options.reply),
  });
  return postSigned(`${app.url}/slack/events`, app.signingSecret, body);
}

const replied = (app: TestApp, reply: string) =>
  app.slack.waitForCall('response_url', (call) => call.path.endsWith(`/${reply}`), 30_000);

async function expectOk(response: Promise<{ status: number }>, what: string): Promise<void> {
  const { status } = await response;
  if (status !== 200 && status !== 304) throw new Error(`${what}: status ${status}`);
}

/** How long `/change help` waits for its ack once `start` has the feed or the agenda being built. */
async function ackWhile(app: TestApp, start: () => Promise<{ done: Promise<unknown> }>): Promise<number[]> {
  const taken: number[] = [];
  for (let n = 0; n < 10; n += 1) {
    const { done } = await start();
    const started = performance.now();
    await expectOk(app.command('help'), 'help');
    taken.push(performance.now() - started);
    await done;
  }
  return taken;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function measureInProcess(path: string): Promise<Row> {
  const clock = new FakeClock(NOW);
  const database = openAt(path);
  const app = await startTestApp({ database, clock, calendarToken: CALENDAR_TOKEN, outboxPollMs: 1000 });
  const feedUrl = `${app.url}/calendar.ics?token=${CALENDAR_TOKEN}`;
  const client = database.db.$client;
  const lastId = (client.prepare('SELECT max(id) AS id FROM changes').get() as { id: number }).id;
  let reply = 0;
  try {
    let etag = '';
    const freshFeed = async () => {
      // The feed is rendered again once a day (or once something is recorded): a fresh one each time.
      clock.advance(24 * 3600_000);
      const response = await fetch(feedUrl);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`feed: ${response.status}`);
      // What a subscribed calendar app holds: the 304 below asks with it.
      etag = response.headers.get('etag') ?? '';
    };
    await freshFeed();
    /** Acked at once; built after the ack. */
    const startAgenda = async () => {
      reply += 1;
      const id = `agenda-${reply}`;
      await expectOk(command(app, 'agenda', { userId: BENCH_USERS.chair, reply: id }), 'agenda');
      return { done: replied(app, id) };
    };
    const agenda = async () => {
      await (await startAgenda()).done;
    };
    const startFeed = async () => {
      const done = freshFeed();
      // The request reaches the app first.
      await sleep(5);
      return { done };
    };
    const home = async () => {
      const started = Date.now();
      await app.event({
        type: 'app_home_opened',
        user: BENCH_USERS.approver,
        channel: 'D0PEER001',
        tab: 'home',
        event_ts: '1.2',
      });
      await app.slack.waitForCall('views.publish', (call) => call.at >= started, 30_000);
    };
    await agenda();
    const ack = (text: string, userId: string) =>
      timed(30, () => expectOk(command(app, text, { userId, reply: 'x' }), text));
    const row: Row = {
      '/change list pending': summary(await ack('list pending', BENCH_USERS.approver)),
      '/change list mine': summary(await ack('list mine', BENCH_USERS.requester)),
      '/change show': summary(await ack(`show CHG-${lastId - 500}`, BENCH_USERS.requester)),
      '/change agenda until its preview': summary(await timed(10, agenda)),
      'GET /calendar.ics, fresh': summary(await timed(10, freshFeed)),
      'GET /calendar.ics, 304': summary(
        await timed(30, async () => {
          const response = await fetch(feedUrl, { headers: { 'If-None-Match': etag } });
          if (response.status !== 304) throw new Error(`feed: ${response.status}, not 304`);
        }),
      ),
      'an ack while the feed is built': summary(await ackWhile(app, startFeed)),
      'an ack while the agenda is built': summary(await ackWhile(app, startAgenda)),
      'App Home published': summary(await timed(10, home)),
      'an idle ack (/change help)': summary(await timed(30, () => expectOk(app.command('help'), 'help'))),
    };
    row['database bytes per change, beyond the audit log'] = bytesPerChange(database).toFixed(0);
    row['audit events'] = String((client.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n);
    return row;
  } finally {
    await app.close();
    database.close();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** CPU time the process used so far (user and system), in ms: what its start costs whatever the machine's load. */
async function cpuOf(child: ChildProcess): Promise<number> {
  const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function rssOf(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** `node dist/cabinet.js` on the file: until /healthz answers, then its RSS once it served the feed and an agenda. */
async function measureProcess(copy: { folder: string; path: string }): Promise<Row> {
  const slack = await FakeSlack.start();
  const port = await freePort();
  const policyPath = join(copy.folder, 'policy.yml');
  writeFileSync(policyPath, MINIMAL_POLICY_YAML);
  const signingSecret = 'a'.repeat(32);
  const started = performance.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../dist/cabinet.js')], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_PATH: copy.path,
      POLICY_PATH: policyPath,
      PORT: String(port),
      CALENDAR_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      const healthy = await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const toHealthz = performance.now() - started;
    const cpuToHealthz = await cpuOf(child);
    for (let n = 0; n < 3; n += 1) {
      await (await fetch(`${url}/calendar.ics?token=${CALENDAR_TOKEN}`)).arrayBuffer();
      const body = slashCommandBody('/change', {
        text: 'agenda',
        userId: BENCH_USERS.chair,
        responseUrl: slack.responseUrl(`a${n}`),
      });
      await postSigned(`${url}/slack/events`, signingSecret, body);
      await slack.waitForCall('response_url', (call) => call.path.endsWith(`/a${n}`), 30_000);
      for (const text of ['list pending', 'list mine', 'list all'])
        await postSigned(
          `${url}/slack/events`,
          signingSecret,
          slashCommandBody('/change', { text, userId: BENCH_USERS.approver, responseUrl: slack.responseUrl('l') }),
        );
    }
    return {
      'start to /healthz (node dist/cabinet.js)': ms(toHealthz),
      'CPU time to /healthz': ms(cpuToHealthz),
      'RSS of the process (MB)': (await rssOf(child)).toFixed(0),
    };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await slack.close();
  }
}

const TARGETS: Row = {
  '/change list pending': '< 10',
  '/change list mine': '< 10',
  '/change show': '< 10',
  '/change agenda until its preview': '< 100',
  'GET /calendar.ics, fresh': '< 150',
  'GET /calendar.ics, 304': '< 5',
  'an ack while the feed is built': '< idle + 50',
  'an ack while the agenda is built': '< idle + 50',
  'App Home published': '< 50',
  'an idle ack (/change help)': '',
  'start to /healthz (node dist/cabinet.js)': '< 1000',
  'CPU time to /healthz': '',
  'RSS of the process (MB)': '< 150',
  'database bytes per change, beyond the audit log': '< 2048',
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { changes: { type: 'string', default: '10000,100000' }, fresh: { type: 'boolean', default: false } },
  });
  const counts = values.changes.split(',').map(Number);
  const columns = new Map<number, Row>();
  for (const count of counts) {
    const { path, seedSeconds } = seededFile(count, values.fresh);
    const copy = copyOf(path);
    try {
      const inProcess = await measureInProcess(copy.path);
      const processRow = await measureProcess(copy);
      columns.set(count, { 'seed (s)': seedSeconds, ...inProcess, ...processRow });
    } finally {
      rmSync(copy.folder, { recursive: true, force: true });
    }
  }
  const operations = [...new Set([...columns.values()].flatMap((row) => Object.keys(row)))];
  const table = operations.map((operation) => ({
    'operation (ms: median / p95)': operation,
    ...Object.fromEntries(
      counts.map((count) => [`${count.toLocaleString('en')} changes`, columns.get(count)?.[operation] ?? '']),
    ),
    'target at 100k': TARGETS[operation] ?? '',
  }));
  console.table(table);
}

await main();

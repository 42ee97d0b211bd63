// The deployment-gate API for CI/CD (issue 18), end to end: tokens made in Slack with signed slash commands, the
// API over real HTTP against the running app, Slack updates seen at the fake Slack, a real SQLite file. Every
// response the tests receive is validated against the served OpenAPI document at the end of each test.

import { Validator } from '@seriousme/openapi-schema-validator';
import { LogLevel } from '@slack/bolt';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, changes, pipelineDeployments, pipelineTokens } from '../../src/db/schema.js';
import { parsePolicy } from '../../src/policy/load.js';
import { IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import { approve, defaultChangeForm, eventually, submitChangeForm } from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import { recordOwedEvidence } from '../support/preset-walk.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWNER01';
const ADMIN = 'U0CTO0001'; // cto: one of the default approvals.admin_roles
// The fake clock starts Wed 2026-11-18 10:00 New York; the default form plans Tue 24 Nov 07:00–08:00.
const TUESDAY_0705 = '2026-11-24T12:05:00Z';
const FRIDAY_0800 = '2026-11-20T13:00:00Z';
const GATE = '/changes/{ref}/gate';
const DEPLOYMENTS = '/changes/{ref}/deployments';
const CHANGES = '/changes';

/** A response the API gave, kept to be checked against the OpenAPI document. */
interface Received {
  template: string;
  method: 'get' | 'post';
  status: number;
  body: unknown;
}

let running: TestApp | undefined;
let received: Received[] = [];
async function start(options?: TestAppOptions): Promise<TestApp> {
  running = await startTestApp(options);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
  received = [];
});

const changeRow = (app: TestApp, id = 1) => app.database.db.select().from(changes).where(eq(changes.id, id)).get();
const auditOf = (app: TestApp, type: string) =>
  app.database.db.select().from(auditEvents).where(eq(auditEvents.type, type)).all();

/** Sends `/change <text>` and returns the ephemeral answer posted through the response URL after the ack. */
async function command(app: TestApp, text: string, userId = ADMIN): Promise<string> {
  const before = app.slack.callsTo('response_url').length;
  const ack = await app.command(text, { userId });
  expect(ack.status).toBe(200);
  await eventually(() => app.slack.callsTo('response_url').length > before, `the answer to /change ${text}`);
  return String(app.slack.callsTo('response_url').at(-1)?.params.text);
}

/** Creates a token from Slack and returns it as shown (once). */
async function createToken(app: TestApp, args: string): Promise<string> {
  const text = await command(app, `token create ${args}`);
  const token = /cabinet_[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  if (!token) throw new Error(`no token in: ${text}`);
  return token;
}

async function call(
  app: TestApp,
  request: { method: 'get' | 'post'; template: string; path: string; token?: string; body?: string; key?: string },
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (request.token !== undefined) headers.Authorization = `Bearer ${request.token}`;
  if (request.key !== undefined) headers['Idempotency-Key'] = request.key;
  const response = await fetch(`${app.url}/api/v1${request.path}`, {
    method: request.method.toUpperCase(),
    headers,
    body: request.body,
  });
  const body = (await response.json()) as Record<string, unknown>;
  received.push({ template: request.template, method: request.method, status: response.status, body });
  return { status: response.status, body, headers: response.headers };
}

const gate = (
  app: TestApp,
  token: string | undefined,
  query = 'system=edge-proxy&environment=production',
  ref = 'CHG-1',
) => call(app, { method: 'get', template: GATE, path: `/changes/${ref}/gate?${query}`, token });

const deploy = (app: TestApp, token: string, report: Record<string, unknown>, key: string, ref = 'CHG-1') =>
  call(app, {
    method: 'post',
    template: DEPLOYMENTS,
    path: `/changes/${ref}/deployments`,
    token,
    key,
    body: JSON.stringify(report),
  });

const REPORT = {
  commit: '3f2c9a1e5b7d',
  tag: 'v2.4.1',
  pipeline_url: 'https://github.com/acme/edge/actions/runs/42',
  environment: 'production',
};

async function submitLowChange(app: TestApp): Promise<void> {
  const form = { ...defaultChangeForm(app.clock.now()), ownerId: OWNER };
  expect((await submitChangeForm(app, REQUESTER, form)).text).toBe('');
}

/**
 * A low-risk change on edge-proxy approved by a peer (4.4), its owner's DM posted; its unit tests recorded (8.1, 9.3)
 * unless `tests` is false.
 */
async function approvedLowChange(app: TestApp, tests = true): Promise<void> {
  await submitLowChange(app);
  await approve(app, 'U0PEER001', 'CHG-1');
  await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
  await eventually(
    () => app.slack.callsTo('chat.postMessage').some((c) => c.params.channel === 'D0OWNER01'),
    "the owner's DM",
  );
  if (tests) await recordOwedEvidence(app, OWNER, 'start');
}

/** The OpenAPI document as served is valid OpenAPI 3.1, and every response received matches its schema. */
async function expectResponsesMatchDocument(app: TestApp): Promise<void> {
  const served = await fetch(`${app.url}/api/v1/openapi.json`);
  expect(served.status).toBe(200);
  const document = (await served.json()) as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: unknown;
  };
  const checked = await new Validator().validate(document as unknown as Record<string, unknown>);
  expect(checked.errors ?? []).toEqual([]);
  expect(checked.valid).toBe(true);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  expect(received.length).toBeGreaterThan(0);
  const schemaOf = (template: string, method: string, status: number) => {
    const described = document.paths[template]?.[method]?.responses[String(status)] as
      | { content: { 'application/json': { schema: object } } }
      | undefined;
    expect(described, `${method} ${template} ${status} is documented`).toBeDefined();
    // The schema's $refs point into the document's components: compile it with them beside it.
    return ajv.compile({ ...described?.content['application/json'].schema, components: document.components });
  };
  for (const response of received) {
    const validate = schemaOf(response.template, response.method, response.status);
    expect(validate(response.body), JSON.stringify(validate.errors)).toBe(true);
  }
  // Not vacuous: an answer missing its fields does not pass.
  expect(schemaOf(GATE, 'get', 200)({ allowed: true })).toBe(false);
  expect(schemaOf(DEPLOYMENTS, 'post', 409)({ message: 'no code' })).toBe(false);
}

describe('pipeline tokens (issue 18.1)', () => {
  it('an admin creates, lists and revokes tokens; others are refused; only the hash is kept', async () => {
    const app = await start();
    expect(await command(app, 'token create ci', OWNER)).toContain(
      'Only the change_manager, cto can manage pipeline tokens',
    );
    const token = await createToken(app, 'ci edge-proxy');
    const rows = app.database.db.select().from(pipelineTokens).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'ci', systems: ['edge-proxy'], createdBy: ADMIN, revokedAt: null });
    expect(JSON.stringify(rows)).not.toContain(token.slice('cabinet_'.length));
    expect(JSON.stringify(app.database.db.select().from(auditEvents).all())).not.toContain(token);
    expect(await command(app, 'token create ci')).toContain('A token named *ci* is in force already');
    expect(await command(app, 'token list')).toContain('*ci*: edge-proxy; created by <@U0CTO0001>');
    expect(await command(app, 'token revoke ci')).toContain('Pipeline token *ci* is revoked');
    expect(await command(app, 'token revoke ci')).toContain('No pipeline token named *ci* is in force');
    expect(auditOf(app, 'pipeline_token.created')).toHaveLength(1);
    expect(auditOf(app, 'pipeline_token.revoked')).toHaveLength(1);
  });
});

describe('refusals before the gate (issue 18.5)', () => {
  it('401 without a token (none exists yet), a wrong or revoked one; 403 for another system; audited', async () => {
    const logged: string[] = [];
    const app = await start({ logSink: (_level, line) => logged.push(line), logLevel: LogLevel.DEBUG });
    await submitLowChange(app);
    const none = await gate(app, undefined);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'unauthorized' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    const token = await createToken(app, 'ci edge-proxy');
    expect((await gate(app, `${token}x`)).status).toBe(401);
    expect((await gate(app, token, 'system=payments-db')).status).toBe(403);
    expect((await gate(app, token, 'system=edge-proxy', 'CHG-99')).status).toBe(404);
    await command(app, 'token revoke ci');
    const revoked = await gate(app, token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toBe((await gate(app, 'cabinet_unknown')).body.message);

    const refusals = auditOf(app, 'pipeline.refused').map((event) => ({ actor: event.actorId, ...event.data }));
    expect(refusals).toMatchObject([
      { actor: 'pipeline:unauthenticated', code: 'missing_token', method: 'GET', path: '/api/v1/changes/CHG-1/gate' },
      { actor: 'pipeline:unauthenticated', code: 'unknown_token' },
      { actor: 'pipeline:ci', code: 'out_of_scope' },
      { actor: 'pipeline:ci', code: 'change_not_found' },
      { actor: 'pipeline:ci', code: 'revoked_token' },
      { actor: 'pipeline:unauthenticated', code: 'unknown_token' },
    ]);
    expect(logged.join('\n')).not.toContain(token);
    await expectResponsesMatchDocument(app);
  });

  it('422 for a malformed body or a missing key, 413 for a body over 64 KB, 429 past the rate limit', async () => {
    const app = await start();
    await approvedLowChange(app);
    const token = await createToken(app, 'ci');
    const malformed = await deploy(app, token, { status: 'deployed' }, 'k1');
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ error: 'malformed_body', issues: [{ path: 'status' }] });
    const notJson = await call(app, {
      method: 'post',
      template: DEPLOYMENTS,
      path: '/changes/CHG-1/deployments',
      token,
      key: 'k2',
      body: '{"status":',
    });
    expect(notJson.status).toBe(422);
    const noKey = await call(app, {
      method: 'post',
      template: DEPLOYMENTS,
      path: '/changes/CHG-1/deployments',
      token,
      body: JSON.stringify({ status: 'started' }),
    });
    expect(noKey.body).toMatchObject({ error: 'malformed_request' });
    const large = await deploy(app, token, { status: 'started', reason: 'x'.repeat(70 * 1024) }, 'k3');
    expect(large.status).toBe(413);
    expect(changeRow(app)?.state).toBe('approved');
    expect(auditOf(app, 'pipeline.refused').map((event) => event.data?.code)).toEqual([
      'malformed_body',
      'malformed_body',
      'malformed_request',
      'too_large',
    ]);

    // The fake clock stands still: no bucket refills, so the burst is all there is.
    let answer = await gate(app, token);
    while (answer.status !== 429) answer = await gate(app, token);
    expect(answer.headers.get('retry-after')).toBe('1');
    app.clock.advance(1000);
    expect((await gate(app, token)).status).toBe(409);
    await expectResponsesMatchDocument(app);
  }, 20_000);
});

describe('the gate (issue 18.2)', () => {
  it('answers each reason in words with a code, the next window when that is why; allowed when all hold', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}freezes:\n  - { from: "2026-11-25", to: "2026-11-25", reason: "Release freeze" }\n`,
      'freeze.yml',
    ).policy;
    const app = await start({ policy });
    const token = await createToken(app, 'ci');
    await submitLowChange(app);

    const pending = await gate(app, token, 'system=payments-db');
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ allowed: false, change: 'CHG-1', state: 'pending_approval' });
    expect(pending.body.reasons).toEqual([
      {
        code: 'system_not_on_change',
        message: 'CHG-1 does not change payments-db; its systems are edge-proxy.',
      },
      { code: 'not_approved', message: 'CHG-1 cannot start: it is not approved yet (pending approval).' },
      // 9.3: the unit tests 8.1 asks of a low-risk change are not recorded either.
      { code: 'evidence_missing', message: expect.stringContaining('cannot start yet'), missing: ['Unit tests'] },
    ]);

    await approve(app, 'U0PEER001', 'CHG-1');
    await eventually(() => changeRow(app)?.state === 'approved', 'the approval');
    await recordOwedEvidence(app, OWNER, 'start');
    app.clock.set(FRIDAY_0800);
    const outside = await gate(app, token);
    expect(outside.body.reasons).toEqual([
      {
        code: 'outside_windows',
        message: expect.stringContaining('The next low-risk window is Mon 23 Nov 2026, 06:00–10:00'),
        next_window: { start: '2026-11-23T11:00:00.000Z', end: '2026-11-23T15:00:00.000Z' },
      },
    ]);

    app.clock.set('2026-11-25T12:05:00Z'); // Wed 07:05 New York: a window, but the freeze day
    const frozen = await gate(app, token);
    expect(frozen.body.reasons).toMatchObject([
      {
        code: 'frozen',
        message: expect.stringContaining('Release freeze'),
        next_window: { start: expect.any(String) },
      },
    ]);

    app.clock.set(TUESDAY_0705);
    const open = await gate(app, token);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({
      allowed: true,
      change: 'CHG-1',
      state: 'approved',
      system: 'edge-proxy',
      environment: 'production',
    });
    expect((await gate(app, token, 'environment=production')).status).toBe(422);

    const checks = auditOf(app, 'pipeline.gate_checked');
    expect(checks.map((event) => [event.changeId, event.actorId, event.data?.allowed, event.data?.reasons])).toEqual([
      [1, 'pipeline:ci', false, ['system_not_on_change', 'not_approved', 'evidence_missing']],
      [1, 'pipeline:ci', false, ['outside_windows']],
      [1, 'pipeline:ci', false, ['frozen']],
      [1, 'pipeline:ci', true, []],
    ]);
    expect(changeRow(app)?.state).toBe('approved');
    await expectResponsesMatchDocument(app);
  });

  it('answers short notice with the earliest start', async () => {
    const policy = parsePolicy(
      `${MINIMAL_POLICY_YAML}scheduling: { notice_hours: { by_type: { normal: 48 } } }\n`,
      'notice.yml',
    ).policy;
    const app = await start({ policy });
    const token = await createToken(app, 'ci');
    await approvedLowChange(app);
    app.clock.set('2026-11-19T12:05:00Z'); // Thu 07:05 New York: a low-risk window, 21 h after submission
    const early = await gate(app, token);
    expect(early.body.reasons).toEqual([
      {
        code: 'short_notice',
        message: expect.stringContaining("it needs 48 hours' notice"),
        earliest_start: '2026-11-20T15:00:00.000Z',
      },
    ]);
    await expectResponsesMatchDocument(app);
  });

  it('stays closed until the tests owed before Start are recorded (POL-SEC-008 9.3, by default)', async () => {
    const app = await start();
    const token = await createToken(app, 'ci');
    await approvedLowChange(app, false);
    app.clock.set(TUESDAY_0705);
    const closed = await gate(app, token);
    expect(closed.status).toBe(409);
    expect(closed.body.reasons).toEqual([
      { code: 'evidence_missing', message: expect.stringContaining('cannot start yet'), missing: ['Unit tests'] },
    ]);
    await recordOwedEvidence(app, OWNER, 'start');
    expect((await gate(app, token)).body).toMatchObject({ allowed: true });
    await expectResponsesMatchDocument(app);
  });
});

describe('deployments on the record (issue 18.3)', () => {
  const ownerDmShows = (app: TestApp, what: string) =>
    app.slack
      .callsTo('chat.update')
      .some((c) => c.params.channel === 'D0OWNER01' && JSON.stringify(c.params.blocks).includes(what));

  it('started and succeeded move the change as the buttons would, for the owner; a retry records once', async () => {
    const app = await start();
    await approvedLowChange(app);
    const token = await createToken(app, 'ci edge-proxy');

    app.clock.set(FRIDAY_0800);
    const early = await deploy(app, token, { status: 'started', ...REPORT }, 'run-42-start');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'cannot_start', message: expect.stringContaining('outside') });
    expect(changeRow(app)?.state).toBe('approved');

    app.clock.set(TUESDAY_0705);
    const started = await deploy(app, token, { status: 'started', ...REPORT }, 'run-42-start');
    expect(started.status).toBe(201);
    expect(started.body).toEqual({
      change: 'CHG-1',
      status: 'started',
      state: 'implementing',
      moved: true,
      replayed: false,
    });
    expect(changeRow(app)?.state).toBe('implementing');
    await eventually(() => ownerDmShows(app, 'Status: implementing'), "the owner's DM updated");

    const again = await deploy(app, token, { status: 'started', ...REPORT }, 'run-42-start');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, state: 'implementing' });
    const reused = await deploy(app, token, { status: 'succeeded', ...REPORT }, 'run-42-start');
    expect(reused.status).toBe(422);

    const succeeded = await deploy(app, token, { status: 'succeeded', ...REPORT }, 'run-42-done');
    expect(succeeded.body).toMatchObject({ state: 'completed', moved: true });
    expect(changeRow(app)?.state).toBe('completed');
    await eventually(() => ownerDmShows(app, 'Status: completed'), "the owner's DM updated again");
    await eventually(
      () =>
        app.slack
          .callsTo('chat.update')
          .some(
            (c) => c.params.channel === 'C0LOG0001' && JSON.stringify(c.params.blocks).includes('Status: completed'),
          ),
      'the log message updated',
    );

    expect(app.database.db.select().from(pipelineDeployments).all()).toMatchObject([
      { status: 'started', idempotencyKey: 'run-42-start', commitSha: REPORT.commit, tag: REPORT.tag },
      { status: 'succeeded', idempotencyKey: 'run-42-done' },
    ]);
    const moves = app.database.db
      .select()
      .from(auditEvents)
      .all()
      .filter((event) => event.type === 'change.start_implementation' || event.type === 'change.complete');
    expect(moves).toHaveLength(2);
    expect(moves[0]).toMatchObject({
      actorId: 'pipeline:ci',
      fromState: 'approved',
      toState: 'implementing',
      data: { onBehalfOf: OWNER, pipeline: { tokenName: 'ci', commit: REPORT.commit, tag: REPORT.tag } },
    });
    expect(auditOf(app, 'pipeline.deployment_replayed')).toHaveLength(1);
    await expectResponsesMatchDocument(app);
  });

  it('failed marks the change failed with the reason and asks the owner for the rollback record', async () => {
    const app = await start();
    await approvedLowChange(app);
    const token = await createToken(app, 'ci');
    app.clock.set(TUESDAY_0705);
    await deploy(app, token, { status: 'started', ...REPORT }, 'start');
    const failed = await deploy(
      app,
      token,
      { status: 'failed', ...REPORT, reason: 'Health checks failed after the deploy.' },
      'fail',
    );
    expect(failed.status).toBe(201);
    expect(changeRow(app)).toMatchObject({ state: 'failed', failureReason: 'Health checks failed after the deploy.' });
    await eventually(() => ownerDmShows(app, IMPLEMENTATION_ACTIONS.roll_back), "the owner's DM offers Rolled back");
    await expectResponsesMatchDocument(app);
  });

  it('refuses a token for systems the change does not touch (403) and an unknown change (404)', async () => {
    const app = await start();
    await approvedLowChange(app);
    const token = await createToken(app, 'db payments-db');
    app.clock.set(TUESDAY_0705);
    expect((await deploy(app, token, { status: 'started' }, 'a')).status).toBe(403);
    expect((await deploy(app, token, { status: 'started' }, 'b', 'CHG-7')).status).toBe(404);
    expect(changeRow(app)?.state).toBe('approved');
    await expectResponsesMatchDocument(app);
  });
});

describe('standard changes created by the pipeline (issue 18.2)', () => {
  const catalogPolicy = () =>
    parsePolicy(
      `${MINIMAL_POLICY_YAML}standard_changes:\n` +
        '  - { id: tls_rotation, title: Rotate TLS certificates, description: Renew and roll the edge certificates }\n',
      'catalog.yml',
    ).policy;
  const create = (app: TestApp, token: string, body: Record<string, unknown>, key: string) =>
    call(app, { method: 'post', template: CHANGES, path: '/changes', token, key, body: JSON.stringify(body) });
  const request = {
    standard_change: 'tls_rotation',
    title: 'Rotate the edge certificates',
    systems: ['edge-proxy'],
    owner: OWNER,
    risk_answers: { systems_affected: 1, user_impact: 1, data_risk: 1, reversibility: 1, security_impact: 1 },
    link: 'https://github.com/acme/edge/pull/7',
  };

  it('records a catalog entry for its owner, approved at once and announced; the gate opens on its tests', async () => {
    const app = await start({ policy: catalogPolicy() });
    const token = await createToken(app, 'ci edge-proxy');
    app.clock.set(TUESDAY_0705);
    const created = await create(app, token, request, 'run-7');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ change: 'CHG-1', state: 'approved', created: true });
    expect(changeRow(app)).toMatchObject({
      type: 'standard',
      standardChangeId: 'tls_rotation',
      requesterId: OWNER,
      ownerId: OWNER,
      description: 'Renew and roll the edge certificates',
      link: request.link,
    });
    expect((await create(app, token, request, 'run-7')).body).toEqual({
      change: 'CHG-1',
      state: 'approved',
      created: false,
    });
    expect(app.database.db.select().from(changes).all()).toHaveLength(1);
    expect(auditOf(app, 'pipeline.change_created')).toMatchObject([{ changeId: 1, actorId: 'pipeline:ci' }]);
    await eventually(
      () => app.slack.callsTo('chat.postMessage').some((c) => c.params.channel === 'D0OWNER01'),
      "the owner's DM with Start",
    );
    // A catalog entry is pre-authorized (3.1), not pre-tested: 8.1's unit tests come before it runs (9.3).
    expect((await gate(app, token)).body).toMatchObject({ reasons: [{ code: 'evidence_missing' }] });
    await recordOwedEvidence(app, OWNER, 'start');
    expect((await gate(app, token)).status).toBe(200);
    await expectResponsesMatchDocument(app);
  });

  it('refuses what the form would refuse (422), a plan outside the windows (409), other systems (403)', async () => {
    const app = await start({ policy: catalogPolicy() });
    const token = await createToken(app, 'ci edge-proxy');
    const incomplete = await create(app, token, { ...request, standard_change: 'nope', risk_answers: {} }, 'a');
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'standard_change', message: expect.any(String) },
        { path: 'risk_answers.user_impact', message: expect.stringContaining('Rate') },
      ]),
    );
    app.clock.set(FRIDAY_0800);
    const outside = await create(app, token, request, 'b');
    expect(outside.status).toBe(409);
    expect(outside.body).toMatchObject({
      error: 'schedule_refused',
      issues: [{ path: 'planned_start', message: expect.stringContaining('Mon 23 Nov 2026, 06:00–10:00') }],
    });
    expect((await create(app, token, { ...request, systems: ['payments-db'] }, 'c')).status).toBe(403);
    expect(changeRow(app)).toBeUndefined();
    await expectResponsesMatchDocument(app);
  });
});

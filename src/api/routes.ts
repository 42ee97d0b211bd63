// The deployment-gate API for CI/CD pipelines (issue 18), served beside Slack's events as Bolt custom routes. This
// module is transport only: it reads requests, calls the services and turns their coded outcomes into status codes
// and JSON; the rules are the services', the sentences slack/words/pipeline.ts's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { parseChangeRef } from '../domain/change-ref.js';
import { type ChangeIssue, httpLink, TEXT_MAX } from '../domain/change-request.js';
import type { GateReason } from '../domain/pipeline.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from '../services/context.js';
import { checkGate, createStandardChange, DEPLOYMENT_STATUSES, reportDeployment } from '../services/deployment-gate.js';
import {
  type ApiRequest,
  identifyPipeline,
  type PipelineCaller,
  recordApiRefusal,
} from '../services/pipeline-tokens.js';
import { readBounded } from '../slack/http-edge.js';
import { changeIssueText } from '../slack/words/forms.js';
import {
  API_WORDS,
  authRefusalText,
  deploymentRefusalText,
  gateReasonText,
  notFoundText,
  scopeRefusalText,
} from '../slack/words/pipeline.js';
import { scheduleErrors } from '../slack/words/schedule.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import { type RateLimit, type TokenBuckets, tokenBuckets } from './rate-limit.js';

export const API_PREFIX = '/api/v1';
/** Far above any deployment report; a bigger body is refused unread (413). */
export const API_BODY_LIMIT = 64 * 1024;
/** Per token: a pipeline polling the gate every few seconds stays well inside it. */
export const API_RATE_LIMIT: RateLimit = { burst: 30, perSecond: 1 };
/** Per client address, for requests whose token was refused: bounds what a guessing client adds to the audit log. */
const REFUSED_RATE_LIMIT: RateLimit = { burst: 10, perSecond: 0.2 };

export interface ApiDependencies {
  database: Database;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  rateLimit?: RateLimit;
}

/** What every error answer carries: a code for programs, a sentence for people reading the pipeline's log. */
interface ErrorBody {
  error: string;
  message: string;
  issues?: { path: string; message: string }[];
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const error = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: code, message } satisfies ErrorBody,
});

function send(response: ServerResponse, { status, body, headers = {} }: Answer): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** The bearer token, or undefined: the header is read, never logged. */
function bearerOf(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

const deploymentBody = z.object({
  status: z.enum(DEPLOYMENT_STATUSES),
  commit: z.string().trim().min(1).max(200).optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  pipeline_url: httpLink.optional(),
  system: z.string().trim().min(1).max(100).optional(),
  environment: z.string().trim().min(1).max(100).optional(),
  /** For `failed`: what went wrong (10.4); without it the sentence says the pipeline reported a failure. */
  reason: z.string().trim().min(1).max(TEXT_MAX).optional(),
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** A reason as JSON: its code, its sentence, and the window or time it names when it names one. */
function reasonJson(reason: GateReason, policy: Policy): Record<string, unknown> {
  const when =
    'next' in reason
      ? {
          next_window: reason.next
            ? { start: reason.next.start.toISOString(), end: reason.next.end.toISOString() }
            : null,
        }
      : 'earliest' in reason
        ? { earliest_start: reason.earliest.toISOString() }
        : 'missing' in reason
          ? { missing: reason.missing }
          : {};
  return { code: reason.code, message: gateReasonText(reason, policy), ...when };
}

/** A request as its route sees it, authenticated. */
interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  ctx: UseCaseContext;
  caller: PipelineCaller;
  audited: ApiRequest;
  changeId: number | undefined;
}

function gate(call: Call): Answer {
  const { ctx, caller, audited, changeId } = call;
  const query = new URL(call.request.url ?? '/', 'http://localhost').searchParams;
  const system = query.get('system')?.trim() ?? '';
  const environment = query.get('environment')?.trim() || null;
  if (changeId === undefined) return notFound(call);
  if (system === '') {
    recordApiRefusal(ctx, { caller, request: audited, code: 'malformed_request' });
    return error(422, 'malformed_request', API_WORDS.system_required);
  }
  const outcome = checkGate(ctx, { caller, request: audited, changeId, system, environment });
  if (!outcome.ok)
    return outcome.code === 'out_of_scope'
      ? error(403, outcome.code, scopeRefusalText(outcome))
      : error(404, outcome.code, notFoundText(outcome));
  const allowed = outcome.reasons.length === 0;
  const body = { allowed, change: outcome.ref, state: outcome.state, system, environment };
  return allowed
    ? { status: 200, body }
    : { status: 409, body: { ...body, reasons: outcome.reasons.map((reason) => reasonJson(reason, ctx.policy)) } };
}

function notFound(call: Call): Answer {
  recordApiRefusal(call.ctx, { caller: call.caller, request: call.audited, code: 'change_not_found' });
  return error(404, 'change_not_found', notFoundText({ ok: false, code: 'change_not_found' }));
}

/** The body as JSON, or the answer refusing it (413, 422; audited). */
async function jsonBody(call: Call): Promise<{ ok: true; json: unknown } | { ok: false; answer: Answer | undefined }> {
  const { request, response, ctx, caller, audited } = call;
  const tooLarge = { error: 'too_large', message: API_WORDS.too_large } satisfies ErrorBody;
  const body = await readBounded(request, response, { limit: API_BODY_LIMIT, refusal: tooLarge });
  if (!body) {
    // Answered 413 already, as it streamed in.
    recordApiRefusal(ctx, { caller, request: audited, code: 'too_large' });
    return { ok: false, answer: undefined };
  }
  try {
    return { ok: true, json: JSON.parse(body.toString('utf8')) };
  } catch {
    recordApiRefusal(ctx, { caller, request: audited, code: 'malformed_body' });
    return { ok: false, answer: error(422, 'malformed_body', API_WORDS.not_json) };
  }
}

/** The Idempotency-Key header, or undefined (the refusal audited): a retry must be recognizable. */
function idempotencyKeyOf(call: Call): string | undefined {
  const key = call.request.headers['idempotency-key'];
  if (typeof key === 'string' && IDEMPOTENCY_KEY.test(key)) return key;
  recordApiRefusal(call.ctx, { caller: call.caller, request: call.audited, code: 'malformed_request' });
  return undefined;
}

/** The body read as `schema` says, or the answer refusing it (413; 422 with zod's issues, audited). */
async function validBody<T>(
  call: Call,
  schema: z.ZodType<T>,
): Promise<{ ok: true; data: T } | { ok: false; answer: Answer | undefined }> {
  const read = await jsonBody(call);
  if (!read.ok) return read;
  const parsed = schema.safeParse(read.json);
  if (parsed.success) return { ok: true, data: parsed.data };
  recordApiRefusal(call.ctx, { caller: call.caller, request: call.audited, code: 'malformed_body' });
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return {
    ok: false,
    answer: { status: 422, body: { error: 'malformed_body', message: API_WORDS.not_json, issues } satisfies ErrorBody },
  };
}

async function deployment(call: Call): Promise<Answer | undefined> {
  const { ctx, caller, audited, changeId } = call;
  if (changeId === undefined) return notFound(call);
  const key = idempotencyKeyOf(call);
  if (key === undefined) return error(422, 'malformed_request', API_WORDS.idempotency_key);
  const parsed = await validBody(call, deploymentBody);
  if (!parsed.ok) return parsed.answer;
  const { status, commit, tag, pipeline_url: pipelineUrl, system, environment, reason } = parsed.data;
  const outcome = reportDeployment(ctx, {
    caller,
    request: audited,
    changeId,
    idempotencyKey: key,
    report: {
      status,
      commit: commit ?? null,
      tag: tag ?? null,
      pipelineUrl: pipelineUrl ?? null,
      system: system ?? null,
      environment: environment ?? null,
      failureReason: reason ?? API_WORDS.failed,
    },
  });
  if (outcome.ok) {
    const { ref, state, moved, replayed } = outcome;
    return { status: replayed ? 200 : 201, body: { change: ref, status, state, moved, replayed } };
  }
  const statusOf: Record<string, number> = { change_not_found: 404, out_of_scope: 403, key_reused: 422 };
  return error(statusOf[outcome.code] ?? 409, outcome.code, deploymentRefusalText(outcome, ctx.policy));
}

const optionalText = z.string().max(TEXT_MAX).optional();
const standardChangeBody = z.object({
  standard_change: z.string().trim().min(1).max(100),
  title: z.string(),
  systems: z.array(z.string()).min(1).max(50),
  /** The Slack user who owns the change: its requester, as if they had submitted the form. */
  owner: z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack user ID (U… or W…)'),
  risk_answers: z.record(z.string(), z.number()),
  planned_start: z.iso.datetime({ offset: true }).optional(),
  planned_end: z.iso.datetime({ offset: true }).optional(),
  link: z.string().optional(),
  description: optionalText,
  business_justification: optionalText,
  impact_analysis: optionalText,
  test_plan: optionalText,
  rollback_plan: optionalText,
  implementation_plan: optionalText,
});

/** Without planned times a pipeline's standard change runs from this minute, for an hour. */
const DEFAULT_DURATION_S = 3600;

/** The request field an issue of the change-request rules names (the form's fields, as the API spells them). */
function apiFieldOf(issue: ChangeIssue): string {
  if (issue.field === 'riskAnswer') return `risk_answers.${issue.factorId}`;
  const renamed: Partial<Record<ChangeIssue['field'], string>> = {
    changeType: 'standard_change',
    affectedSystems: 'systems',
  };
  return renamed[issue.field] ?? issue.field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const SCHEDULE_FIELDS = { start: 'planned_start', end: 'planned_end', exception: 'planned_start' };

async function standardChange(call: Call): Promise<Answer | undefined> {
  const { ctx, caller, audited } = call;
  const key = idempotencyKeyOf(call);
  if (key === undefined) return error(422, 'malformed_request', API_WORDS.idempotency_key);
  const body = await validBody(call, standardChangeBody);
  if (!body.ok) return body.answer;
  const { data } = body;
  const seconds = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);
  const plannedStart = seconds(data.planned_start) ?? Math.floor(ctx.now.getTime() / 60_000) * 60;
  const outcome = createStandardChange(ctx, {
    caller,
    request: audited,
    idempotencyKey: key,
    form: {
      standardChangeId: data.standard_change,
      title: data.title,
      affectedSystems: data.systems,
      ownerId: data.owner,
      riskAnswers: Object.fromEntries(Object.entries(data.risk_answers).map(([id, score]) => [id, String(score)])),
      securityTriggers: [],
      reviewRules: [],
      plannedStart,
      plannedEnd: seconds(data.planned_end) ?? plannedStart + DEFAULT_DURATION_S,
      link: data.link,
      description: data.description,
      businessJustification: data.business_justification,
      impactAnalysis: data.impact_analysis,
      testPlan: data.test_plan,
      rollbackPlan: data.rollback_plan,
      implementationPlan: data.implementation_plan,
    },
  });
  if (outcome.ok) {
    const { ref, state, created } = outcome;
    return { status: created ? 201 : 200, body: { change: ref, state, created } };
  }
  switch (outcome.code) {
    case 'out_of_scope':
      return error(403, outcome.code, scopeRefusalText(outcome));
    case 'invalid':
      return {
        status: 422,
        body: {
          error: 'invalid_change',
          message: API_WORDS.invalid_change,
          issues: outcome.issues.map((issue) => ({ path: apiFieldOf(issue), message: changeIssueText(issue) })),
        } satisfies ErrorBody,
      };
    case 'schedule_refused': {
      const { problems, risk, exceptionRequested } = outcome;
      const errors = scheduleErrors(problems, { risk, exceptionRequested }, ctx.policy, SCHEDULE_FIELDS);
      return {
        status: 409,
        body: {
          error: outcome.code,
          message: API_WORDS.schedule_refused,
          issues: Object.entries(errors).map(([path, message]) => ({ path, message })),
        } satisfies ErrorBody,
      };
    }
  }
}

/** The API's rate limits, shared by its routes. */
interface Limits {
  perToken: TokenBuckets;
  perRefusedAddress: TokenBuckets;
}

/** Authenticates, limits and answers one API request; anything thrown is logged by message and answered 500. */
function apiRoute(
  deps: ApiDependencies & Limits,
  route: { path: string; method: 'GET' | 'POST'; answer: (call: Call) => Answer | Promise<Answer | undefined> },
): CustomRoute {
  const { perToken, perRefusedAddress } = deps;
  const limited = (seconds: number): Answer => ({
    ...error(429, 'rate_limited', API_WORDS.rate_limited),
    headers: { 'Retry-After': String(seconds) },
  });
  // Bolt matches the path and puts its parameters on the request.
  const handle = async (
    request: IncomingMessage & { params?: Record<string, string | string[]> },
    response: ServerResponse,
  ) => {
    const ctx: UseCaseContext = { db: deps.database.db, policy: deps.policy, now: deps.clock.now(), actorId: '' };
    const audited = { method: route.method, path: new URL(request.url ?? '/', 'http://localhost').pathname };
    const identified = identifyPipeline(ctx, bearerOf(request));
    if (!identified.ok) {
      const wait = perRefusedAddress.take(request.socket.remoteAddress ?? '');
      if (wait > 0) return limited(wait);
      recordApiRefusal(ctx, { caller: identified.caller, request: audited, code: identified.code });
      return { ...error(401, 'unauthorized', authRefusalText(identified)), headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    const { caller } = identified;
    const wait = perToken.take(`token:${caller.tokenId}`);
    if (wait > 0) return limited(wait);
    const ref = request.params?.ref;
    const changeId = typeof ref === 'string' ? parseChangeRef(ref) : undefined;
    return route.answer({ request, response, ctx, caller, audited, changeId });
  };
  return {
    path: route.path,
    method: [route.method],
    handler: (request, response) => {
      handle(request, response).then(
        (answer) => {
          if (answer && !response.headersSent) send(response, answer);
        },
        (thrown: unknown) => {
          deps.logger.error(
            `API ${route.method} ${route.path} failed: ${thrown instanceof Error ? thrown.message : thrown}`,
          );
          if (!response.headersSent) send(response, error(500, 'internal', API_WORDS.internal));
        },
      );
    },
  };
}

/** The deployment-gate API's routes: the gate, deployment reports, and the OpenAPI document (public). */
export function apiRoutes(deps: ApiDependencies): CustomRoute[] {
  const limited = {
    ...deps,
    perToken: tokenBuckets(deps.rateLimit ?? API_RATE_LIMIT, deps.clock),
    perRefusedAddress: tokenBuckets(REFUSED_RATE_LIMIT, deps.clock),
  };
  return [
    {
      path: `${API_PREFIX}/openapi.json`,
      method: ['GET'],
      handler: (_request, response) => send(response, { status: 200, body: OPENAPI_DOCUMENT }),
    },
    apiRoute(limited, { path: `${API_PREFIX}/changes`, method: 'POST', answer: standardChange }),
    apiRoute(limited, { path: `${API_PREFIX}/changes/:ref/gate`, method: 'GET', answer: gate }),
    apiRoute(limited, { path: `${API_PREFIX}/changes/:ref/deployments`, method: 'POST', answer: deployment }),
  ];
}

// The deployment-gate API for CI/CD pipelines (issue 18), served beside Slack's events as Bolt custom routes. This
// module is transport only: it reads requests, calls the services and turns their coded outcomes into status codes
// and JSON; the rules are the services', the sentences slack/words/pipeline.ts's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute, Logger } from '@slack/bolt';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { parseChangeRef } from '../domain/change-ref.js';
import { httpLink, TEXT_MAX } from '../domain/change-request.js';
import type { GateReason } from '../domain/pipeline.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from '../services/context.js';
import { checkGate, DEPLOYMENT_STATUSES, reportDeployment } from '../services/deployment-gate.js';
import {
  type ApiRequest,
  identifyPipeline,
  type PipelineCaller,
  recordApiRefusal,
} from '../services/pipeline-tokens.js';
import { readBounded } from '../slack/http-edge.js';
import {
  API_WORDS,
  authRefusalText,
  deploymentRefusalText,
  gateReasonText,
  notFoundText,
  scopeRefusalText,
} from '../slack/words/pipeline.js';
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
function reasonJson(reason: GateReason): Record<string, unknown> {
  const when =
    'next' in reason
      ? {
          next_window: reason.next
            ? { start: reason.next.start.toISOString(), end: reason.next.end.toISOString() }
            : null,
        }
      : 'earliest' in reason
        ? { earliest_start: reason.earliest.toISOString() }
        : {};
  return { code: reason.code, message: gateReasonText(reason), ...when };
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
  return allowed ? { status: 200, body } : { status: 409, body: { ...body, reasons: outcome.reasons.map(reasonJson) } };
}

function notFound(call: Call): Answer {
  recordApiRefusal(call.ctx, { caller: call.caller, request: call.audited, code: 'change_not_found' });
  return error(404, 'change_not_found', notFoundText({ ok: false, code: 'change_not_found' }));
}

/** The body as JSON, or the answer refusing it (413, 422: audited). */
async function jsonBody(call: Call): Promise<{ ok: true; json: unknown } | { ok: false; answer: Answer | undefined }> {
  const { request, response, ctx, caller, audited } = call;
  const tooLarge = { error: 'too_large', message: API_WORDS.too_large } satisfies ErrorBody;
  const body = await readBounded(request, response, { limit: API_BODY_LIMIT, refusal: tooLarge });
  // Answered 413 already, as it streamed in.
  if (!body) return { ok: false, answer: undefined };
  try {
    return { ok: true, json: JSON.parse(body.toString('utf8')) };
  } catch {
    recordApiRefusal(ctx, { caller, request: audited, code: 'malformed_body' });
    return { ok: false, answer: error(422, 'malformed_body', API_WORDS.not_json) };
  }
}

async function deployment(call: Call): Promise<Answer | undefined> {
  const { request, ctx, caller, audited, changeId } = call;
  if (changeId === undefined) return notFound(call);
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    recordApiRefusal(ctx, { caller, request: audited, code: 'malformed_request' });
    return error(422, 'malformed_request', API_WORDS.idempotency_key);
  }
  const read = await jsonBody(call);
  if (!read.ok) return read.answer;
  const parsed = deploymentBody.safeParse(read.json);
  if (!parsed.success) {
    recordApiRefusal(ctx, { caller, request: audited, code: 'malformed_body' });
    return {
      status: 422,
      body: {
        error: 'malformed_body',
        message: API_WORDS.not_json,
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      } satisfies ErrorBody,
    };
  }
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
  return error(statusOf[outcome.code] ?? 409, outcome.code, deploymentRefusalText(outcome));
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
    apiRoute(limited, { path: `${API_PREFIX}/changes/:ref/gate`, method: 'GET', answer: gate }),
    apiRoute(limited, { path: `${API_PREFIX}/changes/:ref/deployments`, method: 'POST', answer: deployment }),
  ];
}

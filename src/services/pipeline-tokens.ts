import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../db/audit-log.js';
import type { DbExecutor } from '../db/client.js';
import {
  activeTokenNamed,
  activeTokens,
  insertPipelineToken,
  markTokenRevoked,
  type PipelineTokenRow,
  tokenWithHash,
} from '../db/pipeline.js';
import { readTokenRequest, type TokenRequestIssue } from '../domain/pipeline.js';
import type { Refusal, UseCaseContext } from './context.js';

/** Who may create, list and revoke tokens: `admin` is whether they hold one of `approvals.admin_roles` now. */
interface Admin {
  admin: boolean;
}

/** Why a token command was refused; slack/words/pipeline.ts says it. */
export type TokenRefusal =
  | Refusal<'not_admin', { roles: string[] }>
  | ({ ok: false } & TokenRequestIssue)
  | Refusal<'name_taken' | 'token_not_found', { name: string }>;

/** A token as listed: never its secret nor its hash. */
export interface PipelineTokenSummary {
  name: string;
  systems: string[];
  createdBy: string;
  createdAt: Date;
}

const summaryOf = (row: PipelineTokenRow): PipelineTokenSummary => ({
  name: row.name,
  systems: row.systems,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

/** The token's form: a recognizable prefix (secret scanners match it) and 256 random bits. */
const TOKEN_PREFIX = 'cabinet_';

const digestOf = (token: string) => createHash('sha256').update(token).digest();

/**
 * Creates a pipeline token named `<name>`, limited to the systems listed after it (none: every system). The token
 * is returned once, for the admin to copy; only its SHA-256 is stored. Audited with the row, never the secret.
 */
export function createPipelineToken(
  ctx: UseCaseContext,
  input: Admin & { words: readonly string[] },
): ({ ok: true; token: string } & PipelineTokenSummary) | TokenRefusal {
  const { db, policy, now, actorId } = ctx;
  if (!input.admin) return { ok: false, code: 'not_admin', roles: policy.approvals.admin_roles };
  const read = readTokenRequest(input.words, policy);
  if (!read.ok) return read;
  const { name, systems } = read;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(
    (tx) => {
      if (activeTokenNamed(tx, name)) return { ok: false, code: 'name_taken', name } as const;
      const row = insertPipelineToken(tx, {
        name,
        tokenHash: digestOf(token).toString('hex'),
        systems,
        createdBy: actorId,
        createdAt: now,
      });
      recordAudit(
        tx,
        { changeId: null, actorId, type: 'pipeline_token.created', data: { tokenId: row.id, name, systems } },
        now,
      );
      return { ok: true, token, ...summaryOf(row) } as const;
    },
    { behavior: 'immediate' },
  );
}

/** The tokens in force, by name. */
export function listPipelineTokens(ctx: UseCaseContext, input: Admin): PipelineTokenSummary[] | TokenRefusal {
  if (!input.admin) return { ok: false, code: 'not_admin', roles: ctx.policy.approvals.admin_roles };
  return activeTokens(ctx.db).map(summaryOf);
}

/** Revokes the token in force with this name: from now on it is answered 401. Audited. */
export function revokePipelineToken(
  ctx: UseCaseContext,
  input: Admin & { name: string },
): { ok: true; name: string } | TokenRefusal {
  const { db, policy, now, actorId } = ctx;
  const { name } = input;
  if (!input.admin) return { ok: false, code: 'not_admin', roles: policy.approvals.admin_roles };
  return db.transaction(
    (tx) => {
      const row = activeTokenNamed(tx, name);
      if (!row || !markTokenRevoked(tx, row.id, { by: actorId, at: now }))
        return { ok: false, code: 'token_not_found', name } as const;
      recordAudit(
        tx,
        { changeId: null, actorId, type: 'pipeline_token.revoked', data: { tokenId: row.id, name } },
        now,
      );
      return { ok: true, name } as const;
    },
    { behavior: 'immediate' },
  );
}

/** A pipeline as its token identifies it. */
export interface PipelineCaller {
  tokenId: number;
  name: string;
  /** The systems it may act on; empty: every system. */
  systems: string[];
}

/** What a request to the API was, for its audit event: method and path (never the query: it could hold a secret). */
export interface ApiRequest {
  method: string;
  path: string;
}

/** 401: no bearer token, one Cabinet never issued, or one revoked. */
export type AuthRefusal = Refusal<'missing_token' | 'unknown_token' | 'revoked_token'>;

/** The audit actor of what a pipeline does: its token's name, never the token. */
export const pipelineActor = (caller: Pick<PipelineCaller, 'name'> | undefined) =>
  caller ? `pipeline:${caller.name}` : 'pipeline:unauthenticated';

/**
 * Records a refused API request in the audit log: who (the token's name when it was one), what and why. Call inside
 * the transaction of the use-case that refused, so nothing else commits apart from it.
 */
export function auditApiRefusal(
  tx: DbExecutor,
  ctx: Pick<UseCaseContext, 'now'>,
  refused: { caller: PipelineCaller | undefined; request: ApiRequest; code: string; changeId?: number },
): void {
  const { caller, request, code } = refused;
  recordAudit(
    tx,
    {
      changeId: refused.changeId ?? null,
      actorId: pipelineActor(caller),
      type: 'pipeline.refused',
      data: { code, method: request.method, path: request.path, ...(caller ? { tokenId: caller.tokenId } : {}) },
    },
    ctx.now,
    { refreshHomes: false },
  );
}

/** Audits a request refused before any use-case ran (a bad token, a malformed body), in its own transaction. */
export function recordApiRefusal(
  ctx: UseCaseContext,
  refused: { caller: PipelineCaller | undefined; request: ApiRequest; code: string },
): void {
  ctx.db.transaction((tx) => auditApiRefusal(tx, ctx, refused), { behavior: 'immediate' });
}

/**
 * The pipeline a bearer token identifies, its SHA-256 compared in constant time (read only: the caller audits a
 * refusal with recordApiRefusal, once it knows the refusal is not part of a flood). A revoked token is told apart
 * from an unknown one only for the audit log: both are answered 401 alike.
 */
export function identifyPipeline(
  ctx: UseCaseContext,
  bearer: string | undefined,
): { ok: true; caller: PipelineCaller } | (AuthRefusal & { caller: PipelineCaller | undefined }) {
  if (!bearer) return { ok: false, code: 'missing_token', caller: undefined };
  const digest = digestOf(bearer);
  const row = tokenWithHash(ctx.db, digest.toString('hex'));
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash, 'hex'), digest))
    return { ok: false, code: 'unknown_token', caller: undefined };
  const caller = { tokenId: row.id, name: row.name, systems: row.systems };
  return row.revokedAt === null ? { ok: true, caller } : { ok: false, code: 'revoked_token', caller };
}

import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbExecutor } from './client.js';
import { pipelineDeployments, pipelineTokens } from './schema.js';

export type PipelineTokenRow = typeof pipelineTokens.$inferSelect;
export type PipelineDeploymentRow = typeof pipelineDeployments.$inferSelect;
export type NewPipelineDeployment = typeof pipelineDeployments.$inferInsert;

export function insertPipelineToken(db: DbExecutor, token: typeof pipelineTokens.$inferInsert): PipelineTokenRow {
  return db.insert(pipelineTokens).values(token).returning().get();
}

/** The token in force with this name, if any. */
export function activeTokenNamed(db: DbExecutor, name: string): PipelineTokenRow | undefined {
  return db
    .select()
    .from(pipelineTokens)
    .where(and(eq(pipelineTokens.name, name), isNull(pipelineTokens.revokedAt)))
    .get();
}

/** The token (revoked or not) whose hash this is. */
export function tokenWithHash(db: DbExecutor, tokenHash: string): PipelineTokenRow | undefined {
  return db.select().from(pipelineTokens).where(eq(pipelineTokens.tokenHash, tokenHash)).get();
}

/** The tokens in force, by name. */
export function activeTokens(db: DbExecutor): PipelineTokenRow[] {
  return db
    .select()
    .from(pipelineTokens)
    .where(isNull(pipelineTokens.revokedAt))
    .orderBy(asc(pipelineTokens.name))
    .all();
}

/** Revokes the token if it is still in force; undefined when it was not. */
export function markTokenRevoked(
  db: DbExecutor,
  id: number,
  revoked: { by: string; at: Date },
): PipelineTokenRow | undefined {
  return db
    .update(pipelineTokens)
    .set({ revokedAt: revoked.at, revokedBy: revoked.by })
    .where(and(eq(pipelineTokens.id, id), isNull(pipelineTokens.revokedAt)))
    .returning()
    .get();
}

/** The deployment a token already reported under this idempotency key. */
export function deploymentWithKey(
  db: DbExecutor,
  tokenId: number,
  idempotencyKey: string,
): PipelineDeploymentRow | undefined {
  return db
    .select()
    .from(pipelineDeployments)
    .where(and(eq(pipelineDeployments.tokenId, tokenId), eq(pipelineDeployments.idempotencyKey, idempotencyKey)))
    .get();
}

export function insertDeployment(db: DbExecutor, deployment: NewPipelineDeployment): PipelineDeploymentRow {
  return db.insert(pipelineDeployments).values(deployment).returning().get();
}

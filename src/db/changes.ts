import { and, count, desc, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import { formatChangeRef } from '../domain/change-ref.js';
import { DomainError } from '../domain/errors.js';
import { type ChangeState, type TransitionName, nextState } from '../domain/lifecycle.js';
import type { CabinetDb } from './client.js';
import { approvalCandidates, approvalDecisions, approvalRequirements, auditEvents, changes, slackMessages } from './schema.js';

/** The database or a transaction on it. */
export type DbExecutor = CabinetDb | Parameters<Parameters<CabinetDb['transaction']>[0]>[0];

export type ChangeRow = typeof changes.$inferSelect;
export type DecisionRow = typeof approvalDecisions.$inferSelect;

export interface RequirementView {
  id: number;
  role: string;
  approvalsNeeded: number;
  fallbackRole: string | null;
  satisfiedAt: Date | null;
  candidates: string[];
  approvals: DecisionRow[];
}

/** A change with everything its messages show: requirements, who was asked, and every decision. */
export interface ChangeView {
  ref: string;
  change: ChangeRow;
  requirements: RequirementView[];
  decisions: DecisionRow[];
}

export function loadChangeView(db: DbExecutor, changeId: number): ChangeView | undefined {
  const change = db.select().from(changes).where(eq(changes.id, changeId)).get();
  if (!change) return undefined;
  const requirements = db.select().from(approvalRequirements).where(eq(approvalRequirements.changeId, changeId)).orderBy(approvalRequirements.id).all();
  const candidates = requirements.length
    ? db.select().from(approvalCandidates).where(inArray(approvalCandidates.requirementId, requirements.map((r) => r.id))).orderBy(approvalCandidates.id).all()
    : [];
  const decisions = db.select().from(approvalDecisions).where(eq(approvalDecisions.changeId, changeId)).orderBy(approvalDecisions.id).all();
  return {
    ref: formatChangeRef(change.id),
    change,
    decisions,
    requirements: requirements.map((requirement) => ({
      id: requirement.id,
      role: requirement.role,
      approvalsNeeded: requirement.approvalsNeeded,
      fallbackRole: requirement.fallbackRole,
      satisfiedAt: requirement.satisfiedAt,
      candidates: candidates.filter((c) => c.requirementId === requirement.id).map((c) => c.userId),
      approvals: decisions.filter((d) => d.requirementId === requirement.id && d.decision === 'approve'),
    })),
  };
}

export interface AuditEntry {
  changeId: number | null;
  actorId: string;
  type: string;
  fromState?: ChangeState;
  toState?: ChangeState;
  data?: Record<string, unknown>;
}

export function recordAudit(db: DbExecutor, entry: AuditEntry, at: Date): void {
  db.insert(auditEvents).values({ ...entry, occurredAt: at }).run();
}

/**
 * Moves a change through the lifecycle with a conditional update (only from the state it was read
 * in) and records the audit event; call inside the transaction that made the change happen.
 */
export function transitionChange(db: DbExecutor, change: Pick<ChangeRow, 'id' | 'type' | 'state'>, transition: TransitionName, actorId: string, at: Date, data?: Record<string, unknown>): ChangeState {
  const to = nextState(change, transition);
  const updated = db
    .update(changes)
    .set({ state: to, updatedAt: at })
    .where(and(eq(changes.id, change.id), eq(changes.state, change.state)))
    .returning({ id: changes.id })
    .all();
  if (updated.length !== 1) throw new DomainError('ILLEGAL_TRANSITION', `${formatChangeRef(change.id)} changed while this was being recorded; try again.`);
  recordAudit(db, { changeId: change.id, actorId, type: `change.${transition}`, fromState: change.state, toState: to, data }, at);
  return to;
}

/** Marks a requirement satisfied once; false when it already was. */
export function satisfyRequirement(db: DbExecutor, requirementId: number, at: Date): boolean {
  return (
    db
      .update(approvalRequirements)
      .set({ satisfiedAt: at })
      .where(and(eq(approvalRequirements.id, requirementId), isNull(approvalRequirements.satisfiedAt)))
      .returning({ id: approvalRequirements.id })
      .all().length === 1
  );
}

export type ListFilter = 'mine' | 'pending' | 'all';

/** Newest first. `mine`: requested or owned by the user; `pending`: waiting for the user's decision. */
export function listChanges(db: DbExecutor, filter: ListFilter, userId: string, limit: number): { rows: ChangeRow[]; total: number } {
  const waitingForUser = and(
    eq(changes.state, 'pending_approval'),
    inArray(
      changes.id,
      db
        .select({ changeId: approvalRequirements.changeId })
        .from(approvalCandidates)
        .innerJoin(approvalRequirements, eq(approvalCandidates.requirementId, approvalRequirements.id))
        .where(and(eq(approvalCandidates.userId, userId), isNull(approvalRequirements.satisfiedAt))),
    ),
    notInArray(changes.id, db.select({ changeId: approvalDecisions.changeId }).from(approvalDecisions).where(eq(approvalDecisions.approverId, userId))),
  );
  const where = filter === 'pending' ? waitingForUser : filter === 'mine' ? or(eq(changes.requesterId, userId), eq(changes.ownerId, userId)) : undefined;
  const rows = db.select().from(changes).where(where).orderBy(desc(changes.id)).limit(limit).all();
  const total = db.select({ total: count() }).from(changes).where(where).get()?.total ?? 0;
  return { rows, total };
}

export type MessagePurpose = 'approval_request' | 'log';

export function recordSlackMessage(db: DbExecutor, message: { changeId: number; purpose: MessagePurpose; channelId: string; ts: string; recipientId?: string }, at: Date): void {
  db.insert(slackMessages).values({ ...message, createdAt: at }).onConflictDoNothing().run();
}

export function slackMessagesOf(db: DbExecutor, changeId: number) {
  return db.select().from(slackMessages).where(eq(slackMessages.changeId, changeId)).orderBy(slackMessages.id).all();
}

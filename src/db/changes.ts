import { and, count, desc, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import { isBoardRequirement } from '../domain/approvers.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { DomainError } from '../domain/errors.js';
import {
  type ApprovalPhase,
  type ChangeState,
  DECIDING_STATES,
  decisionStage,
  decisionStageOf,
  nextState,
  type TransitionName,
} from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import type { CabinetDb } from './client.js';
import { type Conflict, conflictsFor, PLANNED_STATES } from './schedule.js';
import {
  approvalCandidates,
  approvalDecisions,
  approvalRequirements,
  auditEvents,
  cabItems,
  changes,
  type MessagePurpose,
  obligations,
  postImplementationReviews,
  rollbacks,
  slackMessages,
  verbalApprovalConfirmations,
  verbalApprovals,
  verifications,
} from './schema.js';

/** The database or a transaction on it. */
export type DbExecutor = CabinetDb | Parameters<Parameters<CabinetDb['transaction']>[0]>[0];

export type ChangeRow = typeof changes.$inferSelect;
export type DecisionRow = typeof approvalDecisions.$inferSelect;
export type ObligationRow = typeof obligations.$inferSelect;
type VerbalApprovalRow = typeof verbalApprovals.$inferSelect;
type ConfirmationRow = typeof verbalApprovalConfirmations.$inferSelect;
export type BoardItemRow = typeof cabItems.$inferSelect;
export type RollbackRow = typeof rollbacks.$inferSelect;
export type VerificationRow = typeof verifications.$inferSelect;
export type ReviewRow = typeof postImplementationReviews.$inferSelect;

export interface RequirementView {
  id: number;
  phase: ApprovalPhase;
  role: string;
  approvalsNeeded: number;
  alternative: boolean;
  fallbackRole: string | null;
  satisfiedAt: Date | null;
  candidates: string[];
  /** Approvals that count: voided ones (e.g. a disputed verbal approval) are left out. */
  approvals: DecisionRow[];
}

export interface VerbalApprovalView extends VerbalApprovalRow {
  confirmation: ConfirmationRow | undefined;
}

/** A change with everything its messages show: requirements, who was asked, every decision, and for emergencies the verbal approvals and the paperwork. */
export interface ChangeView {
  ref: string;
  change: ChangeRow;
  requirements: RequirementView[];
  decisions: DecisionRow[];
  verbalApprovals: VerbalApprovalView[];
  obligations: ObligationRow[];
  /** Each time it was put to the CAB, oldest first, with what the board decided. */
  boardItems: BoardItemRow[];
  /** While it is still to run: other changes planned on a shared system at an overlapping time. */
  conflicts: Conflict[];
  rollback: RollbackRow | undefined;
  verification: VerificationRow | undefined;
  review: ReviewRow | undefined;
}

/** The requirements of one phase, e.g. the authorization of an emergency. */
export function requirementsOf(view: ChangeView, phase: ApprovalPhase): RequirementView[] {
  return view.requirements.filter((requirement) => requirement.phase === phase);
}

export function loadChangeView(db: DbExecutor, changeId: number): ChangeView | undefined {
  const change = db.select().from(changes).where(eq(changes.id, changeId)).get();
  if (!change) return undefined;
  const requirements = db
    .select()
    .from(approvalRequirements)
    .where(eq(approvalRequirements.changeId, changeId))
    .orderBy(approvalRequirements.id)
    .all();
  const candidates = requirements.length
    ? db
        .select()
        .from(approvalCandidates)
        .where(
          inArray(
            approvalCandidates.requirementId,
            requirements.map((r) => r.id),
          ),
        )
        .orderBy(approvalCandidates.id)
        .all()
    : [];
  const decisions = db
    .select()
    .from(approvalDecisions)
    .where(eq(approvalDecisions.changeId, changeId))
    .orderBy(approvalDecisions.id)
    .all();
  const verbal = db
    .select()
    .from(verbalApprovals)
    .where(eq(verbalApprovals.changeId, changeId))
    .orderBy(verbalApprovals.id)
    .all();
  const confirmations = verbal.length
    ? db
        .select()
        .from(verbalApprovalConfirmations)
        .where(
          inArray(
            verbalApprovalConfirmations.verbalApprovalId,
            verbal.map((v) => v.id),
          ),
        )
        .all()
    : [];
  return {
    ref: formatChangeRef(change.id),
    change,
    decisions,
    requirements: requirements.map((requirement) => ({
      id: requirement.id,
      phase: requirement.phase,
      role: requirement.role,
      approvalsNeeded: requirement.approvalsNeeded,
      alternative: requirement.alternative,
      fallbackRole: requirement.fallbackRole,
      satisfiedAt: requirement.satisfiedAt,
      candidates: candidates.filter((c) => c.requirementId === requirement.id).map((c) => c.userId),
      approvals: decisions.filter(
        (d) => d.requirementId === requirement.id && d.decision === 'approve' && d.voidedAt === null,
      ),
    })),
    verbalApprovals: verbal.map((row) => ({
      ...row,
      confirmation: confirmations.find((c) => c.verbalApprovalId === row.id),
    })),
    obligations: db.select().from(obligations).where(eq(obligations.changeId, changeId)).orderBy(obligations.id).all(),
    boardItems: db.select().from(cabItems).where(eq(cabItems.changeId, changeId)).orderBy(cabItems.id).all(),
    conflicts: (PLANNED_STATES as readonly ChangeState[]).includes(change.state) ? conflictsFor(db, change) : [],
    rollback: db.select().from(rollbacks).where(eq(rollbacks.changeId, changeId)).get(),
    verification: db.select().from(verifications).where(eq(verifications.changeId, changeId)).get(),
    review: db.select().from(postImplementationReviews).where(eq(postImplementationReviews.changeId, changeId)).get(),
  };
}

/** The change a modal submission created, if it was already recorded (Slack retries, double submits). */
export function changeOfSubmission(db: DbExecutor, submissionKey: string): number | undefined {
  return db.select({ id: changes.id }).from(changes).where(eq(changes.submissionKey, submissionKey)).get()?.id;
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
  db.insert(auditEvents)
    .values({ ...entry, occurredAt: at })
    .run();
}

/**
 * Moves a change through the lifecycle with a conditional update (only from the state it was read
 * in) and records the audit event; call inside the transaction that made the change happen.
 */
export function transitionChange(
  db: DbExecutor,
  change: Pick<ChangeRow, 'id' | 'type' | 'state'>,
  transition: TransitionName,
  actorId: string,
  at: Date,
  data?: Record<string, unknown>,
): ChangeState {
  const to = nextState(change, transition);
  const updated = db
    .update(changes)
    .set({ state: to, updatedAt: at })
    .where(and(eq(changes.id, change.id), eq(changes.state, change.state)))
    .returning({ id: changes.id })
    .all();
  if (updated.length !== 1)
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `${formatChangeRef(change.id)} changed while this was being recorded; try again.`,
    );
  recordAudit(
    db,
    { changeId: change.id, actorId, type: `change.${transition}`, fromState: change.state, toState: to, data },
    at,
  );
  return to;
}

/**
 * Puts a change before the next CAB for something that went wrong (a disputed verbal approval, a
 * rejected retro-approval). The first reason stays on the change; every flag is audited.
 */
export function flagChange(
  db: DbExecutor,
  change: Pick<ChangeRow, 'id' | 'flaggedAt'>,
  reason: string,
  actorId: string,
  at: Date,
): void {
  if (change.flaggedAt === null)
    db.update(changes).set({ flaggedAt: at, flagReason: reason, updatedAt: at }).where(eq(changes.id, change.id)).run();
  recordAudit(db, { changeId: change.id, actorId, type: 'change.flagged', data: { reason } }, at);
}

/** Marks a requirement no longer satisfied, e.g. when the approval that met it is disputed. */
export function unsatisfyRequirement(db: DbExecutor, requirementId: number): void {
  db.update(approvalRequirements).set({ satisfiedAt: null }).where(eq(approvalRequirements.id, requirementId)).run();
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

/** The open board requirement of the phase the change waits in, if the board has something to decide. */
export function openBoardRequirement(view: ChangeView, policy: Pick<Policy, 'cab'>): RequirementView | undefined {
  const phase = decisionStage(view.change.state)?.phase;
  if (!phase) return undefined;
  return requirementsOf(view, phase).find(
    (requirement) => isBoardRequirement(requirement, policy) && requirement.satisfiedAt === null,
  );
}

export type ListFilter = 'mine' | 'pending' | 'all';

/** Newest first. `mine`: requested or owned by the user; `pending`: waiting for the user's decision. */
export function listChanges(
  db: DbExecutor,
  filter: ListFilter,
  userId: string,
  limit: number,
): { rows: ChangeRow[]; total: number } {
  // Open requirements of the phase the change is in, where the user was asked and has not decided yet.
  const decidedByUser = db
    .select({ requirementId: approvalDecisions.requirementId })
    .from(approvalDecisions)
    .where(and(eq(approvalDecisions.approverId, userId), isNull(approvalDecisions.voidedAt)));
  const waitingForUser = inArray(
    changes.id,
    db
      .select({ changeId: approvalRequirements.changeId })
      .from(approvalCandidates)
      .innerJoin(approvalRequirements, eq(approvalCandidates.requirementId, approvalRequirements.id))
      .innerJoin(changes, eq(approvalRequirements.changeId, changes.id))
      .where(
        and(
          eq(approvalCandidates.userId, userId),
          isNull(approvalRequirements.satisfiedAt),
          or(
            ...DECIDING_STATES.map((state) =>
              and(eq(changes.state, state), eq(approvalRequirements.phase, decisionStageOf(state).phase)),
            ),
          ),
          notInArray(approvalRequirements.id, decidedByUser),
        ),
      ),
  );
  const where =
    filter === 'pending'
      ? waitingForUser
      : filter === 'mine'
        ? or(eq(changes.requesterId, userId), eq(changes.ownerId, userId))
        : undefined;
  const rows = db.select().from(changes).where(where).orderBy(desc(changes.id)).limit(limit).all();
  const total = db.select({ total: count() }).from(changes).where(where).get()?.total ?? 0;
  return { rows, total };
}

export { type MessagePurpose, requestPurpose } from './schema.js';

export function recordSlackMessage(
  db: DbExecutor,
  message: { changeId: number; purpose: MessagePurpose; channelId: string; ts: string; recipientId?: string },
  at: Date,
): void {
  db.insert(slackMessages)
    .values({ ...message, createdAt: at })
    .onConflictDoNothing()
    .run();
}

export function slackMessagesOf(db: DbExecutor, changeId: number) {
  return db.select().from(slackMessages).where(eq(slackMessages.changeId, changeId)).orderBy(slackMessages.id).all();
}

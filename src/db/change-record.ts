import { formatChangeRef } from '../domain/change-ref.js';
import { type ApprovalPhase, isPlanned } from '../domain/lifecycle.js';
import type { DbExecutor } from './client.js';
import { type Conflict, conflictsFor } from './schedule.js';
import type {
  approvalDecisions,
  authorizationDisputes,
  cabItems,
  changeEvidence,
  changes,
  changeVersions,
  obligations,
  postImplementationReviews,
  rollbacks,
  verbalApprovalConfirmations,
  verbalApprovals,
  verifications,
} from './schema.js';

export type ChangeRow = typeof changes.$inferSelect;
export type DecisionRow = typeof approvalDecisions.$inferSelect;
export type ObligationRow = typeof obligations.$inferSelect;
export type VerbalApprovalRow = typeof verbalApprovals.$inferSelect;
export type ConfirmationRow = typeof verbalApprovalConfirmations.$inferSelect;
export type BoardItemRow = typeof cabItems.$inferSelect;
export type RollbackRow = typeof rollbacks.$inferSelect;
export type VerificationRow = typeof verifications.$inferSelect;
export type ReviewRow = typeof postImplementationReviews.$inferSelect;
export type ChangeVersionRow = typeof changeVersions.$inferSelect;
export type DisputeRow = typeof authorizationDisputes.$inferSelect;
export type EvidenceRow = typeof changeEvidence.$inferSelect;

/** Someone asked to decide on a requirement, and on what ground. */
export interface AskedRecord {
  userId: string;
  /** Asked as the delegate of this candidate. */
  onBehalfOf: string | null;
  /** A delegate whose delegation has ended since: no longer asked (decisions they took stand). */
  delegationEnded: boolean;
  /** The admin who reassigned the requirement to them, and why. */
  reassignedBy: string | null;
  reassignReason: string | null;
}

export interface RequirementRecord {
  id: number;
  phase: ApprovalPhase;
  role: string;
  approvalsNeeded: number;
  alternative: boolean;
  /** The roles of its "any one of" group; null: its role alone. */
  anyOf: string[] | null;
  /** Its approval stage (0 first). */
  stage: number;
  fallbackRole: string | null;
  /** When its SLA runs out (null: none). */
  dueAt: Date | null;
  satisfiedAt: Date | null;
  /** Everyone asked: role holders, their delegates and those it was reassigned to. */
  candidates: string[];
  /** The same people, with the ground each was asked on. */
  asked: AskedRecord[];
  /** Approvals that count: voided ones (e.g. a disputed verbal approval) are left out. */
  approvals: DecisionRow[];
}

export interface VerbalApprovalRecord extends VerbalApprovalRow {
  confirmation: ConfirmationRow | undefined;
}

/**
 * A change with everything its messages show: requirements, who was asked, every decision, and for
 * emergencies the verbal approvals and the paperwork.
 */
export interface ChangeRecord {
  ref: string;
  change: ChangeRow;
  requirements: RequirementRecord[];
  decisions: DecisionRow[];
  verbalApprovals: VerbalApprovalRecord[];
  obligations: ObligationRow[];
  /** Each time it was put to the CAB, oldest first, with what the board decided. */
  boardItems: BoardItemRow[];
  /** While it is still to run: other changes planned on a shared system at an overlapping time. */
  conflicts: Conflict[];
  rollback: RollbackRow | undefined;
  verification: VerificationRow | undefined;
  review: ReviewRow | undefined;
  /** An emergency's text as declared and, once documented, as documented (oldest first). */
  versions: ChangeVersionRow[];
  /** Authorizations disputed after the fact, open or resolved (oldest first). */
  disputes: DisputeRow[];
  /** Tests and step evidence recorded (8.1; the policy's step_evidence), oldest first; the newest of an item counts. */
  evidence: EvidenceRow[];
}

/** Reads a change with everything on it in one relational query (and its conflicts while it is still to run). */
export function loadChangeRecord(db: DbExecutor, changeId: number): ChangeRecord | undefined {
  const found = db.query.changes
    .findFirst({
      where: (table, { eq }) => eq(table.id, changeId),
      with: {
        requirements: {
          orderBy: (t, { asc }) => asc(t.id),
          with: {
            candidates: {
              orderBy: (t, { asc }) => asc(t.id),
              extras: (t, { sql }) => ({
                delegationEnded: sql<number>`(${t.onBehalfOf} is not null and not exists (select 1 from
                  delegations where delegator_id = ${t.onBehalfOf} and delegate_id = ${t.userId}
                  and ended_at is null))`.as('delegation_ended'),
              }),
            },
          },
        },
        decisions: { orderBy: (t, { asc }) => asc(t.id) },
        verbalApprovals: { orderBy: (t, { asc }) => asc(t.id), with: { confirmation: true } },
        obligations: { orderBy: (t, { asc }) => asc(t.id) },
        boardItems: { orderBy: (t, { asc }) => asc(t.id) },
        rollback: true,
        verification: true,
        review: true,
        versions: { orderBy: (t, { asc }) => asc(t.version) },
        disputes: { orderBy: (t, { asc }) => asc(t.id) },
        evidence: { orderBy: (t, { asc }) => asc(t.id) },
      },
    })
    .sync();
  if (!found) return undefined;
  const {
    requirements,
    decisions,
    verbalApprovals,
    obligations,
    boardItems,
    rollback,
    verification,
    review,
    versions,
    disputes,
    evidence,
    ...change
  } = found;
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
      anyOf: requirement.anyOf,
      stage: requirement.stage,
      fallbackRole: requirement.fallbackRole,
      dueAt: requirement.dueAt,
      satisfiedAt: requirement.satisfiedAt,
      candidates: requirement.candidates.map((candidate) => candidate.userId),
      asked: requirement.candidates.map(({ userId, onBehalfOf, reassignedBy, reassignReason, delegationEnded }) => ({
        userId,
        onBehalfOf,
        delegationEnded: Boolean(delegationEnded),
        reassignedBy,
        reassignReason,
      })),
      approvals: decisions.filter(
        (d) => d.requirementId === requirement.id && d.decision === 'approve' && d.voidedAt === null,
      ),
    })),
    verbalApprovals: verbalApprovals.map(({ confirmation, ...row }) => ({
      ...row,
      confirmation: confirmation ?? undefined,
    })),
    obligations,
    boardItems,
    conflicts: isPlanned(change.state) ? conflictsFor(db, change) : [],
    rollback: rollback ?? undefined,
    verification: verification ?? undefined,
    review: review ?? undefined,
    versions,
    disputes,
    evidence,
  };
}

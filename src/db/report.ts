import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { ChangeState } from '../domain/lifecycle.js';
import type { ApprovedFact, ImplementedFact, MonthFacts, SubmittedFact } from '../domain/report.js';
import type { CabinetDb } from './client.js';
import { auditEvents, changes, postImplementationReviews } from './schema.js';

/** The states that end an implementation; an emergency is implemented when it is authorized (6.2). */
const IMPLEMENTED_STATES: ChangeState[] = ['completed', 'failed', 'rolled_back', 'authorized'];
const APPROVED_STATES: ChangeState[] = ['approved', 'authorized'];

const riskLevel = sql<string | null>`coalesce(${changes.riskLevel}, ${changes.computedRiskLevel})`;

/** Whether the change ever moved to `toState` (from `fromState`, when given), as an SQL boolean. */
function everMoved(toState: ChangeState, fromState?: ChangeState) {
  const from = fromState ? sql` and later.from_state = ${fromState}` : sql``;
  return sql<number>`exists (select 1 from audit_events later where later.change_id = audit_events.change_id
    and later.to_state = ${toState}${from})`;
}

/** The first time each change reached one of `states`, if that was within [from, to): the month's events. */
function firstReachedWithin(states: ChangeState[], period: { from: Date; to: Date }) {
  return and(
    inArray(auditEvents.toState, states),
    gte(auditEvents.occurredAt, period.from),
    lt(auditEvents.occurredAt, period.to),
    sql`not exists (select 1 from audit_events earlier where earlier.change_id = audit_events.change_id
      and earlier.to_state in ${states} and earlier.id < audit_events.id)`,
  );
}

/**
 * What 11.2's metrics are computed from, for one period (a month): changes submitted, implemented and approved in
 * it, read through the created-at and (to-state, occurred-at) indexes.
 */
export function monthFacts(db: CabinetDb, period: { from: Date; to: Date }): MonthFacts {
  const submitted: SubmittedFact[] = db
    .select({ type: changes.type, riskLevel })
    .from(changes)
    .where(and(gte(changes.createdAt, period.from), lt(changes.createdAt, period.to)))
    .all();
  const implemented: ImplementedFact[] = db
    .select({
      riskLevel,
      failed: everMoved('failed'),
      rolledBack: everMoved('rolled_back'),
      failedVerification: everMoved('failed', 'completed'),
      reviewIncidents: postImplementationReviews.incidents,
    })
    .from(auditEvents)
    .innerJoin(changes, eq(changes.id, auditEvents.changeId))
    .leftJoin(postImplementationReviews, eq(postImplementationReviews.changeId, auditEvents.changeId))
    .where(firstReachedWithin(IMPLEMENTED_STATES, period))
    .all()
    .map((row) => ({
      ...row,
      failed: Boolean(row.failed),
      rolledBack: Boolean(row.rolledBack),
      failedVerification: Boolean(row.failedVerification),
    }));
  const approved: ApprovedFact[] = db
    .select({ riskLevel, submittedAt: changes.createdAt, approvedAt: auditEvents.occurredAt })
    .from(auditEvents)
    .innerJoin(changes, eq(changes.id, auditEvents.changeId))
    .where(firstReachedWithin(APPROVED_STATES, period))
    .all();
  return { submitted, implemented, approved };
}

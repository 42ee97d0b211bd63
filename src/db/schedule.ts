import { and, asc, gt, inArray, isNull, lt } from 'drizzle-orm';
import { formatChangeRef } from '../domain/change-ref.js';
import type { ChangeState } from '../domain/lifecycle.js';
import { conflictsOf, type Freeze, type Interval, type PlannedChange } from '../domain/schedule.js';
import type { Policy } from '../policy/schema.js';
import type { DbExecutor } from './changes.js';
import { changeFreezes, changes } from './schema.js';

/** States in which a change is still going to run, or running: what the calendar shows and conflicts are checked against. */
export const PLANNED_STATES = [
  'submitted',
  'pending_approval',
  'approved',
  'scheduled',
  'implementing',
  'pending_authorization',
  'authorized',
] as const satisfies readonly ChangeState[];

/** A freeze announced from Slack, by its ID: "FRZ-3". */
export const formatFreezeRef = (id: number) => `FRZ-${id}`;

export function parseFreezeRef(text: string): number | undefined {
  const match = /^(?:FRZ-)?([1-9]\d{0,9})$/i.exec(text.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Every freeze in force: the policy file's, then those announced from Slack and not removed. */
export function loadFreezes(db: DbExecutor, policy: Pick<Policy, 'freezes'>): Freeze[] {
  const fromPolicy = policy.freezes.map((freeze, index) => ({ id: `policy-${index + 1}`, ...freeze }));
  const announced = db
    .select()
    .from(changeFreezes)
    .where(isNull(changeFreezes.removedAt))
    .orderBy(asc(changeFreezes.fromDate))
    .all();
  return [
    ...fromPolicy,
    ...announced.map((row) => ({
      id: formatFreezeRef(row.id),
      from: row.fromDate,
      to: row.toDate,
      reason: row.reason,
    })),
  ];
}

/** A planned change as the calendar and the conflict warnings show it. */
export interface PlannedChangeRow extends PlannedChange {
  ref: string;
  title: string;
  type: (typeof changes.$inferSelect)['type'];
  state: ChangeState;
  riskLevel: string | null;
  ownerId: string;
  plannedStart: Date;
  plannedEnd: Date;
}

/** Changes in `states` (by default: still to run, or running) whose planned time overlaps the interval, earliest first. */
export function plannedChangesDuring(
  db: DbExecutor,
  interval: Interval,
  states: readonly ChangeState[] = PLANNED_STATES,
): PlannedChangeRow[] {
  const rows = db
    .select({
      id: changes.id,
      title: changes.title,
      type: changes.type,
      state: changes.state,
      riskLevel: changes.riskLevel,
      ownerId: changes.ownerId,
      affectedSystems: changes.affectedSystems,
      plannedStart: changes.plannedStart,
      plannedEnd: changes.plannedEnd,
    })
    .from(changes)
    .where(
      and(
        inArray(changes.state, [...states]),
        lt(changes.plannedStart, interval.end),
        gt(changes.plannedEnd, interval.start),
      ),
    )
    .orderBy(asc(changes.plannedStart), asc(changes.id))
    .all();
  return rows.flatMap(({ plannedStart, plannedEnd, ...row }) =>
    plannedStart && plannedEnd ? [{ ...row, ref: formatChangeRef(row.id), plannedStart, plannedEnd }] : [],
  );
}

export interface Conflict {
  change: PlannedChangeRow;
  /** The affected systems both changes touch. */
  systems: string[];
}

/** Other changes, approved or pending, planned on a shared system at an overlapping time. */
export function conflictsFor(db: DbExecutor, change: PlannedChange): Conflict[] {
  if (!change.plannedStart || !change.plannedEnd) return [];
  return conflictsOf(change, plannedChangesDuring(db, { start: change.plannedStart, end: change.plannedEnd }));
}

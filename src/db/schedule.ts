import { and, asc, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { formatChangeRef } from '../domain/change-ref.js';
import { type ChangeState, PLANNED_STATES } from '../domain/lifecycle.js';
import { conflictsOf, type Interval, type PlannedChange } from '../domain/schedule.js';
import type { DbExecutor } from './client.js';
import { changes } from './schema.js';

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

const during = (interval: Interval, states: readonly ChangeState[]) =>
  and(
    inArray(changes.state, [...states]),
    lt(changes.plannedStart, interval.end),
    gt(changes.plannedEnd, interval.start),
  );

/** What the calendar and the conflict warnings read of a change. */
const plannedColumns = {
  id: changes.id,
  title: changes.title,
  type: changes.type,
  state: changes.state,
  riskLevel: changes.riskLevel,
  ownerId: changes.ownerId,
  affectedSystems: changes.affectedSystems,
  plannedStart: changes.plannedStart,
  plannedEnd: changes.plannedEnd,
};

/** A change as plannedColumns reads it: the planned times may be missing. */
type PlannedSelectRow = Omit<PlannedChangeRow, 'ref' | 'plannedStart' | 'plannedEnd'> & {
  plannedStart: Date | null;
  plannedEnd: Date | null;
};

/** The rows with both planned times. A loop without spreads: the feed maps thousands of rows in one request. */
function plannedOf(rows: readonly PlannedSelectRow[]): PlannedChangeRow[] {
  const planned: PlannedChangeRow[] = [];
  for (const row of rows) {
    const { plannedStart, plannedEnd } = row;
    if (!plannedStart || !plannedEnd) continue;
    planned.push({
      id: row.id,
      ref: formatChangeRef(row.id),
      title: row.title,
      type: row.type,
      state: row.state,
      riskLevel: row.riskLevel,
      ownerId: row.ownerId,
      affectedSystems: row.affectedSystems,
      plannedStart,
      plannedEnd,
    });
  }
  return planned;
}

/** The changes `where` admits, earliest first. */
function plannedRows(db: DbExecutor, where: SQL | undefined): PlannedChangeRow[] {
  return plannedOf(
    db.select(plannedColumns).from(changes).where(where).orderBy(asc(changes.plannedStart), asc(changes.id)).all(),
  );
}

/**
 * Changes in `states` (by default: still to run, or running) whose planned time overlaps the interval,
 * earliest first.
 */
export function plannedChangesDuring(
  db: DbExecutor,
  interval: Interval,
  states: readonly ChangeState[] = PLANNED_STATES,
): PlannedChangeRow[] {
  return plannedRows(db, during(interval, states));
}

/**
 * The same changes a page at a time, earliest first: their ids are read at once, each page's rows when it is asked
 * for, so a caller that lets the event loop go between pages never holds it for the whole read (the calendar feed).
 */
export function* plannedChangePages(
  db: DbExecutor,
  query: { interval: Interval; states: readonly ChangeState[]; pageSize: number },
): Generator<PlannedChangeRow[]> {
  const ids = db
    .select({ id: changes.id })
    .from(changes)
    .where(during(query.interval, query.states))
    .orderBy(asc(changes.plannedStart), asc(changes.id))
    .all()
    .map((row) => row.id);
  // One statement for every page: its ids bind as one JSON array.
  const page = db
    .select(plannedColumns)
    .from(changes)
    .where(sql`${changes.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .orderBy(asc(changes.plannedStart), asc(changes.id))
    .prepare();
  for (let first = 0; first < ids.length; first += query.pageSize)
    yield plannedOf(page.all({ ids: JSON.stringify(ids.slice(first, first + query.pageSize)) }));
}

export interface Conflict {
  change: PlannedChangeRow;
  /** The affected systems both changes touch. */
  systems: string[];
}

/** Other changes, approved or pending, planned on a shared system at an overlapping time. */
export function conflictsFor(db: DbExecutor, change: PlannedChange): Conflict[] {
  if (!change.plannedStart || !change.plannedEnd || change.affectedSystems.length === 0) return [];
  const interval = { start: change.plannedStart, end: change.plannedEnd };
  return conflictsOf(change, plannedRows(db, and(during(interval, PLANNED_STATES), mayShare(change.affectedSystems))));
}

/**
 * Changes that may share one of `systems`, read without loading the rest (a burst plans hundreds of changes in one
 * window on other systems, and every message about each of them reads its conflicts). SQLite's lower() folds ASCII
 * only, so a change whose systems are not all ASCII is kept too; conflictsOf decides.
 */
function mayShare(systems: readonly string[]): SQL {
  const wanted = systems.map((system) => system.toLowerCase());
  return sql`(exists (select 1 from json_each(${changes.affectedSystems}) where lower(json_each.value) in ${wanted})
    or ${changes.affectedSystems} glob ${NON_ASCII})`;
}

/** A GLOB matching any text with a character outside ASCII. */
const NON_ASCII = '*[^\u0001-\u007f]*';

import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import { changesAwaitingDecision } from '../services/change-queries.js';
import { SYSTEM_ACTOR } from '../services/context.js';
import { recheckApprovers, rolesAwaitingDecision } from '../services/request-approvals.js';
import { type RoleDirectory, resolveRoles } from '../services/role-directory.js';
import type { ScheduledJob } from './scheduler.js';

/** Every ten minutes: someone added to a role waits at most that long to be asked (a click asks them at once). */
export const APPROVER_RECHECK_SCHEDULE = '*/10 * * * *';

export interface RecheckDependencies {
  policy: Policy;
  database: Database;
  clock: Clock;
  /** Sends the requests queued without waiting for the next poll. */
  outbox: { kick(): void };
  roles: RoleDirectory;
}

/**
 * Resolves the roles of every change waiting for a decision, each role once per run (so one
 * usergroups.users.list per user group, however many changes wait), and asks whoever joined them since.
 */
export function approverRecheckJob(deps: RecheckDependencies): ScheduledJob {
  const { policy, database, clock } = deps;
  return {
    name: 'approver_recheck',
    schedule: APPROVER_RECHECK_SCHEDULE,
    async run() {
      const waiting = changesAwaitingDecision(database);
      if (waiting.length === 0) return;
      const membersByRole = await resolveRoles(
        deps.roles,
        waiting.flatMap((record) => rolesAwaitingDecision(record, policy)),
      );
      const ctx = { db: database.db, policy, now: clock.now(), actorId: SYSTEM_ACTOR };
      const asked = waiting.filter((record) => recheckApprovers(ctx, { changeId: record.change.id, membersByRole }));
      if (asked.length > 0) deps.outbox.kick();
    },
  };
}

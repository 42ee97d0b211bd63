import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { digestDateDue } from '../domain/inbox.js';
import type { Policy } from '../policy/schema.js';
import { nudgedDecisions, queueDigest, rolesForQuietCheck, type TimeZoneDirectory } from '../services/digest.js';
import { type RoleDirectory, resolveRoles } from '../services/role-directory.js';
import type { ScheduledJob } from './scheduler.js';

/** Every quarter of an hour: a digest goes out within 15 minutes of digest_time wherever its reader is. */
export const DIGEST_SCHEDULE = '*/15 * * * *';

export interface DigestDependencies {
  policy: Policy;
  database: Database;
  clock: Clock;
  /** Sends the digests queued without waiting for the next poll. */
  outbox: { kick(): void };
  /** Who holds the quiet roles (approvals.quiet_roles) and the roles asked, user groups expanded. */
  roles: RoleDirectory;
  timeZones: TimeZoneDirectory;
}

/**
 * The morning digest (approvals.nudges "digest" or "both"): everyone with decisions waiting that they are nudged about
 * (not only through quiet roles), once it is digest_time or later on a business day in their own Slack time zone
 * (the policy's when Slack has none), gets one digest for that local date; the dedupe key makes it one, whichever
 * run (or process) queues it first. Someone whose time zone Slack cannot give now is tried again at the next run.
 */
export function digestJob(deps: DigestDependencies): ScheduledJob {
  const { policy, database, clock } = deps;
  return {
    name: 'approval_digest',
    schedule: DIGEST_SCHEDULE,
    async run() {
      const source = { db: database.db, policy, now: clock.now() };
      const membersByRole = await resolveRoles(deps.roles, rolesForQuietCheck(source));
      let queued = 0;
      for (const [userId, decisions] of nudgedDecisions(source, membersByRole)) {
        const timeZone = await deps.timeZones.timeZoneOf(userId).catch(() => null);
        if (timeZone === null) continue;
        const now = clock.now();
        const date = digestDateDue(now, timeZone ?? policy.timezone, policy);
        if (!date) continue;
        queueDigest({ db: database.db, now }, { userId, date, decisions });
        queued += 1;
      }
      if (queued > 0) deps.outbox.kick();
    },
  };
}

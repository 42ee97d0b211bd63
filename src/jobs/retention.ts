import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import { applyRetention } from '../services/retention.js';
import type { ScheduledJob } from './scheduler.js';

// Daily at 03:30 in the policy timezone, away from the midnight head witness. No catch-up: the next day's run
// purges whatever a missed one would have.
const DAILY = '30 3 * * *';

/** Applies the policy's `retention_years` once a day (POL-SEC-008 11.1), in bounded batches. */
export function retentionJob(deps: { policy: Policy; database: Database; clock: Clock }): ScheduledJob {
  return {
    name: 'retention',
    schedule: DAILY,
    async run() {
      await applyRetention(deps.database.db, { years: deps.policy.retention_years, now: deps.clock.now() });
    },
  };
}

import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { witnessAuditHead } from '../services/audit.js';
import type { ScheduledJob } from './scheduler.js';

// Daily, just after midnight in the policy timezone. No catch-up: a day missed while the bot was down is covered
// by the next day's head, which witnesses every event before it too.
const DAILY = '5 0 * * *';

/** Witnesses the audit log's head in the audit channel once a day (the scheduler's claimed slots: once per day). */
export function auditHeadJob(deps: { database: Database; clock: Clock; outbox: { kick(): void } }): ScheduledJob {
  return {
    name: 'audit_head',
    schedule: DAILY,
    async run(slot) {
      if (witnessAuditHead(deps.database.db, slot, deps.clock.now())) deps.outbox.kick();
    },
  };
}

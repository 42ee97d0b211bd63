import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import { queueMonthlyReport } from '../services/report.js';
import type { ScheduledJob } from './scheduler.js';

/**
 * At the start of business on each of a month's first seven days (one of them is its first business day); the run
 * posts only on that day. No catch-up: a missed report is still there on demand (`/change report`).
 */
export function monthlyReportSchedule(policy: Pick<Policy, 'business_hours'>): string {
  const [hour, minute] = policy.business_hours.from.split(':').map(Number);
  return `${minute ?? 0} ${hour ?? 9} 1-7 * *`;
}

/** Posts last month's report (11.3) to the reports channel on the first business day of each month. */
export function monthlyReportJob(deps: {
  policy: Policy;
  database: Database;
  clock: Clock;
  outbox: { kick(): void };
}): ScheduledJob {
  return {
    name: 'monthly_report',
    schedule: monthlyReportSchedule(deps.policy),
    async run(slot) {
      if (queueMonthlyReport(deps.database.db, deps.policy, slot, deps.clock.now())) deps.outbox.kick();
    },
  };
}

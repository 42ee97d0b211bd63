import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { auditChannelOf, type Policy, reportsChannelOf } from '../policy/schema.js';
import { openRegularMeeting } from '../services/cab.js';
import type { TimeZoneDirectory } from '../services/digest.js';
import type { RoleDirectory } from '../services/role-directory.js';
import { approverRecheckJob } from './approver-recheck.js';
import { auditHeadJob } from './audit-head.js';
import { digestJob } from './digest.js';
import { monthlyReportJob } from './monthly-report.js';
import { retentionJob } from './retention.js';
import type { ScheduledJob } from './scheduler.js';

export interface JobDependencies {
  policy: Policy;
  database: Database;
  clock: Clock;
  /** Sends what the job queued without waiting for the next poll. */
  outbox: { kick(): void };
}

/**
 * The weekly CAB agenda (7.2, 7.3) on the policy's `cab.schedule`; a missed one is posted late within the grace period.
 */
export function cabAgendaJob(deps: JobDependencies): ScheduledJob {
  const { policy } = deps;
  return {
    name: 'cab_agenda',
    schedule: policy.cab.schedule,
    catchUpWithinMs: policy.cab.missed_agenda_grace_hours * 3_600_000,
    async run(slot, { late }) {
      const outcome = openRegularMeeting(
        deps.database.db,
        policy,
        { slot, late, openedBy: 'cabinet' },
        deps.clock.now(),
      );
      if (!outcome.ok) throw new Error(outcome.code);
      deps.outbox.kick();
    },
  };
}

/**
 * Every scheduled job the policy asks for: the re-check of pending changes' approvers, the morning digest unless
 * approvals.nudges is "reminders", the CAB agenda when there is a CAB channel to post it in, the audit log's daily
 * witnessed head when there is an audit (or log) channel, the daily retention purge, and the monthly report when
 * there is a reports (or log) channel.
 */
export function scheduledJobs(
  deps: JobDependencies & { roles: RoleDirectory; timeZones: TimeZoneDirectory },
): ScheduledJob[] {
  return [
    approverRecheckJob(deps),
    ...(deps.policy.approvals.nudges === 'reminders' ? [] : [digestJob(deps)]),
    ...(deps.policy.cab.channel ? [cabAgendaJob(deps)] : []),
    ...(auditChannelOf(deps.policy) ? [auditHeadJob(deps)] : []),
    retentionJob(deps),
    ...(reportsChannelOf(deps.policy) ? [monthlyReportJob(deps)] : []),
  ];
}

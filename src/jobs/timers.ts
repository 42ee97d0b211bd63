import type { Clock } from '../clock.js';
import type { CabinetDb } from '../db/client.js';
import type { TimerWork } from '../db/outbox.js';
import { requirementsOf } from '../domain/approvers.js';
import { decisionStage } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { changeRecordOf } from '../services/change-queries.js';
import { SYSTEM_ACTOR, type UseCaseContext } from '../services/context.js';
import { escalateAuthorization } from '../services/emergency.js';
import { paperworkDeadline } from '../services/paperwork.js';
import { requestApprovals, rolesToResolve } from '../services/request-approvals.js';
import type { RoleDirectory } from '../services/role-directory.js';

export interface TimerDependencies {
  db: CabinetDb;
  policy: Policy;
  clock: Clock;
  roles: RoleDirectory;
}

/** Runs a timer's use-case. */
export type TimerDispatcher = (work: TimerWork) => Promise<void>;

export function createTimerDispatcher(deps: TimerDependencies): TimerDispatcher {
  const { db, policy, clock, roles } = deps;
  // Built when the use-case runs: resolving roles through Slack takes time.
  const contextNow = (): UseCaseContext => ({ db, policy, now: clock.now(), actorId: SYSTEM_ACTOR });
  return async (work) => {
    switch (work.kind) {
      case 'request_approvals': {
        // Only this timer needs the change first: its roles are resolved through Slack before the use-case runs.
        const record = changeRecordOf({ db }, work.changeId);
        const phase = record && decisionStage(record.change.state)?.phase;
        if (!record || !phase) return;
        const needed = rolesToResolve(requirementsOf(record, phase), policy);
        const resolved = new Map(
          await Promise.all(needed.map(async (role) => [role, await roles.membersOf(role)] as const)),
        );
        requestApprovals(contextNow(), { changeId: record.change.id, membersByRole: resolved });
        return;
      }
      case 'escalate_authorization':
        escalateAuthorization(contextNow(), { changeId: work.changeId, by: { timer: true } });
        return;
      case 'paperwork_deadline':
        paperworkDeadline(contextNow(), { changeId: work.changeId, stage: work.stage });
        return;
    }
  };
}

import type { Clock } from '../clock.js';
import type { CabinetDb } from '../db/client.js';
import type { TimerWork } from '../db/outbox.js';
import { decisionStage } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { emergencyCabDeadline } from '../services/cab.js';
import { changeRecordOf } from '../services/change-queries.js';
import { SYSTEM_ACTOR, type UseCaseContext } from '../services/context.js';
import { expireDelegations } from '../services/delegations.js';
import { escalateAuthorization } from '../services/emergency.js';
import { concernsBoard, refreshHomes } from '../services/homes.js';
import { rollbackDeadline } from '../services/implementation.js';
import { paperworkDeadline } from '../services/paperwork.js';
import { requestApprovals, rolesAwaitingDecision } from '../services/request-approvals.js';
import { type RoleDirectory, resolveRoles } from '../services/role-directory.js';
import { slaMilestoneReached } from '../services/sla.js';

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
        if (!record || !decisionStage(record.change.state)) return;
        const resolved = await resolveRoles(roles, rolesAwaitingDecision(record, policy));
        requestApprovals(contextNow(), { changeId: record.change.id, membersByRole: resolved });
        return;
      }
      case 'escalate_authorization':
        escalateAuthorization(contextNow(), { changeId: work.changeId, by: { timer: true } });
        return;
      case 'paperwork_deadline':
        paperworkDeadline(contextNow(), { changeId: work.changeId, stage: work.stage, dueAt: work.dueAt });
        return;
      case 'sla_milestone':
        slaMilestoneReached(contextNow(), work);
        return;
      case 'end_delegation':
        expireDelegations(contextNow());
        return;
      case 'cab_deadline':
        emergencyCabDeadline(contextNow(), work);
        return;
      case 'rollback_deadline':
        rollbackDeadline(contextNow(), work);
        return;
      case 'refresh_homes': {
        const record = changeRecordOf({ db }, work.changeId);
        if (!record) return;
        // The board's members are asked of Slack only when the board has a part in the change.
        const boardMembers = concernsBoard(record, policy) ? await roles.membersOf(policy.cab.role) : [];
        refreshHomes(contextNow(), { record, boardMembers });
        return;
      }
    }
  };
}

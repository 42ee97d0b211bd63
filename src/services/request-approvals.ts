import { addCandidate, setFallbackRole, setRequirementDue } from '../db/approvals.js';
import { recordAudit } from '../db/audit-log.js';
import { type ChangeRecord, loadChangeRecord, type RequirementRecord } from '../db/change-record.js';
import type { DbExecutor } from '../db/client.js';
import { enqueue } from '../db/outbox.js';
import { slackMessagesOf } from '../db/slack-messages.js';
import {
  chooseCandidates,
  fallBackForWholeGroups,
  fallbackRoleFor,
  isAskedNow,
  isBoardRequirement,
  isStageReached,
  type RequirementCandidates,
  requirementsOf,
} from '../domain/approvers.js';
import { askedOnlyThroughQuietRoles } from '../domain/inbox.js';
import { type ApprovalPhase, decisionStage } from '../domain/lifecycle.js';
import { requestPurpose } from '../domain/message-purpose.js';
import { slaBusinessDays, slaDueAt } from '../domain/sla.js';
import { openStage, stagesOf } from '../domain/stages.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from './context.js';
import { endExpiredDelegations, runningDelegates } from './delegates.js';
import type { MembersByRole } from './role-directory.js';
import { startSlaTimers } from './sla.js';

/** Queues the DM asking one person to decide in the change's current phase; keyed, so asking twice sends one. */
export function askToDecide(tx: DbExecutor, record: ChangeRecord, userId: string, now: Date): void {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return;
  // Their request of this phase is in their DM already (a closure asked again after a refusal, a later stage): it is
  // refreshed with its buttons, and a reply in its thread tells them, since an updated message notifies nobody.
  const purpose = requestPurpose(phase);
  const again = slackMessagesOf(tx, record.change.id).some((m) => m.purpose === purpose && m.recipientId === userId);
  const request = { kind: 'approval_request', changeId: record.change.id, userId, phase } as const;
  // The first request is sent once whatever retries; each time it is asked again is a request of its own.
  const dedupeKey = `${phase}_request:${record.change.id}:${userId}${again ? `:again@${now.getTime()}` : ''}`;
  enqueue(tx, again ? { ...request, again } : request, now, { dedupeKey });
}

/** A requirement of the waiting phase and who would be asked for it now. */
interface Choice {
  requirement: RequirementRecord;
  choice: RequirementCandidates;
}

/**
 * Who would be asked now for each requirement of the phase (but the board's) in its open stage (a later stage's are
 * asked once the earlier ones are approved), given the members of each role.
 */
function choicesOf(record: ChangeRecord, phase: ApprovalPhase, policy: Policy, membersByRole: MembersByRole): Choice[] {
  const all = requirementsOf(record, phase);
  const open = openStage(all);
  const requirements = all.filter(
    (requirement) => !isBoardRequirement(requirement, policy) && (open === undefined || requirement.stage === open),
  );
  const chosen = chooseCandidates(
    requirements.map((requirement) => requirement.role),
    (role) => membersByRole.get(role) ?? [],
    { requesterId: record.change.requesterId, ownerId: record.change.ownerId },
    policy.approvals,
  );
  return fallBackForWholeGroups(
    requirements.flatMap((requirement, index) => {
      const choice = chosen[index];
      return choice ? [{ requirement, choice }] : [];
    }),
  );
}

/** Whether someone chosen for a requirement is asked only through quiet roles. */
type QuietRule = (requirement: { role: string; fallbackRole: string | null }, userId: string) => boolean;

/** Who is chosen but not sent the request: asked only through quiet roles (they decide from Details or the Home). */
function quietOf(policy: Policy, membersByRole: MembersByRole): QuietRule {
  const rules = {
    quietRoles: policy.approvals.quiet_roles,
    membersOf: (role: string) => membersByRole.get(role) ?? [],
  };
  return (requirement, userId) => askedOnlyThroughQuietRoles(requirement, userId, rules);
}

/**
 * Who was asked now: those to send a request to, the delegates asked for their delegators (by delegator), and
 * those chosen but not sent the request (quiet roles, and their delegates).
 */
interface Asked {
  people: Set<string>;
  delegates: Record<string, string>;
  quiet: Set<string>;
}

/**
 * Records the chosen people as candidates (and the fallback role asked), with the delegate of each whose delegation
 * runs now (never the change's requester or owner); returns those to ask now and those `quiet` leaves unasked.
 */
function addCandidates(
  tx: DbExecutor,
  at: Pick<UseCaseContext, 'policy' | 'now'>,
  chosen: { record: ChangeRecord; choices: readonly Choice[]; quiet: QuietRule },
): Asked {
  const { record, choices, quiet } = chosen;
  const asked: Asked = { people: new Set(), delegates: {}, quiet: new Set() };
  const { requesterId, ownerId } = record.change;
  endExpiredDelegations(tx, at);
  const delegations = runningDelegates(tx, at, [...new Set(choices.flatMap(({ choice }) => choice.candidates))]);
  for (const { requirement, choice } of choices) {
    const fallbackRole = requirement.fallbackRole ?? choice.fallbackRole ?? null;
    if (choice.fallbackRole && requirement.fallbackRole === null)
      setFallbackRole(tx, requirement.id, choice.fallbackRole);
    // An emergency's stand-ins are asked only once it is escalated.
    const askNow = isAskedNow(requirement, record);
    for (const userId of choice.candidates) {
      addCandidate(tx, requirement.id, userId);
      // A delegate stands in for the delegator: asked only if the delegator would be.
      const ask = (id: string) => {
        if (!askNow) return;
        if (quiet({ role: requirement.role, fallbackRole }, userId)) asked.quiet.add(id);
        else asked.people.add(id);
      };
      ask(userId);
      const delegateId = delegations.get(userId)?.delegateId;
      // A delegate who holds the role too is asked in their own right.
      if (!delegateId || [requesterId, ownerId, ...choice.candidates].includes(delegateId)) continue;
      addCandidate(tx, requirement.id, delegateId, { onBehalfOf: userId });
      asked.delegates[userId] = delegateId;
      ask(delegateId);
    }
  }
  // Someone quiet for one role but asked for another of the change is asked.
  for (const userId of asked.people) asked.quiet.delete(userId);
  return asked;
}

/** The audit record of who was chosen but not sent the request (approvals.quiet_roles), when anyone was. */
function quietData(asked: Asked): { notSent?: string[] } {
  return asked.quiet.size > 0 ? { notSent: [...asked.quiet] } : {};
}

/** The delegates asked, in an audit event's data (left out when there are none). */
function delegatesData(asked: Asked): Record<string, unknown> {
  return Object.keys(asked.delegates).length > 0 ? { delegates: asked.delegates } : {};
}

/** The stage asked, in an audit event's data, as "stage 2 of 2" (left out when the phase has one stage). */
function stageData(requirements: readonly RequirementRecord[]): { stage?: number; stages?: number } {
  const stages = stagesOf(requirements);
  const open = openStage(requirements);
  return stages.length > 1 && open !== undefined ? { stage: stages.indexOf(open) + 1, stages: stages.length } : {};
}

/**
 * Starts the SLA clock (4.4) of each requirement of the phase asked now that has one, from now, with its timers: a
 * later stage's starts when that stage is asked.
 */
function startSlaClocks(tx: DbExecutor, at: Pick<UseCaseContext, 'policy' | 'now'>, record: ChangeRecord): void {
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return;
  for (const requirement of requirementsOf(record, phase).filter((r) => isStageReached(r, record))) {
    const businessDays = slaBusinessDays(requirement, record.change.riskLevel, at.policy);
    if (businessDays === undefined || requirement.dueAt !== null) continue;
    setRequirementDue(tx, requirement.id, slaDueAt(at.now, businessDays, at.policy));
    startSlaTimers(tx, at, { changeId: record.change.id, requirement, businessDays });
  }
}

/**
 * Decides who is asked for each requirement of the phase the change waits in (members resolved by
 * the caller, user groups included) and queues one request per person. The stand-ins of an
 * emergency's authorization are chosen now but asked only once it is escalated; the board's own
 * requirement is put to the CAB, not to its members one by one. Safe to run again:
 * candidates and requests are keyed, so a retry adds nothing twice.
 */
export function requestApprovals(ctx: UseCaseContext, input: { changeId: number; membersByRole: MembersByRole }): void {
  const { db, policy, now } = ctx;
  const { changeId, membersByRole } = input;
  db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, changeId);
      const stage = record ? decisionStage(record.change.state) : undefined;
      if (!record || !stage) return;
      const choices = choicesOf(record, stage.phase, policy, membersByRole);
      const asked = addCandidates(tx, ctx, { record, choices, quiet: quietOf(policy, membersByRole) });
      startSlaClocks(tx, ctx, record);
      const chosen = choices.map(({ choice }) => choice);
      const requirements = requirementsOf(record, stage.phase);
      recordAudit(
        tx,
        {
          changeId,
          actorId: 'cabinet',
          type: 'approval.requested',
          data: {
            phase: stage.phase,
            candidates: Object.fromEntries(chosen.map((c) => [c.role, c.candidates])),
            fallbacks: Object.fromEntries(chosen.filter((c) => c.fallbackRole).map((c) => [c.role, c.fallbackRole])),
            ...stageData(requirements),
            ...delegatesData(asked),
            ...quietData(asked),
          },
        },
        now,
      );
      for (const userId of asked.people) askToDecide(tx, record, userId, now);
      // An emergency's requester follows it in its own DM, refreshed below; others get a notice. A later stage asked
      // shows in the change's messages too.
      const laterStage = (stageData(requirements).stage ?? 1) > 1;
      if (record.change.type === 'emergency' || laterStage) enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      if (record.change.type !== 'emergency')
        enqueue(tx, { kind: 'notify_user', changeId, userId: record.change.requesterId, event: 'submitted' }, now, {
          dedupeKey: `notify_submitted:${changeId}`,
        });
    },
    { behavior: 'immediate' },
  );
}

/**
 * Makes whoever holds an open requirement's role now, and was not asked yet, a candidate, and asks
 * them (someone added to a role, or to its user group, while the change waits). Those who left a role
 * stay recorded as asked; decide.ts refuses their decision. Returns whether anyone was added.
 */
export function askNewRoleHolders(
  tx: DbExecutor,
  at: Pick<UseCaseContext, 'policy' | 'now'>,
  input: { record: ChangeRecord; membersByRole: MembersByRole },
): boolean {
  const { policy, now } = at;
  const { record, membersByRole } = input;
  const phase = decisionStage(record.change.state)?.phase;
  if (!phase) return false;
  const fresh = choicesOf(record, phase, policy, membersByRole)
    .filter(({ requirement }) => requirement.satisfiedAt === null)
    .map(({ requirement, choice }) => ({
      requirement,
      choice: { ...choice, candidates: choice.candidates.filter((id) => !requirement.candidates.includes(id)) },
    }))
    .filter(({ choice }) => choice.candidates.length > 0);
  if (fresh.length === 0) return false;
  const asked = addCandidates(tx, at, { record, choices: fresh, quiet: quietOf(policy, membersByRole) });
  const changeId = record.change.id;
  recordAudit(
    tx,
    {
      changeId,
      actorId: 'cabinet',
      type: 'approval.candidates_added',
      data: {
        phase,
        candidates: Object.fromEntries(fresh.map(({ choice }) => [choice.role, choice.candidates])),
        ...delegatesData(asked),
        ...quietData(asked),
      },
    },
    now,
  );
  for (const userId of asked.people) askToDecide(tx, record, userId, now);
  enqueue(tx, { kind: 'refresh_messages', changeId }, now);
  return true;
}

/** The periodic re-check of one waiting change: asks who joined its roles since; whether anyone was asked. */
export function recheckApprovers(
  ctx: UseCaseContext,
  input: { changeId: number; membersByRole: MembersByRole },
): boolean {
  return ctx.db.transaction(
    (tx) => {
      const record = loadChangeRecord(tx, input.changeId);
      return record ? askNewRoleHolders(tx, ctx, { record, membersByRole: input.membersByRole }) : false;
    },
    { behavior: 'immediate' },
  );
}

/**
 * The roles whose members must be known to choose candidates: the required roles (but the board's) and
 * their fallbacks.
 */
export function rolesToResolve(
  requirements: readonly { role: string; phase: ApprovalPhase }[],
  policy: Policy,
): string[] {
  const roles = requirements
    .filter((requirement) => !isBoardRequirement(requirement, policy))
    .map((requirement) => requirement.role);
  return [...new Set([...roles, ...roles.map((role) => fallbackRoleFor(role, policy.approvals))])];
}

/** The roles to resolve for the decision the change waits for now (none when it waits for none). */
export function rolesAwaitingDecision(record: ChangeRecord, policy: Policy): string[] {
  const phase = decisionStage(record.change.state)?.phase;
  return phase ? rolesToResolve(requirementsOf(record, phase), policy) : [];
}

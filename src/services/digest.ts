import { waitingRequirements } from '../db/inbox.js';
import { enqueue } from '../db/outbox.js';
import { askedOnlyThroughQuietRoles } from '../domain/inbox.js';
import type { ApprovalPhase } from '../domain/lifecycle.js';
import type { UseCaseContext } from './context.js';
import { decisionsOf, decisionsWaitingFor, type WaitingDecision, type WaitingSource, waitingFilter } from './inbox.js';
import type { MembersByRole } from './role-directory.js';

// The morning digest (approvals.nudges "digest" or "both"): once per person per local business day.

/** Each person's own time zone, as Slack knows it (undefined: not set); passed in, like the role directory. */
export interface TimeZoneDirectory {
  timeZoneOf(userId: string): Promise<string | undefined>;
}

/** The roles whose members tell whether anyone waiting is asked only through quiet roles (none when none is quiet). */
export function rolesForQuietCheck(source: WaitingSource): string[] {
  if (source.policy.approvals.quiet_roles.length === 0) return [];
  const rows = waitingRequirements(source.db, waitingFilter(source));
  return [...new Set(rows.flatMap((row) => [row.role, ...(row.fallbackRole === null ? [] : [row.fallbackRole])]))];
}

/**
 * Everyone with decisions waiting that they are nudged about, with those decisions (oldest first): a requirement
 * they were asked for only through quiet roles (approvals.quiet_roles) is left out, so they may get none. A delegate
 * is asked through their delegator's roles (quiet when the delegator is); a reassignment is never through a role.
 */
export function nudgedDecisions(source: WaitingSource, membersByRole: MembersByRole): Map<string, WaitingDecision[]> {
  const quietRoles = source.policy.approvals.quiet_roles;
  const membersOf = (role: string) => membersByRole.get(role) ?? [];
  const rows = waitingRequirements(source.db, waitingFilter(source)).filter(
    (row) =>
      row.reassignedBy !== null ||
      !askedOnlyThroughQuietRoles(row, row.onBehalfOf ?? row.userId, { quietRoles, membersOf }),
  );
  return decisionsOf(rows);
}

/** Queues someone's digest of their local `date` once: a second call for the same person and date adds nothing. */
export function queueDigest(
  ctx: Pick<UseCaseContext, 'db' | 'now'>,
  digest: { userId: string; date: string; decisions: readonly WaitingDecision[] },
): void {
  const { userId, date, decisions } = digest;
  const items = decisions.map(({ changeId, phase }) => ({ changeId, phase }));
  enqueue(ctx.db, { kind: 'approval_digest', userId, date, items }, ctx.now, {
    dedupeKey: `approval_digest:${userId}:${date}`,
  });
}

/** The decisions a digest was queued with that still wait for its recipient when it is sent, oldest first. */
export function digestDecisions(
  source: WaitingSource,
  digest: { userId: string; items: readonly { changeId: number; phase: ApprovalPhase }[] },
): WaitingDecision[] {
  return decisionsWaitingFor(source, digest.userId).filter((decision) =>
    digest.items.some((item) => item.changeId === decision.changeId && item.phase === decision.phase),
  );
}

import type { webApi } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { CabinetDb } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import { queueHomePublish } from '../services/homes.js';
import { inboxOf } from '../services/inbox.js';
import type { RoleDirectory } from '../services/role-directory.js';
import { HOME_SHOWN, homeView } from './blocks/home.js';
import type { ListenerDependencies } from './dependencies.js';

export interface HomeDependencies {
  db: CabinetDb;
  policy: Policy;
  clock: Clock;
  /** Who holds the CAB's role now, for the board's items. */
  roles: RoleDirectory;
}

/** Whether someone sits on the CAB now; when Slack cannot say, their Home shows everything else. */
async function isBoardMember(deps: HomeDependencies, userId: string): Promise<boolean> {
  const role = deps.policy.cab.role;
  if ((deps.policy.roles[role] ?? []).includes(userId)) return true;
  try {
    return (await deps.roles.membersOf(role)).includes(userId);
  } catch {
    return false;
  }
}

/** Publishes someone's App Home (their inbox) as it is now; throws when Slack refuses it. */
export async function publishHome(client: webApi.WebClient, deps: HomeDependencies, userId: string): Promise<void> {
  const boardMember = await isBoardMember(deps, userId);
  const now = deps.clock.now();
  const ctx = { db: deps.db, policy: deps.policy, now, actorId: userId };
  const inbox = inboxOf(ctx, {
    userId,
    boardMember,
    changesShown: Math.max(HOME_SHOWN.toImplement, HOME_SHOWN.active),
  });
  await client.views.publish({ user_id: userId, view: homeView(inbox, deps.policy, now) });
}

/**
 * Publishes someone's Home from a listener, at once; if Slack does not take it (a 429, an outage), the publish is
 * queued in the outbox and retried with its backoff.
 */
export async function publishHomeNow(
  client: webApi.WebClient,
  deps: ListenerDependencies,
  userId: string,
): Promise<void> {
  const { database, policy, clock, roles } = deps;
  try {
    await publishHome(client, { db: database.db, policy, clock, roles }, userId);
  } catch (error) {
    deps.logger.warn(
      `views.publish for a Home failed (${error instanceof Error ? error.message : String(error)}); queued`,
    );
    queueHomePublish(database.db, userId, clock.now());
    deps.outbox.kick();
  }
}

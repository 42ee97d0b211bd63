import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../policy/schema.js';
import type { UseCaseContext } from '../services/context.js';

const KEY = 'useCase';

/**
 * Builds the use-case context once per request, before any listener runs: the database, the policy,
 * the time the request arrived and the user who sent it (Bolt puts the acting user in `context.userId`).
 */
export function useCaseContextMiddleware(deps: {
  database: Database;
  policy: Policy;
  clock: Clock;
}): Middleware<AnyMiddlewareArgs> {
  return async ({ context, next }) => {
    const useCase: UseCaseContext = {
      db: deps.database.db,
      policy: deps.policy,
      now: deps.clock.now(),
      actorId: context.userId ?? '',
    };
    context[KEY] = useCase;
    await next();
  };
}

/** The use-case context the middleware put on this request. */
export function useCaseOf(context: Context): UseCaseContext {
  const useCase: unknown = context[KEY];
  if (typeof useCase !== 'object' || useCase === null || !('db' in useCase)) {
    throw new Error('use-case context missing: is useCaseContextMiddleware registered?');
  }
  return useCase as UseCaseContext;
}

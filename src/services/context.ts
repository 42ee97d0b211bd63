import type { CabinetDb } from '../db/client.js';
import type { Policy } from '../policy/schema.js';

/**
 * What every use-case runs with, built once per request (the Bolt middleware in slack/use-case-context.ts)
 * or per timer and job run, so services take `(ctx, input)` and never reach for a clock or a global.
 */
export interface UseCaseContext {
  db: CabinetDb;
  policy: Policy;
  /** When the request arrived: everything the use-case records carries this time. */
  now: Date;
  /** The Slack user acting, or `SYSTEM_ACTOR` for Cabinet's own jobs and timers. */
  actorId: string;
}

/** The actor recorded for what Cabinet does by itself (cron jobs, timers). */
export const SYSTEM_ACTOR = 'cabinet';

/** A refusal: a code the Slack layer turns into words, with the facts those words need. */
export type Refusal<Code extends string, Facts extends object = object> = { ok: false; code: Code } & Facts;

/** Refusals every use-case on an existing change can give. */
export type ChangeRefusal = Refusal<'change_not_found'>;

export const changeNotFound: ChangeRefusal = { ok: false, code: 'change_not_found' };

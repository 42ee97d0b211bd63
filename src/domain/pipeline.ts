// The deployment gate for CI/CD pipelines (issue 18): which systems a pipeline token may act on, and why a
// change may not be deployed to a system now. The windows, freezes and approval are startRefusal's (9.1, 9.2).
import type { Policy } from '../policy/schema.js';
import { type StartFacts, type StartRefusal, startRefusal } from './implementation.js';
import { type Freeze, sharedSystems } from './schedule.js';

/** A token's name as typed after `/change token create`: short, readable in the audit log and in CI settings. */
const TOKEN_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/i;

/** Why a token request from Slack was refused; slack/words/pipeline.ts says it. */
export type TokenRequestIssue = { code: 'bad_name' } | { code: 'unknown_system'; system: string };

/**
 * Reads `<name> [system…]`: a name of letters, digits, `.`, `_` and `-`, then the systems the token is limited to
 * (none: every system), each from the policy's catalog when it has one.
 */
export function readTokenRequest(
  words: readonly string[],
  policy: Pick<Policy, 'systems'>,
): { ok: true; name: string; systems: string[] } | ({ ok: false } & TokenRequestIssue) {
  const [name = '', ...rest] = words;
  if (!TOKEN_NAME.test(name)) return { ok: false, code: 'bad_name' };
  const systems = [...new Set(rest.map((system) => system.trim()).filter(Boolean))];
  const unknown =
    policy.systems.length > 0 && systems.find((system) => !policy.systems.some((entry) => entry.id === system));
  if (unknown) return { ok: false, code: 'unknown_system', system: unknown };
  return { ok: true, name, systems };
}

/** Whether a token limited to `scope` (empty: every system) may act on `system`. */
export function inScope(scope: readonly string[], system: string): boolean {
  return scope.length === 0 || sharedSystems([system], scope).length > 0;
}

/** Whether a token limited to `scope` may act on a change: it touches a system in scope. */
export function changeInScope(scope: readonly string[], changeSystems: readonly string[]): boolean {
  return scope.length === 0 || sharedSystems(changeSystems, scope).length > 0;
}

/** One reason the gate is closed: the system is not the change's, or the change may not start now. */
export type GateReason =
  | { code: 'system_not_on_change'; ref: string; system: string; systems: string[] }
  /** The evidence the policy asks for before Start (tests, step items) is not recorded: their labels. */
  | { code: 'evidence_missing'; ref: string; missing: string[] }
  | StartRefusal;

/**
 * Every reason a pipeline may not deploy the change to `system` now; none: the gate is open. The system must be
 * one of the change's, and the change must be startable now as the owner's Start button checks it: approved,
 * in a window allowing its risk (or under its approved exception), outside freezes, with its notice given and
 * the evidence owed before Start recorded (`missingEvidence`, as the service found it).
 */
export function gateReasons(
  change: StartFacts & { affectedSystems: readonly string[] },
  system: string,
  policy: Pick<Policy, 'timezone' | 'deployment_windows' | 'scheduling'>,
  at: { freezes: readonly Freeze[]; now: Date; missingEvidence: readonly string[] },
): GateReason[] {
  const reasons: GateReason[] = [];
  if (sharedSystems([system], change.affectedSystems).length === 0)
    reasons.push({ code: 'system_not_on_change', ref: change.ref, system, systems: [...change.affectedSystems] });
  const notNow = startRefusal(change, policy, at.freezes, at.now);
  if (notNow) reasons.push(notNow);
  if (at.missingEvidence.length > 0)
    reasons.push({ code: 'evidence_missing', ref: change.ref, missing: [...at.missingEvidence] });
  return reasons;
}

import type { GateReason } from '../../domain/pipeline.js';
import type { Policy } from '../../policy/schema.js';
import type { ChangeRefusal } from '../../services/context.js';
import type { DeploymentOutcome, ScopeRefusal } from '../../services/deployment-gate.js';
import type { StepRefusal } from '../../services/implementation.js';
import type { AuthRefusal, PipelineTokenSummary, TokenRefusal } from '../../services/pipeline-tokens.js';
import { quoteUserText } from '../blocks/mrkdwn.js';
import { evidenceMissingText } from './evidence.js';
import { startRefusalText, stepRefusalText } from './implementation.js';
import { changeRefusalText } from './refusals.js';
import { wallClock } from './schedule.js';

// Pipeline tokens (`/change token …`) and the deployment-gate API's answers (issue 18): every sentence a person or a
// pipeline log reads about them.

export const TOKEN_USAGE =
  'Type `/change token create <name> [system…]` (the systems it may deploy; none: every system), ' +
  '`/change token list`, or `/change token revoke <name>`.';

const systemsText = (systems: readonly string[]) => (systems.length > 0 ? systems.join(', ') : 'every system');

/** The token, shown once to the admin who created it. */
export function tokenCreatedText(created: PipelineTokenSummary & { token: string }): string {
  return (
    `Pipeline token *${created.name}* created for ${systemsText(created.systems)}. Copy it now into your CI ` +
    `secrets (e.g. \`CABINET_TOKEN\`); Cabinet keeps only its hash and will not show it again:\n` +
    `\`\`\`${created.token}\`\`\`\nRevoke it with \`/change token revoke ${created.name}\`.`
  );
}

export function tokenListText(tokens: readonly PipelineTokenSummary[], timeZone: string): string {
  if (tokens.length === 0) return 'No pipeline token is in force. `/change token create <name>` makes one.';
  const lines = tokens.map(
    (token) =>
      `• *${token.name}*: ${systemsText(token.systems)}; created by <@${token.createdBy}> ` +
      `${wallClock(token.createdAt, timeZone, true)}`,
  );
  return `Pipeline tokens in force:\n${lines.join('\n')}`;
}

export const tokenRevokedText = (name: string) =>
  `Pipeline token *${name}* is revoked: pipelines using it are refused from now on.`;

export function tokenRefusalText(refusal: TokenRefusal): string {
  switch (refusal.code) {
    case 'not_admin':
      return `Only the ${refusal.roles.join(', ')} can manage pipeline tokens (policy \`approvals.admin_roles\`).`;
    case 'bad_name':
      return `A token's name is 1 to 40 letters, digits, \`.\`, \`_\` or \`-\`. ${TOKEN_USAGE}`;
    case 'unknown_system':
      return `\`${quoteUserText(refusal.system)}\` is not a system in the policy's catalog; nothing was created.`;
    case 'name_taken':
      return `A token named *${refusal.name}* is in force already; revoke it first or choose another name.`;
    case 'token_not_found':
      return `No pipeline token named *${quoteUserText(refusal.name)}* is in force; \`/change token list\` shows them.`;
  }
}

// The API answers in plain sentences for pipeline logs: the same words as Slack where the reason is the same.

export const API_WORDS = {
  missing_token: 'A pipeline token is required: send it as "Authorization: Bearer <token>".',
  unknown_token: 'This token is not valid (unknown or revoked); ask a Cabinet admin for one.',
  rate_limited: 'Too many requests with this token; wait and try again.',
  too_large: 'The request body is too large.',
  not_json: 'The request body must be a JSON object.',
  idempotency_key: 'An Idempotency-Key header (1 to 200 characters) is required, so a retry is recorded once.',
  system_required: 'The query parameter "system" is required: the system the pipeline deploys.',
  failed: 'The pipeline reported that the deployment failed.',
  invalid_change: 'The change request is not complete or not valid; see the issues.',
  schedule_refused: 'The planned times break the deployment windows or a freeze; see the issues.',
  internal: 'Cabinet could not answer; try again later.',
} as const;

/** Why the request was answered 401: the same words whether the token is unknown or revoked (no oracle). */
export const authRefusalText = (refusal: AuthRefusal) =>
  refusal.code === 'missing_token' ? API_WORDS.missing_token : API_WORDS.unknown_token;

export const scopeRefusalText = (refusal: ScopeRefusal) => `This token may act only on ${systemsText(refusal.scope)}.`;

export const notFoundText = (refusal: ChangeRefusal) => changeRefusalText(refusal, 'read');

/** A reason the gate is closed. */
export function gateReasonText(reason: GateReason, policy: Pick<Policy, 'document'>): string {
  if (reason.code === 'system_not_on_change')
    return `${reason.ref} does not change ${reason.system}; its systems are ${reason.systems.join(', ')}.`;
  if (reason.code === 'evidence_missing') return evidenceMissingText(reason.ref, 'start', reason.missing);
  return startRefusalText(reason, policy);
}

type DeploymentRefusal = Exclude<DeploymentOutcome, { ok: true }>;

/** Why a reported deployment was not recorded. */
export function deploymentRefusalText(refusal: DeploymentRefusal, policy: Pick<Policy, 'document'>): string {
  switch (refusal.code) {
    case 'out_of_scope':
      return scopeRefusalText(refusal);
    case 'key_reused':
      return `This Idempotency-Key was used for another report (${refusal.status}); use a new key for each report.`;
    default:
      return stepRefusalText(refusal satisfies StepRefusal, policy);
  }
}

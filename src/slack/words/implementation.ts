import type { ImplementationEvent } from '../../domain/events.js';
import type { CloseRefusal, ImplementationStep, StartRefusal } from '../../domain/implementation.js';
import type { Policy } from '../../policy/schema.js';
import type { StepRefusal } from '../../services/implementation.js';
import { escapeMrkdwn } from '../blocks/mrkdwn.js';
import { sectionRef } from './citations.js';
import { evidenceMissingText } from './evidence.js';
import { changeRefusalText } from './refusals.js';
import { describeFreeze, nextWindowText, wallClock } from './schedule.js';
import { describeState, describeTransition } from './states.js';

/** "start", "mark … failed": how a refusal names the step. */
const STEP_VERBS: Record<ImplementationStep, string> = {
  start: 'start',
  complete: 'complete',
  fail: 'mark as failed',
  roll_back: 'record a rollback of',
  verify: 'verify',
  review: 'review',
  close: 'close',
};

const eventWords = (event: ImplementationEvent) => event.replaceAll('_', ' ');

/** A step taken, or found taken already (nothing more was recorded). */
export function stepTakenText(taken: { ref: string; event: ImplementationEvent; taken: boolean }): string {
  if (!taken.taken) return alreadyDoneText(taken);
  return taken.event === 'closure_requested'
    ? `${taken.ref} waits for approval to close; its approvers are asked.`
    : `${taken.ref} is ${eventWords(taken.event)}.`;
}

function alreadyDoneText({ ref, event }: { ref: string; event: ImplementationEvent }): string {
  return event === 'closure_requested'
    ? `${ref} already waits for approval to close; nothing more was recorded.`
    : `${ref} is already ${eventWords(event)}; nothing more was recorded.`;
}

const SEPARATION_KEY = '`implementation.verifier_not_implementer`';
const roleList = (roles: readonly string[]) => roles.map((role) => `*${role}*`).join(' or ');

/** The owner a form names does not hold an implementer role (on the form's owner field: plain text). */
export function ownerNotImplementerText(roles: readonly string[]): string {
  return `The owner implements the change, so pick someone holding ${roles.join(' or ')} (policy implementer_roles).`;
}

/** Why the actor's roles do not let them take the step (policy `implementation`). */
function roleRefusalText(refusal: Extract<StepRefusal, { code: 'not_permitted' }>): string {
  const { ref, step, why } = refusal;
  switch (why.code) {
    case 'not_implementer':
      return (
        `Only someone holding ${roleList(why.roles)} can ${STEP_VERBS[step]} ${ref} (policy ` +
        '`implementation.implementer_roles`), and you do not hold it now.'
      );
    case 'not_verifier':
      return (
        `Only someone holding ${roleList(why.roles)} can verify ${ref} (policy \`implementation.verifier_roles\`), ` +
        'and you do not hold it now.'
      );
    case 'verifier_is_implementer':
      return `You implemented ${ref}, so someone else verifies it (policy ${SEPARATION_KEY}).`;
  }
}

/** Why an implementation step was not taken, told to the person who pressed or submitted. */
export function stepRefusalText(refusal: StepRefusal, policy: Pick<Policy, 'document'>): string {
  switch (refusal.code) {
    case 'change_not_found':
      return changeRefusalText(refusal, 'write');
    case 'not_owner':
      return `Only the change owner, <@${refusal.ownerId}>, can ${STEP_VERBS[refusal.step]} ${refusal.ref}.`;
    case 'not_permitted':
      return roleRefusalText(refusal);
    case 'emergency':
      return (
        `${refusal.ref} is an emergency change: it ran when it was authorized, and its paperwork is ` +
        'tracked on its own DM.'
      );
    case 'not_verifiable':
      return (
        `${refusal.ref} is ${describeState(refusal.state)}; its production validation` +
        `${sectionRef(policy, 'production_validation')} is recorded ` +
        'once it has run.'
      );
    case 'illegal_transition':
      return `${refusal.ref}: ${illegalTransitionText(refusal)}`;
    case 'cannot_start':
      return startRefusalText(refusal.why, policy);
    case 'cannot_close':
      return closeRefusalText(refusal.why);
    case 'evidence_missing':
      return evidenceMissingText(refusal.ref, STEP_VERBS[refusal.step], refusal.missing);
    case 'already_done':
      return alreadyDoneText(refusal);
  }
}

/** Why a change may not start now (9.1, 9.2), with the next window it may use: mrkdwn, the reason escaped. */
export function startRefusalText(refusal: StartRefusal, policy: Pick<Policy, 'document'>): string {
  const { ref } = refusal;
  switch (refusal.code) {
    case 'not_approved':
      return `${ref} cannot start: it is not approved yet (${describeState(refusal.state)}).`;
    case 'not_startable':
      return `${ref} cannot start: it is ${describeState(refusal.state)}.`;
    case 'frozen_since_exception':
      return (
        `${ref} cannot start during the change freeze ${escapeMrkdwn(describeFreeze(refusal.freeze))}` +
        `${sectionRef(policy, 'freezes')}, announced after its exception was approved.`
      );
    case 'frozen':
      return (
        `${ref} cannot start during the change freeze ${escapeMrkdwn(describeFreeze(refusal.freeze))}` +
        `${sectionRef(policy, 'freezes')}. ` +
        nextWindowText(refusal.next, refusal.risk, refusal.timeZone)
      );
    case 'outside_windows':
      return (
        `${ref} cannot start now: it is outside the deployment windows for ${refusal.risk}-risk changes` +
        `${sectionRef(policy, 'deployment_windows')}. ` +
        nextWindowText(refusal.next, refusal.risk, refusal.timeZone)
      );
    case 'short_notice':
      return (
        `${ref} cannot start yet: it needs ${refusal.hours} hours' notice from when it was documented (policy ` +
        `\`scheduling.notice_hours\`), so it may start from ${wallClock(refusal.earliest, refusal.timeZone, true)} ` +
        `(${refusal.timeZone}).`
      );
  }
}

/** What a change needs before it can close. */
export function closeRefusalText(refusal: CloseRefusal): string {
  const { ref } = refusal;
  switch (refusal.code) {
    case 'not_run':
      return `${ref} is ${describeState(refusal.state)}; it closes after it has been implemented and verified.`;
    case 'disputed':
      return (
        `${ref} cannot close yet: its authorization is disputed. The CAB chair or a dispute resolver ` +
        `resolves it first (\`/change resolve ${ref} <note>\`).`
      );
    case 'incomplete': {
      const missing = [
        ...(refusal.needsVerification ? ['the production validation checklist (Verify, 8.4)'] : []),
        ...(refusal.needsReview ? ['a post-implementation review (Review)'] : []),
      ];
      return `${ref} cannot close yet: it still needs ${missing.join(' and ')}.`;
    }
  }
}

/** Why the lifecycle (5.1) does not allow the move from where the change is. */
function illegalTransitionText(refusal: Extract<StepRefusal, { code: 'illegal_transition' }>): string {
  const move = describeTransition(refusal.transition);
  return refusal.blocker === 'type'
    ? `A ${refusal.type} change cannot ${move}.`
    : `Cannot ${move} a change that is ${describeState(refusal.state)}.`;
}

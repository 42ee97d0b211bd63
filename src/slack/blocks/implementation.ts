import type { types } from '@slack/bolt';
import type { ChangeRecord } from '../../db/change-record.js';
import {
  type ImplementationStep,
  type ReviewForm,
  type RollbackForm,
  reviewRequired,
  VERIFIABLE_STATES,
  wentWrong,
} from '../../domain/implementation.js';
import type { Policy } from '../../policy/schema.js';
import {
  encodeChangeValue,
  IMPLEMENTATION_ACTIONS,
  IMPLEMENTATION_VIEWS,
  type ImplementationFormStep,
} from '../ids.js';
import { cited, sectionRef } from '../words/citations.js';
import { button, context, section, slackDate, truncate } from './blocks.js';
import { FORM_ACTION, input, option, plain, textInput, type ViewStateValues } from './change-form.js';
import { IMPLEMENTATION_FIELDS } from './form-fields.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

const BUTTON_WORDS: Record<ImplementationStep, { text: string; style?: 'primary' | 'danger' }> = {
  start: { text: 'Start', style: 'primary' },
  complete: { text: 'Complete', style: 'primary' },
  fail: { text: 'Failed', style: 'danger' },
  roll_back: { text: 'Rolled back', style: 'danger' },
  verify: { text: 'Verify' },
  review: { text: 'Review' },
  close: { text: 'Close', style: 'primary' },
};

/** The steps the change is ready for, by state; each click is checked again on the server. */
function offeredSteps(record: ChangeRecord): ImplementationStep[] {
  if (record.change.type === 'emergency') return [];
  const afterwards = (steps: ImplementationStep[]) =>
    steps.filter((step) => (step !== 'verify' || !record.verification) && (step !== 'review' || !record.review));
  switch (record.change.state) {
    case 'approved':
    case 'scheduled':
      return ['start'];
    case 'implementing':
      return ['complete', 'fail', 'roll_back'];
    case 'completed':
      return afterwards(['verify', 'review', 'close', 'fail']);
    case 'failed':
      return afterwards(['roll_back', 'verify', 'review']);
    case 'rolled_back':
      return afterwards(['verify', 'review']);
    case 'reviewed':
      return afterwards(['verify', 'close']);
    case 'closure_rejected':
      return afterwards(['review', 'close']);
    default:
      return [];
  }
}

/** The implementation buttons of a change, on the owner's DM and the log-channel message. */
export function implementationButtons(record: ChangeRecord, policy: Policy): types.Button[] {
  const value = encodeChangeValue(record.change.id);
  return offeredSteps(record).map((step) =>
    button(buttonText(step, policy), IMPLEMENTATION_ACTIONS[step], value, BUTTON_WORDS[step].style),
  );
}

/** A step's button; Verify names the policy's section on production validation ("Verify (8.4)"). */
function buttonText(step: ImplementationStep, policy: Policy): string {
  const { text } = BUTTON_WORDS[step];
  return step === 'verify' ? `${text}${sectionRef(policy, 'production_validation')}` : text;
}

/** Verify alone, on the DM asking a verifier (implementation.verifier_roles). */
export function verifyButton(record: ChangeRecord, policy: Policy): types.Button {
  return button(buttonText('verify', policy), IMPLEMENTATION_ACTIONS.verify, encodeChangeValue(record.change.id));
}

const excerpt = (text: string) => escapeMrkdwn(truncate(text, 300));

/** What implementing the change recorded: the failure, the rollback (10.4), the validation (8.4) and the review. */
export function implementationLines(record: ChangeRecord, policy: Policy): string[] {
  const { change, rollback, verification, review } = record;
  const lines: string[] = [];
  if (change.failureReason) lines.push(`:x: *Failed:* ${excerpt(change.failureReason)}`);
  if (rollback) {
    lines.push(
      `:rewind: *Rolled back* — decided ${slackDate(rollback.decidedAt)}, took ` +
        `${rollback.durationMinutes} min. Reason: ${excerpt(rollback.reason)} · Steps: ` +
        `${excerpt(rollback.steps)} · Impact: ${excerpt(rollback.impact)}`,
    );
  }
  if (verification)
    lines.push(
      `:white_check_mark: *Production validation${sectionRef(policy, 'production_validation')}* passed, by ` +
        `${mentionMember(verification.verifiedBy)}${verification.role ? ` as ${verification.role}` : ''} ` +
        slackDate(verification.verifiedAt),
    );
  if (review)
    lines.push(
      `:memo: *Post-implementation review* by ${mentionMember(review.reviewedBy)} ` +
        `${slackDate(review.reviewedAt)}: ${excerpt(review.actualVsExpected)}`,
    );
  const postImplementation = VERIFIABLE_STATES.includes(change.state);
  if (postImplementation && !review && reviewRequired(change, policy))
    lines.push(':hourglass_flowing_sand: A post-implementation review is required before it closes.');
  return lines;
}

/** Every field a rollback and a review recorded, for Details and `/change show`. */
export function implementationDetailFields(record: ChangeRecord): [string, string][] {
  const { change, rollback, verification, review } = record;
  return [
    ...(change.failureReason ? [['What failed', change.failureReason] as [string, string]] : []),
    ...(rollback
      ? ([
          ['Rollback decided', rollback.decidedAt.toISOString()],
          ['Rollback reason', rollback.reason],
          ['Rollback steps executed', rollback.steps],
          ['Impact during the incident', rollback.impact],
          ['Rollback took', `${rollback.durationMinutes} minutes`],
        ] as [string, string][])
      : []),
    ...(verification?.note ? [['Validation note', verification.note] as [string, string]] : []),
    ...(review
      ? ([
          ['Actual versus expected', review.actualVsExpected],
          ['Incidents', review.incidents],
          ['Lessons learned', review.lessonsLearned],
          ...(review.rootCause ? [['Root cause', review.rootCause]] : []),
          ...(review.preventiveMeasures ? [['Preventive measures', review.preventiveMeasures]] : []),
        ] as [string, string][])
      : []),
  ];
}

function formModal(
  step: ImplementationFormStep,
  record: ChangeRecord,
  labels: { title: string; submit: string },
  blocks: types.KnownBlock[],
): types.ModalView {
  const { title, submit } = labels;
  return {
    type: 'modal',
    callback_id: IMPLEMENTATION_VIEWS[step],
    private_metadata: encodeChangeValue(record.change.id),
    title: plain(truncate(`${title} ${record.ref}`, 24), 24),
    submit: plain(submit, 24),
    close: plain('Cancel', 24),
    blocks: [section(`*${record.ref} · ${escapeMrkdwn(record.change.title)}*`), ...blocks],
  };
}

const LONG = 3000;

/** The owner marks the change failed: what went wrong. */
export function failureModal(record: ChangeRecord, policy: Policy): types.ModalView {
  return formModal('fail', record, { title: 'Failed', submit: 'Mark failed' }, [
    ...rollbackTriggerBlocks(policy),
    textInput(IMPLEMENTATION_FIELDS.failureReason, 'What went wrong?', { maxLength: LONG, multiline: true }),
    context(
      `If it is rolled back, press *Rolled back* next to record the rollback${cited(policy, 'rollback_record')}.`,
    ),
  ]);
}

/** The policy's rollback triggers (10.1), so whoever marks a failure sees when a rollback is due. */
function rollbackTriggerBlocks(policy: Policy): types.KnownBlock[] {
  if (policy.rollback_triggers.length === 0) return [];
  const triggers = policy.rollback_triggers.map((trigger) => `• ${escapeMrkdwn(trigger)}`).join('\n');
  return [context(`*Roll back if${sectionRef(policy, 'rollback_triggers')}:*\n${triggers}`)];
}

/** 10.2's decision maker: the role's members when the policy names one. */
function decisionMakerText(rule: Policy['rollback_decision'][string], policy: Policy): string {
  const members = rule.decision_maker_role ? (policy.roles[rule.decision_maker_role] ?? []) : [];
  const who = members.length > 0 ? ` (${members.map(mentionMember).join(', ')})` : '';
  return `the ${escapeMrkdwn(rule.decision_maker)}${who}`;
}

/**
 * 10.2's rule for the change's risk level, as a sentence: "10.2 for low-risk changes: the Change owner (@x) decides
 * within 240 minutes." ("For low-risk changes: …" when the policy's document has no such section); none without a rule.
 */
export function rollbackDecisionText(record: ChangeRecord, policy: Policy): string | undefined {
  const risk = record.change.riskLevel ?? '';
  const rule = Object.hasOwn(policy.rollback_decision, risk) ? policy.rollback_decision[risk] : undefined;
  if (!rule) return undefined;
  const section = policy.document.sections.rollback_decision;
  const lead = section === undefined ? `For ${risk}-risk changes` : `${section} for ${risk}-risk changes`;
  return `${lead}: ${decisionMakerText(rule, policy)} decides within ${rule.time_limit_minutes} minutes.`;
}

/** 10.4's rollback record; 10.2's decision maker and time limit for the change's risk as a reminder. */
export function rollbackModal(record: ChangeRecord, policy: Policy, now: Date): types.ModalView {
  const decision = rollbackDecisionText(record, policy);
  return formModal('roll_back', record, { title: 'Rollback', submit: 'Record rollback' }, [
    ...(decision ? [context(decision)] : []),
    ...rollbackTriggerBlocks(policy),
    input(IMPLEMENTATION_FIELDS.rollbackDecidedAt, 'When was the rollback decided?', {
      type: 'datetimepicker',
      action_id: FORM_ACTION,
      initial_date_time: Math.floor(now.getTime() / 1000),
    }),
    textInput(IMPLEMENTATION_FIELDS.rollbackReason, 'Reason for the rollback', { maxLength: LONG, multiline: true }),
    textInput(IMPLEMENTATION_FIELDS.rollbackSteps, 'Steps executed', { maxLength: LONG, multiline: true }),
    textInput(IMPLEMENTATION_FIELDS.rollbackImpact, 'Impact during the incident', { maxLength: LONG, multiline: true }),
    input(IMPLEMENTATION_FIELDS.rollbackMinutes, 'Time to complete (minutes)', {
      type: 'number_input',
      action_id: FORM_ACTION,
      is_decimal_allowed: false,
      min_value: '1',
    }),
  ]);
}

/** 8.4's checklist; every check must pass. */
export function verificationModal(record: ChangeRecord, policy: Policy): types.ModalView {
  return formModal('verify', record, { title: 'Verify', submit: 'Verified' }, [
    input(
      IMPLEMENTATION_FIELDS.verificationChecks,
      `Post-deployment validation${sectionRef(policy, 'production_validation')}`,
      {
        type: 'checkboxes',
        action_id: FORM_ACTION,
        options: policy.implementation.verification_checklist.map((check) => option(check.label, check.id)),
      },
    ),
    {
      ...textInput(IMPLEMENTATION_FIELDS.verificationNote, 'Note', { maxLength: LONG, multiline: true }),
      optional: true,
    },
  ]);
}

/** The post-implementation review; a failed or rolled-back change also gives 10.4's root cause and prevention. */
export function reviewModal(record: ChangeRecord): types.ModalView {
  const failed = wentWrong(record.change.state);
  return formModal('review', record, { title: 'Review', submit: 'Submit review' }, [
    textInput(IMPLEMENTATION_FIELDS.actualVsExpected, 'Actual versus expected outcome', {
      maxLength: LONG,
      multiline: true,
    }),
    textInput(IMPLEMENTATION_FIELDS.incidents, 'Incidents caused (or "None")', { maxLength: LONG, multiline: true }),
    textInput(IMPLEMENTATION_FIELDS.lessonsLearned, 'Lessons learned', { maxLength: LONG, multiline: true }),
    ...(failed
      ? [
          textInput(IMPLEMENTATION_FIELDS.rootCause, 'Root cause', { maxLength: LONG, multiline: true }),
          textInput(IMPLEMENTATION_FIELDS.preventiveMeasures, 'Preventive measures', {
            maxLength: LONG,
            multiline: true,
          }),
        ]
      : []),
  ]);
}

const fieldOf = (values: ViewStateValues, blockId: string) => values[blockId]?.[FORM_ACTION];
const textOf = (values: ViewStateValues, blockId: string) => fieldOf(values, blockId)?.value ?? undefined;

export function readRollbackValues(values: ViewStateValues): RollbackForm {
  const F = IMPLEMENTATION_FIELDS;
  return {
    decidedAt: fieldOf(values, F.rollbackDecidedAt)?.selected_date_time ?? undefined,
    reason: textOf(values, F.rollbackReason),
    steps: textOf(values, F.rollbackSteps),
    impact: textOf(values, F.rollbackImpact),
    durationMinutes: textOf(values, F.rollbackMinutes),
  };
}

export function readReviewValues(values: ViewStateValues): ReviewForm {
  const F = IMPLEMENTATION_FIELDS;
  return {
    actualVsExpected: textOf(values, F.actualVsExpected),
    incidents: textOf(values, F.incidents),
    lessonsLearned: textOf(values, F.lessonsLearned),
    rootCause: textOf(values, F.rootCause),
    preventiveMeasures: textOf(values, F.preventiveMeasures),
  };
}

export function readVerificationValues(values: ViewStateValues): { checks: string[]; note: string | undefined } {
  return {
    checks: (fieldOf(values, IMPLEMENTATION_FIELDS.verificationChecks)?.selected_options ?? []).map(
      (selected) => selected.value ?? '',
    ),
    note: textOf(values, IMPLEMENTATION_FIELDS.verificationNote),
  };
}

export const readFailureReason = (values: ViewStateValues) => textOf(values, IMPLEMENTATION_FIELDS.failureReason);

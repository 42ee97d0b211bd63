import type { types, ViewStateValue } from '@slack/bolt';
import type { ChangeRecord } from '../../db/change-record.js';
import { type ChangeRequestForm, type RequestMode, TEXT_MAX, TITLE_MAX } from '../../domain/change-request.js';
import type { Policy } from '../../policy/schema.js';
import { encodeChangeValue, SCHEDULE_NOTES_BLOCK, VIEWS } from '../ids.js';
import { cited, sectionRef } from '../words/citations.js';
import { context, truncate } from './blocks.js';
import { CHANGE_FIELDS, riskFactorField } from './form-fields.js';

// Block Kit's limit on option text; option counts are bounded by the policy schema.
const OPTION_TEXT_LIMIT = 75;
/** Every input in the form uses this action ID inside its own block. */
export const FORM_ACTION = 'value';

export const plain = (text: string, limit = OPTION_TEXT_LIMIT): types.PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, limit),
  emoji: true,
});
export const option = (text: string, value: string): types.PlainTextOption => ({ text: plain(text), value });

export function input(
  blockId: string,
  label: string,
  element: types.InputBlock['element'],
  extra: Partial<types.InputBlock> = {},
): types.InputBlock {
  return { type: 'input', block_id: blockId, label: plain(label, 2000), element, ...extra };
}

export function textInput(
  blockId: string,
  label: string,
  options: { maxLength: number; multiline: boolean; placeholder?: string; initial?: string | null },
): types.InputBlock {
  const { maxLength, multiline } = options;
  return input(blockId, label, {
    type: 'plain_text_input',
    action_id: FORM_ACTION,
    multiline,
    max_length: maxLength,
    ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
    ...(options.initial ? { initial_value: truncate(options.initial, maxLength) } : {}),
  });
}

/**
 * What the form starts with: nothing but the owner for a new request; what is known for an emergency's documentation.
 */
interface FormPrefill {
  ownerId: string;
  title?: string;
  description?: string;
  systems?: string[];
  rollbackPlan?: string | null;
  implementationPlan?: string | null;
  link?: string | null;
}

/** The affected-systems input: the catalog as a multi-select, or free text when the policy has none. */
export function systemsInput(policy: Policy, initial: readonly string[] = []): types.InputBlock {
  if (policy.systems.length === 0) {
    return textInput(CHANGE_FIELDS.affectedSystems, 'Affected systems', {
      maxLength: 1000,
      multiline: false,
      placeholder: 'Comma-separated, e.g. payments-api, billing-db',
      initial: initial.join(', '),
    });
  }
  const options = policy.systems.map((system) => option(system.label, system.id));
  const selected = options.filter((o) => initial.includes(o.value ?? ''));
  return input(CHANGE_FIELDS.affectedSystems, 'Affected systems', {
    type: 'multi_static_select',
    action_id: FORM_ACTION,
    options,
    ...(selected.length > 0 ? { initial_options: selected } : {}),
  });
}

/** What each type offered is for, from the policy's `change_types.*.examples` (3.1). */
function changeTypeExamples(policy: Policy): string {
  const { normal, standard } = policy.change_types;
  const types = policy.standard_changes.length > 0 ? [normal, standard] : [normal];
  return types
    .filter((type) => type.examples !== '')
    .map((type) => `${type.label}: e.g. ${type.examples}.`)
    .join(' ');
}

/** The POL-SEC-008 4.2 fields; a retrospective form has no type to choose and asks when the fix ran. */
function requestFormBlocks(
  policy: Policy,
  prefill: FormPrefill,
  mode: RequestMode,
  scheduleNotes: readonly string[] = [],
): types.KnownBlock[] {
  const typeOptions = [
    option(`${policy.change_types.normal.label} — ${policy.change_types.normal.description}`, 'normal'),
    ...policy.standard_changes.map((entry) =>
      option(`${policy.change_types.standard.label}: ${entry.title}`, `standard:${entry.id}`),
    ),
  ];

  const riskFactors = policy.risk.factors.map((factor) =>
    input(riskFactorField(factor.id), `Risk: ${factor.label}`, {
      type: 'static_select',
      action_id: FORM_ACTION,
      options: factor.options.map((o) => option(`${o.label} (${o.score}) — ${o.description}`, String(o.score))),
    }),
  );

  // Option counts stay within Slack's limits because the policy schema refuses longer lists.
  const securityTriggers = policy.security_review.triggers;
  const reviewRules = Object.entries(policy.review_rules).filter(([rule]) => rule !== policy.security_review.rule);

  const retrospective = mode === 'retrospective';
  // A new request re-checks windows, freezes and conflicts as its times and systems change.
  const scheduleCheck = retrospective ? {} : { dispatch_action: true };
  return [
    textInput(CHANGE_FIELDS.title, 'Title', { maxLength: TITLE_MAX, multiline: false, initial: prefill.title }),
    textInput(CHANGE_FIELDS.description, 'Description', {
      maxLength: TEXT_MAX,
      multiline: true,
      initial: prefill.description,
    }),
    textInput(CHANGE_FIELDS.businessJustification, 'Business justification', { maxLength: TEXT_MAX, multiline: true }),
    ...(retrospective
      ? []
      : [
          input(
            CHANGE_FIELDS.changeType,
            'Change type',
            { type: 'static_select', action_id: FORM_ACTION, options: typeOptions, initial_option: typeOptions[0] },
            changeTypeExamples(policy) ? { hint: plain(changeTypeExamples(policy), 2000) } : {},
          ),
        ]),
    { ...systemsInput(policy, prefill.systems), ...scheduleCheck },
    ...riskFactors,
    input(
      CHANGE_FIELDS.requestedRiskLevel,
      'Raise the risk level (optional)',
      {
        type: 'static_select',
        action_id: FORM_ACTION,
        options: policy.risk.levels.map((level) => option(level.label, level.id)),
      },
      { optional: true, hint: plain('The level computed from the answers above can be raised, never lowered.', 2000) },
    ),
    ...(securityTriggers.length > 0
      ? [
          input(
            CHANGE_FIELDS.securityTriggers,
            'Security review triggers',
            {
              type: 'checkboxes',
              action_id: FORM_ACTION,
              options: securityTriggers.map((trigger) => option(trigger.label, trigger.id)),
            },
            { optional: true },
          ),
        ]
      : []),
    ...(reviewRules.length > 0
      ? [
          input(
            CHANGE_FIELDS.reviewRules,
            'This change includes',
            {
              type: 'checkboxes',
              action_id: FORM_ACTION,
              options: reviewRules.map(([rule, { label }]) => option(label, rule)),
            },
            { optional: true },
          ),
        ]
      : []),
    textInput(CHANGE_FIELDS.impactAnalysis, 'Impact analysis', {
      maxLength: TEXT_MAX,
      multiline: true,
      placeholder: 'Systems and users affected',
    }),
    textInput(CHANGE_FIELDS.testPlan, retrospective ? 'How the fix was verified' : 'Test plan', {
      maxLength: TEXT_MAX,
      multiline: true,
    }),
    textInput(CHANGE_FIELDS.rollbackPlan, 'Rollback plan', {
      maxLength: TEXT_MAX,
      multiline: true,
      initial: prefill.rollbackPlan,
    }),
    textInput(CHANGE_FIELDS.implementationPlan, retrospective ? 'What was done' : 'Implementation plan', {
      maxLength: TEXT_MAX,
      multiline: true,
      initial: prefill.implementationPlan,
    }),
    input(
      CHANGE_FIELDS.plannedStart,
      retrospective ? 'Fix started' : 'Planned start',
      { type: 'datetimepicker', action_id: FORM_ACTION },
      scheduleCheck,
    ),
    input(
      CHANGE_FIELDS.plannedEnd,
      retrospective ? 'Fix ended' : 'Planned end',
      { type: 'datetimepicker', action_id: FORM_ACTION },
      scheduleCheck,
    ),
    ...(retrospective
      ? []
      : [
          input(
            CHANGE_FIELDS.scheduleException,
            'Schedule exception',
            {
              type: 'checkboxes',
              action_id: FORM_ACTION,
              options: [option(`Request an exception (the ${policy.scheduling.exception_role} approves it)`, 'yes')],
            },
            {
              optional: true,
              hint: plain(
                `Only for a change that must run outside the deployment windows` +
                  `${sectionRef(policy, 'deployment_windows')} or in a change freeze${sectionRef(policy, 'freezes')}.`,
                2000,
              ),
            },
          ),
          ...(scheduleNotes.length > 0
            ? [{ ...context(scheduleNotes.join('\n')), block_id: SCHEDULE_NOTES_BLOCK }]
            : []),
        ]),
    // An emergency's owner stays who it was: they owe the paperwork.
    ...(retrospective
      ? []
      : [
          input(CHANGE_FIELDS.owner, 'Change owner', {
            type: 'users_select',
            action_id: FORM_ACTION,
            initial_user: prefill.ownerId,
          }),
        ]),
    input(
      CHANGE_FIELDS.link,
      'Ticket or PR link',
      { type: 'url_text_input', action_id: FORM_ACTION, ...(prefill.link ? { initial_value: prefill.link } : {}) },
      { optional: true },
    ),
  ];
}

/**
 * The change-request modal (POL-SEC-008 4.2), built from the policy; `requesterId` is the default
 * owner. `scheduleNotes` are the warnings of the last schedule check, shown under the times.
 */
export function changeRequestModal(
  policy: Policy,
  requesterId: string,
  scheduleNotes: readonly string[] = [],
): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.changeRequest,
    title: plain('New change request', 24),
    submit: plain('Submit', 24),
    close: plain('Cancel', 24),
    blocks: requestFormBlocks(policy, { ownerId: requesterId }, 'request', scheduleNotes),
  };
}

/** The full documentation of an emergency after the fact (6.4), prefilled with what is known. */
export function documentationModal(record: ChangeRecord, policy: Policy): types.ModalView {
  const { change } = record;
  return {
    type: 'modal',
    callback_id: VIEWS.emergencyDocumentation,
    private_metadata: encodeChangeValue(change.id),
    title: plain(`Document ${record.ref}`, 24),
    submit: plain('Submit', 24),
    close: plain('Cancel', 24),
    blocks: [
      context(
        `The full record of the emergency${cited(policy, 'emergency_paperwork')}. Submitting it asks for its ` +
          'formal approval through the normal approval matrix.',
      ),
      ...requestFormBlocks(
        policy,
        {
          ownerId: change.ownerId,
          title: change.title,
          description: change.description,
          systems: change.affectedSystems,
          rollbackPlan: change.rollbackPlan,
          implementationPlan: change.implementationPlan,
          link: change.link,
        },
        'retrospective',
      ),
    ],
  };
}

/** The subset of Slack's view state we read: one value-holder per block, under FORM_ACTION. */
export type ViewStateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;

/** Reads the submitted modal into the domain's form shape; validation happens in the domain. */
export function readChangeRequestForm(values: ViewStateValues, policy: Policy): ChangeRequestForm {
  const field = (blockId: string) => values[blockId]?.[FORM_ACTION];
  const text = (blockId: string) => field(blockId)?.value ?? undefined;
  const selected = (blockId: string) => field(blockId)?.selected_option?.value;
  const many = (blockId: string) => (field(blockId)?.selected_options ?? []).map((o) => o.value ?? '');
  const time = (blockId: string) => field(blockId)?.selected_date_time ?? undefined;

  const systems =
    policy.systems.length > 0
      ? many(CHANGE_FIELDS.affectedSystems)
      : (text(CHANGE_FIELDS.affectedSystems) ?? '').split(',');
  return {
    title: text(CHANGE_FIELDS.title),
    description: text(CHANGE_FIELDS.description),
    businessJustification: text(CHANGE_FIELDS.businessJustification),
    changeType: selected(CHANGE_FIELDS.changeType),
    affectedSystems: systems,
    riskAnswers: Object.fromEntries(
      policy.risk.factors.map((factor) => [factor.id, selected(riskFactorField(factor.id))]),
    ),
    requestedRiskLevel: selected(CHANGE_FIELDS.requestedRiskLevel),
    securityTriggers: many(CHANGE_FIELDS.securityTriggers),
    reviewRules: many(CHANGE_FIELDS.reviewRules),
    impactAnalysis: text(CHANGE_FIELDS.impactAnalysis),
    testPlan: text(CHANGE_FIELDS.testPlan),
    rollbackPlan: text(CHANGE_FIELDS.rollbackPlan),
    implementationPlan: text(CHANGE_FIELDS.implementationPlan),
    plannedStart: time(CHANGE_FIELDS.plannedStart),
    plannedEnd: time(CHANGE_FIELDS.plannedEnd),
    scheduleExceptionRequested: many(CHANGE_FIELDS.scheduleException).length > 0,
    ownerId: field(CHANGE_FIELDS.owner)?.selected_user ?? undefined,
    link: text(CHANGE_FIELDS.link),
  };
}

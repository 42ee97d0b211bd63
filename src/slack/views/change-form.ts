import type { ViewStateValue, types } from '@slack/bolt';
import { CHANGE_FIELDS, type ChangeRequestForm, TEXT_MAX, TITLE_MAX, riskFactorField } from '../../domain/change-request.js';
import type { Policy } from '../../policy/schema.js';
import { VIEWS } from '../ids.js';
import { truncate } from './blocks.js';

// Block Kit's limit on option text; option counts are bounded by the policy schema.
const OPTION_TEXT_LIMIT = 75;
/** Every input in the form uses this action ID inside its own block. */
export const FORM_ACTION = 'value';

const plain = (text: string, limit = OPTION_TEXT_LIMIT): types.PlainTextElement => ({ type: 'plain_text', text: truncate(text, limit), emoji: true });
const option = (text: string, value: string): types.PlainTextOption => ({ text: plain(text), value });

function input(blockId: string, label: string, element: types.InputBlock['element'], extra: Partial<types.InputBlock> = {}): types.InputBlock {
  return { type: 'input', block_id: blockId, label: plain(label, 2000), element, ...extra };
}

function textInput(blockId: string, label: string, maxLength: number, multiline: boolean, placeholder?: string): types.InputBlock {
  return input(blockId, label, {
    type: 'plain_text_input',
    action_id: FORM_ACTION,
    multiline,
    max_length: maxLength,
    ...(placeholder ? { placeholder: plain(placeholder, 150) } : {}),
  });
}

/** The change-request modal (POL-SEC-008 4.2), built from the policy; `requesterId` is the default owner. */
export function changeRequestModal(policy: Policy, requesterId: string): types.ModalView {
  const typeOptions = [
    option(`${policy.change_types.normal.label} — ${policy.change_types.normal.description}`, 'normal'),
    ...policy.standard_changes.map((entry) => option(`${policy.change_types.standard.label}: ${entry.title}`, `standard:${entry.id}`)),
  ];

  const systems =
    policy.systems.length > 0
      ? input(CHANGE_FIELDS.affectedSystems, 'Affected systems', {
          type: 'multi_static_select',
          action_id: FORM_ACTION,
          options: policy.systems.map((system) => option(system.label, system.id)),
        })
      : textInput(CHANGE_FIELDS.affectedSystems, 'Affected systems', 1000, false, 'Comma-separated, e.g. payments-api, billing-db');

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

  const blocks: types.KnownBlock[] = [
    textInput(CHANGE_FIELDS.title, 'Title', TITLE_MAX, false),
    textInput(CHANGE_FIELDS.description, 'Description', TEXT_MAX, true),
    textInput(CHANGE_FIELDS.businessJustification, 'Business justification', TEXT_MAX, true),
    input(CHANGE_FIELDS.changeType, 'Change type', { type: 'static_select', action_id: FORM_ACTION, options: typeOptions, initial_option: typeOptions[0] }),
    systems,
    ...riskFactors,
    input(
      CHANGE_FIELDS.requestedRiskLevel,
      'Raise the risk level (optional)',
      { type: 'static_select', action_id: FORM_ACTION, options: policy.risk.levels.map((level) => option(level.label, level.id)) },
      { optional: true, hint: plain('The level computed from the answers above can be raised, never lowered.', 2000) },
    ),
    ...(securityTriggers.length > 0
      ? [
          input(
            CHANGE_FIELDS.securityTriggers,
            'Security review triggers',
            { type: 'checkboxes', action_id: FORM_ACTION, options: securityTriggers.map((trigger) => option(trigger.label, trigger.id)) },
            { optional: true },
          ),
        ]
      : []),
    ...(reviewRules.length > 0
      ? [
          input(
            CHANGE_FIELDS.reviewRules,
            'This change includes',
            { type: 'checkboxes', action_id: FORM_ACTION, options: reviewRules.map(([rule, { label }]) => option(label, rule)) },
            { optional: true },
          ),
        ]
      : []),
    textInput(CHANGE_FIELDS.impactAnalysis, 'Impact analysis', TEXT_MAX, true, 'Systems and users affected'),
    textInput(CHANGE_FIELDS.testPlan, 'Test plan', TEXT_MAX, true),
    textInput(CHANGE_FIELDS.rollbackPlan, 'Rollback plan', TEXT_MAX, true),
    textInput(CHANGE_FIELDS.implementationPlan, 'Implementation plan', TEXT_MAX, true),
    input(CHANGE_FIELDS.plannedStart, 'Planned start', { type: 'datetimepicker', action_id: FORM_ACTION }),
    input(CHANGE_FIELDS.plannedEnd, 'Planned end', { type: 'datetimepicker', action_id: FORM_ACTION }),
    input(CHANGE_FIELDS.owner, 'Change owner', { type: 'users_select', action_id: FORM_ACTION, initial_user: requesterId }),
    input(CHANGE_FIELDS.link, 'Ticket or PR link', { type: 'url_text_input', action_id: FORM_ACTION }, { optional: true }),
  ];

  return {
    type: 'modal',
    callback_id: VIEWS.changeRequest,
    title: plain('New change request', 24),
    submit: plain('Submit', 24),
    close: plain('Cancel', 24),
    blocks,
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

  const systems = policy.systems.length > 0 ? many(CHANGE_FIELDS.affectedSystems) : (text(CHANGE_FIELDS.affectedSystems) ?? '').split(',');
  return {
    title: text(CHANGE_FIELDS.title),
    description: text(CHANGE_FIELDS.description),
    businessJustification: text(CHANGE_FIELDS.businessJustification),
    changeType: selected(CHANGE_FIELDS.changeType),
    affectedSystems: systems,
    riskAnswers: Object.fromEntries(policy.risk.factors.map((factor) => [factor.id, selected(riskFactorField(factor.id))])),
    requestedRiskLevel: selected(CHANGE_FIELDS.requestedRiskLevel),
    securityTriggers: many(CHANGE_FIELDS.securityTriggers),
    reviewRules: many(CHANGE_FIELDS.reviewRules),
    impactAnalysis: text(CHANGE_FIELDS.impactAnalysis),
    testPlan: text(CHANGE_FIELDS.testPlan),
    rollbackPlan: text(CHANGE_FIELDS.rollbackPlan),
    implementationPlan: text(CHANGE_FIELDS.implementationPlan),
    plannedStart: time(CHANGE_FIELDS.plannedStart),
    plannedEnd: time(CHANGE_FIELDS.plannedEnd),
    ownerId: field(CHANGE_FIELDS.owner)?.selected_user ?? undefined,
    link: text(CHANGE_FIELDS.link),
  };
}

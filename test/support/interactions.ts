import { randomUUID } from 'node:crypto';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { CHANGE_FIELDS, EMERGENCY_FIELDS, riskFactorField, VERBAL_FIELDS } from '../../src/slack/blocks/form-fields.js';
import {
  ACTIONS,
  CAB_NOTES_BLOCK,
  CAB_REASON_BLOCK,
  EVIDENCE_BLOCK,
  REJECT_REASON_BLOCK,
  VIEWS,
} from '../../src/slack/ids.js';
import type { AppResponse, SignedPostOptions } from './slack-request.js';
import type { TestApp } from './test-app.js';

export interface ChangeFormInput {
  title: string;
  description: string;
  changeType: string;
  systems: string;
  /** The policy has a system catalog: `systems` (comma-separated ids) are picked from its multi-select. */
  systemsFromCatalog?: boolean;
  /** Scores of the five POL-SEC-008 3.3 factors, in the document's order. */
  risk: [number, number, number, number, number];
  requestedRiskLevel?: string;
  securityTriggers: string[];
  reviewRules: string[];
  plannedStart: Date;
  plannedEnd: Date;
  ownerId?: string;
  link?: string;
  /** "Request an exception" ticked (9.1, 9.2). */
  scheduleException?: boolean;
  /** Blocks to leave empty, as if the user skipped them. */
  omit?: string[];
}

const FACTORS = ['systems_affected', 'user_impact', 'data_risk', 'reversibility', 'security_impact'];

const NEW_YORK_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: 'numeric',
  hourCycle: 'h23',
});

/**
 * 07:00–08:00 New York time on the first Tuesday or Wednesday at least a day after `now`: inside
 * POL-SEC-008 9.1's window for every risk level, so the default form passes the window check.
 */
export function nextAllRiskWindow(now: Date): { start: Date; end: Date } {
  for (let hours = 24; ; hours += 1) {
    const candidate = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 + hours * 3600_000);
    const parts = Object.fromEntries(NEW_YORK_PARTS.formatToParts(candidate).map((part) => [part.type, part.value]));
    if ((parts.weekday === 'Tue' || parts.weekday === 'Wed') && Number(parts.hour) === 7)
      return { start: candidate, end: new Date(candidate.getTime() + 3600_000) };
  }
}

export function defaultChangeForm(now: Date): ChangeFormInput {
  const window = nextAllRiskWindow(now);
  return {
    title: 'Rotate TLS certificates on the edge proxies',
    description: 'Replace the expiring certificates.',
    changeType: 'normal',
    systems: 'edge-proxy',
    risk: [1, 1, 1, 1, 1],
    securityTriggers: [],
    reviewRules: [],
    plannedStart: window.start,
    plannedEnd: window.end,
  };
}

const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });

/** The `view.state.values` Slack sends for our change-request modal. */
export function changeFormState(input: ChangeFormInput, requesterId: string): Record<string, Record<string, unknown>> {
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  const values: Record<string, Record<string, unknown>> = {
    [CHANGE_FIELDS.title]: { [FORM_ACTION]: text(input.title) },
    [CHANGE_FIELDS.description]: { [FORM_ACTION]: text(input.description) },
    [CHANGE_FIELDS.businessJustification]: { [FORM_ACTION]: text('Certificates expire in 10 days.') },
    [CHANGE_FIELDS.changeType]: { [FORM_ACTION]: { type: 'static_select', selected_option: option(input.changeType) } },
    [CHANGE_FIELDS.affectedSystems]: {
      [FORM_ACTION]: input.systemsFromCatalog
        ? { type: 'multi_static_select', selected_options: input.systems.split(',').map(option) }
        : text(input.systems),
    },
    [CHANGE_FIELDS.requestedRiskLevel]: {
      [FORM_ACTION]: {
        type: 'static_select',
        selected_option: input.requestedRiskLevel ? option(input.requestedRiskLevel) : null,
      },
    },
    [CHANGE_FIELDS.securityTriggers]: {
      [FORM_ACTION]: { type: 'checkboxes', selected_options: input.securityTriggers.map(option) },
    },
    [CHANGE_FIELDS.reviewRules]: {
      [FORM_ACTION]: { type: 'checkboxes', selected_options: input.reviewRules.map(option) },
    },
    [CHANGE_FIELDS.impactAnalysis]: { [FORM_ACTION]: text('Edge traffic only.') },
    [CHANGE_FIELDS.testPlan]: { [FORM_ACTION]: text('curl the health endpoints.') },
    [CHANGE_FIELDS.rollbackPlan]: { [FORM_ACTION]: text('Restore the previous certificate bundle.') },
    [CHANGE_FIELDS.implementationPlan]: { [FORM_ACTION]: text('Ansible playbook certs.yml.') },
    [CHANGE_FIELDS.plannedStart]: {
      [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: Math.floor(input.plannedStart.getTime() / 1000) },
    },
    [CHANGE_FIELDS.plannedEnd]: {
      [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: Math.floor(input.plannedEnd.getTime() / 1000) },
    },
    [CHANGE_FIELDS.scheduleException]: {
      [FORM_ACTION]: { type: 'checkboxes', selected_options: input.scheduleException ? [option('yes')] : [] },
    },
    [CHANGE_FIELDS.owner]: { [FORM_ACTION]: { type: 'users_select', selected_user: input.ownerId ?? requesterId } },
    [CHANGE_FIELDS.link]: { [FORM_ACTION]: { type: 'url_text_input', value: input.link ?? null } },
  };
  FACTORS.forEach((factor, index) => {
    values[riskFactorField(factor)] = {
      [FORM_ACTION]: { type: 'static_select', selected_option: option(String(input.risk[index])) },
    };
  });
  for (const blockId of input.omit ?? []) delete values[blockId];
  return values;
}

const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: 'T0CABINET' });

/** Posts a view_submission of one of our modals, as Slack does when the user presses its submit button. */
export function submitView(
  app: TestApp,
  userId: string,
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  options: { viewId?: string; privateMetadata?: string } = {},
): Promise<AppResponse> {
  return app.interact({
    type: 'view_submission',
    team: { id: 'T0CABINET', domain: 'cabinet-test' },
    user: user(userId),
    api_app_id: 'A0CABINET',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    view: {
      id: options.viewId ?? `V${randomUUID().slice(0, 8).toUpperCase()}`,
      team_id: 'T0CABINET',
      type: 'modal',
      callback_id: callbackId,
      private_metadata: options.privateMetadata ?? '',
      state: { values },
      hash: 'hash',
      app_id: 'A0CABINET',
      bot_id: 'B0CABINET',
    },
  });
}

/** Submits the change-request modal as `requesterId`; `viewId` identifies the submission. */
export function submitChangeForm(
  app: TestApp,
  requesterId: string,
  input: ChangeFormInput,
  viewId?: string,
): Promise<AppResponse> {
  return submitView(app, requesterId, VIEWS.changeRequest, changeFormState(input, requesterId), { viewId });
}

export interface EmergencyFormInput {
  whatIsBroken: string;
  criterion: string;
  systems: string;
  /** The policy has a system catalog: `systems` (comma-separated ids) are picked from its multi-select. */
  systemsFromCatalog?: boolean;
  plannedFix: string;
  rollbackPlan: string;
  ownerId?: string;
  verballyAuthorized?: boolean;
}

export const defaultEmergencyForm: EmergencyFormInput = {
  whatIsBroken: 'Checkout returns 502 for all users',
  criterion: 'production_down',
  systems: 'checkout-api',
  plannedFix: 'Roll the ingress controller back to 1.9.4.',
  rollbackPlan: 'Redeploy 1.10.0.',
};

/** Submits the `/change emergency` modal as `requesterId`; `viewId` identifies the submission. */
export function submitEmergencyForm(
  app: TestApp,
  requesterId: string,
  input: Partial<EmergencyFormInput> = {},
  viewId?: string,
): Promise<AppResponse> {
  const form = { ...defaultEmergencyForm, ...input };
  const text = (value: string) => ({ type: 'plain_text_input', value });
  return submitView(
    app,
    requesterId,
    VIEWS.emergencyRequest,
    {
      [EMERGENCY_FIELDS.whatIsBroken]: { [FORM_ACTION]: text(form.whatIsBroken) },
      [EMERGENCY_FIELDS.criterion]: {
        [FORM_ACTION]: { type: 'radio_buttons', selected_option: option(form.criterion) },
      },
      [EMERGENCY_FIELDS.affectedSystems]: {
        [FORM_ACTION]: form.systemsFromCatalog
          ? { type: 'multi_static_select', selected_options: form.systems.split(',').map(option) }
          : text(form.systems),
      },
      [EMERGENCY_FIELDS.plannedFix]: { [FORM_ACTION]: text(form.plannedFix) },
      [EMERGENCY_FIELDS.rollbackPlan]: { [FORM_ACTION]: text(form.rollbackPlan) },
      [EMERGENCY_FIELDS.owner]: { [FORM_ACTION]: { type: 'users_select', selected_user: form.ownerId ?? requesterId } },
      [EMERGENCY_FIELDS.verballyAuthorized]: {
        [FORM_ACTION]: { type: 'checkboxes', selected_options: form.verballyAuthorized ? [option('yes')] : [] },
      },
    },
    { viewId },
  );
}

export interface VerbalApprovalInput {
  approverId: string;
  medium: string;
  givenAt: Date;
  note?: string;
}

/** Submits the verbal-approval modal of a change as `recorderId`. */
export function submitVerbalApproval(
  app: TestApp,
  recorderId: string,
  changeRef: string,
  input: VerbalApprovalInput,
  viewId?: string,
): Promise<AppResponse> {
  return submitView(
    app,
    recorderId,
    VIEWS.verbalApproval,
    {
      [VERBAL_FIELDS.approver]: { [FORM_ACTION]: { type: 'users_select', selected_user: input.approverId } },
      [VERBAL_FIELDS.medium]: { [FORM_ACTION]: { type: 'static_select', selected_option: option(input.medium) } },
      [VERBAL_FIELDS.givenAt]: {
        [FORM_ACTION]: { type: 'datetimepicker', selected_date_time: Math.floor(input.givenAt.getTime() / 1000) },
      },
      [VERBAL_FIELDS.note]: { [FORM_ACTION]: { type: 'plain_text_input', value: input.note ?? null } },
    },
    { viewId, privateMetadata: changeRef },
  );
}

/** Submits an emergency's documentation modal: the change-request fields without a type. */
export function submitDocumentation(
  app: TestApp,
  userId: string,
  changeRef: string,
  input: ChangeFormInput,
): Promise<AppResponse> {
  const values = changeFormState(input, userId);
  delete values[CHANGE_FIELDS.changeType];
  return submitView(app, userId, VIEWS.emergencyDocumentation, values, { privateMetadata: changeRef });
}

/** Submits a checklist item's evidence modal, e.g. for "CHG-1:retro_ticket". */
export function submitEvidence(
  app: TestApp,
  userId: string,
  itemValue: string,
  evidence: string,
): Promise<AppResponse> {
  return submitView(
    app,
    userId,
    VIEWS.obligationEvidence,
    { [EVIDENCE_BLOCK]: { [FORM_ACTION]: { type: 'plain_text_input', value: evidence } } },
    { privateMetadata: itemValue },
  );
}

/** Clicks a button about a change in a DM, as `userId`; ephemeral replies go to the fake's response URL. */
export function clickButton(
  app: TestApp,
  userId: string,
  actionId: string,
  value: string,
  options?: SignedPostOptions,
): Promise<AppResponse> {
  return app.interact(
    {
      type: 'block_actions',
      team: { id: 'T0CABINET', domain: 'cabinet-test' },
      user: user(userId),
      api_app_id: 'A0CABINET',
      token: 'deprecated-verification-token',
      trigger_id: `trigger-${randomUUID()}`,
      container: {
        type: 'message',
        message_ts: '1700000001.000100',
        channel_id: `D${userId.slice(1)}`,
        is_ephemeral: false,
      },
      channel: { id: `D${userId.slice(1)}`, name: 'directmessage' },
      response_url: app.slack.responseUrl(`${userId}-${actionId}`),
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'decision',
          value,
          text: { type: 'plain_text', text: actionId },
          action_ts: '1700000002.000200',
        },
      ],
    },
    options,
  );
}

/**
 * Clicks a button in a view, as Slack sends it: by default the user's App Home, or a modal. The container is the
 * view, and there is no response_url (nothing can be answered ephemerally there).
 */
export function clickInView(
  app: TestApp,
  userId: string,
  button: { actionId: string; value: string; viewType?: 'home' | 'modal' },
): Promise<AppResponse> {
  const { actionId, value, viewType = 'home' } = button;
  const viewId = `V${viewType.toUpperCase()}${userId.slice(1)}`;
  return app.interact({
    type: 'block_actions',
    team: { id: 'T0CABINET', domain: 'cabinet-test' },
    user: user(userId),
    api_app_id: 'A0CABINET',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    container: { type: 'view', view_id: viewId },
    view: {
      id: viewId,
      team_id: 'T0CABINET',
      type: viewType,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: 'hash',
      app_id: 'A0CABINET',
      bot_id: 'B0CABINET',
    },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'home',
        value,
        text: { type: 'plain_text', text: actionId },
        action_ts: '1700000002.000200',
      },
    ],
  });
}

export const approve = (app: TestApp, userId: string, changeRef: string, options?: SignedPostOptions) =>
  clickButton(app, userId, ACTIONS.approve, changeRef, options);

/** Submits the rejection-reason modal for a change. */
export function submitRejectReason(
  app: TestApp,
  userId: string,
  changeRef: string,
  reason: string,
): Promise<AppResponse> {
  return submitView(
    app,
    userId,
    VIEWS.rejectReason,
    { [REJECT_REASON_BLOCK]: { value: { type: 'plain_text_input', value: reason } } },
    { privateMetadata: changeRef },
  );
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Submits the chair's reject/defer reason modal for a ballot value such as "ITEM-1:decide:reject". */
export function submitCabReason(
  app: TestApp,
  userId: string,
  ballotValue: string,
  reason: string,
): Promise<AppResponse> {
  return submitView(
    app,
    userId,
    VIEWS.cabDecisionReason,
    { [CAB_REASON_BLOCK]: { [FORM_ACTION]: { type: 'plain_text_input', value: reason } } },
    { privateMetadata: ballotValue },
  );
}

/** Submits the close-meeting modal of a meeting such as "CAB-1", with notes for the minutes. */
export function submitCloseMeeting(
  app: TestApp,
  userId: string,
  meetingValue: string,
  notes: string,
): Promise<AppResponse> {
  return submitView(
    app,
    userId,
    VIEWS.cabClose,
    { [CAB_NOTES_BLOCK]: { [FORM_ACTION]: { type: 'plain_text_input', value: notes } } },
    { privateMetadata: meetingValue },
  );
}

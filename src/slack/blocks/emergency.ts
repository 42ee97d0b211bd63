import type { types } from '@slack/bolt';
import type { ChangeRecord, RequirementRecord, VerbalApprovalRecord } from '../../db/change-record.js';
import { requirementsOf } from '../../domain/approvers.js';
import { TEXT_MAX, TITLE_MAX } from '../../domain/change-request.js';
import { type ObligationKind, VERBAL_MEDIA, verbalApprovalState } from '../../domain/emergency.js';
import { type EmergencyForm, NOTE_MAX, type VerbalApprovalForm } from '../../domain/emergency-request.js';
import { sameGroup } from '../../domain/stages.js';
import type { Policy } from '../../policy/schema.js';
import {
  ACTIONS,
  addEvidenceActionId,
  EVIDENCE_BLOCK,
  encodeChangeValue,
  encodeObligationValue,
  encodeVerbalValue,
  VIEWS,
} from '../ids.js';
import { cited } from '../words/citations.js';
import { OBLIGATION_LABELS } from '../words/paperwork.js';
import { VERBAL_MEDIUM_LABELS } from '../words/verbal.js';
import { button, context, section, slackDate, truncate } from './blocks.js';
import { FORM_ACTION, input, option, plain, systemsInput, textInput, type ViewStateValues } from './change-form.js';
import { CHANGE_FIELDS, EMERGENCY_FIELDS, VERBAL_FIELDS } from './form-fields.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';
import { authorizerView } from './versions.js';

/** `/change emergency`: the short form an outage allows (6.1 criteria, 6.2 "confirm criteria, document impact"). */
export function emergencyModal(policy: Policy, requesterId: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.emergencyRequest,
    title: plain('Emergency change', 24),
    submit: plain('Declare', 24),
    close: plain('Cancel', 24),
    blocks: [
      context(
        'Fix first, paperwork later: the full record is due within the policy deadline ' +
          `after authorization${cited(policy, 'emergency_paperwork')}.`,
      ),
      textInput(EMERGENCY_FIELDS.whatIsBroken, 'What is broken', {
        maxLength: TITLE_MAX,
        multiline: false,
        placeholder: 'e.g. Checkout returns 502 for all users',
      }),
      input(EMERGENCY_FIELDS.criterion, 'Emergency criterion', {
        type: 'radio_buttons',
        action_id: FORM_ACTION,
        options: policy.emergency.criteria.map((criterion) => option(criterion.label, criterion.id)),
      }),
      systemsInput(policy),
      textInput(EMERGENCY_FIELDS.plannedFix, 'Planned fix', { maxLength: TEXT_MAX, multiline: true }),
      textInput(EMERGENCY_FIELDS.rollbackPlan, 'Rollback plan (may be brief)', {
        maxLength: TEXT_MAX,
        multiline: true,
      }),
      input(EMERGENCY_FIELDS.owner, 'Who is fixing it', {
        type: 'users_select',
        action_id: FORM_ACTION,
        initial_user: requesterId,
      }),
      input(
        EMERGENCY_FIELDS.verballyAuthorized,
        'Authorization',
        {
          type: 'checkboxes',
          action_id: FORM_ACTION,
          options: [option('Already authorized verbally: record it next', 'yes')],
        },
        { optional: true },
      ),
    ],
  };
}

const field = (values: ViewStateValues, blockId: string) => values[blockId]?.[FORM_ACTION];

export function readEmergencyForm(values: ViewStateValues, policy: Policy): EmergencyForm {
  const systems = field(values, CHANGE_FIELDS.affectedSystems);
  return {
    whatIsBroken: field(values, EMERGENCY_FIELDS.whatIsBroken)?.value ?? undefined,
    criterion: field(values, EMERGENCY_FIELDS.criterion)?.selected_option?.value,
    affectedSystems:
      policy.systems.length > 0
        ? (systems?.selected_options ?? []).map((o) => o.value ?? '')
        : (systems?.value ?? '').split(','),
    plannedFix: field(values, EMERGENCY_FIELDS.plannedFix)?.value ?? undefined,
    rollbackPlan: field(values, EMERGENCY_FIELDS.rollbackPlan)?.value ?? undefined,
    ownerId: field(values, EMERGENCY_FIELDS.owner)?.selected_user ?? undefined,
    verballyAuthorized: (field(values, EMERGENCY_FIELDS.verballyAuthorized)?.selected_options ?? []).length > 0,
  };
}

/**
 * Who may authorize now, by role: the people chosen for each requirement (the same list the server
 * checks), or the policy's members while they are still being looked up. Shown in the verbal-approval
 * modal so a refusal can point at it.
 */
function whoCanAuthorizeText(record: ChangeRecord, policy: Policy): string {
  const open = requirementsOf(record, 'authorization').filter((requirement) => requirement.satisfiedAt === null);
  const excluded = new Set([record.change.requesterId, record.change.ownerId]);
  const people = (requirement: RequirementRecord) => {
    const members =
      requirement.candidates.length > 0
        ? requirement.candidates
        : (policy.roles[requirement.role] ?? []).filter((id) => !excluded.has(id));
    return (
      `${members.map(mentionMember).join(', ') || 'nobody'}` +
      (requirement.fallbackRole ? ` (as ${requirement.fallbackRole})` : '')
    );
  };
  // The roles of one "any one of" group read "or" between them (004 3.1: the CTO or the Security Officer).
  const line = (alternative: boolean) =>
    open
      .filter((r) => r.alternative === alternative)
      .map((r, index, shown) => {
        const previous = shown[index - 1];
        const joiner = index === 0 ? '' : previous && sameGroup(previous, r) ? ' or ' : ' · ';
        return `${joiner}*${r.role}*: ${people(r)}`;
      })
      .join('');
  const standIns = line(true);
  return (
    `Who can authorize ${record.ref} now: ` +
    `${line(false) || 'nobody'}${standIns ? `\nOr instead, if they are unavailable: ${standIns}` : ''}`
  );
}

/** Records an approval given by phone, call, in person or chat (6.2, 6.3). */
export function verbalApprovalModal(record: ChangeRecord, policy: Policy): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.verbalApproval,
    private_metadata: encodeChangeValue(record.change.id),
    title: plain('Verbal approval', 24),
    submit: plain('Record', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(`*${record.ref} · ${escapeMrkdwn(record.change.title)}*`),
      context(whoCanAuthorizeText(record, policy)),
      input(VERBAL_FIELDS.approver, 'Who approved it', { type: 'users_select', action_id: FORM_ACTION }),
      input(VERBAL_FIELDS.medium, 'How', {
        type: 'static_select',
        action_id: FORM_ACTION,
        options: VERBAL_MEDIA.map((medium) => option(VERBAL_MEDIUM_LABELS[medium], medium)),
      }),
      input(VERBAL_FIELDS.givenAt, 'When', { type: 'datetimepicker', action_id: FORM_ACTION }),
      input(
        VERBAL_FIELDS.note,
        'Note or reference',
        {
          type: 'plain_text_input',
          action_id: FORM_ACTION,
          multiline: true,
          max_length: NOTE_MAX,
          placeholder: plain('Call notes, or a link to the Slack message', 150),
        },
        { optional: true },
      ),
    ],
  };
}

export function readVerbalApprovalForm(values: ViewStateValues): VerbalApprovalForm {
  return {
    approverId: field(values, VERBAL_FIELDS.approver)?.selected_user ?? undefined,
    medium: field(values, VERBAL_FIELDS.medium)?.selected_option?.value,
    givenAt: field(values, VERBAL_FIELDS.givenAt)?.selected_date_time ?? undefined,
    note: field(values, VERBAL_FIELDS.note)?.value ?? undefined,
  };
}

const EVIDENCE_PROMPTS: Record<'retro_ticket' | 'root_cause_analysis', { label: string; url: boolean }> = {
  retro_ticket: { label: 'Link to the retrospective change ticket', url: true },
  root_cause_analysis: { label: 'Root cause analysis', url: false },
};

/** Asks for the evidence of one checklist item: the retrospective ticket's link, or the root-cause analysis. */
export function evidenceModal(record: ChangeRecord, kind: 'retro_ticket' | 'root_cause_analysis'): types.ModalView {
  const prompt = EVIDENCE_PROMPTS[kind];
  return {
    type: 'modal',
    callback_id: VIEWS.obligationEvidence,
    private_metadata: encodeObligationValue(record.change.id, kind),
    title: plain(record.ref, 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(`*${OBLIGATION_LABELS[kind]}* for ${record.ref} · ${escapeMrkdwn(record.change.title)}`),
      prompt.url
        ? input(EVIDENCE_BLOCK, prompt.label, { type: 'url_text_input', action_id: FORM_ACTION })
        : input(EVIDENCE_BLOCK, prompt.label, {
            type: 'plain_text_input',
            action_id: FORM_ACTION,
            multiline: true,
            max_length: TEXT_MAX,
          }),
    ],
  };
}

/** How much of a note or a root-cause analysis a message shows; Details shows all of it. */
const EXCERPT = 200;
const excerpt = (text: string) => escapeMrkdwn(truncate(text, EXCERPT));

function verbalLine(verbal: VerbalApprovalRecord): string {
  const state = verbalApprovalState(verbal.confirmation);
  const answer =
    state === 'confirmed'
      ? `:white_check_mark: confirmed ${slackDate(verbal.confirmation?.respondedAt ?? verbal.recordedAt)}`
      : state === 'disputed'
        ? `:warning: *disputed* ${slackDate(verbal.confirmation?.respondedAt ?? verbal.recordedAt)}`
        : ':grey_question: unconfirmed';
  const note = verbal.note ? ` — ${excerpt(verbal.note)}` : '';
  return (
    `• ${mentionMember(verbal.approverId)} (${verbal.role}) by ` +
    `${VERBAL_MEDIUM_LABELS[verbal.medium].toLowerCase()} ${slackDate(verbal.givenAt)}, ` +
    `recorded by ${mentionMember(verbal.recordedBy)} ${slackDate(verbal.recordedAt)}: ` +
    `${answer}${note}`
  );
}

function obligationLine(record: ChangeRecord, obligation: ChangeRecord['obligations'][number], now: Date): string {
  const label = OBLIGATION_LABELS[obligation.kind];
  if (obligation.completedAt) {
    const evidence = obligation.evidence ? `: ${excerpt(obligation.evidence)}` : '';
    return (
      `:white_check_mark: ${label} — ` +
      (obligation.completedBy && obligation.completedBy !== 'cabinet'
        ? `${mentionMember(obligation.completedBy)} `
        : '') +
      `${slackDate(obligation.completedAt)}${evidence}`
    );
  }
  if (obligation.kind === 'retro_approval' && record.change.state === 'retro_rejected')
    return `:no_entry: ${label} — rejected; the change goes to the CAB`;
  if (!obligation.dueAt) return `:white_square: ${label} — at the next CAB`;
  const overdue = now.getTime() > obligation.dueAt.getTime();
  return (
    `${overdue ? ':red_circle:' : ':white_square:'} ${label} — ` +
    `${overdue ? '*overdue*, was due' : 'due'} ${slackDate(obligation.dueAt)}`
  );
}

/** An authorization disputed after the fact (6.3): open until the CAB chair or a dispute resolver resolves it. */
function disputeLines(record: ChangeRecord, policy: Policy): string[] {
  const resolvers = ['the CAB chair', ...policy.emergency.dispute_resolver_roles].join(' or ');
  return record.disputes.map((dispute) =>
    dispute.resolvedAt === null
      ? `:warning: *Authorization disputed* by ${mentionMember(dispute.disputedBy)} ` +
        `${slackDate(dispute.disputedAt)} — it cannot close until ${resolvers} resolves it.`
      : `:white_check_mark: *Disputed authorization resolved* by ${mentionMember(dispute.resolvedBy ?? '')} ` +
        `${slackDate(dispute.resolvedAt)}: ${excerpt(dispute.resolution ?? '')}`,
  );
}

/** The emergency's own state: criterion, escalation, verbal approvals, the paperwork checklist, and any CAB flag. */
export function emergencyBlocks(record: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  const { change } = record;
  if (change.type !== 'emergency') return [];
  const criterion =
    policy.emergency.criteria.find((entry) => entry.id === change.emergencyCriterion)?.label ??
    change.emergencyCriterion ??
    '—';
  const lines = [`*Emergency:* ${escapeMrkdwn(criterion)}`];
  if (change.authorizationEscalatedAt)
    lines.push(`:rotating_light: Stand-in authorizers asked ${slackDate(change.authorizationEscalatedAt)}`);
  if (change.flaggedAt)
    lines.push(
      `:triangular_flag_on_post: *For the CAB:* ${escapeMrkdwn(change.flagReason ?? '')} ` +
        `(${slackDate(change.flaggedAt)})`,
    );
  lines.push(...disputeLines(record, policy));
  const blocks: types.KnownBlock[] = [section(lines.join('\n'))];
  if (record.verbalApprovals.length > 0)
    blocks.push(section(`*Verbal approvals*\n${record.verbalApprovals.map(verbalLine).join('\n')}`));
  if (record.obligations.length > 0)
    blocks.push(
      section(
        `*After the emergency*${cited(policy, 'emergency_paperwork')}\n` +
          record.obligations.map((o) => obligationLine(record, o, now)).join('\n'),
      ),
    );
  return blocks;
}

/** "Ask cto / ciso now": the stand-ins as the policy names them. */
function escalateLabel(policy: Policy): string {
  return truncate(`Ask ${policy.emergency.authorizers.fallback_any_of.join(' / ')} now`, 75);
}

/**
 * The buttons a person needs on an emergency now: the requester and owner record verbal approvals,
 * ask the stand-ins and do the paperwork; the CAB chair marks the CAB presentation. Without a
 * viewer (a channel message), only what anyone involved may start while it waits for authorization.
 */
export function emergencyButtons(record: ChangeRecord, policy: Policy, viewerId?: string): types.Button[] {
  const { change } = record;
  const value = encodeChangeValue(change.id);
  const buttons: types.Button[] = [];
  const involved = viewerId === undefined || viewerId === change.requesterId || viewerId === change.ownerId;
  if (change.state === 'pending_authorization' && involved) {
    buttons.push(button('Record verbal approval', ACTIONS.recordVerbal, value, 'primary'));
    if (!change.authorizationEscalatedAt && policy.emergency.authorizers.fallback_any_of.length > 0)
      buttons.push(button(escalateLabel(policy), ACTIONS.escalate, value));
  }
  if (viewerId === undefined) return buttons;
  const open = (kind: ObligationKind) => record.obligations.some((o) => o.kind === kind && o.completedAt === null);
  if (involved) {
    if (open('documentation')) buttons.push(button('Document', ACTIONS.document, value, 'primary'));
    if (open('retro_ticket'))
      buttons.push(
        button(
          'Add ticket link',
          addEvidenceActionId('retro_ticket'),
          encodeObligationValue(change.id, 'retro_ticket'),
        ),
      );
    if (open('root_cause_analysis'))
      buttons.push(
        button(
          'Add root cause',
          addEvidenceActionId('root_cause_analysis'),
          encodeObligationValue(change.id, 'root_cause_analysis'),
        ),
      );
  }
  if (open('cab_presentation') && viewerId === policy.cab.chair) {
    buttons.push({
      ...button(
        'Presented to CAB',
        addEvidenceActionId('cab_presentation'),
        encodeObligationValue(change.id, 'cab_presentation'),
      ),
      confirm: {
        title: plain('Presented to CAB?', 100),
        text: { type: 'mrkdwn', text: `Record that ${record.ref} was presented to the CAB.` },
        confirm: plain('Record', 30),
        deny: plain('Cancel', 30),
      },
    });
  }
  return buttons;
}

/** Confirm and Dispute of a verbal approval, for the approver named in it; disputing asks to be sure first. */
export function verbalAnswerButtons(ref: string, policy: Policy, verbalApprovalId: number): types.Button[] {
  const value = encodeVerbalValue(verbalApprovalId);
  return [
    button('Confirm', ACTIONS.confirmVerbal, value, 'primary'),
    {
      ...button('Dispute', ACTIONS.disputeVerbal, value, 'danger'),
      confirm: {
        title: plain('Dispute this approval?', 100),
        text: {
          type: 'mrkdwn',
          text:
            `It stops counting, ${ref} goes to the CAB, and ` +
            `${policy.emergency.dispute_notify_roles.join(', ') || 'the requester'} ` +
            `${policy.emergency.dispute_notify_roles.length > 0 ? 'are' : 'is'} told.`,
        },
        confirm: plain('Dispute', 30),
        deny: plain('Cancel', 30),
        style: 'danger',
      },
    },
  ];
}

/** Asks the named approver to confirm or dispute what was recorded in their name; buttons go once they answer. */
export function verbalConfirmationMessage(
  current: ChangeRecord,
  policy: Policy,
  recipientId: string,
): { text: string; blocks: types.KnownBlock[] } {
  // The approver answers for what they approved: the declaration, even once it was documented.
  const { record, mark } = authorizerView(current);
  const mine = record.verbalApprovals.filter((verbal) => verbal.approverId === recipientId);
  const blocks: types.KnownBlock[] = [
    section(
      `${mentionMember(mine[0]?.recordedBy ?? record.change.requesterId)} recorded that you ` +
        `approved emergency *${record.ref} · ${escapeMrkdwn(record.change.title)}*:`,
    ),
    ...mark,
    ...(record.disputes.length > 0 ? [section(disputeLines(record, policy).join('\n'))] : []),
  ];
  for (const verbal of mine) {
    blocks.push(section(verbalLine(verbal)));
    if (verbal.confirmation) continue;
    blocks.push({
      type: 'actions',
      block_id: `verbal_${verbal.id}`,
      elements: verbalAnswerButtons(record.ref, policy, verbal.id),
    });
  }
  const open = mine.some((verbal) => !verbal.confirmation);
  return {
    text:
      `${open ? 'Please confirm your verbal approval' : 'Verbal approval answered'}: ` +
      `${record.ref} · ${escapeMrkdwn(record.change.title)}`,
    blocks,
  };
}

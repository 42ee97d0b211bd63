import type { types } from '@slack/bolt';
import type { ChangeView, RequirementView } from '../../db/changes.js';
import type { ChangeEvent } from '../../db/outbox.js';
import { describeState } from '../../domain/lifecycle.js';
import type { Policy } from '../../policy/schema.js';
import { ACTIONS, REJECT_REASON_BLOCK, VIEWS, encodeChangeValue } from '../ids.js';
import { context, divider, header, section, truncate } from './blocks.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

/** A time shown in each reader's own time zone, with a UTC fallback. */
export function slackDate(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

function riskLabel(view: ChangeView, policy: Policy): string {
  const level = policy.risk.levels.find((candidate) => candidate.id === view.change.riskLevel);
  const raised = view.change.riskLevel !== view.change.computedRiskLevel ? `, raised by the requester from ${view.change.computedRiskLevel}` : '';
  return `${level?.label ?? view.change.riskLevel ?? 'unassessed'} (score ${view.change.riskScore ?? '—'}${raised})`;
}

/** The one-line status every view of a change carries. */
export function statusLine(view: ChangeView): string {
  return `Status: ${describeState(view.change.state)}`;
}

function requirementLine(requirement: RequirementView): string {
  const role = requirement.fallbackRole ? `${requirement.role} (asked of ${requirement.fallbackRole})` : requirement.role;
  const approvedBy = requirement.approvals.map((d) => `${d.approverId ? mentionMember(d.approverId) : 'catalog'} ${slackDate(d.decidedAt)}`);
  if (requirement.satisfiedAt) return `:white_check_mark: *${role}* — approved by ${approvedBy.join(', ')}`;
  const progress = requirement.approvalsNeeded > 1 ? ` (${requirement.approvals.length} of ${requirement.approvalsNeeded})` : '';
  const asked = requirement.candidates.length > 0 ? requirement.candidates.map(mentionMember).join(', ') : 'nobody holds this role yet';
  return `:hourglass_flowing_sand: *${role}*${progress} — waiting; asked: ${asked}`;
}

function decisionLines(view: ChangeView): string[] {
  const lines = view.requirements.map(requirementLine);
  for (const decision of view.decisions) {
    if (decision.decision === 'reject') {
      lines.push(`:no_entry: *Rejected* by ${decision.approverId ? mentionMember(decision.approverId) : 'Cabinet'} (${decision.role}) ${slackDate(decision.decidedAt)}: ${escapeMrkdwn(decision.reason ?? '')}`);
    } else if (decision.source === 'pre_approved') {
      lines.push(`:white_check_mark: *Pre-approved* standard change ${slackDate(decision.decidedAt)} — ${escapeMrkdwn(decision.reason ?? '')}`);
    }
  }
  return lines;
}

/** The summary of a change that every message about it starts with; all user text escaped. */
export function changeSummaryBlocks(view: ChangeView, policy: Policy): types.KnownBlock[] {
  const { change } = view;
  const planned = change.plannedStart && change.plannedEnd ? `${slackDate(change.plannedStart)} → ${slackDate(change.plannedEnd)}` : 'not planned yet';
  const decisions = decisionLines(view);
  const type = change.type === 'standard' ? `${policy.change_types.standard.label} (${escapeMrkdwn(change.standardChangeId ?? '')})` : policy.change_types[change.type].label;
  return [
    section(`*${view.ref} · ${escapeMrkdwn(change.title)}*\n${escapeMrkdwn(truncate(change.description, 600))}`),
    section(
      [
        `*Type:* ${type}    *Risk:* ${riskLabel(view, policy)}`,
        `*Requested by* ${mentionMember(change.requesterId)}    *Owner* ${mentionMember(change.ownerId)}`,
        `*Planned:* ${planned}`,
        `*Systems:* ${change.affectedSystems.map(escapeMrkdwn).join(', ') || '—'}`,
      ].join('\n'),
    ),
    context(statusLine(view)),
    ...(decisions.length > 0 ? [section(decisions.join('\n'))] : []),
  ];
}

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** The DM asking one approver; buttons to decide only while the change waits for approval. */
export function approvalRequestMessage(view: ChangeView, policy: Policy, recipientId: string): { text: string; blocks: types.KnownBlock[] } {
  const value = encodeChangeValue(view.change.id);
  const roles = view.requirements.filter((r) => r.candidates.includes(recipientId)).map((r) => r.role);
  const open = view.change.state === 'pending_approval';
  const buttons = open
    ? [button('Approve', ACTIONS.approve, value, 'primary'), button('Reject', ACTIONS.reject, value, 'danger'), button('Details', ACTIONS.details, value)]
    : [button('Details', ACTIONS.details, value)];
  return {
    text: `${open ? 'Approval requested' : statusLine(view)}: ${view.ref} · ${escapeMrkdwn(view.change.title)}`,
    blocks: [
      ...changeSummaryBlocks(view, policy),
      ...(open && roles.length > 0 ? [context(`You are asked as: ${roles.join(', ')}`)] : []),
      { type: 'actions', block_id: 'decision', elements: buttons },
    ],
  };
}

/** The log-channel message of a change; kept up to date as it moves on. */
export function logMessage(view: ChangeView, policy: Policy): { text: string; blocks: types.KnownBlock[] } {
  return {
    text: `${view.ref} · ${escapeMrkdwn(view.change.title)} — ${statusLine(view)}`,
    blocks: [...changeSummaryBlocks(view, policy), { type: 'actions', block_id: 'details', elements: [button('Details', ACTIONS.details, encodeChangeValue(view.change.id))] }],
  };
}

function whoMustApprove(view: ChangeView): string {
  return view.requirements
    .map((requirement) => {
      const people = requirement.candidates.length > 0 ? requirement.candidates.map(mentionMember).join(', ') : '*nobody* — ask your Cabinet admin to add members to this role';
      const count = requirement.approvalsNeeded > 1 ? `${requirement.approvalsNeeded} of ` : 'one of ';
      const fallback = requirement.fallbackRole ? ` (nobody else holds ${requirement.role}, so ${requirement.fallbackRole} was asked instead)` : '';
      return `• *${requirement.role}*${fallback}: ${requirement.candidates.length > 0 ? count : ''}${people}`;
    })
    .join('\n');
}

/** A DM telling the requester or owner what happened to their change. */
export function changeNotice(view: ChangeView, policy: Policy, event: ChangeEvent): { text: string; blocks: types.KnownBlock[] } {
  const title = `*${view.ref} · ${escapeMrkdwn(view.change.title)}*`;
  let text: string;
  if (event === 'submitted') {
    text = `Your change ${title} was submitted. Risk: *${riskLabel(view, policy)}*.\nIt needs approval from:\n${whoMustApprove(view)}`;
  } else if (event === 'approved') {
    const preApproved = view.decisions.some((d) => d.source === 'pre_approved');
    text = preApproved ? `${title} is approved: it is a pre-approved standard change (${escapeMrkdwn(view.change.standardChangeId ?? '')}).` : `${title} is approved; every required role has signed off.`;
  } else {
    const rejection = view.decisions.find((d) => d.decision === 'reject');
    text = `${title} was rejected by ${rejection?.approverId ? mentionMember(rejection.approverId) : 'an approver'}: ${escapeMrkdwn(rejection?.reason ?? '')}`;
  }
  return { text, blocks: [section(text), context(statusLine(view))] };
}

/** A short log-channel line when a change is decided, posted in the thread of its log message. */
export function logDecisionText(view: ChangeView): string {
  return `${view.ref} · ${escapeMrkdwn(view.change.title)} is ${describeState(view.change.state)}.`;
}

/** Everything recorded about a change: the summary, then every 4.2 field. */
function changeDetailBlocks(view: ChangeView, policy: Policy): types.KnownBlock[] {
  const { change } = view;
  const field = (label: string, value: string | null) => section(`*${label}*\n${escapeMrkdwn(value ?? '—')}`);
  return [
    ...changeSummaryBlocks(view, policy),
    divider,
    field('Business justification', change.businessJustification),
    field('Impact analysis', change.impactAnalysis),
    field('Test plan', change.testPlan),
    field('Rollback plan', change.rollbackPlan),
    field('Implementation plan', change.implementationPlan),
    field('Ticket or PR', change.link),
  ];
}

export function changeDetailsModal(view: ChangeView, policy: Policy): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.changeDetails,
    title: { type: 'plain_text', text: truncate(view.ref, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: changeDetailBlocks(view, policy),
  };
}

export function rejectReasonModal(view: ChangeView): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.rejectReason,
    private_metadata: encodeChangeValue(view.change.id),
    title: { type: 'plain_text', text: truncate(`Reject ${view.ref}`, 24) },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${view.ref} · ${escapeMrkdwn(view.change.title)}*`),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: { type: 'plain_text', text: 'Why are you rejecting it?' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}

export function showChangeBlocks(view: ChangeView, policy: Policy): types.KnownBlock[] {
  return [header(view.ref), ...changeDetailBlocks(view, policy)];
}

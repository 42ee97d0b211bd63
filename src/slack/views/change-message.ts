import type { types } from '@slack/bolt';
import type { ChangeRecord, RequirementRecord } from '../../db/change-record.js';
import { type ChangeEvent, isImplementationEvent } from '../../db/outbox.js';
import { isBoardRequirement, requirementsOf } from '../../domain/approvers.js';
import { nextMeetingAt } from '../../domain/cab.js';
import { OBLIGATION_LABELS, outstandingPaperwork } from '../../domain/emergency.js';
import { APPROVAL_PHASES, type ApprovalPhase, decisionStage, describeState } from '../../domain/lifecycle.js';
import type { Policy } from '../../policy/schema.js';
import { ACTIONS, encodeChangeValue, encodeDecisionValue, REJECT_REASON_BLOCK, VIEWS } from '../ids.js';
import { button, context, divider, header, section, slackDate, truncate } from './blocks.js';
import { emergencyBlocks, emergencyButtons } from './emergency.js';
import { implementationButtons, implementationDetailFields, implementationLines } from './implementation.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';
import { conflictText } from './schedule.js';

function riskLabel(view: ChangeRecord, policy: Policy): string {
  const level = policy.risk.levels.find((candidate) => candidate.id === view.change.riskLevel);
  const raised =
    view.change.riskLevel !== view.change.computedRiskLevel
      ? `, raised by the requester from ${view.change.computedRiskLevel}`
      : '';
  return `${level?.label ?? view.change.riskLevel ?? 'unassessed'} (score ${view.change.riskScore ?? '—'}${raised})`;
}

/** The one-line status every view of a change carries. */
export function statusLine(view: ChangeRecord): string {
  return `Status: ${describeState(view.change.state)}`;
}

const PHASE_TITLES: Record<ApprovalPhase, string> = {
  approval: 'Approvals',
  authorization: 'Authorization (POL-SEC-008 6.3)',
  retro_approval: 'Formal approval after the fact (6.4)',
};

function nextMeetingText(policy: Policy, now: Date): string {
  const next = nextMeetingAt(policy, now);
  return next ? `the CAB next meets ${slackDate(next)}` : 'no CAB meeting is scheduled';
}

/** Where the board's requirement stands: decided by the CAB, next meeting when. */
function boardDecisionText(policy: Policy, now: Date): string {
  return `decided by the CAB; ${nextMeetingText(policy, now)}`;
}

function requirementLine(
  requirement: RequirementRecord,
  open: boolean,
  escalated: boolean,
  policy: Policy,
  now: Date,
): string {
  const name = requirement.alternative ? `${requirement.role} (stand-in)` : requirement.role;
  const role = requirement.fallbackRole ? `${name} (asked of ${requirement.fallbackRole})` : name;
  const sources = { verbal: ' (verbal)', cab: ' (CAB decision)', button: '', pre_approved: '' } as const;
  const approvedBy = requirement.approvals.map(
    (d) => `${d.approverId ? mentionMember(d.approverId) : 'catalog'}${sources[d.source]} ${slackDate(d.decidedAt)}`,
  );
  if (requirement.satisfiedAt) return `:white_check_mark: *${role}* — approved by ${approvedBy.join(', ')}`;
  if (!open) return `:heavy_minus_sign: *${role}* — not needed`;
  if (isBoardRequirement(requirement, policy))
    return `:classical_building: *${role}* — ${boardDecisionText(policy, now)}`;
  if (requirement.alternative && !escalated) return `:heavy_minus_sign: *${role}* — asked if the others do not answer`;
  const progress =
    requirement.approvalsNeeded > 1 ? ` (${requirement.approvals.length} of ${requirement.approvalsNeeded})` : '';
  const asked =
    requirement.candidates.length > 0
      ? requirement.candidates.map(mentionMember).join(', ')
      : 'nobody holds this role yet';
  return `:hourglass_flowing_sand: *${role}*${progress} — waiting; asked: ${asked}`;
}

function decisionLines(view: ChangeRecord, policy: Policy, now: Date): string[] {
  const current = decisionStage(view.change.state)?.phase;
  const escalated = view.change.authorizationEscalatedAt !== null;
  const phases = APPROVAL_PHASES.filter((phase) => requirementsOf(view, phase).length > 0);
  const lines = phases.flatMap((phase) => [
    ...(view.change.type === 'emergency' ? [`*${PHASE_TITLES[phase]}*`] : []),
    ...requirementsOf(view, phase).map((requirement) =>
      requirementLine(requirement, phase === current, escalated, policy, now),
    ),
  ]);
  for (const item of view.boardItems.filter((entry) => entry.outcome === 'defer')) {
    lines.push(
      `:double_vertical_bar: *Deferred by the CAB* ${item.decidedAt ? slackDate(item.decidedAt) : ''}: ${escapeMrkdwn(item.reason ?? '')}`,
    );
  }
  for (const decision of view.decisions) {
    if (decision.decision === 'reject') {
      lines.push(
        `:no_entry: *Rejected* by ${decision.approverId ? mentionMember(decision.approverId) : 'Cabinet'} (${decision.role}) ${slackDate(decision.decidedAt)}: ${escapeMrkdwn(decision.reason ?? '')}`,
      );
    } else if (decision.source === 'pre_approved') {
      lines.push(
        `:white_check_mark: *Pre-approved* standard change ${slackDate(decision.decidedAt)} — ${escapeMrkdwn(decision.reason ?? '')}`,
      );
    }
  }
  return lines;
}

/** How many conflicting changes a message names before it only counts the rest. */
const CONFLICTS_SHOWN = 5;

/** A schedule exception (or an emergency's exemption) and the changes it collides with (9.1, 9.2). */
function scheduleLines(view: ChangeRecord, policy: Policy): string[] {
  const lines: string[] = [];
  const exception = view.change.scheduleException;
  if (exception) {
    const what = [
      ...(exception.outsideWindow ? ['outside the deployment windows (9.1)'] : []),
      ...exception.freezes.map((freeze) => `in the change freeze “${escapeMrkdwn(freeze.reason)}” (9.2)`),
    ].join(' and ');
    lines.push(
      view.change.type === 'emergency'
        ? `:warning: *Ran ${what}* — exempt as an emergency; recorded for the CAB.`
        : `:warning: *Schedule exception requested:* planned ${what}; the ${policy.scheduling.exception_role} approves it.`,
    );
  }
  if (view.conflicts.length > 0) {
    const named = view.conflicts.slice(0, CONFLICTS_SHOWN).map(conflictText);
    const more = view.conflicts.length > CONFLICTS_SHOWN ? `; and ${view.conflicts.length - CONFLICTS_SHOWN} more` : '';
    lines.push(`:twisted_rightwards_arrows: *Conflicts:* overlaps ${named.join('; ')}${more}`);
  }
  return lines;
}

/** The summary of a change that every message about it starts with; all user text escaped. */
export function changeSummaryBlocks(view: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  const { change } = view;
  const planned =
    change.plannedStart && change.plannedEnd
      ? `${slackDate(change.plannedStart)} → ${slackDate(change.plannedEnd)}`
      : 'not planned yet';
  const decisions = decisionLines(view, policy, now);
  const afterwards = [...scheduleLines(view, policy), ...implementationLines(view, policy)];
  const type =
    change.type === 'standard'
      ? `${policy.change_types.standard.label} (${escapeMrkdwn(change.standardChangeId ?? '')})`
      : policy.change_types[change.type].label;
  const risk = change.riskLevel === null ? 'assessed when it is documented' : riskLabel(view, policy);
  return [
    section(`*${view.ref} · ${escapeMrkdwn(change.title)}*\n${escapeMrkdwn(truncate(change.description, 600))}`),
    section(
      [
        `*Type:* ${type}    *Risk:* ${risk}`,
        `*Requested by* ${mentionMember(change.requesterId)}    *Owner* ${mentionMember(change.ownerId)}`,
        `*Planned:* ${planned}`,
        `*Systems:* ${change.affectedSystems.map(escapeMrkdwn).join(', ') || '—'}`,
      ].join('\n'),
    ),
    context(statusLine(view)),
    ...emergencyBlocks(view, policy, now),
    ...(decisions.length > 0 ? [section(decisions.join('\n'))] : []),
    ...(afterwards.length > 0 ? [section(afterwards.join('\n'))] : []),
  ];
}

/** The DM asking one person to decide in `phase`; its buttons show only while the change waits in that phase. */
export function approvalRequestMessage(
  view: ChangeRecord,
  policy: Policy,
  recipientId: string,
  phase: ApprovalPhase,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const value = encodeDecisionValue(view.change.id, phase);
  const roles = requirementsOf(view, phase)
    .filter((r) => r.candidates.includes(recipientId))
    .map((r) => r.role);
  const stage = decisionStage(view.change.state);
  const open = stage?.phase === phase;
  const buttons = open
    ? [
        button(stage.words.approve, ACTIONS.approve, value, 'primary'),
        button(stage.words.reject, ACTIONS.reject, value, 'danger'),
        button('Details', ACTIONS.details, encodeChangeValue(view.change.id)),
      ]
    : [button('Details', ACTIONS.details, encodeChangeValue(view.change.id))];
  const asking =
    phase === 'authorization'
      ? 'Emergency authorization requested'
      : phase === 'retro_approval'
        ? 'Formal approval requested for emergency'
        : 'Approval requested';
  return {
    text: `${open ? asking : statusLine(view)}: ${view.ref} · ${escapeMrkdwn(view.change.title)}`,
    blocks: [
      ...changeSummaryBlocks(view, policy, now),
      ...(open && roles.length > 0 ? [context(`You are asked as: ${roles.join(', ')}`)] : []),
      { type: 'actions', block_id: 'decision', elements: buttons },
    ],
  };
}

/** The log-channel message of a change; kept up to date as it moves on. */
export function logMessage(
  view: ChangeRecord,
  policy: Policy,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(view.change.id));
  return {
    text: `${view.ref} · ${escapeMrkdwn(view.change.title)} — ${statusLine(view)}`,
    blocks: [
      ...changeSummaryBlocks(view, policy, now),
      {
        type: 'actions',
        block_id: 'details',
        elements: [...emergencyButtons(view, policy), ...implementationButtons(view), details],
      },
    ],
  };
}

/** What the owner of an approved change does next, above their buttons. */
function nextStepText(view: ChangeRecord): string {
  switch (view.change.state) {
    case 'approved':
    case 'scheduled':
      return 'Press *Start* when you begin; Cabinet checks the deployment windows and freezes then.';
    case 'implementing':
      return 'When it is done, press *Complete*; if it goes wrong, *Failed* or *Rolled back*.';
    case 'closed':
      return 'Closed. Thank you.';
    default:
      return 'Record the production validation, the review if one is due, then *Close*.';
  }
}

/** The owner's DM of an approved change: where it stands and the buttons to implement, verify, review and close it. */
export function implementationConsoleMessage(
  view: ChangeRecord,
  policy: Policy,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(view.change.id));
  return {
    text: `${view.ref} · ${escapeMrkdwn(view.change.title)} — ${statusLine(view)}`,
    blocks: [
      ...changeSummaryBlocks(view, policy, now),
      context(nextStepText(view)),
      { type: 'actions', block_id: 'implementation', elements: [...implementationButtons(view), details] },
    ],
  };
}

/** The emergency's own DM to its requester and owner (and the CAB chair once it owes a presentation): where it stands and the recipient's buttons. */
export function emergencyConsoleMessage(
  view: ChangeRecord,
  policy: Policy,
  recipientId: string,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(view.change.id));
  return {
    text: `Emergency ${view.ref} · ${escapeMrkdwn(view.change.title)} — ${statusLine(view)}`,
    blocks: [
      ...changeSummaryBlocks(view, policy, now),
      { type: 'actions', block_id: 'emergency', elements: [...emergencyButtons(view, policy, recipientId), details] },
    ],
  };
}

function whoMustApprove(view: ChangeRecord, policy: Policy, now: Date): string {
  const phase = decisionStage(view.change.state)?.phase ?? 'approval';
  return requirementsOf(view, phase)
    .filter(
      (requirement) =>
        requirement.satisfiedAt === null && (!requirement.alternative || view.change.authorizationEscalatedAt !== null),
    )
    .map((requirement) => {
      if (isBoardRequirement(requirement, policy)) return `• *${requirement.role}*: ${boardDecisionText(policy, now)}`;
      const people =
        requirement.candidates.length > 0
          ? requirement.candidates.map(mentionMember).join(', ')
          : '*nobody* — ask your Cabinet admin to add members to this role';
      const count = requirement.approvalsNeeded > 1 ? `${requirement.approvalsNeeded} of ` : 'one of ';
      const fallback = requirement.fallbackRole
        ? ` (nobody else holds ${requirement.role}, so ${requirement.fallbackRole} was asked instead)`
        : '';
      return `• *${requirement.role}*${fallback}: ${requirement.candidates.length > 0 ? count : ''}${people}`;
    })
    .join('\n');
}

function lastRejection(view: ChangeRecord): string {
  const rejection = view.decisions.findLast((d) => d.decision === 'reject');
  return `${rejection?.approverId ? mentionMember(rejection.approverId) : 'an approver'}: ${escapeMrkdwn(rejection?.reason ?? '')}`;
}

function outstandingList(view: ChangeRecord): { due: string; items: string } {
  const outstanding = outstandingPaperwork(view.obligations, view.change.state);
  const dueAt = outstanding[0]?.dueAt;
  return {
    due: dueAt ? slackDate(dueAt) : '—',
    items: outstanding.map((o) => `• ${OBLIGATION_LABELS[o.kind]}`).join('\n'),
  };
}

/** What a notice says, by event; every piece of user text escaped. */
function noticeText(view: ChangeRecord, policy: Policy, event: ChangeEvent, now: Date): string {
  const title = `*${view.ref} · ${escapeMrkdwn(view.change.title)}*`;
  switch (event) {
    case 'submitted': {
      const conflicts =
        view.conflicts.length > 0
          ? `\n:twisted_rightwards_arrows: It overlaps ${view.conflicts.map(({ change }) => change.ref).join(', ')} on a shared system; the approvers see this.`
          : '';
      return `Your change ${title} was submitted. Risk: *${riskLabel(view, policy)}*.\nIt needs approval from:\n${whoMustApprove(view, policy, now)}${conflicts}`;
    }
    case 'approved':
      return view.decisions.some((d) => d.source === 'pre_approved')
        ? `${title} is approved: it is a pre-approved standard change (${escapeMrkdwn(view.change.standardChangeId ?? '')}).`
        : `${title} is approved; every required role has signed off.`;
    case 'rejected':
      return `${title} was rejected by ${lastRejection(view)}`;
    case 'authorized':
      return `Emergency ${title} is authorized: go ahead. Its paperwork is due ${outstandingList(view).due} (POL-SEC-008 6.4).`;
    case 'declined':
      return `Emergency ${title} was declined by ${lastRejection(view)}`;
    case 'retro_approved':
      return `Emergency ${title} has its formal approval.`;
    case 'retro_rejected':
      return `The formal approval of emergency ${title} was rejected by ${lastRejection(view)}. It goes to the CAB.`;
    case 'escalated':
      return `Emergency ${title} is not authorized yet, so the stand-in authorizers were asked too:\n${whoMustApprove(view, policy, now)}`;
    case 'verbal_disputed': {
      const disputed = view.verbalApprovals
        .filter((verbal) => verbal.confirmation?.outcome === 'disputed')
        .map((verbal) => mentionMember(verbal.approverId));
      return `:warning: ${disputed.join(', ') || 'The approver'} disputed the verbal approval recorded in their name on emergency ${title}. It no longer counts, and the change is flagged for the next CAB.`;
    }
    case 'cab_approved':
      return `The CAB approved ${title}. It still waits for:\n${whoMustApprove(view, policy, now)}`;
    case 'cab_deferred': {
      const deferral = view.boardItems.findLast((item) => item.outcome === 'defer');
      return `The CAB deferred ${title}${deferral?.reason ? `: ${escapeMrkdwn(deferral.reason)}` : ''}. It comes back to the board: ${nextMeetingText(policy, now)}.`;
    }
    case 'paperwork_reminder': {
      const { due, items } = outstandingList(view);
      return `Reminder: the paperwork of emergency ${title} is due ${due}. Still open:\n${items}`;
    }
    case 'paperwork_overdue': {
      const { due, items } = outstandingList(view);
      return `:red_circle: The paperwork of emergency ${title} (owner ${mentionMember(view.change.ownerId)}) was due ${due} and is overdue. Still open:\n${items}`;
    }
    case 'started':
      return `${mentionMember(view.change.ownerId)} started implementing ${title}.`;
    case 'completed':
      return `${title} was implemented by ${mentionMember(view.change.ownerId)}; its production validation comes next.`;
    case 'failed':
      return `:x: ${title} failed: ${escapeMrkdwn(truncate(view.change.failureReason ?? '', 500))}`;
    case 'rolled_back':
      return `:rewind: ${title} was rolled back${view.rollback ? ` in ${view.rollback.durationMinutes} min: ${escapeMrkdwn(truncate(view.rollback.reason, 500))}` : ''}.`;
    case 'verified':
      return `${title} passed its production validation (8.4).`;
    case 'reviewed':
      return `The post-implementation review of ${title} is recorded.`;
    case 'closed':
      return `${title} is closed.`;
  }
}

/** A DM telling someone what happened to a change. */
export function changeNotice(
  view: ChangeRecord,
  policy: Policy,
  event: ChangeEvent,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const text = noticeText(view, policy, event, now);
  return { text, blocks: [section(text), context(statusLine(view))] };
}

/** A short log-channel line when a change moves on, posted in the thread of its log message. */
export function logDecisionText(view: ChangeRecord, policy: Policy, event: ChangeEvent, now: Date): string {
  if (
    event === 'verbal_disputed' ||
    event === 'escalated' ||
    event === 'cab_approved' ||
    event === 'cab_deferred' ||
    isImplementationEvent(event)
  )
    return noticeText(view, policy, event, now);
  return `${view.ref} · ${escapeMrkdwn(view.change.title)} is ${describeState(view.change.state)}.`;
}

/** Everything recorded about a change: the summary, then every 4.2 field. */
function changeDetailBlocks(view: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  const { change } = view;
  const field = (label: string, value: string | null) => section(`*${label}*\n${escapeMrkdwn(value ?? '—')}`);
  return [
    ...changeSummaryBlocks(view, policy, now),
    divider,
    field('Business justification', change.businessJustification),
    field('Impact analysis', change.impactAnalysis),
    field('Test plan', change.testPlan),
    field('Rollback plan', change.rollbackPlan),
    field('Implementation plan', change.implementationPlan),
    field('Ticket or PR', change.link),
    ...implementationDetailFields(view).map(([label, value]) => field(label, value)),
    ...view.obligations
      .filter((o) => o.evidence && o.kind !== 'cab_presentation')
      .map((o) => field(OBLIGATION_LABELS[o.kind], o.evidence)),
  ];
}

export function changeDetailsModal(view: ChangeRecord, policy: Policy, now: Date): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.changeDetails,
    title: { type: 'plain_text', text: truncate(view.ref, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: changeDetailBlocks(view, policy, now),
  };
}

/** Asks for the reason of a rejection (or a decline) in the phase the button was shown in. */
export function rejectReasonModal(view: ChangeRecord, phase: ApprovalPhase): types.ModalView {
  const verb = decisionStage(view.change.state)?.words.reject ?? 'Reject';
  return {
    type: 'modal',
    callback_id: VIEWS.rejectReason,
    private_metadata: encodeDecisionValue(view.change.id, phase),
    title: { type: 'plain_text', text: truncate(`${verb} ${view.ref}`, 24) },
    submit: { type: 'plain_text', text: verb },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${view.ref} · ${escapeMrkdwn(view.change.title)}*`),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: { type: 'plain_text', text: `Why? (${verb.toLowerCase()})` },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}

export function showChangeBlocks(view: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  return [header(view.ref), ...changeDetailBlocks(view, policy, now)];
}

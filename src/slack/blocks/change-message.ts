import type { types } from '@slack/bolt';
import type { AskedRecord, ChangeRecord, DecisionRow, RequirementRecord } from '../../db/change-record.js';
import { isAskedNow, isBoardRequirement, requirementsOf } from '../../domain/approvers.js';
import { nextMeetingAt } from '../../domain/cab.js';
import { hasOpenDispute, outstandingPaperwork } from '../../domain/emergency.js';
import { type ChangeEvent, isImplementationEvent } from '../../domain/events.js';
import { APPROVAL_PHASES, type ApprovalPhase, decisionStage } from '../../domain/lifecycle.js';
import { openStage, sameGroup, stagesOf } from '../../domain/stages.js';
import type { Policy } from '../../policy/schema.js';
import { itemsOf } from '../../services/change-evidence.js';
import { ACTIONS, encodeChangeValue, encodeDecisionValue, REJECT_REASON_BLOCK, VIEWS } from '../ids.js';
import { cited, sectionRef } from '../words/citations.js';
import { OBLIGATION_LABELS } from '../words/paperwork.js';
import { describeState, PHASE_WORDS } from '../words/states.js';
import { button, context, divider, header, MODAL_BLOCK_LIMIT, section, slackDate, truncate } from './blocks.js';
import { evidenceButtons, evidenceDetailFields, evidenceLines } from './change-evidence.js';
import { emergencyBlocks, emergencyButtons } from './emergency.js';
import {
  implementationButtons,
  implementationDetailFields,
  implementationLines,
  rollbackDecisionText,
  verifyButton,
} from './implementation.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';
import { reassignBlocks } from './reassign.js';
import { conflictText } from './schedule.js';
import { authorizerView, versionBlocks } from './versions.js';

function riskLabel({ change }: ChangeRecord, policy: Policy): string {
  const level = policy.risk.levels.find((candidate) => candidate.id === change.riskLevel);
  const raised =
    change.riskLevel !== change.computedRiskLevel ? `, raised by the requester from ${change.computedRiskLevel}` : '';
  return `${level?.label ?? change.riskLevel ?? 'unassessed'} (score ${change.riskScore ?? '—'}${raised})`;
}

/** The one-line status every view of a change carries. */
export function statusLine(record: ChangeRecord): string {
  const disputed = hasOpenDispute(record.disputes) ? ' · :warning: authorization disputed' : '';
  return `Status: ${describeState(record.change.state)}${disputed}`;
}

/** An emergency's phases are titled, with the rule each carries out. */
function phaseTitle(phase: ApprovalPhase, policy: Policy): string {
  switch (phase) {
    case 'approval':
      return 'Approvals';
    case 'authorization':
      return `Authorization${cited(policy, 'emergency_authorization')}`;
    case 'retro_approval':
      return `Formal approval after the fact${cited(policy, 'emergency_paperwork')}`;
    case 'closure':
      return 'Approval to close';
  }
}

function nextMeetingText(policy: Policy, now: Date): string {
  const next = nextMeetingAt(policy, now);
  return next ? `the CAB next meets ${slackDate(next)}` : 'no CAB meeting is scheduled';
}

/** Where the board's requirement stands: decided by the CAB, next meeting when. */
function boardDecisionText(policy: Policy, now: Date): string {
  return `decided by the CAB; ${nextMeetingText(policy, now)}`;
}

/** Who a requirement is asked of now: a delegate whose delegation has ended is not (their decisions stand). */
const stillAsked = (requirement: RequirementRecord) => requirement.asked.filter((asked) => !asked.delegationEnded);

/** Someone asked, with why when it is not their role: a delegate (for whom) or a reassignment (by whom). */
function askedText(asked: AskedRecord): string {
  if (asked.reassignedBy) return `${mentionMember(asked.userId)} (reassigned by ${mentionMember(asked.reassignedBy)})`;
  if (asked.onBehalfOf) return `${mentionMember(asked.userId)} (for ${mentionMember(asked.onBehalfOf)})`;
  return mentionMember(asked.userId);
}

/** Who took a decision: "<@X>", or "<@X> on behalf of <@Y>" for a delegate. */
function deciderText(decision: DecisionRow, nobody: string): string {
  const decider = decision.approverId ? mentionMember(decision.approverId) : nobody;
  return decision.onBehalfOf ? `${decider} on behalf of ${mentionMember(decision.onBehalfOf)}` : decider;
}

/** Why the recipient is asked for a requirement, beside its role in their request. */
function askedAsText(requirement: RequirementRecord, recipientId: string): string | undefined {
  const asked = requirement.asked.find((candidate) => candidate.userId === recipientId);
  if (!asked) return undefined;
  if (asked.reassignedBy)
    return (
      `${requirement.role}, reassigned to you by ${mentionMember(asked.reassignedBy)}: ` +
      `“${escapeMrkdwn(asked.reassignReason ?? '')}”`
    );
  if (asked.onBehalfOf) return `${requirement.role}, on behalf of ${mentionMember(asked.onBehalfOf)}`;
  return requirement.role;
}

/**
 * A phase's requirements as shown: an "any one of" group as one, named by its roles, with everyone asked and every
 * approval of the group.
 */
function shownRequirements(requirements: readonly RequirementRecord[]): RequirementRecord[] {
  return requirements.flatMap((requirement) => {
    if (requirement.anyOf === null) return [requirement];
    const group = requirements.filter((r) => r.id === requirement.id || sameGroup(r, requirement));
    if (group[0]?.id !== requirement.id) return [];
    return [
      {
        ...requirement,
        role: requirement.anyOf.join(' or '),
        asked: group.flatMap((r) => r.asked),
        candidates: group.flatMap((r) => r.candidates),
        approvals: group.flatMap((r) => r.approvals),
      },
    ];
  });
}

/** Where a requirement stands in ordered stages (approvals.stages): its stage, and whether it waits for an earlier. */
interface StageStatus {
  /** "stage 2 of 2"; absent when the phase has one stage. */
  label?: string;
  waitsFor?: string;
}

function stageStatus(requirement: RequirementRecord, record: ChangeRecord): StageStatus {
  const requirements = requirementsOf(record, requirement.phase);
  const stages = stagesOf(requirements);
  if (stages.length < 2) return {};
  const number = (stage: number) => stages.indexOf(stage) + 1;
  const open = openStage(requirements);
  return {
    label: `stage ${number(requirement.stage)} of ${stages.length}`,
    ...(open !== undefined && requirement.stage > open ? { waitsFor: `stage ${number(open)}` } : {}),
  };
}

function requirementLine(
  requirement: RequirementRecord,
  status: { open: boolean; askedNow: boolean; stage: StageStatus },
  policy: Policy,
  now: Date,
): string {
  const { open, askedNow, stage } = status;
  // An alternative is a stand-in authorizer (6.3), or one of the retro-reviewers any one of whom decides (MCP4 9).
  const alternative = requirement.phase === 'authorization' ? 'stand-in' : 'any one';
  const name = requirement.alternative ? `${requirement.role} (${alternative})` : requirement.role;
  const bold = `*${requirement.fallbackRole ? `${name} (asked of ${requirement.fallbackRole})` : name}*`;
  const role = stage.label ? `${bold} (${stage.label})` : bold;
  const sources = { verbal: ' (verbal)', cab: ' (CAB decision)', button: '', pre_approved: '' } as const;
  // In an "any one of" group, the role the approver acted in.
  const actedAs = (d: DecisionRow) => (requirement.anyOf && d.role ? ` as ${d.role}` : '');
  const approvedBy = requirement.approvals.map(
    (d) => `${deciderText(d, 'catalog')}${actedAs(d)}${sources[d.source]} ${slackDate(d.decidedAt)}`,
  );
  if (requirement.satisfiedAt) return `:white_check_mark: ${role} — approved by ${approvedBy.join(', ')}`;
  if (!open) return `:heavy_minus_sign: ${role} — not needed`;
  if (stage.waitsFor) return `:heavy_minus_sign: ${role} — asked once ${stage.waitsFor} is approved`;
  if (isBoardRequirement(requirement, policy))
    return `:classical_building: ${role} — ${boardDecisionText(policy, now)}`;
  if (!askedNow) return `:heavy_minus_sign: ${role} — asked if the others do not answer`;
  const progress =
    requirement.approvalsNeeded > 1 ? ` (${requirement.approvals.length} of ${requirement.approvalsNeeded})` : '';
  const asked =
    stillAsked(requirement).length > 0
      ? stillAsked(requirement).map(askedText).join(', ')
      : 'nobody holds this role yet';
  return `:hourglass_flowing_sand: ${role}${progress} — waiting; asked: ${asked}`;
}

function decisionLines(record: ChangeRecord, policy: Policy, now: Date): string[] {
  const current = decisionStage(record.change.state)?.phase;
  const phases = APPROVAL_PHASES.filter((phase) => requirementsOf(record, phase).length > 0);
  const lines = phases.flatMap((phase) => [
    ...(record.change.type === 'emergency' ? [`*${phaseTitle(phase, policy)}*`] : []),
    ...shownRequirements(requirementsOf(record, phase)).map((requirement) =>
      requirementLine(
        requirement,
        {
          open: phase === current,
          askedNow: isAskedNow(requirement, record),
          stage: stageStatus(requirement, record),
        },
        policy,
        now,
      ),
    ),
  ]);
  for (const item of record.boardItems.filter((entry) => entry.outcome === 'defer')) {
    lines.push(
      `:double_vertical_bar: *Deferred by the CAB* ` +
        `${item.decidedAt ? slackDate(item.decidedAt) : ''}: ` +
        `${escapeMrkdwn(item.reason ?? '')}`,
    );
  }
  for (const decision of record.decisions) {
    if (decision.decision === 'reject') {
      lines.push(
        `:no_entry: *Rejected* by ${deciderText(decision, 'Cabinet')} ` +
          `(${decision.role}) ${slackDate(decision.decidedAt)}: ` +
          `${escapeMrkdwn(decision.reason ?? '')}`,
      );
    } else if (decision.source === 'pre_approved') {
      lines.push(
        `:white_check_mark: *Pre-approved* standard change ` +
          `${slackDate(decision.decidedAt)} — ${escapeMrkdwn(decision.reason ?? '')}`,
      );
    }
  }
  return lines;
}

/** How many conflicting changes a message names before it only counts the rest. */
const CONFLICTS_SHOWN = 5;

/** A schedule exception (or an emergency's exemption) and the changes it collides with (9.1, 9.2). */
function scheduleLines(record: ChangeRecord, policy: Policy): string[] {
  const lines: string[] = [];
  const exception = record.change.scheduleException;
  if (exception) {
    const what = [
      ...(exception.outsideWindow ? [`outside the deployment windows${sectionRef(policy, 'deployment_windows')}`] : []),
      ...exception.freezes.map(
        (freeze) => `in the change freeze “${escapeMrkdwn(freeze.reason)}”${sectionRef(policy, 'freezes')}`,
      ),
    ].join(' and ');
    lines.push(
      record.change.type === 'emergency'
        ? `:warning: *Ran ${what}* — exempt as an emergency; recorded for the CAB.`
        : `:warning: *Schedule exception requested:* planned ${what}; the ` +
            `${policy.scheduling.exception_role} approves it.`,
    );
  }
  if (record.conflicts.length > 0) {
    const named = record.conflicts.slice(0, CONFLICTS_SHOWN).map(conflictText);
    const more =
      record.conflicts.length > CONFLICTS_SHOWN ? `; and ${record.conflicts.length - CONFLICTS_SHOWN} more` : '';
    lines.push(`:twisted_rightwards_arrows: *Conflicts:* overlaps ${named.join('; ')}${more}`);
  }
  return lines;
}

/** The summary of a change that every message about it starts with; all user text escaped. */
export function changeSummaryBlocks(record: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  const { change } = record;
  const planned =
    change.plannedStart && change.plannedEnd
      ? `${slackDate(change.plannedStart)} → ${slackDate(change.plannedEnd)}`
      : 'not planned yet';
  const decisions = decisionLines(record, policy, now);
  const afterwards = [
    ...scheduleLines(record, policy),
    ...evidenceLines(record, policy),
    ...implementationLines(record, policy),
  ];
  const type =
    change.type === 'standard'
      ? `${policy.change_types.standard.label} (${escapeMrkdwn(change.standardChangeId ?? '')})`
      : policy.change_types[change.type].label;
  const risk = change.riskLevel === null ? 'assessed when it is documented' : riskLabel(record, policy);
  return [
    section(`*${record.ref} · ${escapeMrkdwn(change.title)}*\n${escapeMrkdwn(truncate(change.description, 600))}`),
    section(
      [
        `*Type:* ${type}    *Risk:* ${risk}`,
        `*Requested by* ${mentionMember(change.requesterId)}    *Owner* ${mentionMember(change.ownerId)}`,
        `*Planned:* ${planned}`,
        `*Systems:* ${change.affectedSystems.map(escapeMrkdwn).join(', ') || '—'}`,
      ].join('\n'),
    ),
    context(statusLine(record)),
    ...emergencyBlocks(record, policy, now),
    ...(decisions.length > 0 ? [section(decisions.join('\n'))] : []),
    ...(afterwards.length > 0 ? [section(afterwards.join('\n'))] : []),
  ];
}

/**
 * Approve and Reject (Authorize and Decline) for a change waiting in `phase`, and Details: the same buttons wherever
 * someone is asked (their request, their digest, their Home), so every click is authorized the same way.
 */
export function decisionButtons(changeId: number, phase: ApprovalPhase): types.Button[] {
  const value = encodeDecisionValue(changeId, phase);
  return [
    button(PHASE_WORDS[phase].approve, ACTIONS.approve, value, 'primary'),
    button(PHASE_WORDS[phase].reject, ACTIONS.reject, value, 'danger'),
    button('Details', ACTIONS.details, encodeChangeValue(changeId)),
  ];
}

/** The DM asking one person to decide in `phase`; its buttons show only while the change waits in that phase. */
export function approvalRequestMessage(
  current: ChangeRecord,
  policy: Policy,
  request: { recipientId: string; phase: ApprovalPhase },
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const { recipientId, phase } = request;
  // An authorizer's DM keeps showing what they were asked to authorize (6.4 documentation comes later).
  const { record, mark } = phase === 'authorization' ? authorizerView(current) : { record: current, mark: [] };
  const roles = requirementsOf(record, phase).flatMap((r) => askedAsText(r, recipientId) ?? []);
  const stage = decisionStage(record.change.state);
  const open = stage?.phase === phase;
  const buttons = open
    ? decisionButtons(record.change.id, phase)
    : [button('Details', ACTIONS.details, encodeChangeValue(record.change.id))];
  const asking =
    phase === 'authorization'
      ? 'Emergency authorization requested'
      : phase === 'retro_approval'
        ? 'Formal approval requested for emergency'
        : phase === 'closure'
          ? 'Approval to close requested'
          : 'Approval requested';
  return {
    text: `${open ? asking : statusLine(record)}: ${record.ref} · ${escapeMrkdwn(record.change.title)}`,
    blocks: [
      ...changeSummaryBlocks(record, policy, now),
      ...mark,
      ...(open && roles.length > 0 ? [context(`You are asked as: ${roles.join('; ')}`)] : []),
      { type: 'actions', block_id: 'decision', elements: buttons },
    ],
  };
}

/** The log-channel message of a change; kept up to date as it moves on. */
export function logMessage(
  record: ChangeRecord,
  policy: Policy,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(record.change.id));
  return {
    text: `${record.ref} · ${escapeMrkdwn(record.change.title)} — ${statusLine(record)}`,
    blocks: [
      ...changeSummaryBlocks(record, policy, now),
      {
        type: 'actions',
        block_id: 'details',
        elements: [
          ...emergencyButtons(record, policy),
          ...implementationButtons(record, policy),
          ...evidenceButtons(record, policy),
          details,
        ],
      },
    ],
  };
}

/** What the owner of an approved change does next, above their buttons. */
export function nextStepText(record: ChangeRecord): string {
  switch (record.change.state) {
    case 'approved':
    case 'scheduled':
      return 'Press *Start* when you begin; Cabinet checks the deployment windows and freezes then.';
    case 'implementing':
      return 'When it is done, press *Complete*; if it goes wrong, *Failed* or *Rolled back*.';
    case 'closed':
      return 'Closed. Thank you.';
    case 'pending_closure':
      return 'Waiting for approval to close; you are told here when it is decided.';
    case 'closure_rejected':
      return 'Closing was refused; once the reason given is dealt with, press *Close* again.';
    default:
      return 'Record the production validation, the review if one is due, then *Close*.';
  }
}

/** The owner's DM of an approved change: where it stands and the buttons to implement, verify, review and close it. */
export function implementationConsoleMessage(
  record: ChangeRecord,
  policy: Policy,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(record.change.id));
  return {
    text: `${record.ref} · ${escapeMrkdwn(record.change.title)} — ${statusLine(record)}`,
    blocks: [
      ...changeSummaryBlocks(record, policy, now),
      context(nextStepText(record)),
      {
        type: 'actions',
        block_id: 'implementation',
        elements: [...implementationButtons(record, policy), ...evidenceButtons(record, policy), details],
      },
    ],
  };
}

/**
 * The emergency's own DM to its requester and owner (and the CAB chair once
 * it owes a presentation): where it stands and the recipient's buttons.
 */
export function emergencyConsoleMessage(
  record: ChangeRecord,
  policy: Policy,
  recipientId: string,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const details = button('Details', ACTIONS.details, encodeChangeValue(record.change.id));
  return {
    text: `Emergency ${record.ref} · ${escapeMrkdwn(record.change.title)} — ${statusLine(record)}`,
    blocks: [
      ...changeSummaryBlocks(record, policy, now),
      { type: 'actions', block_id: 'emergency', elements: [...emergencyButtons(record, policy, recipientId), details] },
    ],
  };
}

/**
 * Who must still approve, by role; `asAsked`: everyone asked in the approval phase, decided or not (the
 * receipt says who was asked at submission, whenever it is sent).
 */
function whoMustApprove(record: ChangeRecord, policy: Policy, now: Date, asAsked = false): string {
  const phase = asAsked ? 'approval' : (decisionStage(record.change.state)?.phase ?? 'approval');
  // A later stage's roles are listed too, with when they are asked.
  const listed = (requirement: RequirementRecord) =>
    isAskedNow(requirement, record) || stageStatus(requirement, record).waitsFor !== undefined;
  return shownRequirements(requirementsOf(record, phase))
    .filter((requirement) => (asAsked || requirement.satisfiedAt === null) && listed(requirement))
    .map((requirement) => {
      const { label, waitsFor } = stageStatus(requirement, record);
      if (waitsFor) return `• *${requirement.role}* (${label}): asked once ${waitsFor} is approved`;
      if (isBoardRequirement(requirement, policy)) return `• *${requirement.role}*: ${boardDecisionText(policy, now)}`;
      const people =
        stillAsked(requirement).length > 0
          ? stillAsked(requirement).map(askedText).join(', ')
          : '*nobody* — ask your Cabinet admin to add members to this role';
      const count = requirement.approvalsNeeded > 1 ? `${requirement.approvalsNeeded} of ` : 'one of ';
      const fallback = requirement.fallbackRole
        ? ` (nobody else holds ${requirement.role}, so ${requirement.fallbackRole} was asked instead)`
        : '';
      return `• *${requirement.role}*${fallback}: ${requirement.candidates.length > 0 ? count : ''}${people}`;
    })
    .join('\n');
}

function lastRejection(record: ChangeRecord): string {
  const rejection = record.decisions.findLast((d) => d.decision === 'reject');
  const who = rejection ? deciderText(rejection, 'an approver') : 'an approver';
  return `${who}: ${escapeMrkdwn(rejection?.reason ?? '')}`;
}

function outstandingList(record: ChangeRecord): { due: string; items: string } {
  const outstanding = outstandingPaperwork(record.obligations, record.change.state);
  const dueAt = outstanding[0]?.dueAt;
  return {
    due: dueAt ? slackDate(dueAt) : '—',
    items: outstanding.map((o) => `• ${OBLIGATION_LABELS[o.kind]}`).join('\n'),
  };
}

/** What a notice says, by event; every piece of user text escaped. */
function noticeText(record: ChangeRecord, policy: Policy, event: ChangeEvent, now: Date): string {
  const title = `*${record.ref} · ${escapeMrkdwn(record.change.title)}*`;
  switch (event) {
    case 'submitted': {
      const conflicts =
        record.conflicts.length > 0
          ? `\n:twisted_rightwards_arrows: It overlaps ` +
            `${record.conflicts.map(({ change }) => change.ref).join(', ')} on a shared ` +
            `system; the approvers see this.`
          : '';
      return (
        `Your change ${title} was submitted. Risk: *${riskLabel(record, policy)}*.\nIt needs ` +
        `approval from:\n${whoMustApprove(record, policy, now, true)}${conflicts}`
      );
    }
    case 'approved':
      return record.decisions.some((d) => d.source === 'pre_approved')
        ? `${title} is approved: it is a pre-approved standard change ` +
            `(${escapeMrkdwn(record.change.standardChangeId ?? '')}).`
        : `${title} is approved; every required role has signed off.`;
    case 'rejected':
      return `${title} was rejected by ${lastRejection(record)}`;
    case 'authorized':
      return (
        `Emergency ${title} is authorized: go ahead. Its paperwork is due ` +
        `${outstandingList(record).due}${cited(policy, 'emergency_paperwork')}.`
      );
    case 'declined':
      return `Emergency ${title} was declined by ${lastRejection(record)}`;
    case 'retro_approved':
      return `Emergency ${title} has its formal approval.`;
    case 'retro_rejected':
      return `The formal approval of emergency ${title} was rejected by ${lastRejection(record)}. It goes to the CAB.`;
    case 'escalated':
      return (
        `Emergency ${title} is not authorized yet, so the stand-in authorizers were asked ` +
        `too:\n${whoMustApprove(record, policy, now)}`
      );
    case 'verbal_disputed': {
      const disputed = record.verbalApprovals
        .filter((verbal) => verbal.confirmation?.outcome === 'disputed')
        .map((verbal) => mentionMember(verbal.approverId));
      return (
        `:warning: ${disputed.join(', ') || 'The approver'} disputed the verbal approval ` +
        `recorded in their name on emergency ${title}. It no longer counts, and the change ` +
        `is flagged for the next CAB.`
      );
    }
    case 'cab_approved':
      return `The CAB approved ${title}. It still waits for:\n${whoMustApprove(record, policy, now)}`;
    case 'cab_deferred': {
      const deferral = record.boardItems.findLast((item) => item.outcome === 'defer');
      return (
        `The CAB deferred ` +
        `${title}${deferral?.reason ? `: ${escapeMrkdwn(deferral.reason)}` : ''}. It comes ` +
        `back to the board: ${nextMeetingText(policy, now)}.`
      );
    }
    case 'reassigned': {
      const phase = decisionStage(record.change.state)?.phase ?? 'approval';
      const lines = requirementsOf(record, phase).flatMap((requirement) =>
        requirement.asked.flatMap((asked) =>
          asked.reassignedBy
            ? [
                `• *${requirement.role}*: ${mentionMember(asked.userId)}, by ${mentionMember(asked.reassignedBy)}: ` +
                  `“${escapeMrkdwn(asked.reassignReason ?? '')}”`,
              ]
            : [],
        ),
      );
      return `An approval of ${title} was reassigned; the person named is asked now:\n${lines.join('\n')}`;
    }
    case 'paperwork_reminder': {
      const { due, items } = outstandingList(record);
      return `Reminder: the paperwork of emergency ${title} is due ${due}. Still open:\n${items}`;
    }
    case 'paperwork_overdue': {
      const { due, items } = outstandingList(record);
      return (
        `:red_circle: The paperwork of emergency ${title} (owner ` +
        `${mentionMember(record.change.ownerId)}) was due ${due} and is overdue. Still ` +
        `open:\n${items}`
      );
    }
    case 'started':
      return `${mentionMember(record.change.ownerId)} started implementing ${title}.`;
    case 'completed': {
      const owner = mentionMember(record.change.ownerId);
      return `${title} was implemented by ${owner}; its production validation comes next.`;
    }
    case 'failed':
      return `:x: ${title} failed: ${escapeMrkdwn(truncate(record.change.failureReason ?? '', 500))}`;
    case 'rolled_back':
      return (
        `:rewind: ${title} was rolled back` +
        (record.rollback
          ? ` in ${record.rollback.durationMinutes} min: ${escapeMrkdwn(truncate(record.rollback.reason, 500))}`
          : '') +
        '.'
      );
    case 'verified':
      return `${title} passed its production validation${sectionRef(policy, 'production_validation')}.`;
    case 'reviewed':
      return `The post-implementation review of ${title} is recorded.`;
    case 'closed':
      return `${title} is closed.`;
    case 'verification_requested':
      return (
        `${title} was implemented by ${mentionMember(record.change.ownerId)} and waits for its production ` +
        `validation${sectionRef(policy, 'production_validation')}: as a verifier, press *Verify* once you have ` +
        'checked it.'
      );
    case 'rollback_overdue':
      return (
        `:alarm_clock: ${title} failed and is not rolled back. ${rollbackDecisionText(record, policy) ?? ''} ` +
        'Press *Rolled back* once it is, or say in its review why it was not.'
      );
    case 'closure_requested':
      return `${title} is ready to close; it waits for approval to close from:\n${whoMustApprove(record, policy, now)}`;
    case 'closure_rejected':
      return (
        `Closing ${title} was refused by ${lastRejection(record)}. Its owner can close it again once that is ` +
        'dealt with.'
      );
  }
}

/** A DM telling someone what happened to a change. */
export function changeNotice(
  record: ChangeRecord,
  policy: Policy,
  event: ChangeEvent,
  now: Date,
): { text: string; blocks: types.KnownBlock[] } {
  const text = noticeText(record, policy, event, now);
  // The receipt may be sent after a fast decision: it tells what was asked, and leaves the outcome to its own notice.
  const footer = event === 'submitted' ? 'You are told here when it is decided.' : statusLine(record);
  // Tests owed before approval are recorded by the requester from the receipt (testing.required_before: approval).
  const owedFirst = event === 'submitted' && itemsOf(record, policy).some((item) => item.before === 'approval');
  const evidence: types.KnownBlock[] = owedFirst
    ? [{ type: 'actions', block_id: 'evidence', elements: evidenceButtons(record, policy) }]
    : [];
  const verify: types.KnownBlock[] =
    event === 'verification_requested'
      ? [{ type: 'actions', block_id: 'verify', elements: [verifyButton(record, policy)] }]
      : [];
  return { text, blocks: [section(text), ...verify, context(footer), ...evidence] };
}

/** A short log-channel line when a change moves on, posted in the thread of its log message. */
export function logDecisionText(record: ChangeRecord, policy: Policy, event: ChangeEvent, now: Date): string {
  if (
    event === 'verbal_disputed' ||
    event === 'escalated' ||
    event === 'cab_approved' ||
    event === 'cab_deferred' ||
    isImplementationEvent(event)
  )
    return noticeText(record, policy, event, now);
  return `${record.ref} · ${escapeMrkdwn(record.change.title)} is ${describeState(record.change.state)}.`;
}

/** Everything recorded about a change: the summary, then every 4.2 field. */
function changeDetailBlocks(record: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  const { change } = record;
  const field = (label: string, value: string | null) => section(`*${label}*\n${escapeMrkdwn(value ?? '—')}`);
  return [
    ...changeSummaryBlocks(record, policy, now),
    divider,
    ...versionBlocks(record),
    field('Business justification', change.businessJustification),
    field('Impact analysis', change.impactAnalysis),
    field('Test plan', change.testPlan),
    field('Rollback plan', change.rollbackPlan),
    field('Implementation plan', change.implementationPlan),
    field('Ticket or PR', change.link),
    ...implementationDetailFields(record).map(([label, value]) => field(label, value)),
    ...evidenceDetailFields(record).map(([label, value]) => field(label, value)),
    ...record.obligations
      .filter((o) => o.evidence && o.kind !== 'cab_presentation')
      .map((o) => field(OBLIGATION_LABELS[o.kind], o.evidence)),
  ];
}

/**
 * Every field of a change in a modal; `decidingIn`: the phase the viewer may decide in now, whose Approve and Reject
 * then end it (someone asked only through a quiet role gets no request, and decides here or in their Home);
 * `reassignPhase`: an admin looks, and a requirement of that phase may be reassigned.
 */
export function changeDetailsModal(
  record: ChangeRecord,
  policy: Policy,
  view: { now: Date; decidingIn?: ApprovalPhase; reassignPhase?: ApprovalPhase },
): types.ModalView {
  const { now, decidingIn, reassignPhase } = view;
  const reassign = reassignPhase ? reassignBlocks(record.change.id, reassignPhase) : [];
  const decide: types.KnownBlock[] = decidingIn
    ? [
        {
          type: 'actions',
          block_id: 'decision',
          elements: decisionButtons(record.change.id, decidingIn).filter((b) => b.action_id !== ACTIONS.details),
        },
      ]
    : [];
  return {
    type: 'modal',
    callback_id: VIEWS.changeDetails,
    title: { type: 'plain_text', text: truncate(record.ref, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      ...changeDetailBlocks(record, policy, now).slice(0, MODAL_BLOCK_LIMIT - reassign.length - decide.length),
      ...decide,
      ...reassign,
    ],
  };
}

/** Asks for the reason of a rejection (or a decline) in the phase the button was shown in. */
export function rejectReasonModal(record: ChangeRecord, phase: ApprovalPhase): types.ModalView {
  const verb = PHASE_WORDS[decisionStage(record.change.state)?.phase ?? phase].reject;
  return {
    type: 'modal',
    callback_id: VIEWS.rejectReason,
    private_metadata: encodeDecisionValue(record.change.id, phase),
    title: { type: 'plain_text', text: truncate(`${verb} ${record.ref}`, 24) },
    submit: { type: 'plain_text', text: verb },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${record.ref} · ${escapeMrkdwn(record.change.title)}*`),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: { type: 'plain_text', text: `Why? (${verb.toLowerCase()})` },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}

export function showChangeBlocks(record: ChangeRecord, policy: Policy, now: Date): types.KnownBlock[] {
  return [header(record.ref), ...changeDetailBlocks(record, policy, now)];
}

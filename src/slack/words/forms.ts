// What a refused form says, input by input: the domain's issues worded and put on their blocks, for
// `response_action: 'errors'`.
import type { ChangeIssue } from '../../domain/change-request.js';
import type { EmergencyIssue, VerbalIssue } from '../../domain/emergency-request.js';
import type { FormIssue, FormProblem } from '../../domain/form-issues.js';
import type { ImplementationIssue } from '../../domain/implementation.js';
import {
  CHANGE_FIELDS,
  EMERGENCY_FIELDS,
  IMPLEMENTATION_FIELDS,
  riskFactorField,
  VERBAL_FIELDS,
} from '../blocks/form-fields.js';
import { wallClock } from './schedule.js';

/** The sentence for what is wrong with one input. */
type Words = (problem: FormProblem) => string;

/** A required text input named `label`: empty, or longer than it may be. */
const text =
  (label: string): Words =>
  (problem) =>
    problem.code === 'too_long' ? `Keep the ${label} under ${problem.max} characters.` : `Enter the ${label}.`;

/** An input with one thing to get wrong (nothing picked, or a choice not offered). */
const only =
  (sentence: string): Words =>
  () =>
    sentence;

const systems: Words = (problem) => {
  if (problem.code === 'not_in_catalog') return `"${problem.value}" is not in the system catalog.`;
  if (problem.code === 'too_long') return `Keep each system name under ${problem.max} characters.`;
  return 'Name at least one affected system.';
};

/** Each issue's sentence on the block of its field. */
function errorsOn<F extends string>(
  issues: readonly FormIssue<F>[],
  blocks: Record<F, string>,
  words: Record<F, Words>,
): Record<string, string> {
  return Object.fromEntries(issues.map((issue) => [blocks[issue.field], words[issue.field](issue)]));
}

const CHANGE_WORDS: Record<Exclude<ChangeIssue['field'], 'riskAnswer'>, Words> = {
  title: text('title'),
  description: text('description'),
  businessJustification: text('business justification'),
  changeType: (problem) =>
    problem.code === 'not_in_catalog'
      ? 'That standard change is not in the catalog any more; pick another type.'
      : 'Pick the change type.',
  affectedSystems: systems,
  requestedRiskLevel: only('Pick a risk level from the list.'),
  securityTriggers: only('Tick only the listed triggers.'),
  reviewRules: only('Tick only the listed kinds of change.'),
  impactAnalysis: text('impact analysis'),
  testPlan: text('test plan'),
  rollbackPlan: text('rollback plan'),
  implementationPlan: text('implementation plan'),
  plannedStart: (problem) => {
    if (problem.code === 'in_past') return 'The start is in the past; pick a later time.';
    if (problem.code === 'in_future') return 'That is in the future; pick when the fix started.';
    if (problem.code === 'short_notice')
      return (
        `This change needs ${problem.hours} hours' notice (policy scheduling.notice_hours): pick ` +
        `${wallClock(problem.earliest, problem.timeZone, true)} (${problem.timeZone}) or later.`
      );
    return 'Pick when the change starts.';
  },
  plannedEnd: (problem) =>
    problem.code === 'not_after_start' ? 'The end must be after the start.' : 'Pick when the change ends.',
  owner: only('Pick the change owner.'),
  link: only('Enter a full http(s) link, e.g. https://github.com/org/repo/pull/42.'),
};

/** What to fix for one issue of a change request, in the form or in a pipeline's request. */
export function changeIssueText(issue: ChangeIssue): string {
  return issue.field === 'riskAnswer' ? `Rate ${issue.factorLabel}.` : CHANGE_WORDS[issue.field](issue);
}

/** A change request's (or an emergency's documentation's) issues, by block. */
export function changeRequestErrors(issues: readonly ChangeIssue[]): Record<string, string> {
  return Object.fromEntries(
    issues.map((issue) => [
      issue.field === 'riskAnswer' ? riskFactorField(issue.factorId) : CHANGE_FIELDS[issue.field],
      changeIssueText(issue),
    ]),
  );
}

const EMERGENCY_WORDS: Record<EmergencyIssue['field'], Words> = {
  whatIsBroken: text('what is broken'),
  criterion: only('Pick the emergency criterion that applies.'),
  affectedSystems: systems,
  plannedFix: text('planned fix'),
  rollbackPlan: text('rollback plan'),
  owner: only('Pick who is fixing it.'),
};

export const emergencyErrors = (issues: readonly EmergencyIssue[]) =>
  errorsOn(issues, EMERGENCY_FIELDS, EMERGENCY_WORDS);

const VERBAL_WORDS: Record<VerbalIssue['field'], Words> = {
  approver: only('Pick who approved it.'),
  medium: only('Pick how they approved it.'),
  givenAt: (problem) => {
    if (problem.code === 'in_future') return 'That is in the future; pick when the approval was given.';
    if (problem.code === 'too_early')
      return (
        `That is more than ${problem.minutes} minutes before the emergency was declared (policy ` +
        '`emergency.verbal_before_declaration_minutes`); pick when the approval was given.'
      );
    return 'Pick when they approved it.';
  },
  note: text('note'),
};

export const verbalApprovalErrors = (issues: readonly VerbalIssue[]) => errorsOn(issues, VERBAL_FIELDS, VERBAL_WORDS);

const IMPLEMENTATION_WORDS: Record<ImplementationIssue['field'], Words> = {
  failureReason: text('what went wrong'),
  rollbackDecidedAt: (problem) =>
    problem.code === 'in_future'
      ? 'That is in the future; pick when the rollback was decided.'
      : 'Pick when the rollback was decided.',
  rollbackReason: text('reason for the rollback'),
  rollbackSteps: text('steps executed'),
  rollbackImpact: text('impact during the incident'),
  rollbackMinutes: (problem) =>
    problem.code === 'out_of_range'
      ? `Enter the minutes the rollback took, a whole number from ${problem.min} to ${problem.max}.`
      : 'Enter the minutes the rollback took.',
  verificationChecks: (problem) =>
    `Tick every check once it passes (still open: ` +
    `${(problem.code === 'checks_open' && problem.open.join('; ')) || 'an unknown check'}). If one ` +
    `does not pass, press Failed instead.`,
  verificationNote: text('note'),
  actualVsExpected: text('actual versus expected outcome'),
  incidents: text('incidents (write "None" if there were none)'),
  lessonsLearned: text('lessons learned'),
  rootCause: text('root cause'),
  preventiveMeasures: text('preventive measures'),
};

/** A failure, rollback, validation or review form's issues, by block. */
export const implementationErrors = (issues: readonly ImplementationIssue[]) =>
  errorsOn(issues, IMPLEMENTATION_FIELDS, IMPLEMENTATION_WORDS);

// The evidence pack's rows: one column list per file, read by both the CSV (neutralised) and the JSON (as is).
import { stringify } from 'csv-stringify/sync';
import type {
  CabMeetingEvidence,
  CabVoteEvidence,
  ChangeEvidence,
  DecisionEvidence,
  EvidenceRecordEvidence,
  VerbalApprovalEvidence,
} from '../db/evidence.js';
import { formatChangeRef } from '../domain/change-ref.js';
import { inZone } from '../domain/zoned-time.js';
import type { Policy } from '../policy/schema.js';

export type Cell = string | number | boolean | null;
export type FlatRecord = Record<string, Cell>;

export interface RenderContext {
  timeZone: string;
  riskFactors: Policy['risk']['factors'];
}

interface Column<T> {
  name: string;
  value(row: T, context: RenderContext): Cell;
}

const column = <T>(name: string, value: (row: T) => Cell): Column<T> => ({ name, value });

/** Two columns for an instant: UTC ISO-8601, and the same instant on the policy timezone's clock (with its offset). */
function timeColumns<T>(name: string, at: (row: T) => Date | null | undefined): Column<T>[] {
  return [
    { name: `${name}_utc`, value: (row) => at(row)?.toISOString() ?? null },
    {
      name: `${name}_local`,
      value: (row, context) => {
        const value = at(row);
        return value ? inZone(value, context.timeZone).toISO({ suppressMilliseconds: true }) : null;
      },
    },
  ];
}

const list = (values: readonly string[] | null | undefined): string => (values ?? []).join('; ');
const cabRef = (meetingId: number) => `CAB-${meetingId}`;

/** The factor answers as "factor_id=score (option label)", in the policy's factor order. */
function riskFactors(answers: Record<string, number> | null, context: RenderContext): string {
  if (!answers) return '';
  const known = context.riskFactors.filter((factor) => factor.id in answers);
  const unknown = Object.keys(answers).filter((id) => !known.some((factor) => factor.id === id));
  return [
    ...known.map((factor) => {
      const score = answers[factor.id];
      const option = factor.options.find((candidate) => candidate.score === score);
      return `${factor.id}=${score}${option ? ` (${option.label})` : ''}`;
    }),
    ...unknown.map((id) => `${id}=${answers[id]}`),
  ].join('; ');
}

const CHANGE_COLUMNS: Column<ChangeEvidence>[] = [
  column('change_ref', (e) => formatChangeRef(e.change.id)),
  column('type', (e) => e.change.type),
  column('state', (e) => e.change.state),
  column('title', (e) => e.change.title),
  column('standard_change_id', (e) => e.change.standardChangeId),
  column('emergency_criterion', (e) => e.change.emergencyCriterion),
  column('risk_level', (e) => e.change.riskLevel),
  column('computed_risk_level', (e) => e.change.computedRiskLevel),
  column('risk_score', (e) => e.change.riskScore),
  { name: 'risk_factors', value: (e, context) => riskFactors(e.change.riskAnswers, context) },
  column('security_triggers', (e) => list(e.change.securityTriggers)),
  column('review_rules', (e) => list(e.change.reviewRules)),
  column('affected_systems', (e) => list(e.change.affectedSystems)),
  column('requester_id', (e) => e.change.requesterId),
  column('owner_id', (e) => e.change.ownerId),
  ...timeColumns<ChangeEvidence>('created_at', (e) => e.change.createdAt),
  ...timeColumns<ChangeEvidence>('planned_start', (e) => e.change.plannedStart),
  ...timeColumns<ChangeEvidence>('planned_end', (e) => e.change.plannedEnd),
  column('schedule_exception_outside_window', (e) => e.scheduleException?.outsideWindow ?? null),
  column('schedule_exception_freezes', (e) =>
    list(e.scheduleException?.freezes.map((freeze) => `${freeze.id}: ${freeze.reason}`)),
  ),
  column('approvals', (e) => e.decisions.filter((d) => d.decision === 'approve' && d.voidedAt === null).length),
  column('rejections', (e) => e.decisions.filter((d) => d.decision === 'reject' && d.voidedAt === null).length),
  column('verbal_approvals', (e) => e.verbalApprovals.length),
  ...timeColumns<ChangeEvidence>('implementation_started_at', (e) => e.implementation.startedAt),
  ...timeColumns<ChangeEvidence>('implementation_ended_at', (e) => e.implementation.endedAt),
  column('failure_reason', (e) => e.change.failureReason),
  ...timeColumns<ChangeEvidence>('verified_at', (e) => e.verification?.verifiedAt),
  column('verified_by', (e) => e.verification?.verifiedBy ?? null),
  // The verifier role it was recorded in (implementation.verifier_roles; 002 6); empty: the owner verified.
  column('verified_as_role', (e) => e.verification?.role ?? null),
  column('verification_checks', (e) => list(e.verification?.checks)),
  column('verification_note', (e) => e.verification?.note ?? null),
  ...timeColumns<ChangeEvidence>('reviewed_at', (e) => e.review?.reviewedAt),
  column('reviewed_by', (e) => e.review?.reviewedBy ?? null),
  column('review_outcome', (e) => e.review?.outcome ?? null),
  column('review_actual_vs_expected', (e) => e.review?.actualVsExpected ?? null),
  column('review_incidents', (e) => e.review?.incidents ?? null),
  column('review_lessons_learned', (e) => e.review?.lessonsLearned ?? null),
  column('review_root_cause', (e) => e.review?.rootCause ?? null),
  column('review_preventive_measures', (e) => e.review?.preventiveMeasures ?? null),
  ...timeColumns<ChangeEvidence>('rollback_decided_at', (e) => e.rollback?.decidedAt),
  column('rollback_reason', (e) => e.rollback?.reason ?? null),
  column('rollback_steps', (e) => e.rollback?.steps ?? null),
  column('rollback_impact', (e) => e.rollback?.impact ?? null),
  column('rollback_duration_minutes', (e) => e.rollback?.durationMinutes ?? null),
  column('rollback_recorded_by', (e) => e.rollback?.recordedBy ?? null),
  ...timeColumns<ChangeEvidence>('rollback_recorded_at', (e) => e.rollback?.recordedAt),
  ...timeColumns<ChangeEvidence>('closed_at', (e) => e.implementation.closedAt),
  ...timeColumns<ChangeEvidence>('flagged_at', (e) => e.change.flaggedAt),
  column('flag_reason', (e) => e.change.flagReason),
  column('link', (e) => e.change.link),
];

type DecisionRow = DecisionEvidence & { changeId: number };

const APPROVAL_COLUMNS: Column<DecisionRow>[] = [
  column('change_ref', (d) => formatChangeRef(d.changeId)),
  column('decision_id', (d) => d.id),
  column('phase', (d) => d.phase),
  column('role', (d) => d.role),
  column('asked_as_fallback_role', (d) => d.fallbackRole),
  column('approver_id', (d) => d.approverId),
  column('on_behalf_of', (d) => d.onBehalfOf),
  column('decision', (d) => d.decision),
  column('source', (d) => d.source),
  column('reason', (d) => d.reason),
  ...timeColumns<DecisionRow>('decided_at', (d) => d.decidedAt),
  column('recorded_by', (d) => d.recordedBy),
  column('cab_meeting', (d) => (d.cabMeetingId === null ? null : cabRef(d.cabMeetingId))),
  ...timeColumns<DecisionRow>('voided_at', (d) => d.voidedAt),
  column('void_reason', (d) => d.voidReason),
];

type VerbalRow = VerbalApprovalEvidence & { changeId: number };

const VERBAL_COLUMNS: Column<VerbalRow>[] = [
  column('change_ref', (v) => formatChangeRef(v.changeId)),
  column('verbal_approval_id', (v) => v.id),
  column('approver_id', (v) => v.approverId),
  column('role', (v) => v.role),
  column('medium', (v) => v.medium),
  ...timeColumns<VerbalRow>('given_at', (v) => v.givenAt),
  column('note', (v) => v.note),
  column('recorded_by', (v) => v.recordedBy),
  ...timeColumns<VerbalRow>('recorded_at', (v) => v.recordedAt),
  column('decision_id', (v) => v.decisionId),
  column('confirmation', (v) => v.confirmation?.outcome ?? 'unconfirmed'),
  column('responded_by', (v) => v.confirmation?.respondedBy ?? null),
  ...timeColumns<VerbalRow>('responded_at', (v) => v.confirmation?.respondedAt),
  column('response_comment', (v) => v.confirmation?.comment ?? null),
];

type EvidenceRecordRow = EvidenceRecordEvidence & { changeId: number };

const EVIDENCE_RECORD_COLUMNS: Column<EvidenceRecordRow>[] = [
  column('change_ref', (r) => formatChangeRef(r.changeId)),
  column('evidence_id', (r) => r.id),
  column('scope', (r) => r.scope),
  column('item', (r) => r.item),
  column('label', (r) => r.label),
  column('evidence', (r) => r.evidence),
  column('recorded_by', (r) => r.recordedBy),
  ...timeColumns<EvidenceRecordRow>('recorded_at', (r) => r.recordedAt),
];

const CAB_MEETING_COLUMNS: Column<CabMeetingEvidence>[] = [
  column('meeting_ref', (m) => cabRef(m.id)),
  column('kind', (m) => m.kind),
  ...timeColumns<CabMeetingEvidence>('meeting_at', (m) => m.meetingAt),
  column('late', (m) => m.late),
  column('opened_by', (m) => m.openedBy),
  column('chair_id', (m) => m.minutes?.chairId ?? null),
  ...timeColumns<CabMeetingEvidence>('closed_at', (m) => m.closedAt),
  column('closed_by', (m) => m.closedBy),
  column('participants', (m) => list(m.minutes?.participants)),
  column('items', (m) => m.items.length),
  column('decisions', (m) =>
    list(
      m.items.map(
        (item) =>
          `${formatChangeRef(item.changeId)} ${item.phase}: ${item.outcome ?? 'undecided'}` +
          `${item.decidedBy ? ` by ${item.decidedBy}` : ''}${item.reason ? ` (${item.reason})` : ''}`,
      ),
    ),
  ),
  column('notes', (m) => m.notes),
];

type VoteRow = CabVoteEvidence & { meetingId: number; outcome: string | null; decidedBy: string | null };

const CAB_VOTE_COLUMNS: Column<VoteRow>[] = [
  column('meeting_ref', (v) => cabRef(v.meetingId)),
  column('change_ref', (v) => formatChangeRef(v.changeId)),
  column('item_id', (v) => v.itemId),
  column('voter_id', (v) => v.voterId),
  column('vote', (v) => v.vote),
  ...timeColumns<VoteRow>('voted_at', (v) => v.votedAt),
  column('item_outcome', (v) => v.outcome),
  column('item_decided_by', (v) => v.decidedBy),
];

/** A table of the pack: its file and columns, and how one source row becomes several file rows. */
export interface EvidenceTable<Source, Row> {
  file: string;
  columns: Column<Row>[];
  rows(source: Source): Row[];
}

export const CHANGES_TABLE: EvidenceTable<ChangeEvidence, ChangeEvidence> = {
  file: 'changes.csv',
  columns: CHANGE_COLUMNS,
  rows: (evidence) => [evidence],
};

export const APPROVALS_TABLE: EvidenceTable<ChangeEvidence, DecisionRow> = {
  file: 'approvals.csv',
  columns: APPROVAL_COLUMNS,
  rows: (evidence) => evidence.decisions.map((decision) => ({ ...decision, changeId: evidence.change.id })),
};

export const VERBAL_APPROVALS_TABLE: EvidenceTable<ChangeEvidence, VerbalRow> = {
  file: 'verbal_approvals.csv',
  columns: VERBAL_COLUMNS,
  rows: (evidence) => evidence.verbalApprovals.map((verbal) => ({ ...verbal, changeId: evidence.change.id })),
};

export const EVIDENCE_RECORDS_TABLE: EvidenceTable<ChangeEvidence, EvidenceRecordRow> = {
  file: 'evidence_records.csv',
  columns: EVIDENCE_RECORD_COLUMNS,
  rows: (evidence) => evidence.evidenceRecords.map((record) => ({ ...record, changeId: evidence.change.id })),
};

export const CAB_MEETINGS_TABLE: EvidenceTable<CabMeetingEvidence, CabMeetingEvidence> = {
  file: 'cab_meetings.csv',
  columns: CAB_MEETING_COLUMNS,
  rows: (meeting) => [meeting],
};

export const CAB_VOTES_TABLE: EvidenceTable<CabMeetingEvidence, VoteRow> = {
  file: 'cab_votes.csv',
  columns: CAB_VOTE_COLUMNS,
  rows: (meeting) =>
    meeting.votes.map((vote) => {
      const item = meeting.items.find((candidate) => candidate.id === vote.itemId);
      return { ...vote, meetingId: meeting.id, outcome: item?.outcome ?? null, decidedBy: item?.decidedBy ?? null };
    }),
};

/** A row as named values, as the JSON holds it. */
export function flatRecord<Row>(columns: readonly Column<Row>[], row: Row, context: RenderContext): FlatRecord {
  return Object.fromEntries(columns.map((entry) => [entry.name, entry.value(row, context)]));
}

// A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"); tab and
// carriage return are on OWASP's list too.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as text a spreadsheet shows as text: formulas are prefixed with a single quote. */
export function neutralise(cell: Cell): string | number {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  if (typeof cell === 'number') return cell;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 lines: CRLF between records, fields with a comma, quote or line break quoted, quotes doubled. */
export function csvLines(rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

export function csvHeader<Row>(columns: readonly Column<Row>[]): string {
  return csvLines([columns.map((entry) => entry.name)]);
}

export function csvRows<Row>(columns: readonly Column<Row>[], rows: readonly Row[], context: RenderContext): string {
  return csvLines(rows.map((row) => columns.map((entry) => neutralise(entry.value(row, context)))));
}

// Drizzle schema; `npm run db:generate -- --name=<what_changed>` writes the SQL migration into db/migrations.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Agenda } from '../domain/agenda.js';
import { CAB_OUTCOMES, type Minutes } from '../domain/cab.js';
import { EVIDENCE_SCOPES } from '../domain/change-evidence.js';
import { OBLIGATION_KINDS, VERBAL_MEDIA } from '../domain/emergency.js';
import { APPROVAL_PHASES, CHANGE_STATES, CHANGE_TYPES } from '../domain/lifecycle.js';
import type { MessagePurpose } from '../domain/message-purpose.js';
import type { ScheduleException } from '../domain/schedule.js';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** A change request; its human ID is CHG-<id>. */
export const changes = sqliteTable(
  'changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type', { enum: CHANGE_TYPES }).notNull(),
    state: text('state', { enum: CHANGE_STATES }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    businessJustification: text('business_justification'),
    impactAnalysis: text('impact_analysis'),
    testPlan: text('test_plan'),
    rollbackPlan: text('rollback_plan'),
    implementationPlan: text('implementation_plan'),
    affectedSystems: text('affected_systems', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    riskAnswers: text('risk_answers', { mode: 'json' }).$type<Record<string, number>>(),
    riskScore: integer('risk_score'),
    computedRiskLevel: text('computed_risk_level'),
    riskLevel: text('risk_level'),
    securityTriggers: text('security_triggers', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    reviewRules: text('review_rules', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    standardChangeId: text('standard_change_id'),
    requesterId: text('requester_id').notNull(),
    ownerId: text('owner_id').notNull(),
    plannedStart: timestamp('planned_start'),
    plannedEnd: timestamp('planned_end'),
    link: text('link'),
    /** Emergency changes: the POL-SEC-008 6.1 criterion (an id of policy emergency.criteria). */
    emergencyCriterion: text('emergency_criterion'),
    /** When the fallback authorizers (6.3 "if unavailable") were asked: on request or after the policy's wait. */
    authorizationEscalatedAt: timestamp('authorization_escalated_at'),
    /**
     * Set when the change must be looked at by the CAB for something that went wrong, e.g. a disputed
     * verbal approval.
     */
    flaggedAt: timestamp('flagged_at'),
    flagReason: text('flag_reason'),
    /**
     * Planned outside its deployment windows or into a freeze (9.1, 9.2): with an exception the
     * exception approver must approve; for an emergency, exempt but recorded.
     */
    scheduleException: text('schedule_exception', { mode: 'json' }).$type<ScheduleException>(),
    /** What went wrong, when the owner marked it failed. */
    failureReason: text('failure_reason'),
    // The modal submission that created the change (view id): a repeated submission creates nothing.
    submissionKey: text('submission_key').unique(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (table) => [
    index('changes_state_idx').on(table.state),
    index('changes_planned_start_idx').on(table.plannedStart),
    // The monthly report reads one month's submissions.
    index('changes_created_at_idx').on(table.createdAt),
    // Each person's Home: the changes they requested and those they own.
    index('changes_requester_idx').on(table.requesterId),
    index('changes_owner_idx').on(table.ownerId),
    // The agenda's "moved since the last CAB", and the calendar's planned changes ending after a time.
    index('changes_updated_at_idx').on(table.updatedAt),
    index('changes_state_planned_end_idx').on(table.state, table.plannedEnd),
  ],
);

/** A role whose approval a change needs, and when it was satisfied. */
export const approvalRequirements = sqliteTable(
  'approval_requirements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    /** Which decision this requirement belongs to: approval, an emergency's authorization, or its retro-approval. */
    phase: text('phase', { enum: APPROVAL_PHASES }).notNull().default('approval'),
    role: text('role').notNull(),
    approvalsNeeded: integer('approvals_needed').notNull(),
    /** One satisfied alternative decides the phase alone (6.3: "if unavailable, CTO or CISO"). */
    alternative: integer('alternative', { mode: 'boolean' }).notNull().default(false),
    /** The roles of its "any one of" group (an approval-matrix any_of): one approval for any satisfies them all. */
    anyOf: text('any_of', { mode: 'json' }).$type<string[]>(),
    /** Its approval stage (approvals.stages; 0 first): its people are asked once every earlier stage is approved. */
    stage: integer('stage').notNull().default(0),
    /** Set when nobody but the requester or owner holds the role, so this role's members were asked instead. */
    fallbackRole: text('fallback_role'),
    /** When the 4.4 SLA runs out, set when its approvers are first asked; null: no SLA (e.g. an authorization). */
    dueAt: timestamp('due_at'),
    satisfiedAt: timestamp('satisfied_at'),
  },
  (table) => [uniqueIndex('approval_requirements_change_phase_role_uq').on(table.changeId, table.phase, table.role)],
);

/** Who was asked to satisfy a requirement (user groups resolved at submission): the only people who may. */
export const approvalCandidates = sqliteTable(
  'approval_candidates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requirementId: integer('requirement_id')
      .notNull()
      .references(() => approvalRequirements.id),
    userId: text('user_id').notNull(),
    /** Asked as the delegate of this candidate (delegations): may decide for them while the delegation runs. */
    onBehalfOf: text('on_behalf_of'),
    /** The admin who reassigned the requirement to this person, who may then decide without holding the role. */
    reassignedBy: text('reassigned_by'),
    reassignReason: text('reassign_reason'),
  },
  (table) => [
    uniqueIndex('approval_candidates_requirement_user_uq').on(table.requirementId, table.userId),
    // What waits for one person's decision (their Home and digest).
    index('approval_candidates_user_idx').on(table.userId),
  ],
);

/** Every decision on a change: who, in which role, what, why, when and through which channel. */
export const approvalDecisions = sqliteTable(
  'approval_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    requirementId: integer('requirement_id').references(() => approvalRequirements.id),
    // Null only for pre-approved standard changes, where the catalog entry is the authority. A CAB
    // decision names who took it: the chair, or the member whose vote completed the quorum.
    approverId: text('approver_id'),
    role: text('role'),
    decision: text('decision', { enum: ['approve', 'reject'] }).notNull(),
    reason: text('reason'),
    source: text('source', { enum: ['button', 'verbal', 'cab', 'pre_approved'] }).notNull(),
    /** A delegate's decision: the delegator it was taken for ("approved by X on behalf of Y"). */
    onBehalfOf: text('on_behalf_of'),
    decidedAt: timestamp('decided_at').notNull(),
    /**
     * Set when the decision stops counting, e.g. a verbal approval its approver disputed; the row stays
     * as evidence.
     */
    voidedAt: timestamp('voided_at'),
    voidReason: text('void_reason'),
  },
  // One standing decision per person per requirement: a double click or a Slack retry cannot add a second.
  (table) => [
    uniqueIndex('approval_decisions_once_uq').on(table.requirementId, table.approverId).where(sql`voided_at IS NULL`),
    // A change's decisions (every show and click loads them) and one approver's (issue 17: indexed reads).
    index('approval_decisions_change_idx').on(table.changeId),
    index('approval_decisions_approver_idx').on(table.approverId),
  ],
);

/** An approval given by phone, call, in person or chat during an emergency, recorded by someone else. */
export const verbalApprovals = sqliteTable(
  'verbal_approvals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    approverId: text('approver_id').notNull(),
    role: text('role').notNull(),
    medium: text('medium', { enum: VERBAL_MEDIA }).notNull(),
    givenAt: timestamp('given_at').notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at').notNull(),
    /** The authorization it counts as; null while it waits for confirmation (when the policy says so). */
    decisionId: integer('decision_id').references(() => approvalDecisions.id),
    // The modal submission that recorded it: a repeated submission records nothing new.
    submissionKey: text('submission_key').unique(),
  },
  // The confirmations waiting for one approver (their Home).
  (table) => [
    index('verbal_approvals_approver_idx').on(table.approverId),
    index('verbal_approvals_change_idx').on(table.changeId),
  ],
);

/** The named approver's written answer to a verbal approval recorded in their name. */
export const verbalApprovalConfirmations = sqliteTable(
  'verbal_approval_confirmations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    verbalApprovalId: integer('verbal_approval_id')
      .notNull()
      .unique()
      .references(() => verbalApprovals.id),
    outcome: text('outcome', { enum: ['confirmed', 'disputed'] }).notNull(),
    respondedBy: text('responded_by').notNull(),
    respondedAt: timestamp('responded_at').notNull(),
    comment: text('comment'),
  },
  // The agenda's verbal approvals answered since the last CAB.
  (table) => [index('verbal_approval_confirmations_responded_idx').on(table.respondedAt)],
);

export const CHANGE_VERSION_KINDS = ['declared', 'documented'] as const;
export type ChangeVersionKind = (typeof CHANGE_VERSION_KINDS)[number];

/**
 * What an emergency said when it was declared, and what its 6.4 documentation said later: one row
 * each, written once (triggers in the migration). The change's own columns are the working copy the
 * schedule and risk rules read; these rows are what each person saw when they acted.
 */
export const changeVersions = sqliteTable(
  'change_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    version: integer('version').notNull(),
    kind: text('kind', { enum: CHANGE_VERSION_KINDS }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    implementationPlan: text('implementation_plan'),
    rollbackPlan: text('rollback_plan'),
    affectedSystems: text('affected_systems', { mode: 'json' }).$type<string[]>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at').notNull(),
  },
  (table) => [
    uniqueIndex('change_versions_change_version_uq').on(table.changeId, table.version),
    uniqueIndex('change_versions_change_kind_uq').on(table.changeId, table.kind),
  ],
);

/**
 * An approver disputed a verbal approval after it had authorized the change (6.3): the change stays
 * authorized but may not close until the CAB or a dispute resolver (policy) resolves it.
 */
export const authorizationDisputes = sqliteTable(
  'authorization_disputes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    verbalApprovalId: integer('verbal_approval_id')
      .notNull()
      .unique()
      .references(() => verbalApprovals.id),
    disputedBy: text('disputed_by').notNull(),
    disputedAt: timestamp('disputed_at').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at'),
    resolution: text('resolution'),
  },
  (table) => [
    index('authorization_disputes_change_idx').on(table.changeId),
    // The agenda lists the open ones, however old.
    index('authorization_disputes_open_idx').on(table.changeId).where(sql`${table.resolvedAt} IS NULL`),
  ],
);

/** What an emergency change still owes after the fact (POL-SEC-008 6.4), and when each was done. */
export const obligations = sqliteTable(
  'obligations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    kind: text('kind', { enum: OBLIGATION_KINDS }).notNull(),
    dueAt: timestamp('due_at'),
    completedAt: timestamp('completed_at'),
    completedBy: text('completed_by'),
    /** What completed it, e.g. the retrospective ticket's link or the root-cause analysis. */
    evidence: text('evidence'),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('obligations_change_kind_uq').on(table.changeId, table.kind),
    // The agenda lists the changes whose paperwork is still owed.
    index('obligations_open_idx').on(table.changeId).where(sql`${table.completedAt} IS NULL`),
  ],
);

export const CAB_MEETING_KINDS = ['regular', 'emergency'] as const;
export type CabMeetingKind = (typeof CAB_MEETING_KINDS)[number];

/**
 * A CAB meeting: the weekly one posted for a cron slot (the unique slot makes a second post
 * impossible), or an emergency CAB (7.2) convened for one change. The agenda is stored as built, so
 * the record shows what the board was given; the minutes are stored when the chair closes it.
 */
export const cabMeetings = sqliteTable(
  'cab_meetings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: CAB_MEETING_KINDS }).notNull(),
    /** The cron slot of a regular meeting (ISO instant); null for an emergency CAB. */
    slot: text('slot').unique(),
    meetingAt: timestamp('meeting_at').notNull(),
    /** Posted after its slot because the bot was down then. */
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
    openedBy: text('opened_by').notNull(),
    /** The agenda as posted (regular meetings); an emergency CAB has one change and no agenda. */
    agenda: text('agenda', { mode: 'json' }).$type<Agenda>(),
    channelId: text('channel_id').notNull(),
    /** The agenda's first message: the meeting's thread. */
    ts: text('ts'),
    closedAt: timestamp('closed_at'),
    closedBy: text('closed_by'),
    notes: text('notes'),
    minutes: text('minutes', { mode: 'json' }).$type<Minutes>(),
    minutesTs: text('minutes_ts'),
    createdAt: timestamp('created_at').notNull(),
  },
  // The meetings still open: what the board has to decide now (the chair's and members' Homes).
  (table) => [index('cab_meetings_open_idx').on(table.id).where(sql`${table.closedAt} IS NULL`)],
);

/** A change put to the board at a meeting, in the phase it waited in, and what the board decided. */
export const cabItems = sqliteTable(
  'cab_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => cabMeetings.id),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    phase: text('phase', { enum: APPROVAL_PHASES }).notNull(),
    outcome: text('outcome', { enum: CAB_OUTCOMES }),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    decidedAt: timestamp('decided_at'),
    /** The thread reply carrying the vote buttons. */
    ts: text('ts'),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('cab_items_meeting_change_uq').on(table.meetingId, table.changeId),
    index('cab_items_change_idx').on(table.changeId),
  ],
);

/** One member's vote on an item; a member may change it until the item is decided. */
export const cabVotes = sqliteTable(
  'cab_votes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => cabItems.id),
    voterId: text('voter_id').notNull(),
    vote: text('vote', { enum: CAB_OUTCOMES }).notNull(),
    votedAt: timestamp('voted_at').notNull(),
  },
  (table) => [uniqueIndex('cab_votes_item_voter_uq').on(table.itemId, table.voterId)],
);

/** A change freeze announced from Slack (9.2 "other as announced"); those in the policy file are not stored. */
export const changeFreezes = sqliteTable('change_freezes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Calendar dates in the policy timezone, both inclusive. */
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  reason: text('reason').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at').notNull(),
  /** Removed freezes stay as the record of what was announced. */
  removedAt: timestamp('removed_at'),
  removedBy: text('removed_by'),
  // The modal submission that added it: a repeated submission adds nothing.
  submissionKey: text('submission_key').unique(),
});

/**
 * An approver's delegation (out of office): until the end of `until` (a date in the policy timezone, inclusive) their
 * approval requests go to the delegate as well, who may decide for them. Ended once (by `off`, a new delegation or
 * its expiry); the row stays as the record.
 */
export const delegations = sqliteTable(
  'delegations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    delegatorId: text('delegator_id').notNull(),
    delegateId: text('delegate_id').notNull(),
    until: text('until').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at').notNull(),
    endedAt: timestamp('ended_at'),
    /** Who ended it, or `cabinet` when it expired. */
    endedBy: text('ended_by'),
  },
  (table) => [
    // One delegation not yet ended per delegator.
    uniqueIndex('delegations_open_delegator_uq').on(table.delegatorId).where(sql`${table.endedAt} IS NULL`),
    index('delegations_open_delegate_idx').on(table.delegateId).where(sql`${table.endedAt} IS NULL`),
  ],
);

/** A rollback as POL-SEC-008 10.4 documents it, one per change. */
export const rollbacks = sqliteTable('rollbacks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  changeId: integer('change_id')
    .notNull()
    .unique()
    .references(() => changes.id),
  decidedAt: timestamp('decided_at').notNull(),
  reason: text('reason').notNull(),
  steps: text('steps').notNull(),
  impact: text('impact').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at').notNull(),
});

/** The production validation checklist (8.4), passed before a change may close. */
export const verifications = sqliteTable('verifications', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  changeId: integer('change_id')
    .notNull()
    .unique()
    .references(() => changes.id),
  /** The ids of the policy's checklist that were ticked, as the list stood then. */
  checks: text('checks', { mode: 'json' }).$type<string[]>().notNull(),
  note: text('note'),
  verifiedBy: text('verified_by').notNull(),
  /** The verifier role it was recorded in (implementation.verifier_roles); null: the owner verified. */
  role: text('role'),
  verifiedAt: timestamp('verified_at').notNull(),
});

/**
 * The post-implementation review: actual versus expected, incidents, lessons (and, after a failure,
 * 10.4's root cause and prevention).
 */
export const postImplementationReviews = sqliteTable('post_implementation_reviews', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  changeId: integer('change_id')
    .notNull()
    .unique()
    .references(() => changes.id),
  /** The state the change was reviewed in: completed, failed or rolled back. */
  outcome: text('outcome', { enum: CHANGE_STATES }).notNull(),
  actualVsExpected: text('actual_vs_expected').notNull(),
  incidents: text('incidents').notNull(),
  lessonsLearned: text('lessons_learned').notNull(),
  rootCause: text('root_cause'),
  preventiveMeasures: text('preventive_measures'),
  reviewedBy: text('reviewed_by').notNull(),
  reviewedAt: timestamp('reviewed_at').notNull(),
});

/**
 * Evidence recorded on a change (POL-SEC-008 8.1 tests, the policy's step items): one row per record, never
 * rewritten; the newest of an item counts.
 */
export const changeEvidence = sqliteTable(
  'change_evidence',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    scope: text('scope', { enum: EVIDENCE_SCOPES }).notNull(),
    /** The test kind or step item id, as the policy named it then. */
    item: text('item').notNull(),
    /** Its label then, so the record reads the same after the policy changes. */
    label: text('label').notNull(),
    evidence: text('evidence').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at').notNull(),
  },
  (table) => [index('change_evidence_change_idx').on(table.changeId)],
);

/**
 * Append-only and hash-chained (triggers in the migrations refuse UPDATE, DELETE and REPLACE): one event per
 * state change, same transaction.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id').references(() => changes.id),
    actorId: text('actor_id').notNull(),
    type: text('type').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    occurredAt: timestamp('occurred_at').notNull(),
    /** The previous event's hash (the first event's is the genesis value): the chain `verify` walks. */
    prevHash: text('prev_hash').unique(),
    /** SHA-256 of this event's canonical serialization with `prevHash` (db/audit-chain.ts). */
    hash: text('hash'),
  },
  (table) => [
    index('audit_events_change_idx').on(table.changeId),
    // The monthly report reads one month's approvals and implementations by the state they moved to.
    index('audit_events_to_state_occurred_idx').on(table.toState, table.occurredAt),
    // Events from before the chain, hashed once when the database is opened.
    index('audit_events_unsealed_idx').on(table.id).where(sql`${table.hash} IS NULL`),
  ],
);

/** A claimed cron slot: the unique (job, slot) pair makes each slot run once, even across processes. */
export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    slot: text('slot').notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    startedAt: timestamp('started_at').notNull(),
    finishedAt: timestamp('finished_at'),
    error: text('error'),
  },
  (table) => [uniqueIndex('job_runs_job_slot_uq').on(table.job, table.slot)],
);

/**
 * Slack calls and durable timers to run after the ack, written in the same transaction as the change
 * they report. Workers claim rows (status `sending`, with a lease they renew), deliver them with
 * retries and backoff, and pick up what is left after a restart.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id').references(() => changes.id),
    /** Makes enqueueing idempotent: a second message with the same key is not added. */
    dedupeKey: text('dedupe_key').unique(),
    /** At most one pending row per key: a refresh renders the current state, so ten queued are one. */
    coalesceKey: text('coalesce_key'),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'superseded', 'dead'] }).notNull(),
    /** Lower first: replies and approval requests, then notices, then refreshes (db/outbox.ts PRIORITY). */
    priority: integer('priority').notNull().default(1),
    /** Rows of one lane (a conversation) are delivered one at a time, in order; null: no order kept. */
    lane: text('lane'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at').notNull(),
    /** Who is sending it (host, process, start) and until when, while status is `sending`. */
    claimedBy: text('claimed_by'),
    leaseUntil: timestamp('lease_until'),
    /** The last attempt may have reached Slack (interrupted, or no answer): check before posting again. */
    uncertain: integer('uncertain', { mode: 'boolean' }).notNull().default(false),
    lastError: text('last_error'),
    createdAt: timestamp('created_at').notNull(),
    sentAt: timestamp('sent_at'),
  },
  (table) => [
    index('outbox_due_idx').on(table.status, table.nextAttemptAt),
    uniqueIndex('outbox_pending_coalesce_uq').on(table.coalesceKey).where(sql`${table.status} = 'pending'`),
    index('outbox_open_lane_idx').on(table.lane, table.id).where(sql`${table.status} in ('pending', 'sending')`),
  ],
);

/** Where a message about a change was posted, so it can be updated when the change moves on. */
export const slackMessages = sqliteTable(
  'slack_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id').references(() => changes.id),
    purpose: text('purpose').$type<MessagePurpose>().notNull(),
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    recipientId: text('recipient_id'),
    createdAt: timestamp('created_at').notNull(),
  },
  (table) => [
    // One message may be about several changes: approval requests that queued together go out as one.
    uniqueIndex('slack_messages_channel_ts_change_uq').on(table.channelId, table.ts, table.changeId),
    index('slack_messages_change_idx').on(table.changeId),
  ],
);

/**
 * Who has opened Cabinet's App Home at least once: only their Homes are republished when a change they are part
 * of moves (nobody else would see it). `notice` is the answer to their last click there, shown for a while.
 */
export const homeViewers = sqliteTable('home_viewers', {
  userId: text('user_id').primaryKey(),
  firstOpenedAt: timestamp('first_opened_at').notNull(),
  notice: text('notice'),
  noticeAt: timestamp('notice_at'),
});

/**
 * Set by the retention purge inside its own transaction and removed before it commits, so no other connection
 * ever sees a row: while it holds one, the write-once triggers let that transaction delete evidence older than
 * `before` (and never anything younger than a year by the database's own clock). See db/retention.ts.
 */
export const retentionGuard = sqliteTable('retention_guard', {
  id: integer('id').primaryKey(),
  before: timestamp('before').notNull(),
});

/**
 * A CI/CD pipeline's token for the deployment-gate API (/api/v1): only its SHA-256 is kept, the token itself is shown
 * once. Scoped to `systems` when any are listed. Revoked tokens stay as the record of who could deploy.
 */
export const pipelineTokens = sqliteTable(
  'pipeline_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Hex SHA-256 of the token: a leaked database does not leak working tokens. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The systems the token may gate and deploy; empty: every system. */
    systems: text('systems', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at').notNull(),
    revokedAt: timestamp('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  // One token in force per name: `/change token revoke <name>` names exactly one.
  (table) => [uniqueIndex('pipeline_tokens_active_name_uq').on(table.name).where(sql`${table.revokedAt} IS NULL`)],
);

/** A deployment a pipeline reported on a change (started, succeeded, failed), once per idempotency key. */
export const pipelineDeployments = sqliteTable(
  'pipeline_deployments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    changeId: integer('change_id')
      .notNull()
      .references(() => changes.id),
    tokenId: integer('token_id')
      .notNull()
      .references(() => pipelineTokens.id),
    /** The client's Idempotency-Key: a retry with the same key is answered from this row, not recorded again. */
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: ['started', 'succeeded', 'failed'] }).notNull(),
    system: text('system'),
    environment: text('environment'),
    commitSha: text('commit_sha'),
    tag: text('tag'),
    pipelineUrl: text('pipeline_url'),
    recordedAt: timestamp('recorded_at').notNull(),
  },
  (table) => [
    uniqueIndex('pipeline_deployments_token_key_uq').on(table.tokenId, table.idempotencyKey),
    index('pipeline_deployments_change_idx').on(table.changeId),
  ],
);

// The CAB agenda (POL-SEC-008 7.3) built from facts read at a fixed clock, and the calendar dates it counts
// with in the policy timezone (the 4.4 approval SLAs are counted by domain/sla.ts, see sla.test.ts).
import { describe, expect, it } from 'vitest';
import {
  type Agenda,
  type AgendaChangeFacts,
  type AgendaFacts,
  type AgendaWindow,
  buildAgenda,
  type ChangeHeadline,
  type UndeliveredMessage,
} from '../../src/domain/agenda.js';
import { localDate } from '../../src/domain/business-hours.js';
import { formatChangeRef } from '../../src/domain/change-ref.js';
import { type ChangeState, decisionStage } from '../../src/domain/lifecycle.js';
import type { Policy } from '../../src/policy/schema.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

// America/New_York is UTC−5 (EST) from 2026-11-01 02:00 local; business days Mon–Fri (defaults.ts).
// Default 4.4 approval SLAs: low 1, medium 2, high 3, critical 5 business days. cab.calendar_days 14, cab.role 'cab'.
const policy = minimalPolicy();

const MS = 1;
const at = (iso: string) => new Date(iso);
const later = (instant: Date, ms: number) => new Date(instant.getTime() + ms);

/** Wed 2026-11-25 10:00 EST: the meeting, and the time the facts are read. */
const MEETING = at('2026-11-25T15:00:00Z');
/** Wed 2026-11-18 10:00 EST: the previous CAB. */
const SINCE = at('2026-11-18T15:00:00Z');
const NOW = MEETING;
const WINDOW: AgendaWindow = { meetingAt: MEETING, since: SINCE, now: NOW };
/** meetingAt + 14 days. */
const CALENDAR_UNTIL = at('2026-12-09T15:00:00Z');

/** One change's facts, with defaults: a high-risk normal change pending approval that waits for nobody. */
function change(id: number, overrides: Partial<AgendaChangeFacts> = {}): AgendaChangeFacts {
  const state: ChangeState = overrides.state ?? 'pending_approval';
  return {
    id,
    ref: formatChangeRef(id),
    title: `Change ${id}`,
    type: 'normal',
    state,
    riskLevel: 'high',
    ownerId: 'U0OWNER01',
    createdAt: at('2026-11-02T15:00:00Z'),
    plannedStart: null,
    plannedEnd: null,
    flaggedAt: null,
    flagReason: null,
    // The phase a change in this state waits in (pending_approval → approval, …), undefined otherwise.
    phase: decisionStage(state)?.phase,
    openRoles: [],
    approvalRequestedAt: null,
    slaDueAt: null,
    verbalApprovals: [],
    openDispute: null,
    obligations: [],
    outcomes: [],
    ...overrides,
  };
}

/** An emergency change, created (declared) at `createdAt`. */
function emergency(id: number, createdAt: string, overrides: Partial<AgendaChangeFacts> = {}): AgendaChangeFacts {
  return change(id, { type: 'emergency', state: 'pending_retro_approval', createdAt: at(createdAt), ...overrides });
}

function headlineOf(facts: AgendaChangeFacts): ChangeHeadline {
  return {
    id: facts.id,
    ref: facts.ref,
    title: facts.title,
    type: facts.type,
    state: facts.state,
    riskLevel: facts.riskLevel,
    ownerId: facts.ownerId,
  };
}

function agendaOf(
  changes: AgendaChangeFacts[],
  options: { undelivered?: UndeliveredMessage[]; policy?: Policy; window?: AgendaWindow } = {},
): Agenda {
  return buildAgenda(
    { changes, undelivered: options.undelivered ?? [] },
    options.policy ?? policy,
    options.window ?? WINDOW,
  );
}

const refs = (entries: readonly { change: ChangeHeadline }[]) => entries.map((entry) => entry.change.ref);

describe('buildAgenda: POL-SEC-008 7.3, every section filled from one set of facts', () => {
  const freezePolicy = policyWith(`freezes:
  - { from: "2026-11-01", to: "2026-11-10", reason: "Election week" }
  - { from: "2026-12-20", to: "2027-01-02", reason: "Year-end freeze" }
`);
  const changes: AgendaChangeFacts[] = [
    // (1) Completed since the last CAB.
    change(1, {
      title: 'Upgrade VPN concentrators',
      state: 'completed',
      riskLevel: 'medium',
      ownerId: 'U0OWNER02',
      outcomes: [{ state: 'completed', at: at('2026-11-20T18:00:00Z') }],
    }),
    // (1) Failed, then rolled back, both since the last CAB.
    change(2, {
      title: 'Rotate database credentials',
      state: 'rolled_back',
      outcomes: [
        { state: 'failed', at: at('2026-11-19T20:00:00Z') },
        { state: 'rolled_back', at: at('2026-11-19T21:00:00Z') },
      ],
    }),
    // (2) An emergency declared since the last CAB; its documentation is overdue, it owes a presentation,
    // and (3) the board's retro-approval is still open.
    emergency(3, '2026-11-22T03:00:00Z', {
      title: 'Patch exploited edge firewall',
      riskLevel: 'critical',
      ownerId: 'U0OWNER03',
      openRoles: ['security', 'cab'],
      approvalRequestedAt: at('2026-11-23T15:00:00Z'),
      verbalApprovals: [
        { approverId: 'U0ONMGR01', state: 'confirmed', answeredAt: at('2026-11-22T04:00:00Z') },
        { approverId: 'U0ONSEC01', state: 'unconfirmed', answeredAt: null },
      ],
      obligations: [
        { kind: 'documentation', dueAt: at('2026-11-24T03:00:00Z'), completedAt: null },
        { kind: 'retro_ticket', dueAt: at('2026-11-24T03:00:00Z'), completedAt: at('2026-11-22T10:00:00Z') },
        { kind: 'cab_presentation', dueAt: null, completedAt: null },
      ],
    }),
    // (3) A critical change waiting for the board and the CTO; requested yesterday, well within its SLA.
    change(4, {
      title: 'Migrate payroll to new ERP',
      riskLevel: 'critical',
      openRoles: ['cab', 'cto'],
      approvalRequestedAt: at('2026-11-24T15:00:00Z'),
    }),
    // (4) On the calendar, listed by start.
    change(5, {
      title: 'Replace core switch',
      state: 'scheduled',
      plannedStart: at('2026-12-02T15:00:00Z'),
      plannedEnd: at('2026-12-02T17:00:00Z'),
    }),
    change(6, {
      title: 'Renew TLS certificates',
      state: 'approved',
      riskLevel: 'low',
      plannedStart: at('2026-11-26T14:00:00Z'),
    }),
    // (5) Planned inside the year-end freeze, beyond the 14-day calendar.
    change(7, {
      title: 'Decommission old SAN',
      state: 'scheduled',
      plannedStart: at('2026-12-22T15:00:00Z'),
      plannedEnd: at('2026-12-22T17:00:00Z'),
    }),
    // (6) Past its 4.4 SLA: medium, 2 business days from Thu 2026-11-19 10:00 EST = Mon 2026-11-23 10:00 EST.
    change(8, {
      title: 'Open firewall port for vendor',
      riskLevel: 'medium',
      openRoles: ['manager'],
      approvalRequestedAt: at('2026-11-19T15:00:00Z'),
    }),
    // (6) A verbal approval disputed since the last CAB (the dispute flagged the change too: listed once).
    emergency(9, '2026-11-05T15:00:00Z', {
      title: 'Restart auth cluster',
      state: 'retro_approved',
      flaggedAt: at('2026-11-21T12:00:00Z'),
      flagReason: 'Verbal approval disputed',
      verbalApprovals: [{ approverId: 'U0SEC0001', state: 'disputed', answeredAt: at('2026-11-21T12:00:00Z') }],
    }),
    // (6) Flagged since the last CAB.
    change(10, {
      title: 'Tune backup retention',
      state: 'completed',
      riskLevel: 'low',
      flaggedAt: at('2026-11-23T10:00:00Z'),
      flagReason: 'Implemented outside its window',
    }),
  ];
  const undelivered: UndeliveredMessage[] = [
    { changeId: 5, kind: 'approval_request', error: 'channel_not_found', at: at('2026-11-24T12:00:00Z') },
  ];
  const agenda = buildAgenda({ changes, undelivered }, freezePolicy, WINDOW);
  const byId = new Map(changes.map((facts) => [facts.id, headlineOf(facts)]));

  it('7.3 the agenda names its meeting, the previous one and how far the calendar looks (cab.calendar_days)', () => {
    expect(agenda.meetingAt).toBe('2026-11-25T15:00:00.000Z');
    expect(agenda.since).toBe('2026-11-18T15:00:00.000Z');
    expect(agenda.calendarUntil).toBe(CALENDAR_UNTIL.toISOString());
  });

  it('7.3 (1) review of previous changes: every completion, failure and rollback since the last CAB, by time', () => {
    expect(agenda.previousChanges.map(({ change: c, outcome, at: when }) => [c.ref, outcome, when])).toEqual([
      ['CHG-2', 'failed', '2026-11-19T20:00:00.000Z'],
      ['CHG-2', 'rolled_back', '2026-11-19T21:00:00.000Z'],
      ['CHG-1', 'completed', '2026-11-20T18:00:00.000Z'],
    ]);
  });

  it('7.3 (2) emergency changes since the last meeting, with their verbal approvals and overdue paperwork', () => {
    expect(agenda.emergencyChanges).toEqual([
      {
        change: byId.get(3),
        verbalApprovals: [
          { approverId: 'U0ONMGR01', state: 'confirmed' },
          { approverId: 'U0ONSEC01', state: 'unconfirmed' },
        ],
        overdue: ['documentation'],
        owesPresentation: true,
      },
    ]);
  });

  it('7.3 (3) high/critical changes for approval: the board requirement is open, other roles still awaited', () => {
    expect(agenda.forApproval.map(({ change: c, phase, waitingAlsoFor }) => [c.ref, phase, waitingAlsoFor])).toEqual([
      ['CHG-3', 'retro_approval', ['security']],
      ['CHG-4', 'approval', ['cto']],
    ]);
  });

  it('7.3 (4) change calendar review: planned starts from now until the calendar ends, by start', () => {
    expect(agenda.calendar).toEqual([
      { change: byId.get(6), start: '2026-11-26T14:00:00.000Z', end: null },
      { change: byId.get(5), start: '2026-12-02T15:00:00.000Z', end: '2026-12-02T17:00:00.000Z' },
    ]);
  });

  it('7.3 (5) upcoming change freeze periods: the ones not over, with the changes planned inside', () => {
    expect(agenda.freezes).toEqual([
      { from: '2026-12-20', to: '2027-01-02', reason: 'Year-end freeze', plannedInside: [byId.get(7)] },
    ]);
  });

  it('7.3 (6) open issues: overdue paperwork, past-SLA approvals, disputes, flags and undelivered messages', () => {
    const issues = agenda.openIssues;
    expect(issues.overduePaperwork).toEqual([
      { change: byId.get(3), kinds: ['documentation'], dueAt: '2026-11-24T03:00:00.000Z' },
    ]);
    expect(issues.pastApprovalSla).toEqual([
      { change: byId.get(8), dueAt: '2026-11-23T15:00:00.000Z', waitingFor: ['manager'] },
    ]);
    expect(issues.disputedVerbalApprovals).toEqual([
      { change: byId.get(9), approverId: 'U0SEC0001', at: '2026-11-21T12:00:00.000Z' },
    ]);
    expect(issues.flagged).toEqual([
      { change: byId.get(10), reason: 'Implemented outside its window', at: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(issues.undelivered).toEqual([
      { ref: 'CHG-5', kind: 'approval_request', error: 'channel_not_found', at: '2026-11-24T12:00:00.000Z' },
    ]);
  });

  it('7.3 every entry names its change by ID, title, risk and owner (the change headline)', () => {
    const entries = [
      ...agenda.previousChanges,
      ...agenda.emergencyChanges,
      ...agenda.forApproval,
      ...agenda.calendar,
      ...agenda.openIssues.overduePaperwork,
      ...agenda.openIssues.pastApprovalSla,
      ...agenda.openIssues.disputedVerbalApprovals,
      ...agenda.openIssues.flagged,
    ].map((entry) => entry.change);
    const all = [...entries, ...agenda.freezes.flatMap((freeze) => freeze.plannedInside)];
    // Every one of the ten changes is on the agenda somewhere.
    expect(new Set(all.map((c) => c.id))).toEqual(new Set(changes.map((c) => c.id)));
    for (const named of all) {
      expect(named).toEqual(byId.get(named.id));
      expect(named).toMatchObject({
        ref: formatChangeRef(named.id),
        title: expect.any(String),
        ownerId: expect.stringMatching(/^U0OWNER0\d$/),
      });
    }
    expect(byId.get(3)).toMatchObject({
      ref: 'CHG-3',
      title: 'Patch exploited edge firewall',
      riskLevel: 'critical',
      ownerId: 'U0OWNER03',
    });
  });
});

describe('buildAgenda 7.3 (1) review of previous changes: outcomes in [since, now)', () => {
  it.each([
    {
      name: '7.3 (1) a completion exactly at the last CAB is included',
      outcome: { state: 'completed', at: SINCE },
      listed: true,
    },
    {
      name: '7.3 (1) a completion a millisecond before the last CAB is excluded',
      outcome: { state: 'completed', at: later(SINCE, -MS) },
      listed: false,
    },
    {
      name: '7.3 (1) a failure a millisecond before now is included',
      outcome: { state: 'failed', at: later(NOW, -MS) },
      listed: true,
    },
    {
      name: '7.3 (1) a rollback exactly at now is excluded',
      outcome: { state: 'rolled_back', at: NOW },
      listed: false,
    },
    {
      name: '7.3 (1) a completion after now is excluded',
      outcome: { state: 'completed', at: later(NOW, 3_600_000) },
      listed: false,
    },
    {
      name: '7.3 (1) "approved" is not an outcome (successes/failures only)',
      outcome: { state: 'approved', at: at('2026-11-20T15:00:00Z') },
      listed: false,
    },
    {
      name: '7.3 (1) "cancelled" is not an outcome',
      outcome: { state: 'cancelled', at: at('2026-11-20T15:00:00Z') },
      listed: false,
    },
  ] satisfies { name: string; outcome: { state: ChangeState; at: Date }; listed: boolean }[])(
    '$name',
    ({ outcome, listed }) => {
      const agenda = agendaOf([change(1, { state: outcome.state, outcomes: [outcome] })]);
      expect(agenda.previousChanges).toEqual(
        listed
          ? [
              {
                change: headlineOf(change(1, { state: outcome.state })),
                outcome: outcome.state,
                at: outcome.at.toISOString(),
              },
            ]
          : [],
      );
    },
  );

  it('7.3 (1) outcomes of several changes are listed by when they happened, not by change ID', () => {
    const agenda = agendaOf([
      change(1, { state: 'completed', outcomes: [{ state: 'completed', at: at('2026-11-24T15:00:00Z') }] }),
      change(2, { state: 'failed', outcomes: [{ state: 'failed', at: at('2026-11-19T15:00:00Z') }] }),
      change(3, { state: 'completed', outcomes: [{ state: 'completed', at: at('2026-11-21T15:00:00Z') }] }),
    ]);
    expect(refs(agenda.previousChanges)).toEqual(['CHG-2', 'CHG-3', 'CHG-1']);
  });
});

describe('buildAgenda 7.3 (2) emergency changes since the last meeting, and older ones still owing something', () => {
  const BEFORE = '2026-11-10T15:00:00Z';
  const overdueDoc = { kind: 'documentation', dueAt: later(NOW, -MS), completedAt: null } as const;
  it.each([
    {
      name: '7.3 (2) an emergency declared exactly at the last CAB is included',
      facts: emergency(1, SINCE.toISOString()),
      expected: { overdue: [], owesPresentation: false },
    },
    {
      name: '7.3 (2) an emergency declared exactly at now is not "since the last meeting"',
      facts: emergency(1, NOW.toISOString()),
      expected: null,
    },
    {
      name: '7.3 (2) an emergency declared before the last CAB that owes nothing is excluded',
      facts: emergency(1, BEFORE),
      expected: null,
    },
    {
      name: '7.3 (2) an older emergency with overdue paperwork (6.4) is included',
      facts: emergency(1, BEFORE, { obligations: [overdueDoc] }),
      expected: { overdue: ['documentation'], owesPresentation: false },
    },
    {
      name: '7.3 (2) an older emergency still owing its CAB presentation (6.4, no deadline) is included',
      facts: emergency(1, BEFORE, { obligations: [{ kind: 'cab_presentation', dueAt: null, completedAt: null }] }),
      expected: { overdue: [], owesPresentation: true },
    },
    {
      name: '7.3 (2) an older emergency whose CAB presentation was done is excluded',
      facts: emergency(1, BEFORE, {
        obligations: [{ kind: 'cab_presentation', dueAt: null, completedAt: at('2026-11-11T15:00:00Z') }],
      }),
      expected: null,
    },
    {
      name: '7.3 (2) paperwork due after now is not overdue: the older emergency is excluded',
      facts: emergency(1, BEFORE, {
        obligations: [{ kind: 'documentation', dueAt: later(NOW, 3_600_000), completedAt: null }],
      }),
      expected: null,
    },
    {
      name: '7.3 (2) paperwork due exactly at now is not overdue yet',
      facts: emergency(1, BEFORE, { obligations: [{ kind: 'root_cause_analysis', dueAt: NOW, completedAt: null }] }),
      expected: null,
    },
    {
      name: '7.3 (2) completed paperwork is not overdue',
      facts: emergency(1, BEFORE, { obligations: [{ ...overdueDoc, completedAt: at('2026-11-12T15:00:00Z') }] }),
      expected: null,
    },
    {
      name: '7.3 (2) the formal approval of a retro_rejected change is no longer owed (6.4): not overdue',
      facts: emergency(1, BEFORE, {
        state: 'retro_rejected',
        obligations: [{ kind: 'retro_approval', dueAt: later(NOW, -MS), completedAt: null }],
      }),
      expected: null,
    },
    {
      name: '7.3 (2) a retro_rejected change still owes its other overdue paperwork',
      facts: emergency(1, BEFORE, {
        state: 'retro_rejected',
        obligations: [
          { kind: 'retro_approval', dueAt: later(NOW, -MS), completedAt: null },
          { kind: 'root_cause_analysis', dueAt: later(NOW, -MS), completedAt: null },
        ],
      }),
      expected: { overdue: ['root_cause_analysis'], owesPresentation: false },
    },
    {
      name: '7.3 (2) a normal change created since the last CAB is not an emergency',
      facts: change(1, { createdAt: at('2026-11-20T15:00:00Z'), obligations: [overdueDoc] }),
      expected: null,
    },
  ] satisfies {
    name: string;
    facts: AgendaChangeFacts;
    expected: { overdue: string[]; owesPresentation: boolean } | null;
  }[])('$name', ({ facts, expected }) => {
    const agenda = agendaOf([facts]);
    expect(agenda.emergencyChanges).toEqual(
      expected ? [{ change: headlineOf(facts), verbalApprovals: [], ...expected }] : [],
    );
  });

  it('7.3 (2) verbal approvals are listed with their state, without the answer time', () => {
    const facts = emergency(1, '2026-11-20T03:00:00Z', {
      verbalApprovals: [
        { approverId: 'U0ONMGR01', state: 'confirmed', answeredAt: at('2026-11-20T04:00:00Z') },
        { approverId: 'U0ONSEC01', state: 'disputed', answeredAt: at('2026-11-20T05:00:00Z') },
        { approverId: 'U0CTO0001', state: 'unconfirmed', answeredAt: null },
      ],
    });
    expect(agendaOf([facts]).emergencyChanges[0]?.verbalApprovals).toEqual([
      { approverId: 'U0ONMGR01', state: 'confirmed' },
      { approverId: 'U0ONSEC01', state: 'disputed' },
      { approverId: 'U0CTO0001', state: 'unconfirmed' },
    ]);
  });
});

describe('buildAgenda 7.3 (3) high/critical changes for approval: the board requirement (cab.role) is open', () => {
  it.each([
    {
      name: '7.3 (3) board open in the approval phase',
      facts: change(1, { openRoles: ['cab'] }),
      expected: { phase: 'approval', waitingAlsoFor: [] },
    },
    {
      name: '7.3 (3) board open in the retro_approval phase of an emergency',
      facts: emergency(1, '2026-11-10T15:00:00Z', { openRoles: ['cab'] }),
      expected: { phase: 'retro_approval', waitingAlsoFor: [] },
    },
    {
      name: '7.3 (3) waitingAlsoFor lists the other roles still open, in order',
      facts: change(1, { riskLevel: 'critical', openRoles: ['peer', 'cab', 'security', 'cto'] }),
      expected: { phase: 'approval', waitingAlsoFor: ['peer', 'security', 'cto'] },
    },
    {
      name: '7.3 (3) board already decided, manager still open: not for approval',
      facts: change(1, { openRoles: ['manager'] }),
      expected: null,
    },
    { name: '7.3 (3) no open roles: not for approval', facts: change(1, { openRoles: [] }), expected: null },
    {
      name: '7.3 (3) board role open in the authorization phase (6.3, not a board decision): not for approval',
      facts: emergency(1, '2026-11-20T15:00:00Z', { state: 'pending_authorization', openRoles: ['cab'] }),
      expected: null,
    },
    {
      name: '7.3 (3) a change waiting in no phase is not for approval',
      facts: change(1, { state: 'approved', openRoles: ['cab'] }),
      expected: null,
    },
  ] satisfies {
    name: string;
    facts: AgendaChangeFacts;
    expected: { phase: string; waitingAlsoFor: string[] } | null;
  }[])('$name', ({ facts, expected }) => {
    expect(agendaOf([facts]).forApproval).toEqual(expected ? [{ change: headlineOf(facts), ...expected }] : []);
  });

  it('7.3 (3) the board is the role named by cab.role, not the literal "cab"', () => {
    const boardPolicy: Policy = { ...policy, cab: { ...policy.cab, role: 'board' } };
    const agenda = agendaOf([change(1, { openRoles: ['cab'] }), change(2, { openRoles: ['board', 'cab'] })], {
      policy: boardPolicy,
    });
    expect(agenda.forApproval.map(({ change: c, waitingAlsoFor }) => [c.ref, waitingAlsoFor])).toEqual([
      ['CHG-2', ['cab']],
    ]);
  });
});

describe('buildAgenda 7.3 (4) change calendar: planned starts in [now, meetingAt + cab.calendar_days)', () => {
  it.each([
    { name: '7.3 (4) a start exactly at now is on the calendar', state: 'scheduled', start: NOW, listed: true },
    {
      name: '7.3 (4) a start a millisecond before now is not (it already began)',
      state: 'scheduled',
      start: later(NOW, -MS),
      listed: false,
    },
    {
      name: '7.3 (4) a start a millisecond before calendarUntil is on the calendar',
      state: 'scheduled',
      start: later(CALENDAR_UNTIL, -MS),
      listed: true,
    },
    {
      name: '7.3 (4) a start exactly at calendarUntil (meeting + 14 days) is not',
      state: 'scheduled',
      start: CALENDAR_UNTIL,
      listed: false,
    },
    {
      name: '7.3 (4) a submitted change is planned',
      state: 'submitted',
      start: at('2026-12-01T15:00:00Z'),
      listed: true,
    },
    {
      name: '7.3 (4) a pending_approval change is planned',
      state: 'pending_approval',
      start: at('2026-12-01T15:00:00Z'),
      listed: true,
    },
    {
      name: '7.3 (4) an approved change is planned',
      state: 'approved',
      start: at('2026-12-01T15:00:00Z'),
      listed: true,
    },
    {
      name: '7.3 (4) an implementing change is planned',
      state: 'implementing',
      start: at('2026-12-01T15:00:00Z'),
      listed: true,
    },
    {
      name: '7.3 (4) a rejected change is not on the calendar',
      state: 'rejected',
      start: at('2026-12-01T15:00:00Z'),
      listed: false,
    },
    {
      name: '7.3 (4) a cancelled change is not on the calendar',
      state: 'cancelled',
      start: at('2026-12-01T15:00:00Z'),
      listed: false,
    },
    {
      name: '7.3 (4) a completed change is not on the calendar',
      state: 'completed',
      start: at('2026-12-01T15:00:00Z'),
      listed: false,
    },
    {
      name: '7.3 (4) a rolled-back change is not on the calendar',
      state: 'rolled_back',
      start: at('2026-12-01T15:00:00Z'),
      listed: false,
    },
    {
      name: '7.3 (4) a change without a planned start is not on the calendar',
      state: 'scheduled',
      start: null,
      listed: false,
    },
  ] satisfies { name: string; state: ChangeState; start: Date | null; listed: boolean }[])(
    '$name',
    ({ state, start, listed }) => {
      const facts = change(1, { state, plannedStart: start, plannedEnd: start && later(start, 3_600_000) });
      expect(agendaOf([facts]).calendar).toEqual(
        listed && start
          ? [{ change: headlineOf(facts), start: start.toISOString(), end: later(start, 3_600_000).toISOString() }]
          : [],
      );
    },
  );

  it('7.3 (4) the calendar is sorted by start, not by change ID; a missing end stays null', () => {
    const agenda = agendaOf([
      change(1, {
        state: 'scheduled',
        plannedStart: at('2026-12-08T15:00:00Z'),
        plannedEnd: at('2026-12-08T16:00:00Z'),
      }),
      change(2, { state: 'approved', plannedStart: at('2026-11-26T15:00:00Z'), plannedEnd: null }),
      change(3, {
        state: 'submitted',
        plannedStart: at('2026-12-01T15:00:00Z'),
        plannedEnd: at('2026-12-01T16:00:00Z'),
      }),
    ]);
    expect(agenda.calendar.map(({ change: c, start, end }) => [c.ref, start, end])).toEqual([
      ['CHG-2', '2026-11-26T15:00:00.000Z', null],
      ['CHG-3', '2026-12-01T15:00:00.000Z', '2026-12-01T16:00:00.000Z'],
      ['CHG-1', '2026-12-08T15:00:00.000Z', '2026-12-08T16:00:00.000Z'],
    ]);
  });
});

describe('buildAgenda 7.3 (5) upcoming change freeze periods (policy.freezes, dates in the policy timezone)', () => {
  // Listed out of order on purpose: the agenda sorts them by start date.
  const freezePolicy = policyWith(`freezes:
  - { from: "2026-12-20", to: "2027-01-02", reason: "Year-end freeze" }
  - { from: "2026-11-25", to: "2026-11-25", reason: "Ends today" }
  - { from: "2026-11-20", to: "2026-11-24", reason: "Ended yesterday" }
  - { from: "2026-10-01", to: "2026-10-05", reason: "Long over" }
`);

  it.each([
    {
      name:
        '7.3 (5) at the meeting (Wed 2026-11-25 10:00 EST) a freeze that ended yesterday is ' +
        'excluded, one ending today included',
      now: NOW,
      reasons: ['Ends today', 'Year-end freeze'],
    },
    {
      name:
        '7.3 (5) at 2026-11-25T03:00Z it is still Tue 2026-11-24 in New York: the freeze ' +
        'ending on the 24th is still listed',
      now: at('2026-11-25T03:00:00Z'),
      reasons: ['Ended yesterday', 'Ends today', 'Year-end freeze'],
    },
    {
      name: '7.3 (5) at 2026-11-26T05:00Z (Thu 00:00 EST) the freeze that ended on the 25th is gone',
      now: at('2026-11-26T05:00:00Z'),
      reasons: ['Year-end freeze'],
    },
  ])('$name', ({ now, reasons }) => {
    const agenda = agendaOf([], { policy: freezePolicy, window: { meetingAt: MEETING, since: SINCE, now } });
    expect(agenda.freezes.map((freeze) => freeze.reason)).toEqual(reasons);
    expect(agenda.freezes.every((freeze) => freeze.plannedInside.length === 0)).toBe(true);
  });

  it('7.3 (5) a freeze keeps its dates and reason', () => {
    expect(agendaOf([], { policy: freezePolicy }).freezes.at(-1)).toEqual({
      from: '2026-12-20',
      to: '2027-01-02',
      reason: 'Year-end freeze',
      plannedInside: [],
    });
  });

  const yearEnd = policyWith(`freezes:
  - { from: "2026-12-20", to: "2027-01-02", reason: "Year-end freeze" }
`);
  it.each([
    {
      name: '7.3 (5) planned across the first day of the freeze (Sat 12-19 15:00 EST → Mon 12-21) is inside',
      start: '2026-12-19T20:00:00Z',
      end: '2026-12-21T14:00:00Z',
      inside: true,
    },
    {
      name: '7.3 (5) planned across the last day of the freeze (Sat 01-02 15:00 EST → Sun 01-03) is inside',
      start: '2027-01-02T20:00:00Z',
      end: '2027-01-03T15:00:00Z',
      inside: true,
    },
    {
      name: '7.3 (5) planned around the whole freeze is inside',
      start: '2026-12-10T15:00:00Z',
      end: '2027-01-10T15:00:00Z',
      inside: true,
    },
    {
      name: '7.3 (5) planned within the freeze without an end is inside',
      start: '2026-12-24T15:00:00Z',
      end: null,
      inside: true,
    },
    {
      name: '7.3 (5) ending 2026-12-20T03:00Z is 12-19 22:00 EST: before the freeze in the policy timezone',
      start: '2026-12-19T20:00:00Z',
      end: '2026-12-20T03:00:00Z',
      inside: false,
    },
    {
      name: '7.3 (5) starting 2027-01-03T04:00Z is 01-02 23:00 EST: still inside the freeze',
      start: '2027-01-03T04:00:00Z',
      end: null,
      inside: true,
    },
    {
      name: '7.3 (5) starting 2027-01-03T05:00Z is 01-03 00:00 EST: after the freeze',
      start: '2027-01-03T05:00:00Z',
      end: '2027-01-03T06:00:00Z',
      inside: false,
    },
    {
      name: '7.3 (5) planned entirely before the freeze is not inside',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T17:00:00Z',
      inside: false,
    },
  ])('$name', ({ start, end, inside }) => {
    const facts = change(1, { state: 'scheduled', plannedStart: at(start), plannedEnd: end === null ? null : at(end) });
    expect(agendaOf([facts], { policy: yearEnd }).freezes).toEqual([
      {
        from: '2026-12-20',
        to: '2027-01-02',
        reason: 'Year-end freeze',
        plannedInside: inside ? [headlineOf(facts)] : [],
      },
    ]);
  });

  it('7.3 (5) only open changes with a planned start are listed inside a freeze', () => {
    const agenda = agendaOf(
      [
        change(1, { state: 'cancelled', plannedStart: at('2026-12-22T15:00:00Z') }),
        change(2, { state: 'rejected', plannedStart: at('2026-12-22T15:00:00Z') }),
        change(3, { state: 'pending_approval', plannedStart: null }),
        change(4, { state: 'approved', plannedStart: at('2026-12-22T15:00:00Z') }),
        change(5, { state: 'implementing', plannedStart: at('2026-12-22T15:00:00Z') }),
      ],
      { policy: yearEnd },
    );
    expect(agenda.freezes[0]?.plannedInside.map((c) => c.ref)).toEqual(['CHG-4', 'CHG-5']);
  });
});

describe('buildAgenda 7.3 (6) open issues: overdue paperwork (6.4)', () => {
  const due = (
    kind: 'documentation' | 'retro_ticket' | 'retro_approval' | 'root_cause_analysis' | 'cab_presentation',
    dueAt: Date | null,
    completedAt: Date | null = null,
  ) => ({
    kind,
    dueAt,
    completedAt,
  });
  it.each([
    {
      name: '7.3 (6) paperwork due a millisecond before now is overdue',
      facts: emergency(1, '2026-11-10T15:00:00Z', { obligations: [due('documentation', later(NOW, -MS))] }),
      kinds: ['documentation'],
    },
    {
      name: '7.3 (6) paperwork due exactly at now is not overdue',
      facts: emergency(1, '2026-11-10T15:00:00Z', { obligations: [due('documentation', NOW)] }),
      kinds: null,
    },
    {
      name: '7.3 (6) paperwork due after now is not overdue',
      facts: emergency(1, '2026-11-10T15:00:00Z', { obligations: [due('documentation', later(NOW, MS))] }),
      kinds: null,
    },
    {
      name: '7.3 (6) completed paperwork is not overdue',
      facts: emergency(1, '2026-11-10T15:00:00Z', {
        obligations: [due('documentation', later(NOW, -MS), at('2026-11-20T15:00:00Z'))],
      }),
      kinds: null,
    },
    {
      name: '7.3 (6) the CAB presentation has no deadline: never overdue paperwork',
      facts: emergency(1, '2026-11-10T15:00:00Z', { obligations: [due('cab_presentation', null)] }),
      kinds: null,
    },
    {
      name: '7.3 (6) the retro_approval obligation of a retro_rejected change is not overdue (nobody can obtain it)',
      facts: emergency(1, '2026-11-10T15:00:00Z', {
        state: 'retro_rejected',
        obligations: [due('retro_approval', later(NOW, -MS))],
      }),
      kinds: null,
    },
    {
      name: '7.3 (6) every overdue kind of one change is listed together',
      facts: emergency(1, '2026-11-10T15:00:00Z', {
        obligations: [
          due('documentation', later(NOW, -MS)),
          due('retro_ticket', later(NOW, -MS), NOW),
          due('retro_approval', later(NOW, -MS)),
          due('root_cause_analysis', later(NOW, -MS)),
        ],
      }),
      kinds: ['documentation', 'retro_approval', 'root_cause_analysis'],
    },
  ] satisfies { name: string; facts: AgendaChangeFacts; kinds: string[] | null }[])('$name', ({ facts, kinds }) => {
    expect(agendaOf([facts]).openIssues.overduePaperwork).toEqual(
      kinds ? [{ change: headlineOf(facts), kinds, dueAt: later(NOW, -MS).toISOString() }] : [],
    );
  });
});

describe('buildAgenda 7.3 (6) open issues: approvals past their 4.4 SLA (approval_business_days after request)', () => {
  it.each([
    {
      name: '4.4 SLA high, 3 business days from Fri 2026-11-13 10:00 EST: due Wed 11-18 10:00 EST, past at 11:00',
      riskLevel: 'high',
      requestedAt: '2026-11-13T15:00:00Z',
      now: '2026-11-18T16:00:00Z',
      dueAt: '2026-11-18T15:00:00.000Z',
      past: true,
    },
    {
      name: '4.4 SLA high, requested Fri 2026-11-13 10:00 EST: not yet past at exactly Wed 11-18 10:00 EST',
      riskLevel: 'high',
      requestedAt: '2026-11-13T15:00:00Z',
      now: '2026-11-18T15:00:00Z',
      dueAt: null,
      past: false,
    },
    {
      name: '4.4 SLA high, requested Fri 2026-11-13 10:00 EST: not yet past on Tue 11-17 (the weekend does not count)',
      riskLevel: 'high',
      requestedAt: '2026-11-13T15:00:00Z',
      now: '2026-11-17T20:00:00Z',
      dueAt: null,
      past: false,
    },
    {
      name: '4.4 SLA low, 1 business day from Fri 11-20: due Mon 11-23, past at the meeting',
      riskLevel: 'low',
      requestedAt: '2026-11-20T15:00:00Z',
      now: NOW.toISOString(),
      dueAt: '2026-11-23T15:00:00.000Z',
      past: true,
    },
    {
      name: '4.4 SLA medium, 2 business days from Mon 11-23: due Wed 11-25 10:00 EST = the meeting, not yet past',
      riskLevel: 'medium',
      requestedAt: '2026-11-23T15:00:00Z',
      now: NOW.toISOString(),
      dueAt: null,
      past: false,
    },
    {
      // 40 business hours from an opening end at a close: Tue 17:00 is Wed 09:00 in business time.
      name: '4.4 SLA critical, 5 business days from Wed 11-18 09:00 EST: due Tue 11-24 17:00 EST, past at the meeting',
      riskLevel: 'critical',
      requestedAt: '2026-11-18T14:00:00Z',
      now: NOW.toISOString(),
      dueAt: '2026-11-24T22:00:00.000Z',
      past: true,
    },
    {
      name: '4.4 SLA critical, 5 business days from Wed 11-18 10:00 EST: due at the meeting, not yet past',
      riskLevel: 'critical',
      requestedAt: '2026-11-18T15:00:00Z',
      now: NOW.toISOString(),
      dueAt: null,
      past: false,
    },
  ])('$name', ({ riskLevel, requestedAt, now, dueAt, past }) => {
    const facts = change(1, { riskLevel, openRoles: ['manager', 'cab'], approvalRequestedAt: at(requestedAt) });
    const window = { meetingAt: at(now), since: at('2026-11-01T15:00:00Z'), now: at(now) };
    const expected = past && dueAt ? [{ change: headlineOf(facts), dueAt, waitingFor: ['manager', 'cab'] }] : [];
    expect(agendaOf([facts], { window }).openIssues.pastApprovalSla).toEqual(expected);
  });

  const LONG_AGO = at('2026-10-01T15:00:00Z');
  it.each([
    {
      name: '4.4 SLA only counts while pending_approval: an approved change is not past its SLA',
      facts: change(1, { state: 'approved', approvalRequestedAt: LONG_AGO }),
    },
    {
      name: '4.4 SLA is not applied to retro-approval (6.4 paperwork deadlines cover it)',
      facts: emergency(1, '2026-09-30T15:00:00Z', { openRoles: ['cab'], approvalRequestedAt: LONG_AGO }),
    },
    { name: '4.4 SLA needs the request time', facts: change(1, { approvalRequestedAt: null }) },
    { name: '4.4 SLA needs a risk level', facts: change(1, { riskLevel: null, approvalRequestedAt: LONG_AGO }) },
    {
      name: '4.4 SLA: a risk level without a row in approval_sla has no SLA',
      facts: change(1, { riskLevel: 'extreme', approvalRequestedAt: LONG_AGO }),
    },
    {
      name: '4.4 SLA: "constructor" is not a risk level (own keys only)',
      facts: change(1, { riskLevel: 'constructor', approvalRequestedAt: LONG_AGO }),
    },
  ])('$name', ({ facts }) => {
    expect(agendaOf([facts]).openIssues.pastApprovalSla).toEqual([]);
  });

  // The agenda tells the story the reminders and the escalation tell: the due time recorded on the requirements.
  it('4.4 SLA: the due time recorded when the approvers were asked is the one the agenda lists', () => {
    const recorded = at('2026-11-24T20:00:00Z');
    const facts = change(1, {
      riskLevel: 'critical',
      openRoles: ['manager'],
      approvalRequestedAt: at('2026-11-24T15:00:00Z'),
      slaDueAt: recorded,
    });
    expect(agendaOf([facts]).openIssues.pastApprovalSla).toEqual([
      { change: headlineOf(facts), dueAt: recorded.toISOString(), waitingFor: ['manager'] },
    ]);
    expect(agendaOf([{ ...facts, slaDueAt: NOW }]).openIssues.pastApprovalSla).toEqual([]);
  });

  it.each([
    {
      name: '4.4 SLA: a holiday does not count (low, Wed 11-18 10:00 EST + 1 day over Thu 11-19 = Fri 10:00 EST)',
      yaml: 'holidays: ["2026-11-19"]\n',
      openRoles: ['manager'],
      dueAt: '2026-11-20T15:00:00.000Z',
    },
    {
      name: '4.4 SLA: the review roles run on the review column (peer, 2 review days: Fri 11-20 10:00 EST)',
      yaml:
        'approval_sla: { low: { review_business_days: 2, approval_business_days: 4 }, medium: ' +
        '{ review_business_days: 2, approval_business_days: 2 }, high: { review_business_days: 3, ' +
        'approval_business_days: 3 }, critical: { review_business_days: 5, approval_business_days: 5 } }\n',
      openRoles: ['manager', 'peer'],
      dueAt: '2026-11-20T15:00:00.000Z',
    },
  ])('$name', ({ yaml, openRoles, dueAt }) => {
    const facts = change(1, { riskLevel: 'low', openRoles, approvalRequestedAt: at('2026-11-18T15:00:00Z') });
    expect(agendaOf([facts], { policy: policyWith(yaml) }).openIssues.pastApprovalSla).toEqual([
      { change: headlineOf(facts), dueAt, waitingFor: openRoles },
    ]);
  });
});

describe('buildAgenda 7.3 (6) open issues: disputed verbal approvals, flagged changes since the last meeting', () => {
  const verbal = (state: 'unconfirmed' | 'confirmed' | 'disputed', answeredAt: Date | null) => ({
    approverId: 'U0ONSEC01',
    state,
    answeredAt,
  });
  it.each([
    {
      name: '7.3 (6) a dispute exactly at the last CAB is listed',
      verbalApproval: verbal('disputed', SINCE),
      listed: true,
    },
    {
      name: '7.3 (6) a dispute before the last CAB was already discussed: excluded',
      verbalApproval: verbal('disputed', later(SINCE, -MS)),
      listed: false,
    },
    { name: '7.3 (6) a dispute at now is excluded', verbalApproval: verbal('disputed', NOW), listed: false },
    {
      name: '7.3 (6) a confirmed verbal approval is not an issue',
      verbalApproval: verbal('confirmed', at('2026-11-20T15:00:00Z')),
      listed: false,
    },
    {
      name: '7.3 (6) an unconfirmed verbal approval is not a dispute',
      verbalApproval: verbal('unconfirmed', null),
      listed: false,
    },
  ])('$name', ({ verbalApproval, listed }) => {
    const facts = emergency(1, '2026-11-10T15:00:00Z', { verbalApprovals: [verbalApproval] });
    const expected = listed
      ? [{ change: headlineOf(facts), approverId: 'U0ONSEC01', at: verbalApproval.answeredAt?.toISOString() }]
      : [];
    expect(agendaOf([facts]).openIssues.disputedVerbalApprovals).toEqual(expected);
  });

  it.each([
    {
      name: '7.3 (6) a change flagged exactly at the last CAB is listed',
      flaggedAt: SINCE,
      disputedAt: null,
      flagged: true,
      disputed: false,
    },
    {
      name: '7.3 (6) a change flagged before the last CAB is excluded',
      flaggedAt: later(SINCE, -MS),
      disputedAt: null,
      flagged: false,
      disputed: false,
    },
    {
      name: '7.3 (6) a change flagged at now is excluded',
      flaggedAt: NOW,
      disputedAt: null,
      flagged: false,
      disputed: false,
    },
    {
      name: '7.3 (6) a change flagged by a dispute since the last CAB is listed once, as the dispute',
      flaggedAt: at('2026-11-20T15:00:00Z'),
      disputedAt: at('2026-11-20T15:00:00Z'),
      flagged: false,
      disputed: true,
    },
    {
      name: '7.3 (6) a change flagged since the last CAB whose dispute came before it is listed as flagged',
      flaggedAt: at('2026-11-20T15:00:00Z'),
      disputedAt: at('2026-11-17T15:00:00Z'),
      flagged: true,
      disputed: false,
    },
  ])('$name', ({ flaggedAt, disputedAt, flagged, disputed }) => {
    const facts = emergency(1, '2026-11-10T15:00:00Z', {
      flaggedAt,
      flagReason: 'Late paperwork',
      verbalApprovals: disputedAt ? [verbal('disputed', disputedAt)] : [],
    });
    const issues = agendaOf([facts]).openIssues;
    expect(issues.flagged).toEqual(
      flagged ? [{ change: headlineOf(facts), reason: 'Late paperwork', at: flaggedAt.toISOString() }] : [],
    );
    expect(issues.disputedVerbalApprovals.length).toBe(disputed ? 1 : 0);
  });

  it('7.3 (6) a flag without a reason is listed with an empty reason', () => {
    const facts = change(1, { flaggedAt: at('2026-11-20T15:00:00Z'), flagReason: null });
    expect(agendaOf([facts]).openIssues.flagged).toEqual([
      { change: headlineOf(facts), reason: '', at: '2026-11-20T15:00:00.000Z' },
    ]);
  });
});

describe('buildAgenda 7.3 (6) open issues: Slack messages the outbox gave up on since the last meeting', () => {
  const message = (changeId: number | null, when: Date): UndeliveredMessage => ({
    changeId,
    kind: 'approval_request',
    error: 'channel_not_found',
    at: when,
  });
  it.each([
    {
      name: '7.3 (6) a message about no change has ref null',
      message: message(null, at('2026-11-20T15:00:00Z')),
      ref: null,
      listed: true,
    },
    {
      name: '7.3 (6) a message about a change on the agenda facts uses its ref',
      message: message(7, at('2026-11-20T15:00:00Z')),
      ref: 'CHG-7',
      listed: true,
    },
    {
      name: '7.3 (6) a message about a change not in the facts is named CHG-<id>',
      message: message(999, at('2026-11-20T15:00:00Z')),
      ref: 'CHG-999',
      listed: true,
    },
    {
      name: '7.3 (6) a message given up exactly at the last CAB is listed',
      message: message(null, SINCE),
      ref: null,
      listed: true,
    },
    {
      name: '7.3 (6) a message given up before the last CAB is excluded',
      message: message(null, later(SINCE, -MS)),
      ref: null,
      listed: false,
    },
    { name: '7.3 (6) a message given up at now is excluded', message: message(null, NOW), ref: null, listed: false },
  ])('$name', ({ message: undelivered, ref, listed }) => {
    const agenda = agendaOf([change(7, { ref: 'CHG-7' })], { undelivered: [undelivered] });
    expect(agenda.openIssues.undelivered).toEqual(
      listed ? [{ ref, kind: 'approval_request', error: 'channel_not_found', at: undelivered.at.toISOString() }] : [],
    );
  });

  it('7.3 (6) the ref comes from the facts when the change is there', () => {
    const agenda = agendaOf([change(7, { ref: 'CHG-0007' })], {
      undelivered: [message(7, at('2026-11-20T15:00:00Z'))],
    });
    expect(agenda.openIssues.undelivered[0]?.ref).toBe('CHG-0007');
  });
});

describe('buildAgenda is pure (7.3: the same facts and window always give the same agenda)', () => {
  const freezePolicy = policyWith(`freezes:
  - { from: "2026-12-20", to: "2027-01-02", reason: "Year-end freeze" }
  - { from: "2026-11-25", to: "2026-11-27", reason: "Thanksgiving" }
`);
  const facts = (): AgendaFacts => ({
    // Out of ID order on purpose: the agenda sorts its own copy.
    changes: [
      change(5, { plannedStart: at('2026-12-22T15:00:00Z'), openRoles: ['cab', 'peer'] }),
      emergency(2, '2026-11-20T03:00:00Z', {
        openRoles: ['cab'],
        obligations: [{ kind: 'documentation', dueAt: at('2026-11-22T03:00:00Z'), completedAt: null }],
        verbalApprovals: [{ approverId: 'U0ONMGR01', state: 'disputed', answeredAt: at('2026-11-20T04:00:00Z') }],
      }),
      change(3, {
        state: 'completed',
        outcomes: [{ state: 'completed', at: at('2026-11-21T15:00:00Z') }],
        flaggedAt: at('2026-11-21T16:00:00Z'),
        flagReason: 'Late',
      }),
      change(1, {
        riskLevel: 'low',
        openRoles: ['peer'],
        approvalRequestedAt: at('2026-11-19T15:00:00Z'),
        plannedStart: at('2026-11-30T15:00:00Z'),
      }),
    ],
    undelivered: [{ changeId: 4, kind: 'reminder', error: null, at: at('2026-11-22T15:00:00Z') }],
  });

  it('7.3 building twice from the same input gives deep-equal agendas', () => {
    const input = facts();
    const first = buildAgenda(input, freezePolicy, WINDOW);
    const second = buildAgenda(input, freezePolicy, WINDOW);
    expect(second).toEqual(first);
    expect(buildAgenda(facts(), freezePolicy, { ...WINDOW })).toEqual(first);
    // The agenda is stored as JSON: it survives the round trip unchanged.
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('7.3 the input facts, policy and window are not mutated (arrays keep their order)', () => {
    const input = facts();
    const window: AgendaWindow = {
      meetingAt: at(MEETING.toISOString()),
      since: at(SINCE.toISOString()),
      now: at(NOW.toISOString()),
    };
    buildAgenda(input, freezePolicy, window);
    expect(input).toEqual(facts());
    expect(input.changes.map((c) => c.id)).toEqual([5, 2, 3, 1]);
    expect(freezePolicy.freezes.map((freeze) => freeze.reason)).toEqual(['Year-end freeze', 'Thanksgiving']);
    expect(window).toEqual(WINDOW);
  });

  it('7.3 entries come out in change ID order where the agenda does not sort by time', () => {
    const agenda = buildAgenda(facts(), freezePolicy, WINDOW);
    expect(refs(agenda.forApproval)).toEqual(['CHG-2', 'CHG-5']);
    expect(agenda.freezes.map((freeze) => freeze.reason)).toEqual(['Thanksgiving', 'Year-end freeze']);
  });
});

describe('localDate: calendar dates in the policy timezone (7.3 (5) freezes are dates)', () => {
  it.each([
    {
      name: 'Wed 2026-11-25 10:00 EST is 2026-11-25',
      at: '2026-11-25T15:00:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-25',
    },
    {
      name: '2026-11-25T03:00Z is still Tue 2026-11-24 22:00 EST: the previous day in New York',
      at: '2026-11-25T03:00:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-24',
    },
    {
      name: '2026-11-25T05:00Z is 2026-11-25 00:00 EST (midnight starts the day)',
      at: '2026-11-25T05:00:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-25',
    },
    {
      name: '2026-11-25T04:59Z is 2026-11-24 23:59 EST',
      at: '2026-11-25T04:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-24',
    },
    {
      name: 'summer: 2026-07-14T03:59Z is 2026-07-13 23:59 EDT',
      at: '2026-07-14T03:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-07-13',
    },
    {
      name: 'summer: 2026-07-14T04:00Z is 2026-07-14 00:00 EDT (04:00Z, not 05:00Z)',
      at: '2026-07-14T04:00:00Z',
      timeZone: 'America/New_York',
      expected: '2026-07-14',
    },
    {
      name: 'spring forward: 2026-03-08T04:59Z is 2026-03-07 23:59 EST',
      at: '2026-03-08T04:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-03-07',
    },
    {
      name: 'spring forward: 2026-03-08T07:00Z is 2026-03-08 03:00 EDT',
      at: '2026-03-08T07:00:00Z',
      timeZone: 'America/New_York',
      expected: '2026-03-08',
    },
    {
      name: 'spring forward: 2026-03-09T03:59Z is 2026-03-08 23:59 EDT',
      at: '2026-03-09T03:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-03-08',
    },
    {
      name: 'fall back: 2026-11-01T03:59Z is 2026-10-31 23:59 EDT',
      at: '2026-11-01T03:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-10-31',
    },
    {
      name: 'fall back: 2026-11-01T06:30Z is the repeated 01:30 EST of 2026-11-01',
      at: '2026-11-01T06:30:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-01',
    },
    {
      name: 'fall back: 2026-11-02T04:59Z is 2026-11-01 23:59 EST',
      at: '2026-11-02T04:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-11-01',
    },
    {
      name: 'year end: 2027-01-01T04:59Z is 2026-12-31 in New York',
      at: '2027-01-01T04:59:00Z',
      timeZone: 'America/New_York',
      expected: '2026-12-31',
    },
    { name: 'UTC reads the UTC date', at: '2026-11-25T03:00:00Z', timeZone: 'UTC', expected: '2026-11-25' },
    {
      name: 'Asia/Tokyo (UTC+9) is already the next day',
      at: '2026-11-24T15:00:00Z',
      timeZone: 'Asia/Tokyo',
      expected: '2026-11-25',
    },
  ])('$name', ({ at: instant, timeZone, expected }) => {
    expect(localDate(at(instant), timeZone)).toBe(expected);
  });
});

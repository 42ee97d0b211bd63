import { describe, expect, it } from 'vitest';
import {
  APPROVAL_PHASES,
  type ApprovalPhase,
  availableTransitions,
  CHANGE_STATES,
  CHANGE_TYPES,
  type ChangeState,
  type ChangeType,
  DECIDING_STATES,
  type DecidingState,
  decisionStage,
  decisionStageOf,
  nextState,
  TRANSITIONS,
  type TransitionName,
} from '../../src/domain/lifecycle.js';
import { PHASE_WORDS } from '../../src/slack/words/states.js';
import { expectDomainError } from './policy-fixture.js';

interface Legal {
  transition: TransitionName;
  type: ChangeType;
  from: ChangeState;
  to: ChangeState;
}

const S: ChangeType = 'standard';
const N: ChangeType = 'normal';
const E: ChangeType = 'emergency';

/** Every legal move, written out by hand (not derived from TRANSITIONS). */
const LEGAL: readonly Legal[] = [
  // Planned changes (3.1, 4.1): approval before anything runs.
  ...[S, N].map((type): Legal => ({ transition: 'request_approval', type, from: 'submitted', to: 'pending_approval' })),
  { transition: 'pre_approve', type: S, from: 'submitted', to: 'approved' },
  ...[S, N].map((type): Legal => ({ transition: 'approve', type, from: 'pending_approval', to: 'approved' })),
  ...[S, N].map((type): Legal => ({ transition: 'reject', type, from: 'pending_approval', to: 'rejected' })),
  ...[S, N].map((type): Legal => ({ transition: 'schedule', type, from: 'approved', to: 'scheduled' })),
  // 9.1: an approved change starts (inside its window, checked by the implementation rules).
  ...[S, N].map((type): Legal => ({ transition: 'start_implementation', type, from: 'approved', to: 'implementing' })),
  ...[S, N].map((type): Legal => ({ transition: 'start_implementation', type, from: 'scheduled', to: 'implementing' })),
  ...[S, N].map((type): Legal => ({ transition: 'complete', type, from: 'implementing', to: 'completed' })),
  ...[S, N].map((type): Legal => ({ transition: 'fail', type, from: 'implementing', to: 'failed' })),
  // 8.4: a completed change that fails its production validation.
  ...[S, N].map((type): Legal => ({ transition: 'fail', type, from: 'completed', to: 'failed' })),
  // A completed low/medium change closes without a post-implementation review (seed workflow 003 steps 8–9).
  ...[S, N].map((type): Legal => ({ transition: 'close_without_review', type, from: 'completed', to: 'closed' })),
  ...[S, N].map((type): Legal => ({ transition: 'roll_back', type, from: 'implementing', to: 'rolled_back' })),
  ...[S, N].map((type): Legal => ({ transition: 'roll_back', type, from: 'failed', to: 'rolled_back' })),
  // Emergency changes: authorized (6.2 "Authorize", 6.3 authorizers),
  // implemented at once, then formally approved afterwards (6.4).
  { transition: 'request_authorization', type: E, from: 'submitted', to: 'pending_authorization' },
  { transition: 'authorize', type: E, from: 'pending_authorization', to: 'authorized' },
  { transition: 'decline', type: E, from: 'pending_authorization', to: 'declined' },
  { transition: 'request_retro_approval', type: E, from: 'authorized', to: 'pending_retro_approval' },
  { transition: 'retro_approve', type: E, from: 'pending_retro_approval', to: 'retro_approved' },
  { transition: 'retro_reject', type: E, from: 'pending_retro_approval', to: 'retro_rejected' },
  // Every type: post-change review (6.2 "Post-Change Review"), close, cancel before anything runs.
  ...[S, N, E].flatMap((type) =>
    (['completed', 'failed', 'rolled_back', 'retro_approved', 'retro_rejected', 'closure_rejected'] as const).map(
      (from): Legal => ({ transition: 'review', type, from, to: 'reviewed' }),
    ),
  ),
  ...[S, N, E].map((type): Legal => ({ transition: 'close', type, from: 'reviewed', to: 'closed' })),
  // Issue 16.5 (MCP4 5.6 "approved by the CTO/CISO for closure"): closing asks for approval when the policy says.
  ...[S, N, E].flatMap((type) =>
    (['completed', 'reviewed', 'closure_rejected'] as const).map(
      (from): Legal => ({ transition: 'request_closure', type, from, to: 'pending_closure' }),
    ),
  ),
  ...[S, N, E].map((type): Legal => ({ transition: 'approve_closure', type, from: 'pending_closure', to: 'closed' })),
  ...[S, N, E].map(
    (type): Legal => ({ transition: 'reject_closure', type, from: 'pending_closure', to: 'closure_rejected' }),
  ),
  ...[S, N, E].flatMap((type) =>
    (['submitted', 'pending_approval', 'approved', 'scheduled', 'pending_authorization'] as const).map(
      (from): Legal => ({ transition: 'cancel', type, from, to: 'cancelled' }),
    ),
  ),
];

const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];
const isLegal = (type: ChangeType, from: ChangeState, transition: TransitionName) =>
  LEGAL.some((move) => move.type === type && move.from === from && move.transition === transition);

describe('legal transitions', () => {
  it('the hand-written table has the expected size (82 moves) and the 22 expected names', () => {
    expect(LEGAL).toHaveLength(82);
    expect([...TRANSITION_NAMES].sort()).toEqual(
      [
        'approve',
        'approve_closure',
        'authorize',
        'cancel',
        'close',
        'close_without_review',
        'complete',
        'decline',
        'fail',
        'pre_approve',
        'reject',
        'reject_closure',
        'request_approval',
        'request_closure',
        'request_authorization',
        'request_retro_approval',
        'retro_approve',
        'retro_reject',
        'review',
        'roll_back',
        'schedule',
        'start_implementation',
      ].sort(),
    );
  });

  it.each(LEGAL.map((move) => ({ ...move, name: `${move.transition} (${move.type}): ${move.from} → ${move.to}` })))(
    '$name',
    ({ transition, type, from, to }) => {
      expect(nextState({ type, state: from }, transition)).toBe(to);
    },
  );
});

describe('everything else is refused with ILLEGAL_TRANSITION', () => {
  const illegal = CHANGE_TYPES.flatMap((type) =>
    CHANGE_STATES.flatMap((state) =>
      TRANSITION_NAMES.filter((transition) => !isLegal(type, state, transition)).map((transition) => ({
        type,
        state,
        transition,
      })),
    ),
  );

  it('the generated list covers every other (type, state, transition) triple', () => {
    expect(illegal).toHaveLength(CHANGE_TYPES.length * CHANGE_STATES.length * TRANSITION_NAMES.length - 82);
    expect(CHANGE_TYPES.length * CHANGE_STATES.length * TRANSITION_NAMES.length).toBe(3 * 20 * 22);
  });

  it('every illegal (type, state, transition) triple throws DomainError ILLEGAL_TRANSITION', () => {
    const accepted: string[] = [];
    for (const { type, state, transition } of illegal) {
      try {
        nextState({ type, state }, transition);
        accepted.push(`${type} ${state} --${transition}-->`);
      } catch (error) {
        expect(error, `${type} ${state} ${transition}`).toMatchObject({
          name: 'DomainError',
          code: 'ILLEGAL_TRANSITION',
        });
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each([
    {
      name: 'normal cannot pre_approve (3.1: only standard changes are pre-authorized)',
      type: N,
      state: 'submitted',
      transition: 'pre_approve',
      says: 'A normal change cannot pre approve',
    },
    {
      name: 'emergency cannot pre_approve',
      type: E,
      state: 'submitted',
      transition: 'pre_approve',
      says: 'A emergency change cannot pre approve',
    },
    {
      name: 'emergency cannot request_approval (6.2: it is authorized, not approved, before it runs)',
      type: E,
      state: 'submitted',
      transition: 'request_approval',
      says: 'A emergency change cannot request approval',
    },
    {
      name: 'emergency cannot approve, even from pending_approval (6.3: authorize instead)',
      type: E,
      state: 'pending_approval',
      transition: 'approve',
      says: 'A emergency change cannot approve',
    },
    {
      name: 'emergency cannot reject (6.3: decline instead)',
      type: E,
      state: 'pending_approval',
      transition: 'reject',
      says: 'A emergency change cannot reject',
    },
    {
      name: 'normal cannot request_authorization (emergency only, 6.2/6.3)',
      type: N,
      state: 'submitted',
      transition: 'request_authorization',
      says: 'A normal change cannot request authorization',
    },
    {
      name: 'standard cannot authorize (emergency only, 6.3)',
      type: S,
      state: 'pending_authorization',
      transition: 'authorize',
      says: 'A standard change cannot authorize',
    },
    {
      name: 'normal cannot decline (emergency only, 6.3)',
      type: N,
      state: 'pending_authorization',
      transition: 'decline',
      says: 'A normal change cannot decline',
    },
    {
      name: 'standard cannot request_retro_approval (emergency only, 6.4)',
      type: S,
      state: 'authorized',
      transition: 'request_retro_approval',
      says: 'A standard change cannot request retro approval',
    },
    {
      name: 'normal cannot retro_reject (emergency only, 6.4)',
      type: N,
      state: 'pending_retro_approval',
      transition: 'retro_reject',
      says: 'A normal change cannot retro reject',
    },
    {
      name: 'emergency cannot authorize a change whose authorization was not requested (6.3)',
      type: E,
      state: 'submitted',
      transition: 'authorize',
      says: 'Cannot authorize a change that is submitted',
    },
    {
      name:
        'emergency cannot request retro approval before it is authorized (6.2: authorize, ' +
        'then implement, then document)',
      type: E,
      state: 'pending_authorization',
      transition: 'request_retro_approval',
      says: 'Cannot request retro approval a change that is pending authorization',
    },
    {
      name: 'emergency cannot retro_approve before retro approval is requested (6.4)',
      type: E,
      state: 'authorized',
      transition: 'retro_approve',
      says: 'Cannot retro approve a change that is authorized',
    },
    {
      name: 'an authorized emergency change cannot be cancelled (6.2: it is being implemented)',
      type: E,
      state: 'authorized',
      transition: 'cancel',
      says: 'Cannot cancel a change that is authorized',
    },
    {
      name: 'a declined emergency change is final (6.3)',
      type: E,
      state: 'declined',
      transition: 'review',
      says: 'Cannot review a change that is declined',
    },
    {
      name: 'an emergency change cannot be closed before its post-change review (6.2)',
      type: E,
      state: 'retro_approved',
      transition: 'close',
      says: 'Cannot close a change that is retro approved',
    },
    {
      name: 'emergency cannot schedule (6.2: it is implemented straight after authorization)',
      type: E,
      state: 'authorized',
      transition: 'schedule',
      says: 'A emergency change cannot schedule',
    },
    {
      name: 'emergency cannot complete',
      type: E,
      state: 'implementing',
      transition: 'complete',
      says: 'A emergency change cannot complete',
    },
    {
      name: 'normal cannot approve a submitted change without requesting approval',
      type: N,
      state: 'submitted',
      transition: 'approve',
      says: 'Cannot approve a change that is submitted',
    },
    {
      name: 'closed is final',
      type: N,
      state: 'closed',
      transition: 'review',
      says: 'Cannot review a change that is closed',
    },
    {
      name: 'a rejected change cannot be cancelled',
      type: N,
      state: 'rejected',
      transition: 'cancel',
      says: 'Cannot cancel a change that is rejected',
    },
    {
      name: 'an implementing change cannot be cancelled',
      type: S,
      state: 'implementing',
      transition: 'cancel',
      says: 'Cannot cancel a change that is implementing',
    },
  ] as const)('$name', ({ type, state, transition, says }) => {
    const error = expectDomainError(() => nextState({ type, state }, transition), 'ILLEGAL_TRANSITION');
    expect(error.message).toContain(says);
  });
});

describe('whole paths', () => {
  function walk(type: ChangeType, transitions: TransitionName[]): ChangeState[] {
    const states: ChangeState[] = ['submitted'];
    for (const transition of transitions)
      states.push(nextState({ type, state: states.at(-1) as ChangeState }, transition));
    return states;
  }

  it('POL-SEC-008 6.2/6.3/6.4 emergency: authorized, then retro-approved, reviewed and closed', () => {
    expect(
      walk('emergency', [
        'request_authorization',
        'authorize',
        'request_retro_approval',
        'retro_approve',
        'review',
        'close',
      ]),
    ).toEqual([
      'submitted',
      'pending_authorization',
      'authorized',
      'pending_retro_approval',
      'retro_approved',
      'reviewed',
      'closed',
    ]);
  });

  it('POL-SEC-008 6.4 emergency: a change rejected in retro-approval still has its post-change review (6.2)', () => {
    expect(
      walk('emergency', [
        'request_authorization',
        'authorize',
        'request_retro_approval',
        'retro_reject',
        'review',
        'close',
      ]),
    ).toEqual([
      'submitted',
      'pending_authorization',
      'authorized',
      'pending_retro_approval',
      'retro_rejected',
      'reviewed',
      'closed',
    ]);
  });

  it('POL-SEC-008 6.3 emergency: a declined change stops there', () => {
    expect(walk('emergency', ['request_authorization', 'decline'])).toEqual([
      'submitted',
      'pending_authorization',
      'declined',
    ]);
    expect(availableTransitions({ type: 'emergency', state: 'declined' })).toEqual([]);
  });

  it('POL-SEC-008 6.3 emergency: a change waiting for authorization may still be cancelled', () => {
    expect(walk('emergency', ['request_authorization', 'cancel'])).toEqual([
      'submitted',
      'pending_authorization',
      'cancelled',
    ]);
  });

  it('POL-SEC-008 4.1 normal: approval, schedule, implement, complete, review, close', () => {
    expect(
      walk('normal', [
        'request_approval',
        'approve',
        'schedule',
        'start_implementation',
        'complete',
        'review',
        'close',
      ]),
    ).toEqual([
      'submitted',
      'pending_approval',
      'approved',
      'scheduled',
      'implementing',
      'completed',
      'reviewed',
      'closed',
    ]);
  });

  it('POL-SEC-008 3.1 standard: pre-approved, then the planned path', () => {
    expect(walk('standard', ['pre_approve', 'schedule', 'start_implementation', 'complete'])).toEqual([
      'submitted',
      'approved',
      'scheduled',
      'implementing',
      'completed',
    ]);
  });

  it('POL-SEC-008 10 normal: a failed change is rolled back and still reviewed', () => {
    expect(
      walk('normal', [
        'request_approval',
        'approve',
        'schedule',
        'start_implementation',
        'fail',
        'roll_back',
        'review',
      ]),
    ).toEqual([
      'submitted',
      'pending_approval',
      'approved',
      'scheduled',
      'implementing',
      'failed',
      'rolled_back',
      'reviewed',
    ]);
  });
});

describe('availableTransitions', () => {
  it.each<{ type: ChangeType; state: ChangeState; expected: TransitionName[] }>([
    { type: 'standard', state: 'submitted', expected: ['request_approval', 'pre_approve', 'cancel'] },
    { type: 'normal', state: 'submitted', expected: ['request_approval', 'cancel'] },
    { type: 'emergency', state: 'submitted', expected: ['request_authorization', 'cancel'] },
    { type: 'normal', state: 'pending_approval', expected: ['approve', 'reject', 'cancel'] },
    // Unreachable for an emergency change, but approve and reject are no longer offered to one (6.3).
    { type: 'emergency', state: 'pending_approval', expected: ['cancel'] },
    { type: 'emergency', state: 'pending_authorization', expected: ['authorize', 'decline', 'cancel'] },
    { type: 'normal', state: 'pending_authorization', expected: ['cancel'] },
    { type: 'emergency', state: 'authorized', expected: ['request_retro_approval'] },
    { type: 'normal', state: 'authorized', expected: [] },
    { type: 'emergency', state: 'pending_retro_approval', expected: ['retro_approve', 'retro_reject'] },
    { type: 'emergency', state: 'retro_approved', expected: ['review'] },
    { type: 'emergency', state: 'retro_rejected', expected: ['review'] },
    { type: 'emergency', state: 'declined', expected: [] },
    { type: 'normal', state: 'approved', expected: ['schedule', 'start_implementation', 'cancel'] },
    { type: 'emergency', state: 'approved', expected: ['cancel'] },
    { type: 'normal', state: 'implementing', expected: ['complete', 'fail', 'roll_back'] },
    { type: 'emergency', state: 'implementing', expected: [] },
    { type: 'normal', state: 'failed', expected: ['roll_back', 'review'] },
    { type: 'standard', state: 'reviewed', expected: ['close', 'request_closure'] },
    { type: 'normal', state: 'pending_closure', expected: ['approve_closure', 'reject_closure'] },
    { type: 'emergency', state: 'closure_rejected', expected: ['review', 'request_closure'] },
    { type: 'normal', state: 'rejected', expected: [] },
    { type: 'normal', state: 'cancelled', expected: [] },
    { type: 'emergency', state: 'closed', expected: [] },
  ])('$type in $state offers $expected', ({ type, state, expected }) => {
    expect(availableTransitions({ type, state })).toEqual(expected);
  });

  it('for every type and state it lists exactly the moves of the legal table, and nextState accepts each', () => {
    for (const type of CHANGE_TYPES) {
      for (const state of CHANGE_STATES) {
        const expected = TRANSITION_NAMES.filter((transition) => isLegal(type, state, transition)).sort();
        const offered = availableTransitions({ type, state });
        expect([...offered].sort(), `${type} ${state}`).toEqual(expected);
        for (const transition of offered) {
          const move = LEGAL.find(
            (candidate) => candidate.type === type && candidate.from === state && candidate.transition === transition,
          );
          expect(nextState({ type, state }, transition), `${type} ${state} ${transition}`).toBe(move?.to);
        }
      }
    }
  });

  it('terminal states offer nothing to any type', () => {
    for (const type of CHANGE_TYPES) {
      for (const state of ['rejected', 'declined', 'closed', 'cancelled'] as const) {
        expect(availableTransitions({ type, state }), `${type} ${state}`).toEqual([]);
      }
    }
  });
});

describe('decisionStage', () => {
  interface StageRow {
    name: string;
    state: DecidingState;
    types: readonly ChangeType[];
    phase: ApprovalPhase;
    approve: TransitionName;
    approvedTo: ChangeState;
    reject: TransitionName;
    rejectedTo: ChangeState;
    words: { approve: string; reject: string; approved: string; rejected: string };
  }

  /** The three states in which a change waits for a decision, written out by hand. */
  const STAGE_ROWS: readonly StageRow[] = [
    {
      name: 'POL-SEC-008 4.4 planned approval',
      state: 'pending_approval',
      types: [S, N],
      phase: 'approval',
      approve: 'approve',
      approvedTo: 'approved',
      reject: 'reject',
      rejectedTo: 'rejected',
      words: { approve: 'Approve', reject: 'Reject', approved: 'approved', rejected: 'rejected' },
    },
    {
      name: 'POL-SEC-008 6.3 emergency authorization',
      state: 'pending_authorization',
      types: [E],
      phase: 'authorization',
      approve: 'authorize',
      approvedTo: 'authorized',
      reject: 'decline',
      rejectedTo: 'declined',
      words: { approve: 'Authorize', reject: 'Decline', approved: 'authorized', rejected: 'declined' },
    },
    {
      name: 'POL-SEC-008 6.4 emergency formal approval afterwards',
      state: 'pending_retro_approval',
      types: [E],
      phase: 'retro_approval',
      approve: 'retro_approve',
      approvedTo: 'retro_approved',
      reject: 'retro_reject',
      rejectedTo: 'retro_rejected',
      words: {
        approve: 'Approve',
        reject: 'Reject',
        approved: 'retro-approved',
        rejected: 'rejected in retro-approval',
      },
    },
    {
      name: 'MCP4 5.6 approval to close (implementation.closure_approval_any_of)',
      state: 'pending_closure',
      types: [S, N, E],
      phase: 'closure',
      approve: 'approve_closure',
      approvedTo: 'closed',
      reject: 'reject_closure',
      rejectedTo: 'closure_rejected',
      words: { approve: 'Approve closure', reject: 'Refuse closure', approved: 'closed', rejected: 'refused closure' },
    },
  ];
  const DECIDING: readonly ChangeState[] = STAGE_ROWS.map((row) => row.state);

  it('APPROVAL_PHASES are the four phases, in order, each decided in exactly one state', () => {
    expect(APPROVAL_PHASES).toEqual(['approval', 'authorization', 'retro_approval', 'closure']);
    expect(STAGE_ROWS.map((row) => row.phase)).toEqual([...APPROVAL_PHASES]);
  });

  it('DECIDING_STATES are exactly the pending approval, authorization, retro-approval and closure states', () => {
    expect([...DECIDING_STATES].sort()).toEqual([
      'pending_approval',
      'pending_authorization',
      'pending_closure',
      'pending_retro_approval',
    ]);
  });

  it.each(STAGE_ROWS)(
    '$name: $state is decided in phase $phase by $approve / $reject',
    ({ state, phase, approve, reject, words }) => {
      const stage = decisionStage(state);
      expect(stage && { ...stage, words: PHASE_WORDS[stage.phase] }).toEqual({ phase, approve, reject, words });
    },
  );

  it.each(STAGE_ROWS)(
    '$name: decisionStageOf($state) gives the same stage',
    ({ state, phase, approve, reject, words }) => {
      const stage = decisionStageOf(state);
      expect({ ...stage, words: PHASE_WORDS[stage.phase] }).toEqual({ phase, approve, reject, words });
    },
  );

  it.each(STAGE_ROWS)(
    '$name: approving moves $state to $approvedTo and rejecting to $rejectedTo, for the types decided there only',
    ({ state, types, approve, approvedTo, reject, rejectedTo }) => {
      for (const type of CHANGE_TYPES) {
        if (types.includes(type)) {
          expect(nextState({ type, state }, approve), `${type} ${approve}`).toBe(approvedTo);
          expect(nextState({ type, state }, reject), `${type} ${reject}`).toBe(rejectedTo);
        } else {
          expectDomainError(() => nextState({ type, state }, approve), 'ILLEGAL_TRANSITION');
          expectDomainError(() => nextState({ type, state }, reject), 'ILLEGAL_TRANSITION');
        }
      }
    },
  );

  it.each(CHANGE_STATES.filter((state) => !DECIDING.includes(state)))('%s waits for no decision', (state) => {
    expect(decisionStage(state)).toBeUndefined();
  });

  it('16 states wait for no decision, among them the ones the decisions lead to', () => {
    const undecided = CHANGE_STATES.filter((state) => decisionStage(state) === undefined);
    expect(undecided).toHaveLength(16);
    for (const state of [
      'approved',
      'rejected',
      'authorized',
      'declined',
      'retro_approved',
      'retro_rejected',
      'closed',
      'closure_rejected',
    ] as const) {
      expect(undecided, state).toContain(state);
    }
  });
});

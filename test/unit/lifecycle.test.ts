import { describe, expect, it } from 'vitest';
import {
  availableTransitions,
  CHANGE_STATES,
  CHANGE_TYPES,
  type ChangeState,
  type ChangeType,
  nextState,
  TRANSITIONS,
  type TransitionName,
} from '../../src/domain/lifecycle.js';
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
  ...[S, N, E].map((type): Legal => ({ transition: 'request_approval', type, from: 'submitted', to: 'pending_approval' })),
  { transition: 'pre_approve', type: S, from: 'submitted', to: 'approved' },
  ...[S, N, E].map((type): Legal => ({ transition: 'approve', type, from: 'pending_approval', to: 'approved' })),
  ...[S, N, E].map((type): Legal => ({ transition: 'reject', type, from: 'pending_approval', to: 'rejected' })),
  ...[S, N].map((type): Legal => ({ transition: 'schedule', type, from: 'approved', to: 'scheduled' })),
  ...[S, N].map((type): Legal => ({ transition: 'start_implementation', type, from: 'scheduled', to: 'implementing' })),
  ...[S, N].map((type): Legal => ({ transition: 'complete', type, from: 'implementing', to: 'completed' })),
  ...[S, N].map((type): Legal => ({ transition: 'fail', type, from: 'implementing', to: 'failed' })),
  ...[S, N].map((type): Legal => ({ transition: 'roll_back', type, from: 'implementing', to: 'rolled_back' })),
  ...[S, N].map((type): Legal => ({ transition: 'roll_back', type, from: 'failed', to: 'rolled_back' })),
  { transition: 'record_implementation', type: E, from: 'approved', to: 'implemented' },
  { transition: 'request_retro_approval', type: E, from: 'implemented', to: 'pending_retro_approval' },
  { transition: 'retro_approve', type: E, from: 'pending_retro_approval', to: 'documented' },
  ...[S, N, E].flatMap((type) =>
    (['completed', 'failed', 'rolled_back', 'documented'] as const).map((from): Legal => ({ transition: 'review', type, from, to: 'reviewed' })),
  ),
  ...[S, N, E].map((type): Legal => ({ transition: 'close', type, from: 'reviewed', to: 'closed' })),
  ...[S, N, E].flatMap((type) =>
    (['submitted', 'pending_approval', 'approved', 'scheduled'] as const).map((from): Legal => ({ transition: 'cancel', type, from, to: 'cancelled' })),
  ),
];

const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];
const isLegal = (type: ChangeType, from: ChangeState, transition: TransitionName) =>
  LEGAL.some((move) => move.type === type && move.from === from && move.transition === transition);

describe('legal transitions', () => {
  it('the hand-written table has the expected size (52 moves) and the 15 expected names', () => {
    expect(LEGAL).toHaveLength(52);
    expect([...TRANSITION_NAMES].sort()).toEqual(
      [
        'approve',
        'cancel',
        'close',
        'complete',
        'fail',
        'pre_approve',
        'record_implementation',
        'reject',
        'request_approval',
        'request_retro_approval',
        'retro_approve',
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
      TRANSITION_NAMES.filter((transition) => !isLegal(type, state, transition)).map((transition) => ({ type, state, transition })),
    ),
  );

  it('the generated list covers every other (type, state, transition) triple', () => {
    expect(illegal).toHaveLength(CHANGE_TYPES.length * CHANGE_STATES.length * TRANSITION_NAMES.length - 52);
    expect(CHANGE_TYPES.length * CHANGE_STATES.length * TRANSITION_NAMES.length).toBe(3 * 15 * 15);
  });

  it('every illegal (type, state, transition) triple throws DomainError ILLEGAL_TRANSITION', () => {
    const accepted: string[] = [];
    for (const { type, state, transition } of illegal) {
      try {
        nextState({ type, state }, transition);
        accepted.push(`${type} ${state} --${transition}-->`);
      } catch (error) {
        expect(error, `${type} ${state} ${transition}`).toMatchObject({ name: 'DomainError', code: 'ILLEGAL_TRANSITION' });
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each([
    { name: 'normal cannot pre_approve (3.1: only standard changes are pre-authorized)', type: N, state: 'submitted', transition: 'pre_approve', says: 'A normal change cannot pre approve' },
    { name: 'emergency cannot pre_approve', type: E, state: 'submitted', transition: 'pre_approve', says: 'A emergency change cannot pre approve' },
    { name: 'normal cannot record_implementation (emergency only, 6.2)', type: N, state: 'approved', transition: 'record_implementation', says: 'A normal change cannot record implementation' },
    { name: 'standard cannot request_retro_approval', type: S, state: 'implemented', transition: 'request_retro_approval', says: 'cannot request retro approval' },
    { name: 'emergency cannot schedule (it is implemented straight after approval)', type: E, state: 'approved', transition: 'schedule', says: 'A emergency change cannot schedule' },
    { name: 'emergency cannot complete', type: E, state: 'implementing', transition: 'complete', says: 'A emergency change cannot complete' },
    { name: 'normal cannot approve a submitted change without requesting approval', type: N, state: 'submitted', transition: 'approve', says: 'Cannot approve a change that is submitted' },
    { name: 'closed is final', type: N, state: 'closed', transition: 'review', says: 'Cannot review a change that is closed' },
    { name: 'a rejected change cannot be cancelled', type: N, state: 'rejected', transition: 'cancel', says: 'Cannot cancel a change that is rejected' },
    { name: 'an implementing change cannot be cancelled', type: S, state: 'implementing', transition: 'cancel', says: 'Cannot cancel a change that is implementing' },
    { name: 'an emergency change cannot be closed before review', type: E, state: 'documented', transition: 'close', says: 'Cannot close a change that is documented' },
  ] as const)('$name', ({ type, state, transition, says }) => {
    const error = expectDomainError(() => nextState({ type, state }, transition), 'ILLEGAL_TRANSITION');
    expect(error.message).toContain(says);
  });
});

describe('whole paths', () => {
  function walk(type: ChangeType, transitions: TransitionName[]): ChangeState[] {
    const states: ChangeState[] = ['submitted'];
    for (const transition of transitions) states.push(nextState({ type, state: states.at(-1) as ChangeState }, transition));
    return states;
  }

  it('POL-SEC-008 6.2/6.4 emergency: approved → implemented → pending_retro_approval → documented → reviewed → closed', () => {
    expect(
      walk('emergency', ['request_approval', 'approve', 'record_implementation', 'request_retro_approval', 'retro_approve', 'review', 'close']),
    ).toEqual(['submitted', 'pending_approval', 'approved', 'implemented', 'pending_retro_approval', 'documented', 'reviewed', 'closed']);
  });

  it('POL-SEC-008 4.1 normal: approval, schedule, implement, complete, review, close', () => {
    expect(walk('normal', ['request_approval', 'approve', 'schedule', 'start_implementation', 'complete', 'review', 'close'])).toEqual([
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
    expect(walk('normal', ['request_approval', 'approve', 'schedule', 'start_implementation', 'fail', 'roll_back', 'review'])).toEqual([
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
    { type: 'emergency', state: 'submitted', expected: ['request_approval', 'cancel'] },
    { type: 'normal', state: 'pending_approval', expected: ['approve', 'reject', 'cancel'] },
    { type: 'normal', state: 'approved', expected: ['schedule', 'cancel'] },
    { type: 'emergency', state: 'approved', expected: ['record_implementation', 'cancel'] },
    { type: 'normal', state: 'implementing', expected: ['complete', 'fail', 'roll_back'] },
    { type: 'normal', state: 'failed', expected: ['roll_back', 'review'] },
    { type: 'emergency', state: 'implemented', expected: ['request_retro_approval'] },
    { type: 'emergency', state: 'pending_retro_approval', expected: ['retro_approve'] },
    { type: 'emergency', state: 'documented', expected: ['review'] },
    { type: 'standard', state: 'reviewed', expected: ['close'] },
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
          const move = LEGAL.find((candidate) => candidate.type === type && candidate.from === state && candidate.transition === transition);
          expect(nextState({ type, state }, transition), `${type} ${state} ${transition}`).toBe(move?.to);
        }
      }
    }
  });

  it('terminal states offer nothing to any type', () => {
    for (const type of CHANGE_TYPES) {
      for (const state of ['rejected', 'closed', 'cancelled'] as const) {
        expect(availableTransitions({ type, state }), `${type} ${state}`).toEqual([]);
      }
    }
  });
});

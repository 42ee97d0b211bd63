// The POL-SEC-008 section 7 board: votes and decisions (7.1 "Chair (Release Manager) | Facilitate
// meetings, final decisions"), the meeting's minutes (11.1), and the values its buttons carry.
import { describe, expect, it } from 'vitest';
import {
  type BallotContext,
  type BallotKind,
  ballotKindOf,
  ballotRefusal,
  buildMinutes,
  CAB_OUTCOMES,
  type CabOutcome,
  type CabVote,
  decisionRuleFor,
  type Minutes,
  type MinutesItem,
  mayCloseMeeting,
  quorumOutcome,
  tally,
} from '../../src/domain/cab.js';
import {
  ACTIONS,
  type BallotValue,
  CAB_BALLOT_ACTION,
  cabBallotActionId,
  encodeBallotValue,
  encodeMeetingValue,
  parseBallotValue,
  parseMeetingValue,
} from '../../src/slack/ids.js';
import { ballotRefusalText } from '../../src/slack/words/cab.js';

const BALLOT_KINDS: readonly BallotKind[] = ['vote', 'decide'];

const CHAIR = 'UCHAIR';
const REQUESTER = 'UREQ';
const OWNER = 'UOWN';
const MEMBERS = ['UM1', 'UM2', 'UM3', REQUESTER, OWNER, CHAIR];

/** Votes from a compact spec: "approve:UM1" etc. */
const votes = (...specs: `${CabOutcome}:${string}`[]): CabVote[] =>
  specs.map((spec) => {
    const [vote, voterId] = spec.split(':');
    const outcome = CAB_OUTCOMES.find((candidate) => candidate === vote);
    if (outcome === undefined || voterId === undefined) throw new Error(`bad vote spec ${spec}`);
    return { voterId, vote: outcome };
  });

describe('tally', () => {
  it('no votes: every outcome present, all empty', () => {
    expect(tally([])).toEqual({ approve: [], reject: [], defer: [] });
  });

  it('groups voters by outcome, keeping the order they voted in', () => {
    expect(tally(votes('defer:UM3', 'approve:UM2', 'reject:UM4', 'approve:UM1'))).toEqual({
      approve: ['UM2', 'UM1'],
      reject: ['UM4'],
      defer: ['UM3'],
    });
  });
});

describe('quorumOutcome: the quorum rule', () => {
  it.each([
    { name: 'no votes → undecided', votes: votes(), quorum: 1, outcome: undefined },
    { name: 'a quorum of 1: the first vote decides', votes: votes('approve:UM1'), quorum: 1, outcome: 'approve' },
    {
      name: 'two approvals of three → not reached',
      votes: votes('approve:UM1', 'approve:UM2'),
      quorum: 3,
      outcome: undefined,
    },
    {
      name: 'three approvals of three → approved',
      votes: votes('approve:UM1', 'approve:UM2', 'approve:UM3'),
      quorum: 3,
      outcome: 'approve',
    },
    {
      name: 'three defers of three → deferred',
      votes: votes('defer:UM1', 'defer:UM2', 'defer:UM3', 'approve:UM4'),
      quorum: 3,
      outcome: 'defer',
    },
    {
      name: 'three rejections of three → rejected',
      votes: votes('reject:UM1', 'reject:UM2', 'reject:UM3'),
      quorum: 3,
      outcome: 'reject',
    },
    {
      name: 'four votes, split, none at three → not reached',
      votes: votes('approve:UM1', 'approve:UM2', 'reject:UM3', 'defer:UM4'),
      quorum: 3,
      outcome: undefined,
    },
    {
      name: 'more than the quorum still decides',
      votes: votes('approve:UM1', 'approve:UM2', 'approve:UM3', 'approve:UM4', 'reject:UM5'),
      quorum: 3,
      outcome: 'approve',
    },
    // Two outcomes at quorum (the quorum was lowered): the cautious one, reject before defer before approve.
    {
      name: 'approve and reject both at quorum → reject',
      votes: votes('approve:UM1', 'approve:UM2', 'reject:UM3', 'reject:UM4'),
      quorum: 2,
      outcome: 'reject',
    },
    {
      name: 'approve and defer both at quorum → defer',
      votes: votes('approve:UM1', 'approve:UM2', 'defer:UM3', 'defer:UM4'),
      quorum: 2,
      outcome: 'defer',
    },
    {
      name: 'defer and reject both at quorum → reject',
      votes: votes('defer:UM1', 'defer:UM2', 'reject:UM3', 'reject:UM4'),
      quorum: 2,
      outcome: 'reject',
    },
    {
      name: 'all three at quorum, approvals the most → reject',
      votes: votes('approve:UM1', 'approve:UM2', 'approve:UM3', 'defer:UM4', 'reject:UM5'),
      quorum: 1,
      outcome: 'reject',
    },
  ])('$name', ({ votes: cast, quorum, outcome }) => {
    expect(quorumOutcome(cast, quorum)).toBe(outcome);
  });
});

describe('ballotRefusal: 7.1 the chair makes the final decision; members vote', () => {
  const chairRule: BallotContext = {
    ref: 'CHG-7',
    rule: 'chair',
    quorum: 3,
    chairId: CHAIR,
    members: MEMBERS,
    requesterId: REQUESTER,
    ownerId: OWNER,
  };
  const quorumRule: BallotContext = { ...chairRule, rule: 'quorum' };
  /** The refusal in the words the user reads. */
  const refusalText = (context: BallotContext, actor: string, kind: BallotKind) => {
    const refusal = ballotRefusal(context, actor, kind);
    return refusal && ballotRefusalText(refusal);
  };

  const REQUESTED = 'You requested CHG-7, so the board decides it without you.';
  const OWNED = 'You own CHG-7, so the board decides it without you.';
  const NOT_MEMBER = 'Only CAB members vote on CHG-7; nothing was recorded.';
  const NOT_CHAIR = "Only the CAB chair decides CHG-7; your vote is shown beside the chair's buttons.";
  const BY_QUORUM = 'The CAB decides CHG-7 by a quorum of 3 votes; vote instead.';

  it.each([
    // Nobody votes on their own change, whatever their seat on the board.
    {
      name: 'the requester, a member, votes → refused',
      context: chairRule,
      actor: REQUESTER,
      kind: 'vote',
      refusal: REQUESTED,
    },
    { name: 'the owner, a member, votes → refused', context: chairRule, actor: OWNER, kind: 'vote', refusal: OWNED },
    {
      name: 'the owner votes under the quorum rule → refused',
      context: quorumRule,
      actor: OWNER,
      kind: 'vote',
      refusal: OWNED,
    },
    {
      name: '7.1: the chair who requested the change decides → refused',
      context: { ...chairRule, requesterId: CHAIR },
      actor: CHAIR,
      kind: 'decide',
      refusal: REQUESTED,
    },
    {
      name: '7.1: the chair who owns the change decides → refused',
      context: { ...chairRule, ownerId: CHAIR },
      actor: CHAIR,
      kind: 'decide',
      refusal: OWNED,
    },
    // Voting.
    {
      name: 'a member votes (chair rule) → allowed',
      context: chairRule,
      actor: 'UM1',
      kind: 'vote',
      refusal: undefined,
    },
    {
      name: 'a member votes (quorum rule) → allowed',
      context: quorumRule,
      actor: 'UM2',
      kind: 'vote',
      refusal: undefined,
    },
    { name: 'a non-member votes → refused', context: chairRule, actor: 'UOUTSIDER', kind: 'vote', refusal: NOT_MEMBER },
    {
      name: 'a non-member votes under the quorum rule → refused',
      context: quorumRule,
      actor: 'UOUTSIDER',
      kind: 'vote',
      refusal: NOT_MEMBER,
    },
    { name: '7.1: the chair votes → allowed', context: chairRule, actor: CHAIR, kind: 'vote', refusal: undefined },
    {
      name: "7.1: the chair, not in the board's role, still votes",
      context: { ...chairRule, members: ['UM1', 'UM2'] },
      actor: CHAIR,
      kind: 'vote',
      refusal: undefined,
    },
    {
      name: '7.1: the chair votes on a board with no members listed',
      context: { ...quorumRule, members: [] },
      actor: CHAIR,
      kind: 'vote',
      refusal: undefined,
    },
    {
      name: 'no chair configured: a non-member still cannot vote',
      context: { ...chairRule, chairId: undefined },
      actor: 'UOUTSIDER',
      kind: 'vote',
      refusal: NOT_MEMBER,
    },
    // Deciding under the chair rule: 7.1 "final decisions" are the chair's.
    { name: '7.1: the chair decides → allowed', context: chairRule, actor: CHAIR, kind: 'decide', refusal: undefined },
    {
      name: "7.1: the chair, not in the board's role, decides → allowed",
      context: { ...chairRule, members: ['UM1'] },
      actor: CHAIR,
      kind: 'decide',
      refusal: undefined,
    },
    { name: '7.1: a member decides → refused', context: chairRule, actor: 'UM1', kind: 'decide', refusal: NOT_CHAIR },
    {
      name: '7.1: a non-member decides → refused',
      context: chairRule,
      actor: 'UOUTSIDER',
      kind: 'decide',
      refusal: NOT_CHAIR,
    },
    {
      name: '7.1: no chair configured, a member decides → refused',
      context: { ...chairRule, chairId: undefined },
      actor: 'UM1',
      kind: 'decide',
      refusal: NOT_CHAIR,
    },
    // Deciding under the quorum rule: nobody decides alone.
    {
      name: 'quorum rule: a member decides → refused',
      context: quorumRule,
      actor: 'UM1',
      kind: 'decide',
      refusal: BY_QUORUM,
    },
    {
      name: 'quorum rule: the chair decides → refused',
      context: quorumRule,
      actor: CHAIR,
      kind: 'decide',
      refusal: BY_QUORUM,
    },
    {
      name: 'quorum rule: a non-member decides → refused',
      context: quorumRule,
      actor: 'UOUTSIDER',
      kind: 'decide',
      refusal: BY_QUORUM,
    },
  ] satisfies { name: string; context: BallotContext; actor: string; kind: BallotKind; refusal: string | undefined }[])(
    '$name',
    ({ context, actor, kind, refusal }) => {
      expect(refusalText(context, actor, kind)).toBe(refusal);
    },
  );

  it.each([1, 2, 5])('quorum rule: the refusal names the quorum (%i)', (quorum) => {
    expect(refusalText({ ...quorumRule, quorum }, 'UM1', 'decide')).toContain(`a quorum of ${quorum} votes`);
  });
});

describe("ballotKindOf: everyone sees the same buttons; under the chair rule the chair's click decides", () => {
  it.each([
    {
      name: 'chair rule: the chair clicks a vote button → decides',
      rule: 'chair',
      actor: CHAIR,
      clicked: 'vote',
      casts: 'decide',
    },
    {
      name: 'chair rule: the chair clicks decide → decides',
      rule: 'chair',
      actor: CHAIR,
      clicked: 'decide',
      casts: 'decide',
    },
    {
      name: 'chair rule: a member clicks a vote button → votes',
      rule: 'chair',
      actor: 'UM1',
      clicked: 'vote',
      casts: 'vote',
    },
    {
      name: 'chair rule: a member clicks decide → as clicked',
      rule: 'chair',
      actor: 'UM1',
      clicked: 'decide',
      casts: 'decide',
    },
    {
      name: 'quorum rule: the chair clicks a vote button → votes',
      rule: 'quorum',
      actor: CHAIR,
      clicked: 'vote',
      casts: 'vote',
    },
    {
      name: 'quorum rule: the chair clicks decide → as clicked',
      rule: 'quorum',
      actor: CHAIR,
      clicked: 'decide',
      casts: 'decide',
    },
  ] satisfies { name: string; rule: BallotContext['rule']; actor: string; clicked: BallotKind; casts: BallotKind }[])(
    '$name',
    ({ rule, actor, clicked, casts }) => {
      expect(ballotKindOf({ rule, chairId: CHAIR }, actor, clicked)).toBe(casts);
    },
  );

  it('chair rule with no chair configured: every click is as clicked', () => {
    for (const clicked of BALLOT_KINDS)
      expect(ballotKindOf({ rule: 'chair', chairId: undefined }, CHAIR, clicked)).toBe(clicked);
  });
});

describe('mayCloseMeeting: the chair closes, or any member when there is no chair', () => {
  it.each([
    { name: '7.1: the chair', actor: CHAIR, chairId: CHAIR, members: MEMBERS, may: true },
    { name: "7.1: the chair, not in the board's role", actor: CHAIR, chairId: CHAIR, members: ['UM1'], may: true },
    { name: 'a member, when there is a chair', actor: 'UM1', chairId: CHAIR, members: MEMBERS, may: false },
    { name: 'a non-member, when there is a chair', actor: 'UOUTSIDER', chairId: CHAIR, members: MEMBERS, may: false },
    { name: 'no chair: a member', actor: 'UM1', chairId: undefined, members: MEMBERS, may: true },
    { name: 'no chair: a non-member', actor: 'UOUTSIDER', chairId: undefined, members: MEMBERS, may: false },
    { name: 'no chair and no members: nobody', actor: 'UM1', chairId: undefined, members: [], may: false },
  ])('$name → $may', ({ actor, chairId, members, may }) => {
    expect(mayCloseMeeting(actor, chairId, members)).toBe(may);
  });
});

describe('buildMinutes: 11.1 the record of a meeting', () => {
  const approved: MinutesItem = {
    ref: 'CHG-7',
    title: 'Rotate TLS certificates',
    phase: 'approval',
    outcome: 'approve',
    decidedBy: CHAIR,
    reason: null,
    votes: votes('approve:UM1', 'reject:UM2'),
  };
  const deferred: MinutesItem = {
    ref: 'CHG-8',
    title: 'Upgrade the database',
    phase: 'approval',
    outcome: 'defer',
    decidedBy: CHAIR,
    reason: 'Needs a rollback plan.',
    votes: votes('defer:UM2', 'defer:UM3'),
  };
  const notReached: MinutesItem = {
    ref: 'CHG-9',
    title: 'Not reached',
    phase: 'approval',
    outcome: null,
    decidedBy: null,
    reason: null,
    votes: [],
  };
  const meeting: Omit<Minutes, 'participants' | 'closedAt'> = {
    kind: 'regular',
    meetingAt: '2026-11-18T15:00:00.000Z',
    late: false,
    chairId: CHAIR,
    closedBy: 'UM1',
    notes: 'Quiet week.',
    items: [approved, deferred, notReached],
  };

  it('participants: every voter, decider and the closer, each once', () => {
    const minutes = buildMinutes(meeting, new Date('2026-11-18T16:30:00Z'));
    expect([...minutes.participants].sort()).toEqual(['UCHAIR', 'UM1', 'UM2', 'UM3']);
    expect(new Set(minutes.participants).size).toBe(minutes.participants.length);
  });

  it.each([
    { name: 'a closer who took no other part is a participant', closedBy: 'UM9', items: [], participants: ['UM9'] },
    {
      name: 'a decider who did not vote is a participant',
      closedBy: 'UM1',
      items: [{ ...approved, votes: [] }],
      participants: ['UCHAIR', 'UM1'],
    },
    {
      name: 'a voter on several items appears once',
      closedBy: 'UM1',
      items: [deferred, deferred],
      participants: ['UCHAIR', 'UM1', 'UM2', 'UM3'],
    },
  ] satisfies { name: string; closedBy: string; items: Minutes['items']; participants: string[] }[])(
    '$name',
    ({ closedBy, items, participants }) => {
      expect(
        [...buildMinutes({ ...meeting, closedBy, items }, new Date('2026-11-18T16:30:00Z')).participants].sort(),
      ).toEqual(participants);
    },
  );

  it('closedAt is the ISO instant, and the rest of the meeting is kept as given', () => {
    const minutes = buildMinutes(meeting, new Date('2026-11-18T16:30:05.250Z'));
    expect(minutes.closedAt).toBe('2026-11-18T16:30:05.250Z');
    expect(minutes).toMatchObject(meeting);
    expect(meeting).not.toHaveProperty('participants');
    expect(meeting).not.toHaveProperty('closedAt');
  });
});

describe('ballot values: "ITEM-7:vote:approve"', () => {
  const values: BallotValue[] = [1, 7, 9_999_999_999].flatMap((itemId) =>
    BALLOT_KINDS.flatMap((kind) => CAB_OUTCOMES.map((outcome) => ({ itemId, kind, outcome }))),
  );

  it.each(values)('ITEM-$itemId:$kind:$outcome round-trips', (value) => {
    const encoded = encodeBallotValue(value);
    expect(encoded).toBe(`ITEM-${value.itemId}:${value.kind}:${value.outcome}`);
    expect(parseBallotValue(encoded)).toEqual(value);
  });

  it('ten digits is the longest item ID accepted', () => {
    expect(parseBallotValue('ITEM-1234567890:decide:defer')).toEqual({
      itemId: 1_234_567_890,
      kind: 'decide',
      outcome: 'defer',
    });
  });

  it.each([
    { name: 'item 0', value: 'ITEM-0:vote:approve' },
    { name: 'a leading zero', value: 'ITEM-01:vote:approve' },
    { name: 'eleven digits', value: 'ITEM-12345678901:vote:approve' },
    { name: 'an unknown outcome', value: 'ITEM-1:vote:maybe' },
    { name: 'an outcome in the wrong case', value: 'ITEM-1:vote:Approve' },
    { name: 'a prototype key as the outcome', value: 'ITEM-1:vote:constructor' },
    { name: 'an unknown kind', value: 'ITEM-1:elect:approve' },
    { name: 'a kind in the wrong case', value: 'ITEM-1:VOTE:approve' },
    { name: 'no outcome', value: 'ITEM-1:vote' },
    { name: 'a trailing field', value: 'ITEM-1:vote:approve:extra' },
    { name: 'a trailing newline', value: 'ITEM-1:vote:approve\n' },
    { name: 'a leading space', value: ' ITEM-1:vote:approve' },
    { name: 'lower-case prefix', value: 'item-1:vote:approve' },
    { name: 'a meeting value', value: 'CAB-x' },
    { name: 'a change value', value: 'CHG-1' },
    { name: 'empty', value: '' },
    { name: 'missing', value: undefined },
  ])('rejects $name ($value)', ({ value }) => {
    expect(parseBallotValue(value)).toBeUndefined();
  });
});

describe('meeting values: "CAB-4"', () => {
  it.each([1, 4, 1_234_567_890])('CAB-%i round-trips', (meetingId) => {
    expect(encodeMeetingValue(meetingId)).toBe(`CAB-${meetingId}`);
    expect(parseMeetingValue(encodeMeetingValue(meetingId))).toBe(meetingId);
  });

  it.each([
    { name: 'not a number', value: 'CAB-x' },
    { name: 'meeting 0', value: 'CAB-0' },
    { name: 'a leading zero', value: 'CAB-04' },
    { name: 'eleven digits', value: 'CAB-12345678901' },
    { name: 'lower-case prefix', value: 'cab-4' },
    { name: 'a trailing space', value: 'CAB-4 ' },
    { name: 'a ballot value', value: 'ITEM-1:vote:approve' },
    { name: 'empty', value: '' },
    { name: 'missing', value: undefined },
  ])('rejects $name ($value)', ({ value }) => {
    expect(parseMeetingValue(value)).toBeUndefined();
  });
});

describe('ballot action IDs', () => {
  const pairs = BALLOT_KINDS.flatMap((kind) => CAB_OUTCOMES.map((outcome) => ({ kind, outcome })));

  it.each(pairs)('cab_ballot_$kind_$outcome matches CAB_BALLOT_ACTION and captures both', ({ kind, outcome }) => {
    const actionId = cabBallotActionId(kind, outcome);
    expect(actionId).toBe(`cab_ballot_${kind}_${outcome}`);
    const match = CAB_BALLOT_ACTION.exec(actionId);
    expect(match?.slice(1)).toEqual([kind, outcome]);
  });

  it('every kind and outcome has its own action ID', () => {
    expect(new Set(pairs.map(({ kind, outcome }) => cabBallotActionId(kind, outcome))).size).toBe(pairs.length);
  });

  it.each([
    'cab_ballot_vote_maybe',
    'cab_ballot_elect_approve',
    'cab_ballot_vote_approve_x',
    'xcab_ballot_vote_approve',
    'cab_ballot_vote',
    'CAB_BALLOT_VOTE_APPROVE',
    '',
    ...Object.values(ACTIONS),
  ])('does not match %j', (actionId) => {
    expect(CAB_BALLOT_ACTION.test(actionId)).toBe(false);
  });
});

describe('decisionRuleFor: a chair who requested or owns the change does not decide it (7.1)', () => {
  const change = { requesterId: 'U0REQ0001', ownerId: 'U0OWN0001' };
  it.each([
    {
      name: 'chair rule, chair uninvolved: the chair decides',
      cab: { decision_rule: 'chair' as const, chair: 'U0CHAIR01' },
      expected: 'chair',
    },
    {
      name: 'chair rule, the chair requested it: the quorum decides',
      cab: { decision_rule: 'chair' as const, chair: 'U0REQ0001' },
      expected: 'quorum',
    },
    {
      name: 'chair rule, the chair owns it: the quorum decides',
      cab: { decision_rule: 'chair' as const, chair: 'U0OWN0001' },
      expected: 'quorum',
    },
    {
      name: 'chair rule, no chair set: stays the chair rule (the policy requires a chair with a channel)',
      cab: { decision_rule: 'chair' as const, chair: undefined },
      expected: 'chair',
    },
    {
      name: 'quorum rule stays the quorum rule',
      cab: { decision_rule: 'quorum' as const, chair: 'U0REQ0001' },
      expected: 'quorum',
    },
  ])('$name', ({ cab, expected }) => {
    expect(decisionRuleFor(cab, change)).toBe(expected);
  });
});

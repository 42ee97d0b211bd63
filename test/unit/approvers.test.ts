// chooseCandidates, approvalsComplete and decisionEligibility: who is asked
// to approve a change, when a phase is decided, and who may decide on it.
import { describe, expect, it } from 'vitest';
import {
  approvalsComplete,
  chooseCandidates,
  type DecisionContext,
  decisionEligibility,
  type Eligibility,
  holdersOf,
  isAskedNow,
  type RequirementCandidates,
  type RequirementState,
} from '../../src/domain/approvers.js';
import { type ApprovalPhase, CHANGE_STATES, type ChangeState } from '../../src/domain/lifecycle.js';
import type { Policy } from '../../src/policy/schema.js';
import { eligibilityRefusalText } from '../../src/slack/words/decisions.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

/** An eligibility as the person who clicked reads it: the domain gives the refusal's code, slack/words its sentence. */
function worded(eligibility: Eligibility) {
  return eligibility.ok ? eligibility : { ok: false, reason: eligibilityRefusalText(eligibility) };
}

const REQUESTER = 'U0REQ0001';
const OWNER = 'U0OWN0001';
const people = { requesterId: REQUESTER, ownerId: OWNER };

const defaultApprovals = minimalPolicy().approvals;
const dbaFallsBackToManager = policyWith(`approvals:
  fallback_roles: { dba: manager }
`).approvals;
const dbaFallsBackToItself = policyWith(`approvals:
  fallback_roles: { dba: dba }
`).approvals;

/** Role membership as the directory would return it; roles not listed have no members. */
function directory(members: Record<string, string[]>): (role: string) => readonly string[] {
  return (role) => members[role] ?? [];
}

describe('chooseCandidates', () => {
  const rows: {
    name: string;
    roles: string[];
    members: Record<string, string[]>;
    approvals: Policy['approvals'];
    expected: RequirementCandidates[];
  }[] = [
    {
      name: 'every member is asked when neither the requester nor the owner holds the role',
      roles: ['peer'],
      members: { peer: ['U0PEER001', 'U0PEER002'] },
      approvals: defaultApprovals,
      expected: [{ role: 'peer', candidates: ['U0PEER001', 'U0PEER002'], fallbackRole: undefined }],
    },
    {
      name: 'the requester is removed from the role',
      roles: ['peer'],
      members: { peer: ['U0PEER001', REQUESTER, 'U0PEER002'] },
      approvals: defaultApprovals,
      expected: [{ role: 'peer', candidates: ['U0PEER001', 'U0PEER002'], fallbackRole: undefined }],
    },
    {
      name: 'the owner is removed from the role',
      roles: ['peer'],
      members: { peer: [OWNER, 'U0PEER001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'peer', candidates: ['U0PEER001'], fallbackRole: undefined }],
    },
    {
      name: 'the requester and the owner are removed from every role',
      roles: ['peer', 'manager', 'security'],
      members: {
        peer: [REQUESTER, 'U0PEER001', OWNER],
        manager: [OWNER, 'U0MGR0001'],
        security: ['U0SEC0001', REQUESTER],
      },
      approvals: defaultApprovals,
      expected: [
        { role: 'peer', candidates: ['U0PEER001'], fallbackRole: undefined },
        { role: 'manager', candidates: ['U0MGR0001'], fallbackRole: undefined },
        { role: 'security', candidates: ['U0SEC0001'], fallbackRole: undefined },
      ],
    },
    {
      name: 'duplicate members are asked once, in first-seen order',
      roles: ['peer'],
      members: { peer: ['U0PEER002', 'U0PEER001', 'U0PEER002', 'U0PEER001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'peer', candidates: ['U0PEER002', 'U0PEER001'], fallbackRole: undefined }],
    },
    {
      name: 'a role held only by the requester falls back to cto, whose members are asked',
      roles: ['manager'],
      members: { manager: [REQUESTER], cto: ['U0CTO0001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'manager', candidates: ['U0CTO0001'], fallbackRole: 'cto' }],
    },
    {
      name: 'a role held only by the requester and the owner falls back to cto',
      roles: ['manager'],
      members: { manager: [REQUESTER, OWNER, REQUESTER], cto: ['U0CTO0001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'manager', candidates: ['U0CTO0001'], fallbackRole: 'cto' }],
    },
    {
      name: 'a role with no members at all falls back to cto',
      roles: ['security'],
      members: { cto: ['U0CTO0001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'security', candidates: ['U0CTO0001'], fallbackRole: 'cto' }],
    },
    {
      name: 'the fallback role loses the requester and the owner too',
      roles: ['manager'],
      members: { manager: [OWNER], cto: [OWNER, 'U0CTO0001', REQUESTER, 'U0CTO0001'] },
      approvals: defaultApprovals,
      expected: [{ role: 'manager', candidates: ['U0CTO0001'], fallbackRole: 'cto' }],
    },
    {
      name: 'only the role without candidates falls back; the others keep their members',
      roles: ['peer', 'manager'],
      members: { peer: ['U0PEER001'], manager: [REQUESTER], cto: ['U0CTO0001'] },
      approvals: defaultApprovals,
      expected: [
        { role: 'peer', candidates: ['U0PEER001'], fallbackRole: undefined },
        { role: 'manager', candidates: ['U0CTO0001'], fallbackRole: 'cto' },
      ],
    },
    {
      name: 'a per-role override (dba → manager) is used instead of cto',
      roles: ['dba'],
      members: { dba: [REQUESTER], manager: ['U0MGR0001'], cto: ['U0CTO0001'] },
      approvals: dbaFallsBackToManager,
      expected: [{ role: 'dba', candidates: ['U0MGR0001'], fallbackRole: 'manager' }],
    },
    {
      name: 'the per-role override leaves other roles on the default cto',
      roles: ['security'],
      members: { security: [OWNER], manager: ['U0MGR0001'], cto: ['U0CTO0001'] },
      approvals: dbaFallsBackToManager,
      expected: [{ role: 'security', candidates: ['U0CTO0001'], fallbackRole: 'cto' }],
    },
    {
      name: 'a fallback role held only by the requester leaves no candidates, with the fallback named',
      roles: ['manager'],
      members: { manager: [REQUESTER], cto: [REQUESTER] },
      approvals: defaultApprovals,
      expected: [{ role: 'manager', candidates: [], fallbackRole: 'cto' }],
    },
    {
      name: 'the cto role itself, held only by the requester, has no fallback (fallback = role)',
      roles: ['cto'],
      members: { cto: [REQUESTER] },
      approvals: defaultApprovals,
      expected: [{ role: 'cto', candidates: [], fallbackRole: undefined }],
    },
    {
      name: 'a per-role override naming the role itself means no fallback',
      roles: ['dba'],
      members: { dba: [OWNER], cto: ['U0CTO0001'] },
      approvals: dbaFallsBackToItself,
      expected: [{ role: 'dba', candidates: [], fallbackRole: undefined }],
    },
    {
      name: 'no roles required, nobody asked',
      roles: [],
      members: { peer: ['U0PEER001'] },
      approvals: defaultApprovals,
      expected: [],
    },
  ];

  it.each(rows)('$name', ({ roles, members, approvals, expected }) => {
    expect(chooseCandidates(roles, directory(members), people, approvals)).toEqual(expected);
  });

  it('never lists the requester or the owner among the candidates of the minimal policy roles', () => {
    const policy = minimalPolicy();
    const members = {
      ...policy.roles,
      peer: [...(policy.roles.peer ?? []), REQUESTER],
      cab: [OWNER, ...(policy.roles.cab ?? [])],
    };
    const chosen = chooseCandidates(Object.keys(policy.roles), directory(members), people, policy.approvals);
    expect(chosen.map((entry) => entry.role)).toEqual(Object.keys(policy.roles));
    for (const entry of chosen) {
      expect(entry.candidates, entry.role).not.toContain(REQUESTER);
      expect(entry.candidates, entry.role).not.toContain(OWNER);
      expect(entry.candidates.length, entry.role).toBeGreaterThan(0);
    }
    expect(chosen.find((entry) => entry.role === 'peer')?.candidates).toEqual(['U0PEER001', 'U0PEER002']);
    expect(chosen.find((entry) => entry.role === 'cab')?.candidates).toEqual(['U0CAB0001', 'U0CAB0002']);
  });
});

describe('approvalsComplete', () => {
  const ordinary = (satisfied: boolean) => ({ alternative: false, satisfied });
  const alternative = (satisfied: boolean) => ({ alternative: true, satisfied });

  // POL-SEC-008 6.3: "Manager + Security" (every ordinary
  // requirement), "If unavailable: CTO or CISO" (any one alternative).
  it.each<{ name: string; requirements: { alternative: boolean; satisfied: boolean }[]; expected: boolean }>([
    { name: 'no requirements at all: nothing has approved', requirements: [], expected: false },
    { name: 'one ordinary, satisfied', requirements: [ordinary(true)], expected: true },
    { name: 'one ordinary, open', requirements: [ordinary(false)], expected: false },
    { name: 'manager + security both satisfied', requirements: [ordinary(true), ordinary(true)], expected: true },
    { name: 'manager satisfied, security open', requirements: [ordinary(true), ordinary(false)], expected: false },
    { name: 'manager open, security satisfied', requirements: [ordinary(false), ordinary(true)], expected: false },
    {
      name: 'manager + security satisfied, CTO and CISO never asked',
      requirements: [ordinary(true), ordinary(true), alternative(false), alternative(false)],
      expected: true,
    },
    {
      name: 'manager satisfied, security open, CTO and CISO open',
      requirements: [ordinary(true), ordinary(false), alternative(false), alternative(false)],
      expected: false,
    },
    {
      name: 'manager + security open, the CTO stands in',
      requirements: [ordinary(false), ordinary(false), alternative(true), alternative(false)],
      expected: true,
    },
    {
      name: 'manager + security open, the CISO stands in',
      requirements: [ordinary(false), ordinary(false), alternative(false), alternative(true)],
      expected: true,
    },
    {
      name: 'manager satisfied, security open, the CISO stands in',
      requirements: [ordinary(true), ordinary(false), alternative(false), alternative(true)],
      expected: true,
    },
    {
      name: 'the alternative listed first stands in as well',
      requirements: [alternative(true), ordinary(false)],
      expected: true,
    },
    {
      name: 'only alternatives, none satisfied (no ordinary list to fall back on)',
      requirements: [alternative(false), alternative(false)],
      expected: false,
    },
    { name: 'only alternatives, one satisfied', requirements: [alternative(false), alternative(true)], expected: true },
  ])('POL-SEC-008 6.3 "If unavailable: CTO or CISO": $name → $expected', ({ requirements, expected }) => {
    expect(approvalsComplete(requirements)).toBe(expected);
  });

  it('reads whole requirement states, not just the two fields', () => {
    const full: RequirementState[] = [
      {
        id: 1,
        role: 'manager',
        approvalsNeeded: 1,
        alternative: false,
        satisfied: false,
        candidates: ['U0MGR0001'],
        approvers: [],
      },
      {
        id: 2,
        role: 'cto',
        approvalsNeeded: 1,
        alternative: true,
        satisfied: true,
        candidates: ['U0CTO0001'],
        approvers: ['U0CTO0001'],
      },
    ];
    expect(approvalsComplete(full)).toBe(true);
    expect(approvalsComplete(full.map((r) => ({ ...r, satisfied: r.alternative ? false : r.satisfied })))).toBe(false);
  });
});

describe('isAskedNow', () => {
  const ESCALATED = new Date('2026-11-18T15:15:00Z');
  // POL-SEC-008 6.3: the stand-in authorizers ("if unavailable: CTO or CISO") wait for the escalation; MCP4 9: the
  // retro-review "by CTO/CISO" (any one of them) is asked at once, escalated or not.
  it.each<{ name: string; alternative: boolean; phase: ApprovalPhase; escalatedAt: Date | null; expected: boolean }>([
    { name: 'an ordinary approver', alternative: false, phase: 'approval', escalatedAt: null, expected: true },
    { name: 'an on-duty authorizer', alternative: false, phase: 'authorization', escalatedAt: null, expected: true },
    {
      name: 'a stand-in before escalation',
      alternative: true,
      phase: 'authorization',
      escalatedAt: null,
      expected: false,
    },
    {
      name: 'a stand-in once escalated',
      alternative: true,
      phase: 'authorization',
      escalatedAt: ESCALATED,
      expected: true,
    },
    {
      name: 'an any-one retro-reviewer',
      alternative: true,
      phase: 'retro_approval',
      escalatedAt: null,
      expected: true,
    },
    {
      name: 'a retro-reviewer, escalated',
      alternative: true,
      phase: 'retro_approval',
      escalatedAt: ESCALATED,
      expected: true,
    },
    { name: 'a matrix retro-approver', alternative: false, phase: 'retro_approval', escalatedAt: null, expected: true },
  ])('$name → $expected', ({ alternative, phase, escalatedAt, expected }) => {
    const requirement = { alternative, phase, stage: 0, satisfiedAt: null };
    const record = { change: { authorizationEscalatedAt: escalatedAt }, requirements: [requirement] };
    expect(isAskedNow(requirement, record)).toBe(expected);
  });
});

describe('decisionEligibility', () => {
  const CHANGE = 'CHG-42';
  /** The states in which a change waits for a decision, written out by hand. */
  const DECIDING: readonly ChangeState[] = [
    'pending_approval',
    'pending_authorization',
    'pending_retro_approval',
    'pending_closure',
  ];
  const PEER_A = 'U0PEERA01';
  const PEER_B = 'U0PEERB01';
  const MANAGER = 'U0MGR0001';
  const SECURITY = 'U0SEC0001';
  const CTO = 'U0CTO0001';
  const CISO = 'U0CISO001';
  const OUTSIDER = 'U0OUTS001';

  function requirement(
    id: number,
    role: string,
    candidates: string[],
    extra: Partial<RequirementState> = {},
  ): RequirementState {
    return { id, role, approvalsNeeded: 1, alternative: false, satisfied: false, candidates, approvers: [], ...extra };
  }

  function context(extra: Partial<DecisionContext> = {}): DecisionContext {
    return {
      changeRef: CHANGE,
      state: 'pending_approval',
      requesterId: REQUESTER,
      ownerId: OWNER,
      requirements: [requirement(1, 'peer', [PEER_A, PEER_B]), requirement(2, 'manager', [MANAGER])],
      oneRolePerPerson: true,
      ...extra,
    };
  }

  describe('refusals', () => {
    it.each<{ name: string; ctx: DecisionContext; actor: string; reason: RegExp }>([
      {
        name: 'state approved',
        ctx: context({ state: 'approved' }),
        actor: PEER_A,
        reason: /^CHG-42 is already approved; nothing was recorded\.$/,
      },
      {
        name: 'state rejected',
        ctx: context({ state: 'rejected' }),
        actor: MANAGER,
        reason: /^CHG-42 is already rejected; nothing was recorded\.$/,
      },
      {
        name: 'state rolled_back (underscores read as spaces)',
        ctx: context({ state: 'rolled_back' }),
        actor: PEER_A,
        reason: /^CHG-42 is already rolled back;/,
      },
      {
        name: 'state checked before the requester',
        ctx: context({ state: 'cancelled' }),
        actor: REQUESTER,
        reason: /^CHG-42 is already cancelled;/,
      },
      {
        name: 'the requester',
        ctx: context({ requirements: [requirement(1, 'peer', [REQUESTER, PEER_A])] }),
        actor: REQUESTER,
        reason: /^You requested CHG-42, so someone else must approve it\.$/,
      },
      {
        name: 'the owner',
        ctx: context({ requirements: [requirement(1, 'peer', [OWNER, PEER_A])] }),
        actor: OWNER,
        reason: /^You own CHG-42, so someone else must approve it\.$/,
      },
      { name: 'an outsider', ctx: context(), actor: OUTSIDER, reason: /not one of the approvers of CHG-42/ },
      {
        name: 'a candidate whose role is already satisfied by someone else',
        ctx: context({
          requirements: [
            requirement(1, 'peer', [PEER_A, PEER_B], { satisfied: true, approvers: [PEER_B] }),
            requirement(2, 'manager', [MANAGER]),
          ],
        }),
        actor: PEER_A,
        reason: /^The peer approval of CHG-42 is already given; nothing more is needed from you\.$/,
      },
      {
        name: 'one role per person: approved as peer, candidate of the open manager role too',
        ctx: context({
          requirements: [
            requirement(1, 'peer', [PEER_A, PEER_B], { satisfied: true, approvers: [PEER_A] }),
            requirement(2, 'manager', [MANAGER, PEER_A]),
          ],
        }),
        actor: PEER_A,
        reason: /^You already approved CHG-42 as peer; one person counts for one role\.$/,
      },
      {
        name: 'two approvals needed, the actor already gave one (one role per person)',
        ctx: context({
          requirements: [requirement(1, 'peer', [PEER_A, PEER_B], { approvalsNeeded: 2, approvers: [PEER_A] })],
        }),
        actor: PEER_A,
        reason: /^Your approval of CHG-42 as peer is already recorded\.$/,
      },
      {
        name: 'two approvals needed, the actor already gave one (several roles per person)',
        ctx: context({
          oneRolePerPerson: false,
          requirements: [requirement(1, 'peer', [PEER_A, PEER_B], { approvalsNeeded: 2, approvers: [PEER_A] })],
        }),
        actor: PEER_A,
        reason: /^Your approval of CHG-42 as peer is already recorded\.$/,
      },
    ])('$name → refused', ({ ctx, actor, reason }) => {
      const result = worded(decisionEligibility(ctx, actor));
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.reason).toMatch(reason);
    });

    it.each(CHANGE_STATES.filter((state) => !DECIDING.includes(state)))(
      'every state but the four deciding ones is refused, naming the change and the state: %s',
      (state) => {
        const result = worded(decisionEligibility(context({ state }), PEER_A));
        expect(result).toEqual({
          ok: false,
          reason: `${CHANGE} is already ${state.replaceAll('_', ' ')}; nothing was recorded.`,
        });
      },
    );

    it('sixteen states are refused, among them the outcomes of every phase', () => {
      const refused = CHANGE_STATES.filter((state) => !decisionEligibility(context({ state }), PEER_A).ok);
      expect(refused).toHaveLength(16);
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
        expect(refused, state).toContain(state);
      }
    });
  });

  describe('deciding states', () => {
    it.each(DECIDING)(
      'a candidate may decide in %s (4.4 approval, 6.3 authorization, 6.4 formal approval afterwards)',
      (state) => {
        expect(decisionEligibility(context({ state }), PEER_B)).toEqual({ ok: true, requirementId: 1, role: 'peer' });
      },
    );

    it.each(DECIDING)('in %s the requester, the owner and outsiders are still refused', (state) => {
      const requirements = [requirement(1, 'manager', [REQUESTER, OWNER, MANAGER])];
      expect(worded(decisionEligibility(context({ state, requirements }), REQUESTER))).toEqual({
        ok: false,
        reason: `You requested ${CHANGE}, so someone else must approve it.`,
      });
      expect(worded(decisionEligibility(context({ state, requirements }), OWNER))).toEqual({
        ok: false,
        reason: `You own ${CHANGE}, so someone else must approve it.`,
      });
      expect(worded(decisionEligibility(context({ state, requirements }), OUTSIDER))).toEqual({
        ok: false,
        reason: `You are not one of the approvers of ${CHANGE}; nothing was recorded.`,
      });
    });
  });

  // POL-SEC-008 4.4: approvals come from the holders of the required roles, so whoever left a role
  // (policy or user group) since being asked no longer decides (issue 14, item 4).
  describe('current role holders', () => {
    it.each<{ name: string; requirements: RequirementState[]; actor: string; expected: unknown }>([
      {
        name: 'a candidate who still holds the role',
        requirements: [requirement(1, 'peer', [PEER_A, PEER_B], { holders: [PEER_A, PEER_B] })],
        actor: PEER_A,
        expected: { ok: true, requirementId: 1, role: 'peer' },
      },
      {
        name: 'a candidate removed from the role',
        requirements: [requirement(1, 'peer', [PEER_A, PEER_B], { holders: [PEER_B] })],
        actor: PEER_A,
        expected: {
          ok: false,
          reason: 'You no longer hold the peer role, so you cannot decide on CHG-42; nothing was recorded.',
        },
      },
      {
        name: 'asked through the fallback role, and holding neither now',
        requirements: [requirement(1, 'dba', [CTO], { fallbackRole: 'cto', holders: [] })],
        actor: CTO,
        expected: {
          ok: false,
          reason: 'You no longer hold the dba or cto role, so you cannot decide on CHG-42; nothing was recorded.',
        },
      },
      {
        name: 'left one of two roles: decides for the one still held',
        requirements: [
          requirement(1, 'security', [PEER_A], { holders: [] }),
          requirement(2, 'peer', [PEER_A, PEER_B], { holders: [PEER_A, PEER_B] }),
        ],
        actor: PEER_A,
        expected: { ok: true, requirementId: 2, role: 'peer' },
      },
      {
        name: 'holding the role but never asked is still not an approver (the service asks them first)',
        requirements: [requirement(1, 'peer', [PEER_B], { holders: [PEER_A, PEER_B] })],
        actor: PEER_A,
        expected: { ok: false, reason: 'You are not one of the approvers of CHG-42; nothing was recorded.' },
      },
      {
        name: 'membership not resolved: being asked is enough',
        requirements: [requirement(1, 'peer', [PEER_A])],
        actor: PEER_A,
        expected: { ok: true, requirementId: 1, role: 'peer' },
      },
    ])('$name', ({ requirements, actor, expected }) => {
      expect(worded(decisionEligibility(context({ requirements }), actor))).toEqual(expected);
    });

    it.each<{ name: string; requirement: { role: string; fallbackRole: string | null }; expected: string[] }>([
      { name: "the role's members", requirement: { role: 'peer', fallbackRole: null }, expected: [PEER_A, PEER_B] },
      {
        name: "and the fallback role's, once each",
        requirement: { role: 'peer', fallbackRole: 'cto' },
        expected: [PEER_A, PEER_B, CTO],
      },
      { name: 'nobody for a role nobody holds', requirement: { role: 'dba', fallbackRole: null }, expected: [] },
    ])('holdersOf: $name', ({ requirement: held, expected }) => {
      expect(holdersOf(held, directory({ peer: [PEER_A, PEER_B], cto: [CTO, PEER_A] }))).toEqual(expected);
    });
  });

  describe('accepted decisions', () => {
    it.each<{ name: string; ctx: DecisionContext; actor: string; expected: { requirementId: number; role: string } }>([
      {
        name: 'a candidate of an unsatisfied requirement',
        ctx: context(),
        actor: PEER_B,
        expected: { requirementId: 1, role: 'peer' },
      },
      {
        name: 'the manager candidate',
        ctx: context(),
        actor: MANAGER,
        expected: { requirementId: 2, role: 'manager' },
      },
      {
        name: 'a candidate of an open role while another of their roles is satisfied',
        ctx: context({
          requirements: [
            requirement(1, 'peer', [PEER_A, PEER_B], { satisfied: true, approvers: [PEER_B] }),
            requirement(2, 'manager', [MANAGER, PEER_A]),
          ],
        }),
        actor: PEER_A,
        expected: { requirementId: 2, role: 'manager' },
      },
      {
        name: 'several roles per person: approved as peer, now ok for manager',
        ctx: context({
          oneRolePerPerson: false,
          requirements: [
            requirement(1, 'peer', [PEER_A, PEER_B], { satisfied: true, approvers: [PEER_A] }),
            requirement(2, 'manager', [MANAGER, PEER_A]),
          ],
        }),
        actor: PEER_A,
        expected: { requirementId: 2, role: 'manager' },
      },
      {
        name: 'in two open roles: the scarcer one (manager, 2 candidates) over peer (3)',
        ctx: context({
          requirements: [
            requirement(1, 'peer', [PEER_A, PEER_B, SECURITY]),
            requirement(2, 'manager', [MANAGER, PEER_A]),
          ],
        }),
        actor: PEER_A,
        expected: { requirementId: 2, role: 'manager' },
      },
      {
        name: 'in two open roles listed the other way round: still the scarcer one (security, 1 candidate)',
        ctx: context({
          requirements: [requirement(7, 'security', [SECURITY]), requirement(3, 'peer', [PEER_A, SECURITY])],
        }),
        actor: SECURITY,
        expected: { requirementId: 7, role: 'security' },
      },
      {
        name: 'two approvals needed, one given by someone else: another candidate may give the second',
        ctx: context({
          requirements: [requirement(1, 'peer', [PEER_A, PEER_B], { approvalsNeeded: 2, approvers: [PEER_A] })],
        }),
        actor: PEER_B,
        expected: { requirementId: 1, role: 'peer' },
      },
    ])('$name → ok', ({ ctx, actor, expected }) => {
      expect(decisionEligibility(ctx, actor)).toEqual({ ok: true, ...expected });
    });
  });

  // POL-SEC-008 6.3: the CTO or CISO, asked "if unavailable", decides the authorization alone, so a
  // person who is both an ordinary authorizer and a stand-in is counted as the stand-in.
  describe('alternative requirements first (6.3 "If unavailable: CTO or CISO")', () => {
    const alt = { alternative: true };
    it.each<{ name: string; ctx: DecisionContext; actor: string; expected: { requirementId: number; role: string } }>([
      {
        name: 'manager (1 candidate) and CTO stand-in (2 candidates): the stand-in, though manager is scarcer',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(1, 'manager', [CTO]),
            requirement(2, 'security', [SECURITY]),
            requirement(3, 'cto', [CTO, CISO], alt),
          ],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
      {
        name: 'the same, stand-in listed first',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(3, 'cto', [CTO, CISO], alt),
            requirement(1, 'manager', [CTO]),
            requirement(2, 'security', [SECURITY]),
          ],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
      {
        name: 'two stand-ins open: the scarcer of the two (cto, 1 candidate, over ciso, 2)',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(1, 'manager', [MANAGER]),
            requirement(4, 'ciso', [CISO, CTO], alt),
            requirement(3, 'cto', [CTO], alt),
          ],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
      {
        name: 'a stand-in only: ok in its own right',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(1, 'manager', [MANAGER]),
            requirement(2, 'security', [SECURITY]),
            requirement(4, 'ciso', [CISO], alt),
          ],
        }),
        actor: CISO,
        expected: { requirementId: 4, role: 'ciso' },
      },
      {
        name: 'an ordinary authorizer who is no stand-in keeps the ordinary role',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(1, 'manager', [MANAGER]),
            requirement(2, 'security', [SECURITY]),
            requirement(3, 'cto', [CTO], alt),
          ],
        }),
        actor: SECURITY,
        expected: { requirementId: 2, role: 'security' },
      },
      {
        name:
          'the stand-in requirement already approved by somebody else (approvals needed 2): ' +
          'the open stand-in is still chosen over manager',
        ctx: context({
          state: 'pending_authorization',
          requirements: [
            requirement(1, 'manager', [CTO]),
            requirement(3, 'cto', [CTO, CISO], { ...alt, approvalsNeeded: 2, approvers: [CISO] }),
          ],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
      {
        name: 'several roles per person: approved as manager, now the stand-in',
        ctx: context({
          state: 'pending_authorization',
          oneRolePerPerson: false,
          requirements: [
            requirement(1, 'manager', [CTO, MANAGER], { satisfied: true, approvers: [CTO] }),
            requirement(2, 'security', [SECURITY]),
            requirement(3, 'cto', [CTO], alt),
          ],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
      {
        name: 'the preference does not depend on the phase (pending_retro_approval)',
        ctx: context({
          state: 'pending_retro_approval',
          requirements: [requirement(1, 'manager', [CTO]), requirement(3, 'cto', [CTO, CISO, MANAGER], alt)],
        }),
        actor: CTO,
        expected: { requirementId: 3, role: 'cto' },
      },
    ])('$name → ok', ({ ctx, actor, expected }) => {
      expect(decisionEligibility(ctx, actor)).toEqual({ ok: true, ...expected });
    });

    it('one role per person: approved as manager, the open stand-in is refused', () => {
      const ctx = context({
        state: 'pending_authorization',
        requirements: [
          requirement(1, 'manager', [CTO, MANAGER], { satisfied: true, approvers: [CTO] }),
          requirement(2, 'security', [SECURITY]),
          requirement(3, 'cto', [CTO], alt),
        ],
      });
      expect(worded(decisionEligibility(ctx, CTO))).toEqual({
        ok: false,
        reason: `You already approved ${CHANGE} as manager; one person counts for one role.`,
      });
    });
  });
});

// Issue 15: an approver away delegates to someone who decides for them while the delegation runs and they hold the
// role (4.4: approvals come from the holders of the roles); an admin may reassign a requirement to a named person,
// who decides without holding it. Neither lets the requester or owner decide, and one person still counts once.
describe('decisionEligibility: delegates and reassignment (issue 15)', () => {
  const CHANGE = 'CHG-42';
  const MANAGER = 'U0MGR0001';
  const DEPUTY = 'U0DEP0001';
  const PEER = 'U0PEER001';
  const NAMED = 'U0NAMED01';

  function requirement(id: number, role: string, extra: Partial<RequirementState> = {}): RequirementState {
    return {
      id,
      role,
      approvalsNeeded: 1,
      alternative: false,
      satisfied: false,
      candidates: [],
      approvers: [],
      ...extra,
    };
  }
  const manager = (extra: Partial<RequirementState> = {}) =>
    requirement(1, 'manager', {
      candidates: [MANAGER],
      delegates: [{ delegateId: DEPUTY, delegatorId: MANAGER }],
      holders: [MANAGER],
      ...extra,
    });
  function context(extra: Partial<DecisionContext> = {}): DecisionContext {
    return {
      changeRef: CHANGE,
      state: 'pending_approval',
      requesterId: REQUESTER,
      ownerId: OWNER,
      requirements: [manager()],
      oneRolePerPerson: true,
      delegatorsOfActor: [MANAGER],
      ...extra,
    };
  }

  it.each<{ name: string; ctx: DecisionContext; actor: string; expected: unknown }>([
    {
      name: 'a delegate whose delegation runs decides for the delegator',
      ctx: context(),
      actor: DEPUTY,
      expected: { ok: true, requirementId: 1, role: 'manager', onBehalfOf: MANAGER },
    },
    {
      name: 'membership not resolved: the delegation is enough',
      ctx: context({ requirements: [manager({ holders: undefined })] }),
      actor: DEPUTY,
      expected: { ok: true, requirementId: 1, role: 'manager', onBehalfOf: MANAGER },
    },
    {
      name: 'the delegator may still decide themself',
      ctx: context({ delegatorsOfActor: [] }),
      actor: MANAGER,
      expected: { ok: true, requirementId: 1, role: 'manager' },
    },
    {
      name: 'a delegate who holds the role now decides in their own right',
      ctx: context({ requirements: [manager({ holders: [MANAGER, DEPUTY] })], delegatorsOfActor: [] }),
      actor: DEPUTY,
      expected: { ok: true, requirementId: 1, role: 'manager' },
    },
    {
      name: 'a delegation that ended (off, replaced or expired)',
      ctx: context({ delegatorsOfActor: [] }),
      actor: DEPUTY,
      expected: {
        ok: false,
        reason:
          `You were asked on behalf of <@${MANAGER}>, whose delegation to you has ended, so you cannot decide on ` +
          'CHG-42; nothing was recorded.',
      },
    },
    {
      name: 'the delegator left the role: their delegate may not decide for it',
      ctx: context({ requirements: [manager({ holders: [] })] }),
      actor: DEPUTY,
      expected: {
        ok: false,
        reason:
          `<@${MANAGER}> no longer holds the manager role, so you cannot decide on CHG-42 on their behalf; nothing ` +
          'was recorded.',
      },
    },
    {
      name: 'a delegate who is the requester (never asked, and refused anyway)',
      ctx: context({ requirements: [manager({ delegates: [{ delegateId: REQUESTER, delegatorId: MANAGER }] })] }),
      actor: REQUESTER,
      expected: { ok: false, reason: 'You requested CHG-42, so someone else must approve it.' },
    },
    {
      name: 'a delegate who is the owner',
      ctx: context({ requirements: [manager({ delegates: [{ delegateId: OWNER, delegatorId: MANAGER }] })] }),
      actor: OWNER,
      expected: { ok: false, reason: 'You own CHG-42, so someone else must approve it.' },
    },
    {
      name: 'the delegator already approved: the delegate adds nothing (two approvals needed)',
      ctx: context({ requirements: [manager({ approvalsNeeded: 2, approvers: [MANAGER] })] }),
      actor: DEPUTY,
      expected: {
        ok: false,
        reason: 'The manager approval of CHG-42 is already given; nothing more is needed from you.',
      },
    },
    {
      name: 'the delegate approved for the delegator: the delegator adds nothing (two approvals needed)',
      ctx: context({
        requirements: [manager({ approvalsNeeded: 2, approvers: [DEPUTY], approvedOnBehalfOf: [MANAGER] })],
        delegatorsOfActor: [],
      }),
      actor: MANAGER,
      expected: { ok: false, reason: 'Your approval of CHG-42 as manager is already recorded.' },
    },
    {
      name: 'one role per person: the delegator approved as peer, the delegate may not add manager for them',
      ctx: context({
        requirements: [
          requirement(2, 'peer', { candidates: [MANAGER, PEER], satisfied: true, approvers: [MANAGER] }),
          manager(),
        ],
      }),
      actor: DEPUTY,
      expected: { ok: false, reason: 'You already approved CHG-42 as peer; one person counts for one role.' },
    },
    {
      name: 'a reassigned person decides without holding the role',
      ctx: context({ requirements: [requirement(3, 'security', { reassigned: [NAMED], holders: [] })] }),
      actor: NAMED,
      expected: { ok: true, requirementId: 3, role: 'security', reassigned: true },
    },
    {
      name: 'a reassigned requester is still refused',
      ctx: context({ requirements: [requirement(3, 'security', { reassigned: [REQUESTER] })] }),
      actor: REQUESTER,
      expected: { ok: false, reason: 'You requested CHG-42, so someone else must approve it.' },
    },
  ])('$name', ({ ctx, actor, expected }) => {
    expect(worded(decisionEligibility(ctx, actor))).toEqual(expected);
  });
});

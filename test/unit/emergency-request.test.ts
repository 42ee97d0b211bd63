// validateEmergencyRequest (POL-SEC-008 6.1/6.2 "Confirm criteria, document impact") and
// validateVerbalApproval (6.2 "verbal approval"): one fault, one error key.
import { describe, expect, it } from 'vitest';
import { TEXT_MAX, TITLE_MAX } from '../../src/domain/change-request.js';
import { VERBAL_MEDIA } from '../../src/domain/emergency.js';
import {
  type EmergencyForm,
  type EmergencyIssue,
  type EmergencyRequest,
  NOTE_MAX,
  type VerbalApprovalForm,
  type VerbalApprovalInput,
  type VerbalIssue,
  validateEmergencyRequest,
  validateVerbalApproval,
  verbalGivenAtIssue,
} from '../../src/domain/emergency-request.js';
import type { FormResult } from '../../src/domain/form-issues.js';
import type { Policy } from '../../src/policy/schema.js';
import { EMERGENCY_FIELDS, VERBAL_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { emergencyErrors, verbalApprovalErrors } from '../../src/slack/words/forms.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

const policy = minimalPolicy();

function issuesOf<T, I>(result: FormResult<T, I>): I[] {
  if (result.ok) throw new Error(`expected validation errors, got ok: ${JSON.stringify(result.value)}`);
  return result.issues;
}

/** The emergency modal's errors as it shows them: on their blocks, in words. */
const errorsOf = <T>(result: FormResult<T, EmergencyIssue>) => emergencyErrors(issuesOf(result));
const verbalErrorsOf = <T>(result: FormResult<T, VerbalIssue>) => verbalApprovalErrors(issuesOf(result));

function okValue<T, I>(result: FormResult<T, I>): T {
  if (!result.ok) throw new Error(`expected ok, got errors: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** A complete emergency form as Slack gives it: 6.1 criterion, impact and the way out. */
function validForm(overrides: Partial<EmergencyForm> = {}): EmergencyForm {
  return {
    whatIsBroken: 'Checkout returns 500 for every card payment',
    criterion: 'production_down',
    affectedSystems: ['payments-api'],
    plannedFix: 'Roll the payments-api config back to yesterday.',
    rollbackPlan: 'Re-apply the current config.',
    ownerId: 'U0OWNER01',
    verballyAuthorized: false,
    ...overrides,
  };
}

describe('validateEmergencyRequest: one fault, one error key', () => {
  type Row = { name: string; form: Partial<EmergencyForm>; key: string; message: RegExp };
  const rows: Row[] = [
    // 6.2 "Document impact": what is broken (the change title)
    {
      name: '6.2 what is broken: missing',
      form: { whatIsBroken: undefined },
      key: EMERGENCY_FIELDS.whatIsBroken,
      message: /^Enter the what is broken\.$/,
    },
    {
      name: '6.2 what is broken: empty',
      form: { whatIsBroken: '' },
      key: EMERGENCY_FIELDS.whatIsBroken,
      message: /^Enter the what is broken\.$/,
    },
    {
      name: '6.2 what is broken: blank (whitespace only)',
      form: { whatIsBroken: ' \n\t ' },
      key: EMERGENCY_FIELDS.whatIsBroken,
      message: /^Enter the what is broken\.$/,
    },
    {
      name: `6.2 what is broken: ${TITLE_MAX + 1} characters`,
      form: { whatIsBroken: 'x'.repeat(TITLE_MAX + 1) },
      key: EMERGENCY_FIELDS.whatIsBroken,
      message: /under 150 characters/,
    },
    // 6.1 Definition: the criterion must be one of the policy's
    {
      name: '6.1 criterion: missing',
      form: { criterion: undefined },
      key: EMERGENCY_FIELDS.criterion,
      message: /^Pick the emergency criterion that applies\.$/,
    },
    { name: '6.1 criterion: empty', form: { criterion: '' }, key: EMERGENCY_FIELDS.criterion, message: /criterion/ },
    {
      name: '6.1 criterion: not in the policy',
      form: { criterion: 'customer_escalation' },
      key: EMERGENCY_FIELDS.criterion,
      message: /criterion/,
    },
    {
      name: '6.1 criterion: the label instead of the id',
      form: { criterion: 'Production system is down or severely degraded' },
      key: EMERGENCY_FIELDS.criterion,
      message: /criterion/,
    },
    {
      name: '6.1 criterion: an id in the wrong case',
      form: { criterion: 'Production_Down' },
      key: EMERGENCY_FIELDS.criterion,
      message: /criterion/,
    },
    {
      name: '6.1 criterion: an id with surrounding spaces (a select value is exact)',
      form: { criterion: ' production_down ' },
      key: EMERGENCY_FIELDS.criterion,
      message: /criterion/,
    },
    {
      name: '6.1 criterion: a prototype key',
      form: { criterion: '__proto__' },
      key: EMERGENCY_FIELDS.criterion,
      message: /criterion/,
    },
    // 6.2 "Document impact": affected systems
    {
      name: '6.2 affected systems: none',
      form: { affectedSystems: [] },
      key: EMERGENCY_FIELDS.affectedSystems,
      message: /^Name at least one affected system\.$/,
    },
    {
      name: '6.2 affected systems: only blanks',
      form: { affectedSystems: [' ', '', '\t'] },
      key: EMERGENCY_FIELDS.affectedSystems,
      message: /at least one/,
    },
    {
      name: '6.2 affected systems: a free-text name over 100 characters',
      form: { affectedSystems: ['db', 's'.repeat(101)] },
      key: EMERGENCY_FIELDS.affectedSystems,
      message: /under 100/,
    },
    // 6.2 "Implement: Deploy fix": the planned fix
    {
      name: '6.2 planned fix: missing',
      form: { plannedFix: undefined },
      key: EMERGENCY_FIELDS.plannedFix,
      message: /^Enter the planned fix\.$/,
    },
    {
      name: '6.2 planned fix: blank',
      form: { plannedFix: '  \n ' },
      key: EMERGENCY_FIELDS.plannedFix,
      message: /^Enter the planned fix\.$/,
    },
    {
      name: `6.2 planned fix: ${TEXT_MAX + 1} characters`,
      form: { plannedFix: 'f'.repeat(TEXT_MAX + 1) },
      key: EMERGENCY_FIELDS.plannedFix,
      message: /under 3000 characters/,
    },
    // A rollback plan "may be brief", not absent
    {
      name: '6.2 rollback plan: missing',
      form: { rollbackPlan: undefined },
      key: EMERGENCY_FIELDS.rollbackPlan,
      message: /^Enter the rollback plan\.$/,
    },
    {
      name: '6.2 rollback plan: blank',
      form: { rollbackPlan: '   ' },
      key: EMERGENCY_FIELDS.rollbackPlan,
      message: /^Enter the rollback plan\.$/,
    },
    {
      name: `6.2 rollback plan: ${TEXT_MAX + 1} characters`,
      form: { rollbackPlan: 'r'.repeat(TEXT_MAX + 1) },
      key: EMERGENCY_FIELDS.rollbackPlan,
      message: /under 3000 characters/,
    },
    // Who is fixing it
    {
      name: '6.2 owner: missing',
      form: { ownerId: undefined },
      key: EMERGENCY_FIELDS.owner,
      message: /^Pick who is fixing it\.$/,
    },
    {
      name: '6.2 owner: empty',
      form: { ownerId: '' },
      key: EMERGENCY_FIELDS.owner,
      message: /^Pick who is fixing it\.$/,
    },
  ];

  it.each(rows)('$name → only $key', ({ form, key, message }) => {
    const errors = errorsOf(validateEmergencyRequest(validForm(form), policy));
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]).toMatch(message);
  });

  it('the block ids are the shared change-form ones where the field is the same', () => {
    expect(EMERGENCY_FIELDS).toEqual({
      whatIsBroken: 'title',
      criterion: 'emergency_criterion',
      affectedSystems: 'affected_systems',
      plannedFix: 'planned_fix',
      rollbackPlan: 'rollback_plan',
      owner: 'owner',
      verballyAuthorized: 'verbally_authorized',
    });
  });
});

describe('validateEmergencyRequest: what passes', () => {
  it.each([
    { name: '6.1 criterion production_down', form: { criterion: 'production_down' } },
    { name: '6.1 criterion vulnerability_exploited', form: { criterion: 'vulnerability_exploited' } },
    { name: '6.1 criterion data_loss', form: { criterion: 'data_loss' } },
    { name: '6.1 criterion compliance_risk', form: { criterion: 'compliance_risk' } },
    { name: `6.2 what is broken: exactly ${TITLE_MAX} characters`, form: { whatIsBroken: 'w'.repeat(TITLE_MAX) } },
    {
      name: `6.2 what is broken: ${TITLE_MAX} characters plus surrounding spaces`,
      form: { whatIsBroken: `  ${'w'.repeat(TITLE_MAX)} ` },
    },
    { name: `6.2 planned fix: exactly ${TEXT_MAX} characters`, form: { plannedFix: 'f'.repeat(TEXT_MAX) } },
    { name: '6.2 rollback plan "may be brief": one character', form: { rollbackPlan: 'x' } },
    {
      name: '6.2 affected systems: a free-text name of exactly 100 characters',
      form: { affectedSystems: ['s'.repeat(100)] },
    },
    { name: '6.2 verbal authorization already given', form: { verballyAuthorized: true } },
  ])('$name → ok', ({ form }) => {
    const result = validateEmergencyRequest(validForm(form), policy);
    expect(result.ok ? 'ok' : result.issues).toBe('ok');
  });

  it('6.2 trims the texts and the systems, dedupes systems, keeps the rest verbatim', () => {
    const value = okValue(
      validateEmergencyRequest(
        {
          whatIsBroken: '  Checkout is down \n',
          criterion: 'vulnerability_exploited',
          affectedSystems: [' payments-api ', 'billing-db', 'payments-api', '  '],
          plannedFix: '\tPatch the parser\t',
          rollbackPlan: ' Revert ',
          ownerId: 'U0OWNER01',
          verballyAuthorized: true,
        },
        policy,
      ),
    );
    const expected: EmergencyRequest = {
      title: 'Checkout is down',
      criterion: 'vulnerability_exploited',
      affectedSystems: ['payments-api', 'billing-db'],
      plannedFix: 'Patch the parser',
      rollbackPlan: 'Revert',
      ownerId: 'U0OWNER01',
      verballyAuthorized: true,
    };
    expect(value).toEqual(expected);
  });

  it('verballyAuthorized false is kept as false', () => {
    expect(okValue(validateEmergencyRequest(validForm({ verballyAuthorized: false }), policy)).verballyAuthorized).toBe(
      false,
    );
  });
});

describe('validateEmergencyRequest: 6.1 criteria come from the policy', () => {
  const twoCriteria = policyWith(`emergency:
  criteria:
    - { id: production_down, label: Production is down }
    - { id: payroll_blocked, label: Payroll cannot run }
`);

  it.each([
    {
      name: 'a criterion only this policy defines is accepted by it',
      criterion: 'payroll_blocked',
      given: twoCriteria,
      ok: true,
    },
    { name: 'a criterion both define is accepted', criterion: 'production_down', given: twoCriteria, ok: true },
    {
      name: '6.1 data_loss is refused by a policy that dropped it',
      criterion: 'data_loss',
      given: twoCriteria,
      ok: false,
    },
    {
      name: '6.1 compliance_risk is refused by a policy that dropped it',
      criterion: 'compliance_risk',
      given: twoCriteria,
      ok: false,
    },
    {
      name: 'the custom criterion is refused by the default 6.1 list',
      criterion: 'payroll_blocked',
      given: policy,
      ok: false,
    },
  ])('$name', ({ criterion, given, ok }) => {
    const result = validateEmergencyRequest(validForm({ criterion }), given);
    if (ok) expect(okValue(result).criterion).toBe(criterion);
    else
      expect(errorsOf(result)).toEqual({ [EMERGENCY_FIELDS.criterion]: 'Pick the emergency criterion that applies.' });
  });
});

describe('validateEmergencyRequest: affected systems, catalog vs free text', () => {
  const withSystems = policyWith(`systems:
  - { id: payments-api, label: Payments API }
  - { id: billing-db, label: Billing DB }
`);

  it.each([
    { name: 'catalog: a catalog id', systems: ['payments-api'], given: withSystems, expected: ['payments-api'] },
    {
      name: 'catalog: two ids, one repeated',
      systems: ['billing-db', 'payments-api', 'billing-db'],
      given: withSystems,
      expected: ['billing-db', 'payments-api'],
    },
    { name: 'free text (no catalog): any name', systems: ['ledger'], given: policy, expected: ['ledger'] },
    {
      name: 'free text (no catalog): a label-like name with spaces',
      systems: ['Payments API'],
      given: policy,
      expected: ['Payments API'],
    },
  ])('$name is accepted', ({ systems, given, expected }) => {
    expect(okValue(validateEmergencyRequest(validForm({ affectedSystems: systems }), given)).affectedSystems).toEqual(
      expected,
    );
  });

  it.each([
    { name: 'an unknown system', systems: ['ledger'], unknown: 'ledger' },
    { name: 'a catalog id next to an unknown one', systems: ['payments-api', 'ledger'], unknown: 'ledger' },
    { name: 'the label instead of the id', systems: ['Payments API'], unknown: 'Payments API' },
  ])('catalog: $name is an error on affected_systems only', ({ systems, unknown }) => {
    const errors = errorsOf(validateEmergencyRequest(validForm({ affectedSystems: systems }), withSystems));
    expect(errors).toEqual({ [EMERGENCY_FIELDS.affectedSystems]: `"${unknown}" is not in the system catalog.` });
  });

  it('catalog: no system at all is "at least one", not a catalog error', () => {
    expect(errorsOf(validateEmergencyRequest(validForm({ affectedSystems: [] }), withSystems))).toEqual({
      [EMERGENCY_FIELDS.affectedSystems]: 'Name at least one affected system.',
    });
  });
});

describe('validateEmergencyRequest: several faults at once', () => {
  it('an empty form reports every required block, and not the verbal checkbox', () => {
    const errors = errorsOf(validateEmergencyRequest({ affectedSystems: [], verballyAuthorized: false }, policy));
    const required = Object.values(EMERGENCY_FIELDS).filter((field) => field !== EMERGENCY_FIELDS.verballyAuthorized);
    expect(Object.keys(errors).sort()).toEqual([...required].sort());
  });

  it('reports every faulty field, and only those', () => {
    const errors = errorsOf(
      validateEmergencyRequest(validForm({ plannedFix: ' ', criterion: 'meh', ownerId: undefined }), policy),
    );
    expect(Object.keys(errors).sort()).toEqual(
      [EMERGENCY_FIELDS.criterion, EMERGENCY_FIELDS.owner, EMERGENCY_FIELDS.plannedFix].sort(),
    );
  });

  it.each<{ name: string; form: EmergencyForm; given: Policy }>([
    {
      name: 'non-string texts',
      form: { ...validForm(), whatIsBroken: 42 as unknown as string, plannedFix: null as unknown as string },
      given: policy,
    },
    {
      name: 'huge values',
      form: {
        ...validForm(),
        whatIsBroken: 'x'.repeat(1_000_000),
        affectedSystems: Array.from({ length: 10_000 }, (_, i) => `s${i}`),
        criterion: 'y'.repeat(100_000),
      },
      given: policy,
    },
    {
      name: 'an unknown system against a catalog',
      form: { ...validForm(), affectedSystems: ['\u0000'] },
      given: policyWith('systems:\n  - { id: payments-api, label: Payments API }\n'),
    },
  ])('$name → errors, no exception', ({ form, given }) => {
    let result: FormResult<EmergencyRequest, EmergencyIssue> | undefined;
    expect(() => {
      result = validateEmergencyRequest(form, given);
    }).not.toThrow();
    expect(result?.ok).toBe(false);
  });
});

// The picker gives whole minutes as epoch seconds; "now" is mid-minute here: 15:00:30.500Z.
const NOW = new Date('2026-03-02T15:00:30.500Z');
const MINUTE_START = Date.UTC(2026, 2, 2, 15, 0, 0) / 1000;

function validVerbal(overrides: Partial<VerbalApprovalForm> = {}): VerbalApprovalForm {
  return { approverId: 'U0MGR0001', medium: 'phone', givenAt: MINUTE_START - 10 * 60, note: undefined, ...overrides };
}

describe('validateVerbalApproval: 6.2 "verbal approval", one fault, one error key', () => {
  type Row = { name: string; form: Partial<VerbalApprovalForm>; now?: Date; key: string; message: RegExp };
  const rows: Row[] = [
    {
      name: '6.2 approver: missing',
      form: { approverId: undefined },
      key: VERBAL_FIELDS.approver,
      message: /^Pick who approved it\.$/,
    },
    {
      name: '6.2 approver: empty',
      form: { approverId: '' },
      key: VERBAL_FIELDS.approver,
      message: /^Pick who approved it\.$/,
    },
    {
      name: '6.2 medium: missing',
      form: { medium: undefined },
      key: VERBAL_FIELDS.medium,
      message: /^Pick how they approved it\.$/,
    },
    {
      name: '6.2 medium: not one of the media',
      form: { medium: 'email' },
      key: VERBAL_FIELDS.medium,
      message: /how they approved/,
    },
    {
      name: '6.2 medium: the label "Phone" instead of the value',
      form: { medium: 'Phone' },
      key: VERBAL_FIELDS.medium,
      message: /how they approved/,
    },
    {
      name: '6.2 medium: "video call" with a space',
      form: { medium: 'video call' },
      key: VERBAL_FIELDS.medium,
      message: /how they approved/,
    },
    { name: '6.2 medium: empty', form: { medium: '' }, key: VERBAL_FIELDS.medium, message: /how they approved/ },
    {
      name: '6.2 given at: missing',
      form: { givenAt: undefined },
      key: VERBAL_FIELDS.givenAt,
      message: /^Pick when they approved it\.$/,
    },
    {
      name: '6.2 given at: NaN',
      form: { givenAt: Number.NaN },
      key: VERBAL_FIELDS.givenAt,
      message: /^Pick when they approved it\.$/,
    },
    {
      name: '6.2 given at: Infinity',
      form: { givenAt: Number.POSITIVE_INFINITY },
      key: VERBAL_FIELDS.givenAt,
      message: /^Pick when they approved it\.$/,
    },
    {
      name: '6.2 given at: the next minute is the future',
      form: { givenAt: MINUTE_START + 60 },
      key: VERBAL_FIELDS.givenAt,
      message: /in the future/,
    },
    {
      name: '6.2 given at: tomorrow',
      form: { givenAt: MINUTE_START + 86_400 },
      key: VERBAL_FIELDS.givenAt,
      message: /in the future/,
    },
    {
      name: '6.2 given at: now exactly on a minute, the next minute is still the future',
      form: { givenAt: MINUTE_START + 60 },
      now: new Date(MINUTE_START * 1000),
      key: VERBAL_FIELDS.givenAt,
      message: /in the future/,
    },
    {
      name: `6.2 note: ${NOTE_MAX + 1} characters`,
      form: { note: 'n'.repeat(NOTE_MAX + 1) },
      key: VERBAL_FIELDS.note,
      message: /under 3000 characters/,
    },
    {
      name: `6.2 note: ${NOTE_MAX + 1} characters after trimming`,
      form: { note: `  ${'n'.repeat(NOTE_MAX + 1)}  ` },
      key: VERBAL_FIELDS.note,
      message: /under 3000 characters/,
    },
  ];

  it.each(rows)('$name → only $key', ({ form, now, key, message }) => {
    const errors = verbalErrorsOf(validateVerbalApproval(validVerbal(form), now ?? NOW));
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]).toMatch(message);
  });

  it('an empty form reports approver, medium and time, not the optional note', () => {
    expect(Object.keys(verbalErrorsOf(validateVerbalApproval({}, NOW))).sort()).toEqual(
      [VERBAL_FIELDS.approver, VERBAL_FIELDS.medium, VERBAL_FIELDS.givenAt].sort(),
    );
  });
});

describe('validateVerbalApproval: the current minute is not the future (the picker chooses minutes)', () => {
  it.each([
    { name: 'the start of the current minute (15:00:00, now 15:00:30.5)', givenAt: MINUTE_START, now: NOW },
    { name: 'the exact second of now (15:00:30)', givenAt: MINUTE_START + 30, now: NOW },
    { name: 'later in the current minute (15:00:59)', givenAt: MINUTE_START + 59, now: NOW },
    { name: 'the last millisecond of the current minute (15:00:59.999)', givenAt: MINUTE_START + 59.999, now: NOW },
    {
      name: 'now exactly on the minute, the same minute picked',
      givenAt: MINUTE_START,
      now: new Date(MINUTE_START * 1000),
    },
    {
      name: 'now at 15:00:59.999, the same minute picked',
      givenAt: MINUTE_START,
      now: new Date(MINUTE_START * 1000 + 59_999),
    },
    { name: 'a minute ago', givenAt: MINUTE_START - 60, now: NOW },
    { name: 'yesterday', givenAt: MINUTE_START - 86_400, now: NOW },
  ])('6.2 given at: $name → ok', ({ givenAt, now }) => {
    expect(okValue(validateVerbalApproval(validVerbal({ givenAt }), now)).givenAt.getTime()).toBe(givenAt * 1000);
  });

  it('6.2 given at: the first millisecond of the next minute is the future', () => {
    const errors = verbalErrorsOf(
      validateVerbalApproval(validVerbal({ givenAt: MINUTE_START + 60 }), new Date(MINUTE_START * 1000 + 59_999)),
    );
    expect(Object.keys(errors)).toEqual([VERBAL_FIELDS.givenAt]);
  });
});

describe('validateVerbalApproval: what passes', () => {
  it.each(VERBAL_MEDIA.map((medium) => ({ medium })))('6.2 medium $medium is accepted', ({ medium }) => {
    expect(okValue(validateVerbalApproval(validVerbal({ medium }), NOW)).medium).toBe(medium);
  });

  it.each([
    { name: 'absent', note: undefined, expected: undefined },
    { name: 'empty counts as absent', note: '', expected: undefined },
    { name: 'blank counts as absent', note: ' \n\t ', expected: undefined },
    { name: 'trimmed', note: '  said yes on the bridge call \n', expected: 'said yes on the bridge call' },
    {
      name: 'a permalink kept verbatim',
      note: 'https://acme.slack.com/archives/C0INC0001/p1700000000000100',
      expected: 'https://acme.slack.com/archives/C0INC0001/p1700000000000100',
    },
    { name: `exactly ${NOTE_MAX} characters`, note: 'n'.repeat(NOTE_MAX), expected: 'n'.repeat(NOTE_MAX) },
    {
      name: `${NOTE_MAX} characters plus surrounding spaces`,
      note: ` ${'n'.repeat(NOTE_MAX)} `,
      expected: 'n'.repeat(NOTE_MAX),
    },
  ])('6.2 note: $name', ({ note, expected }) => {
    expect(okValue(validateVerbalApproval(validVerbal({ note }), NOW)).note).toBe(expected);
  });

  it('6.2 a whole verbal approval becomes who, how, when (a Date) and the note', () => {
    const expected: VerbalApprovalInput = {
      approverId: 'U0ONSEC01',
      medium: 'video_call',
      givenAt: new Date('2026-03-02T14:50:00.000Z'),
      note: 'On the incident bridge',
    };
    const value = okValue(
      validateVerbalApproval(
        {
          approverId: 'U0ONSEC01',
          medium: 'video_call',
          givenAt: MINUTE_START - 600,
          note: ' On the incident bridge ',
        },
        NOW,
      ),
    );
    expect(value).toEqual(expected);
    expect(value.givenAt).toBeInstanceOf(Date);
  });
});

describe('verbalGivenAtIssue: 6.2 "verbal approval", given at most the policy minutes before the declaration', () => {
  const DECLARED = new Date('2026-11-18T15:00:00Z');
  const minutes = (n: number) => new Date(DECLARED.getTime() + n * 60_000);
  it.each([
    { name: 'at the declaration → in bounds', givenAt: minutes(0), bound: 60, expected: undefined },
    { name: 'after the declaration → in bounds (now is checked by the form)', givenAt: minutes(30), bound: 60 },
    { name: 'exactly the bound (60 min before) → in bounds', givenAt: minutes(-60), bound: 60 },
    { name: 'a minute before the bound → refused', givenAt: minutes(-61), bound: 60, refused: true },
    { name: 'a year before (a typo) → refused', givenAt: minutes(-525_600), bound: 60, refused: true },
    { name: 'bound 0: before the declaration → refused', givenAt: minutes(-1), bound: 0, refused: true },
    { name: 'bound 0: at the declaration → in bounds', givenAt: minutes(0), bound: 0 },
  ])('$name', ({ givenAt, bound, refused }) => {
    const withBound = policyWith(`emergency: { verbal_before_declaration_minutes: ${bound} }\n`);
    expect(verbalGivenAtIssue(givenAt, DECLARED, withBound)).toEqual(
      refused ? { field: 'givenAt', code: 'too_early', minutes: bound } : undefined,
    );
  });

  it('is worded on the given-at field, naming the policy key', () => {
    const issue = verbalGivenAtIssue(minutes(-90), DECLARED, policy);
    expect(verbalApprovalErrors(issue ? [issue] : [])).toEqual({
      [VERBAL_FIELDS.givenAt]:
        'That is more than 60 minutes before the emergency was declared (policy ' +
        '`emergency.verbal_before_declaration_minutes`); pick when the approval was given.',
    });
  });
});

// validateChangeRequest: the POL-SEC-008 4.2 change-request fields, one fault at a time, then together.
import { describe, expect, it } from 'vitest';
import {
  type ChangeRequestForm,
  TEXT_MAX,
  TITLE_MAX,
  type Validation,
  validateChangeRequest,
} from '../../src/domain/change-request.js';
import type { Policy } from '../../src/policy/schema.js';
import { CHANGE_FIELDS, riskFactorField } from '../../src/slack/blocks/form-fields.js';
import { changeRequestErrors } from '../../src/slack/words/forms.js';
import { minimalPolicy, policyWith } from './policy-fixture.js';

const policy = minimalPolicy();

/** A whole second, so "start exactly at now" is expressible in the datetimepicker's epoch seconds. */
const NOW = new Date('2026-03-02T15:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const HOUR = 3600;

/** The five POL-SEC-008 3.3 factors of the default policy. */
const FACTORS = ['systems_affected', 'user_impact', 'data_risk', 'reversibility', 'security_impact'] as const;

/** The multiline required 4.2 text fields: form property and block id. */
const MULTILINE = [
  { prop: 'description', field: CHANGE_FIELDS.description },
  { prop: 'businessJustification', field: CHANGE_FIELDS.businessJustification },
  { prop: 'impactAnalysis', field: CHANGE_FIELDS.impactAnalysis },
  { prop: 'testPlan', field: CHANGE_FIELDS.testPlan },
  { prop: 'rollbackPlan', field: CHANGE_FIELDS.rollbackPlan },
  { prop: 'implementationPlan', field: CHANGE_FIELDS.implementationPlan },
] as const;

/** A complete, valid change request: every POL-SEC-008 4.2 field filled in, as Slack gives it. */
function validForm(overrides: Partial<ChangeRequestForm> = {}): ChangeRequestForm {
  return {
    title: 'Upgrade payments-api to Node 20',
    description: 'Bump the runtime and rebuild the container image.',
    businessJustification: 'Node 18 is end of life.',
    changeType: 'normal',
    affectedSystems: ['payments-api'],
    riskAnswers: { systems_affected: '1', user_impact: '2', data_risk: '1', reversibility: '3', security_impact: '1' },
    requestedRiskLevel: undefined,
    securityTriggers: [],
    reviewRules: [],
    impactAnalysis: 'Payments API restarts; a few seconds of 503s.',
    testPlan: 'Unit and integration tests in CI, smoke test in staging.',
    rollbackPlan: 'Redeploy the previous image tag.',
    implementationPlan: '1. Merge. 2. Deploy via the pipeline. 3. Watch the dashboard.',
    plannedStart: NOW_SECONDS + HOUR,
    plannedEnd: NOW_SECONDS + 2 * HOUR,
    ownerId: 'U0OWNER01',
    link: undefined,
    ...overrides,
  };
}

function errorsOf(result: Validation): Record<string, string> {
  if (result.ok) throw new Error(`expected validation errors, got ok: ${JSON.stringify(result.request)}`);
  // As the modal shows them: on their blocks, in words.
  return changeRequestErrors(result.issues);
}

function requestOf(result: Validation) {
  if (!result.ok) throw new Error(`expected ok, got errors: ${JSON.stringify(result.issues)}`);
  return result.request;
}

describe('validateChangeRequest: one fault, one error key', () => {
  type Row = { name: string; form: Partial<ChangeRequestForm>; key: string; message: RegExp };
  const rows: Row[] = [
    // 4.2 Title
    { name: '4.2 Title: missing', form: { title: undefined }, key: CHANGE_FIELDS.title, message: /Enter the title/ },
    { name: '4.2 Title: empty', form: { title: '' }, key: CHANGE_FIELDS.title, message: /Enter the title/ },
    {
      name: '4.2 Title: blank (whitespace only)',
      form: { title: '   \n\t ' },
      key: CHANGE_FIELDS.title,
      message: /Enter the title/,
    },
    {
      name: `4.2 Title: ${TITLE_MAX + 1} characters`,
      form: { title: 'x'.repeat(TITLE_MAX + 1) },
      key: CHANGE_FIELDS.title,
      message: /under 150/,
    },
    // 4.2 Description, Business Justification, Impact Analysis, Test Plan, Rollback Plan, Implementation Plan
    ...MULTILINE.flatMap(({ prop, field }): Row[] => [
      { name: `4.2 ${field}: missing`, form: { [prop]: undefined }, key: field, message: /^Enter the / },
      { name: `4.2 ${field}: blank`, form: { [prop]: '  \n ' }, key: field, message: /^Enter the / },
      {
        name: `4.2 ${field}: ${TEXT_MAX + 1} characters`,
        form: { [prop]: 'y'.repeat(TEXT_MAX + 1) },
        key: field,
        message: /under 3000/,
      },
    ]),
    // 3.1 change type
    {
      name: '3.1 change_type: missing',
      form: { changeType: undefined },
      key: CHANGE_FIELDS.changeType,
      message: /Pick the change type/,
    },
    {
      name: '3.1 change_type: unknown type',
      form: { changeType: 'emergency' },
      key: CHANGE_FIELDS.changeType,
      message: /Pick the change type/,
    },
    {
      name: '3.1 change_type: standard:<unknown id>',
      form: { changeType: 'standard:no_such_change' },
      key: CHANGE_FIELDS.changeType,
      message: /not in the catalog/,
    },
    {
      name: '3.1 change_type: standard: with no id',
      form: { changeType: 'standard:' },
      key: CHANGE_FIELDS.changeType,
      message: /not in the catalog/,
    },
    // 4.2 Impact Analysis (systems affected)
    {
      name: '4.2 affected_systems: none',
      form: { affectedSystems: [] },
      key: CHANGE_FIELDS.affectedSystems,
      message: /at least one/,
    },
    {
      name: '4.2 affected_systems: only commas and whitespace (as the free-text reader splits it)',
      form: { affectedSystems: ' ,  , ,'.split(',') },
      key: CHANGE_FIELDS.affectedSystems,
      message: /at least one/,
    },
    {
      name: '4.2 affected_systems: a name over 100 characters',
      form: { affectedSystems: ['db', 's'.repeat(101)] },
      key: CHANGE_FIELDS.affectedSystems,
      message: /under 100/,
    },
    // 4.2 Risk Assessment: 3.3 factors and 3.2 level
    ...FACTORS.map(
      (factor): Row => ({
        name: `4.2 Risk Assessment: factor ${factor} missing`,
        form: { riskAnswers: { ...validForm().riskAnswers, [factor]: undefined } },
        key: riskFactorField(factor),
        message: /^Rate /,
      }),
    ),
    {
      name: '4.2 Risk Assessment: factor key absent altogether',
      form: { riskAnswers: { systems_affected: '1', user_impact: '1', data_risk: '1', reversibility: '1' } },
      key: riskFactorField('security_impact'),
      message: /Rate Security Impact/,
    },
    {
      name: '4.2 Risk Assessment: score "4" (3.3 scores are 1..3)',
      form: { riskAnswers: { ...validForm().riskAnswers, data_risk: '4' } },
      key: riskFactorField('data_risk'),
      message: /Rate Data Risk/,
    },
    {
      name: '4.2 Risk Assessment: score "0"',
      form: { riskAnswers: { ...validForm().riskAnswers, user_impact: '0' } },
      key: riskFactorField('user_impact'),
      message: /Rate User Impact/,
    },
    {
      name: '4.2 Risk Assessment: score ""',
      form: { riskAnswers: { ...validForm().riskAnswers, reversibility: '' } },
      key: riskFactorField('reversibility'),
      message: /Rate Reversibility/,
    },
    {
      name: '4.2 Risk Assessment: score "1.5"',
      form: { riskAnswers: { ...validForm().riskAnswers, systems_affected: '1.5' } },
      key: riskFactorField('systems_affected'),
      message: /Rate Systems Affected/,
    },
    {
      name: '4.2 Risk Assessment: score "high"',
      form: { riskAnswers: { ...validForm().riskAnswers, security_impact: 'high' } },
      key: riskFactorField('security_impact'),
      message: /Rate Security Impact/,
    },
    {
      name: '4.2 Risk Assessment: requested_risk_level unknown',
      form: { requestedRiskLevel: 'extreme' },
      key: CHANGE_FIELDS.requestedRiskLevel,
      message: /risk level from the list/,
    },
    // 4.3 security review triggers and code-review rules
    {
      name: '4.3 security_triggers: unknown trigger',
      form: { securityTriggers: ['encryption', 'telepathy'] },
      key: CHANGE_FIELDS.securityTriggers,
      message: /only the listed triggers/,
    },
    {
      name: '4.3 security_triggers: inherited property name',
      form: { securityTriggers: ['toString'] },
      key: CHANGE_FIELDS.securityTriggers,
      message: /only the listed triggers/,
    },
    {
      name: '4.3 review_rules: unknown rule',
      form: { reviewRules: ['database', 'frontend'] },
      key: CHANGE_FIELDS.reviewRules,
      message: /only the listed kinds/,
    },
    {
      name: '4.3 review_rules: inherited property name',
      form: { reviewRules: ['constructor'] },
      key: CHANGE_FIELDS.reviewRules,
      message: /only the listed kinds/,
    },
    // 4.2 Schedule
    {
      name: '4.2 Schedule: planned_start missing',
      form: { plannedStart: undefined },
      key: CHANGE_FIELDS.plannedStart,
      message: /when the change starts/,
    },
    {
      name: '4.2 Schedule: planned_start one second before now',
      form: { plannedStart: NOW_SECONDS - 1 },
      key: CHANGE_FIELDS.plannedStart,
      message: /in the past/,
    },
    {
      name: '4.2 Schedule: planned_end missing',
      form: { plannedEnd: undefined },
      key: CHANGE_FIELDS.plannedEnd,
      message: /when the change ends/,
    },
    {
      name: '4.2 Schedule: planned_end equal to start',
      form: { plannedEnd: NOW_SECONDS + HOUR },
      key: CHANGE_FIELDS.plannedEnd,
      message: /after the start/,
    },
    {
      name: '4.2 Schedule: planned_end before start',
      form: { plannedEnd: NOW_SECONDS + HOUR - 60 },
      key: CHANGE_FIELDS.plannedEnd,
      message: /after the start/,
    },
    // 4.2 Change Owner
    {
      name: '4.2 Change Owner: missing',
      form: { ownerId: undefined },
      key: CHANGE_FIELDS.owner,
      message: /change owner/,
    },
    { name: '4.2 Change Owner: empty', form: { ownerId: '' }, key: CHANGE_FIELDS.owner, message: /change owner/ },
    // Ticket or PR link (optional, but must be http(s))
    { name: 'link: "not a url"', form: { link: 'not a url' }, key: CHANGE_FIELDS.link, message: /http\(s\) link/ },
    { name: 'link: "ftp://x.y"', form: { link: 'ftp://x.y' }, key: CHANGE_FIELDS.link, message: /http\(s\) link/ },
    {
      name: 'link: "javascript:alert(1)"',
      form: { link: 'javascript:alert(1)' },
      key: CHANGE_FIELDS.link,
      message: /http\(s\) link/,
    },
    {
      name: 'link: "mailto:a@b.c"',
      form: { link: 'mailto:a@b.c' },
      key: CHANGE_FIELDS.link,
      message: /http\(s\) link/,
    },
    {
      name: `link: longer than ${TEXT_MAX} characters`,
      form: { link: `https://example.com/${'a'.repeat(TEXT_MAX)}` },
      key: CHANGE_FIELDS.link,
      message: /http\(s\) link/,
    },
  ];

  it.each(rows)('$name → error on $key only', ({ form, key, message }) => {
    const errors = errorsOf(validateChangeRequest(validForm(form), policy, NOW));
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]).toMatch(message);
  });

  it('the table covers every 4.2 block id of CHANGE_FIELDS and every risk factor', () => {
    const keys = new Set(rows.map((row) => row.key));
    // The schedule exception is checked with the windows and freezes (schedule.test.ts), not here.
    for (const field of Object.values(CHANGE_FIELDS).filter((name) => name !== CHANGE_FIELDS.scheduleException))
      expect(keys, field).toContain(field);
    for (const factor of policy.risk.factors) expect(keys, factor.id).toContain(riskFactorField(factor.id));
  });
});

describe('validateChangeRequest: accepted forms', () => {
  it('4.2: a complete form is ok: text trimmed, systems de-duplicated, risk answers numeric, dates as Date', () => {
    const result = validateChangeRequest(
      validForm({
        title: '  Upgrade payments-api  ',
        description: '\n Bump the runtime. \n',
        businessJustification: ' EOL ',
        impactAnalysis: ' Restarts ',
        testPlan: ' CI ',
        rollbackPlan: ' Redeploy ',
        implementationPlan: ' Merge, deploy ',
        affectedSystems: ' payments-api, billing-db ,payments-api,, billing-db'.split(','),
        riskAnswers: {
          systems_affected: '1',
          user_impact: '2',
          data_risk: '3',
          reversibility: '2',
          security_impact: '1',
        },
        requestedRiskLevel: 'high',
        securityTriggers: ['encryption', 'authentication'],
        reviewRules: ['security', 'database'],
        link: '  https://github.com/o/r/pull/1 ',
      }),
      policy,
      NOW,
    );
    expect(requestOf(result)).toEqual({
      title: 'Upgrade payments-api',
      description: 'Bump the runtime.',
      businessJustification: 'EOL',
      type: 'normal',
      standardChangeId: undefined,
      affectedSystems: ['payments-api', 'billing-db'],
      riskAnswers: { systems_affected: 1, user_impact: 2, data_risk: 3, reversibility: 2, security_impact: 1 },
      requestedRiskLevel: 'high',
      securityTriggers: ['encryption', 'authentication'],
      reviewRules: ['security', 'database'],
      impactAnalysis: 'Restarts',
      testPlan: 'CI',
      rollbackPlan: 'Redeploy',
      implementationPlan: 'Merge, deploy',
      plannedStart: new Date('2026-03-02T16:00:00.000Z'),
      plannedEnd: new Date('2026-03-02T17:00:00.000Z'),
      scheduleExceptionRequested: false,
      ownerId: 'U0OWNER01',
      link: 'https://github.com/o/r/pull/1',
    });
    const request = requestOf(result);
    expect(request.plannedStart).toBeInstanceOf(Date);
    expect(request.plannedEnd).toBeInstanceOf(Date);
  });

  it.each([
    { name: '4.2 Schedule: start exactly at now', form: { plannedStart: NOW_SECONDS, plannedEnd: NOW_SECONDS + 1 } },
    { name: '4.2 Schedule: end one second after start', form: { plannedEnd: NOW_SECONDS + HOUR + 1 } },
    { name: 'link: absent', form: { link: undefined } },
    { name: 'link: blank counts as absent', form: { link: '   ' } },
    { name: 'link: https://github.com/o/r/pull/1', form: { link: 'https://github.com/o/r/pull/1' } },
    { name: 'link: http is allowed too', form: { link: 'http://tickets.example.com/CHG-1' } },
    { name: `4.2 Title: exactly ${TITLE_MAX} characters`, form: { title: 't'.repeat(TITLE_MAX) } },
    {
      name: `4.2 Title: ${TITLE_MAX} characters plus surrounding spaces`,
      form: { title: ` ${'t'.repeat(TITLE_MAX)} ` },
    },
    { name: `4.2 Description: exactly ${TEXT_MAX} characters`, form: { description: 'd'.repeat(TEXT_MAX) } },
    { name: '4.2 Risk Assessment: requested level blank counts as none', form: { requestedRiskLevel: '' } },
    {
      name: '4.2 affected_systems: a name of exactly 100 characters (no catalog)',
      form: { affectedSystems: ['s'.repeat(100)] },
    },
  ])('$name → ok', ({ form }) => {
    const result = validateChangeRequest(validForm(form), policy, NOW);
    expect(result.ok ? 'ok' : result.issues).toBe('ok');
  });

  it('4.2 Schedule: start exactly at now becomes a Date equal to now', () => {
    const request = requestOf(validateChangeRequest(validForm({ plannedStart: NOW_SECONDS }), policy, NOW));
    expect(request.plannedStart.getTime()).toBe(NOW.getTime());
  });

  it('an absent or blank link is stored as undefined, a present one verbatim', () => {
    expect(requestOf(validateChangeRequest(validForm({ link: undefined }), policy, NOW)).link).toBeUndefined();
    expect(requestOf(validateChangeRequest(validForm({ link: ' ' }), policy, NOW)).link).toBeUndefined();
    expect(
      requestOf(validateChangeRequest(validForm({ link: 'https://github.com/o/r/pull/1' }), policy, NOW)).link,
    ).toBe('https://github.com/o/r/pull/1');
  });

  it('an empty requested risk level is stored as undefined', () => {
    expect(
      requestOf(validateChangeRequest(validForm({ requestedRiskLevel: '' }), policy, NOW)).requestedRiskLevel,
    ).toBeUndefined();
  });
});

describe('validateChangeRequest: 3.1 standard changes from the policy catalog', () => {
  const withCatalog = policyWith(`standard_changes:
  - { id: tls_rotation, title: Rotate TLS }
`);

  it('"standard:tls_rotation" is a standard change with that catalog id', () => {
    const request = requestOf(
      validateChangeRequest(validForm({ changeType: 'standard:tls_rotation' }), withCatalog, NOW),
    );
    expect(request.type).toBe('standard');
    expect(request.standardChangeId).toBe('tls_rotation');
  });

  it('"normal" stays normal with no catalog id', () => {
    const request = requestOf(validateChangeRequest(validForm({ changeType: 'normal' }), withCatalog, NOW));
    expect(request.type).toBe('normal');
    expect(request.standardChangeId).toBeUndefined();
  });

  it('an id not in the catalog is an error on change_type only', () => {
    const errors = errorsOf(
      validateChangeRequest(validForm({ changeType: 'standard:cert_renewal' }), withCatalog, NOW),
    );
    expect(Object.keys(errors)).toEqual([CHANGE_FIELDS.changeType]);
  });

  it('the same id is refused by a policy without the catalog', () => {
    const errors = errorsOf(validateChangeRequest(validForm({ changeType: 'standard:tls_rotation' }), policy, NOW));
    expect(Object.keys(errors)).toEqual([CHANGE_FIELDS.changeType]);
  });
});

describe('validateChangeRequest: affected systems against a systems catalog', () => {
  const withSystems = policyWith(`systems:
  - { id: payments-api, label: Payments API }
  - { id: billing-db, label: Billing DB }
`);

  it.each([
    { name: 'a catalog id', systems: ['payments-api'], expected: ['payments-api'] },
    {
      name: 'two catalog ids, one repeated',
      systems: ['billing-db', 'payments-api', 'billing-db'],
      expected: ['billing-db', 'payments-api'],
    },
  ])('$name is accepted', ({ systems, expected }) => {
    expect(
      requestOf(validateChangeRequest(validForm({ affectedSystems: systems }), withSystems, NOW)).affectedSystems,
    ).toEqual(expected);
  });

  it.each([
    { name: 'an unknown system', systems: ['ledger'], unknown: 'ledger' },
    { name: 'a catalog id next to an unknown one', systems: ['payments-api', 'ledger'], unknown: 'ledger' },
    { name: 'the label instead of the id', systems: ['Payments API'], unknown: 'Payments API' },
    { name: 'an id in the wrong case', systems: ['Payments-API'], unknown: 'Payments-API' },
  ])('$name is an error on affected_systems only', ({ systems, unknown }) => {
    const errors = errorsOf(validateChangeRequest(validForm({ affectedSystems: systems }), withSystems, NOW));
    expect(Object.keys(errors)).toEqual([CHANGE_FIELDS.affectedSystems]);
    expect(errors[CHANGE_FIELDS.affectedSystems]).toBe(`"${unknown}" is not in the system catalog.`);
  });

  it('no system at all is still "at least one", not a catalog error', () => {
    const errors = errorsOf(validateChangeRequest(validForm({ affectedSystems: [] }), withSystems, NOW));
    expect(errors).toEqual({ [CHANGE_FIELDS.affectedSystems]: 'Name at least one affected system.' });
  });

  it('without a catalog, free-text names are accepted', () => {
    expect(
      requestOf(validateChangeRequest(validForm({ affectedSystems: ['ledger'] }), policy, NOW)).affectedSystems,
    ).toEqual(['ledger']);
  });
});

describe('validateChangeRequest: several faults at once', () => {
  it('reports every faulty field, and only those', () => {
    const errors = errorsOf(
      validateChangeRequest(
        validForm({
          title: ' ',
          rollbackPlan: undefined,
          changeType: 'standard:nope',
          affectedSystems: [],
          riskAnswers: { systems_affected: '1', user_impact: '9', data_risk: '1', reversibility: '1' },
          plannedStart: NOW_SECONDS - HOUR,
          ownerId: undefined,
          link: 'ftp://x.y',
        }),
        policy,
        NOW,
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(
      [
        CHANGE_FIELDS.title,
        CHANGE_FIELDS.rollbackPlan,
        CHANGE_FIELDS.changeType,
        CHANGE_FIELDS.affectedSystems,
        riskFactorField('user_impact'),
        riskFactorField('security_impact'),
        CHANGE_FIELDS.plannedStart,
        CHANGE_FIELDS.owner,
        CHANGE_FIELDS.link,
      ].sort(),
    );
  });

  it('an empty form reports every required field', () => {
    const errors = errorsOf(
      validateChangeRequest(
        { affectedSystems: [], riskAnswers: {}, securityTriggers: [], reviewRules: [] },
        policy,
        NOW,
      ),
    );
    const required = Object.values(CHANGE_FIELDS).filter(
      (field) =>
        ![
          CHANGE_FIELDS.requestedRiskLevel,
          CHANGE_FIELDS.securityTriggers,
          CHANGE_FIELDS.reviewRules,
          CHANGE_FIELDS.link,
          CHANGE_FIELDS.scheduleException,
        ].includes(field as never),
    );
    expect(Object.keys(errors).sort()).toEqual([...required, ...FACTORS.map(riskFactorField)].sort());
  });

  it('a start in the past and an end before it: both keys', () => {
    const errors = errorsOf(
      validateChangeRequest(validForm({ plannedStart: NOW_SECONDS - 60, plannedEnd: NOW_SECONDS - 120 }), policy, NOW),
    );
    expect(Object.keys(errors).sort()).toEqual([CHANGE_FIELDS.plannedEnd, CHANGE_FIELDS.plannedStart].sort());
  });

  it('a missing start does not also flag a present end', () => {
    const errors = errorsOf(
      validateChangeRequest(validForm({ plannedStart: undefined, plannedEnd: NOW_SECONDS - 1 }), policy, NOW),
    );
    expect(Object.keys(errors)).toEqual([CHANGE_FIELDS.plannedStart]);
  });
});

describe('validateChangeRequest never throws for bad input', () => {
  // Values the types allow but Slack (or a tampered payload) should never send.
  const garbage: { name: string; form: ChangeRequestForm; policy?: Policy }[] = [
    { name: 'everything empty', form: { affectedSystems: [], riskAnswers: {}, securityTriggers: [], reviewRules: [] } },
    {
      // Outside the declared types (the text fields go through zod, so they are safe); a non-string
      // changeType would throw in `startsWith`, but the type and Slack's option values rule that out.
      name: 'non-string values where the text fields belong',
      form: {
        ...validForm(),
        title: 42 as unknown as string,
        description: null as unknown as string,
        riskAnswers: { systems_affected: {} as unknown as string, user_impact: [] as unknown as string },
        link: 'http://[::1',
      },
    },
    {
      name: 'prototype keys everywhere',
      form: {
        ...validForm(),
        changeType: 'standard:__proto__',
        securityTriggers: ['__proto__'],
        reviewRules: ['__proto__', 'hasOwnProperty'],
        requestedRiskLevel: 'constructor',
        riskAnswers: JSON.parse('{"__proto__": "1"}'),
      },
    },
    {
      name: 'huge values',
      form: {
        ...validForm(),
        title: 'x'.repeat(1_000_000),
        affectedSystems: Array.from({ length: 10_000 }, (_, i) => `s${i}`),
        link: `https://${'a'.repeat(100_000)}.com`,
      },
    },
    {
      name: 'an unknown system against a catalog',
      form: { ...validForm(), affectedSystems: ['\u0000', 'ledger'] },
      policy: policyWith('systems:\n  - { id: payments-api, label: Payments API }\n'),
    },
  ];

  it.each(garbage)('$name → errors, no exception', ({ form, policy: given }) => {
    let result: Validation | undefined;
    expect(() => {
      result = validateChangeRequest(form, given ?? policy, NOW);
    }).not.toThrow();
    expect(result?.ok).toBe(false);
  });

  // A time that is not a finite number must not slip through as an Invalid Date (which compares false with everything).
  it('a start within the current minute is not "in the past": the picker chooses minutes', () => {
    const start = Math.floor(NOW.getTime() / 1000);
    const result = validateChangeRequest(
      validForm({ plannedStart: start, plannedEnd: start + 3600 }),
      policy,
      new Date(NOW.getTime() + 42_000),
    );
    expect(result.ok).toBe(true);
  });

  it('a start or end that is not a finite number (NaN) is refused, not accepted as an Invalid Date', () => {
    const errors = errorsOf(
      validateChangeRequest(validForm({ plannedStart: Number.NaN, plannedEnd: Number.NaN }), policy, NOW),
    );
    expect(Object.keys(errors).sort()).toEqual([CHANGE_FIELDS.plannedEnd, CHANGE_FIELDS.plannedStart].sort());
  });
});

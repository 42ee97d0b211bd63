// Issue 16.10: the `nine-step-workflow` preset (document 003, Change Management Workflow) walked end to end over
// signed HTTP: system owners, the technical lead, security and the CAB approve; the change is scheduled into a
// window, implemented, reviewed after deployment and closed; emergencies approved expedited and still documented.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGE_FIELDS } from '../../src/slack/blocks/form-fields.js';
import { IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import {
  approve,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitDocumentation,
  submitEmergencyForm,
  submitEvidence,
} from '../support/interactions.js';
import {
  boardApproves,
  changeRow,
  clickAndRead,
  decisionsOf,
  evidenceOf,
  HOUR,
  implementAndClose,
  MINUTE,
  paperworkDue,
  paperworkOpen,
  presetFile,
  recipientsOf,
  recordOwedEvidence,
  requiredRoles,
  reviewAll,
  startPreset,
  statesOf,
  step,
  submitChangeEvidence,
  untilAsked,
  untilState,
  verifyAll,
} from '../support/preset-walk.js';
import type { TestApp } from '../support/test-app.js';

const TECHNICAL_LEAD = 'U0TL00001';
const SECURITY = 'U0SEC0001';
const PAYMENTS_OWNER = 'U0PAYOWN1';
const CHAIR = 'U0CHAIR01';
const DEVELOPER = 'U0DEV0001';
// Tuesday 17 Nov 2026, 10:00 in New York (the default time zone): business hours.
const TUESDAY = '2026-11-17T15:00:00Z';
// The default form plans Tue 24 Nov 07:00–08:00 New York, a window for every risk level (the default windows).
const TUESDAY_0705 = '2026-11-24T12:05:00Z';

const FILE = presetFile(
  'nine-step-workflow',
  `roles:
  technical_lead: [${TECHNICAL_LEAD}]
  security: [${SECURITY}]
  cab: [U0CAB0001, U0CAB0002]
  change_manager: [U0CM00001]
  payments_owner: [${PAYMENTS_OWNER}]
cab: { channel: C0CAB0001, chair: ${CHAIR} }
channels: { log: C0LOG0001 }
systems:
  - { id: payments-api, label: Payments API, owner_role: payments_owner, min_risk: high }
  - { id: intranet, label: Intranet }
standard_changes:
  - { id: intranet_patch, title: Patch the intranet }
`,
);

let running: TestApp | undefined;
async function start(): Promise<TestApp> {
  running = await startPreset(FILE, TUESDAY);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('nine-step-workflow (003) normal and standard changes', () => {
  it('003 1–3, 7–9: the system’s owner, technical lead, security and CAB approve; run, reviewed', async () => {
    const app = await start();
    const form = { ...defaultChangeForm(app.clock.now()), systems: 'payments-api', systemsFromCatalog: true };
    // 1: the request names its affected systems, from the catalog.
    const unnamed = await submitChangeForm(app, DEVELOPER, { ...form, omit: [CHANGE_FIELDS.affectedSystems] });
    expect(JSON.stringify(unnamed.json)).toContain(CHANGE_FIELDS.affectedSystems);
    expect((await submitChangeForm(app, DEVELOPER, form)).text).toBe('');
    // 2 "Higher-risk changes may require additional review": the payments tier makes every change to it high.
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', computedRiskLevel: 'low', riskLevel: 'high' });
    expect(requiredRoles(app)).toEqual(['cab', 'payments_owner', 'security', 'technical_lead']);
    await untilAsked(app, 'Approval requested', [TECHNICAL_LEAD, SECURITY, PAYMENTS_OWNER]);
    for (const approver of [PAYMENTS_OWNER, TECHNICAL_LEAD, SECURITY]) await approve(app, approver, 'CHG-1');
    await eventually(() => decisionsOf(app).length === 3, 'the three approvals');
    await boardApproves(app, { chair: CHAIR, voters: ['U0CAB0002'] });
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual([
      `${PAYMENTS_OWNER}:payments_owner:button`,
      `${TECHNICAL_LEAD}:technical_lead:button`,
      `${SECURITY}:security:button`,
      `${CHAIR}:cab:cab`,
    ]);
    // 7–9: implemented in its window, reviewed, closed.
    app.clock.set(TUESDAY_0705);
    await implementAndClose(app, DEVELOPER, { review: true });
  }, 20_000);

  it('003 3, 6, 8: a low-risk change needs its technical lead, waits for a window, and is reviewed too', async () => {
    const app = await start();
    const response = await submitChangeForm(app, DEVELOPER, {
      ...defaultChangeForm(app.clock.now()),
      systems: 'intranet',
      systemsFromCatalog: true,
    });
    expect(response.text).toBe('');
    // 3: a low-risk change to an unowned system needs its technical lead.
    expect(requiredRoles(app)).toEqual(['technical_lead']);
    await untilAsked(app, 'Approval requested', [TECHNICAL_LEAD]);
    await approve(app, TECHNICAL_LEAD, 'CHG-1');
    await untilState(app, 'approved');

    // 6: outside its window it waits.
    app.clock.set('2026-11-20T15:00:00Z');
    expect(await step(app, DEVELOPER, 'start')).toContain('outside the deployment windows');
    app.clock.set(TUESDAY_0705);
    // 8 "A post-implementation review is conducted": of every change, low risk too.
    await implementAndClose(app, DEVELOPER, { review: true });
    expect(statesOf(app).slice(-4)).toEqual(['implementing', 'completed', 'reviewed', 'closed']);
  }, 20_000);

  it('003 8: a pre-approved standard change is reviewed after deployment too', async () => {
    const app = await start();
    const response = await submitChangeForm(app, DEVELOPER, {
      ...defaultChangeForm(app.clock.now()),
      changeType: 'standard:intranet_patch',
      systems: 'intranet',
      systemsFromCatalog: true,
    });
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'approved' });
    expect(decisionsOf(app)).toEqual(['-:-:pre_approved']);
    app.clock.set(TUESDAY_0705);
    await implementAndClose(app, DEVELOPER, { review: true });
  }, 20_000);
});

describe('nine-step-workflow (003) evidence by step', () => {
  it('003 4, 7, 8: tests before Start, implementation notes before Complete, monitoring before Verify', async () => {
    const app = await start();
    const form = { ...defaultChangeForm(app.clock.now()), systems: 'intranet', systemsFromCatalog: true };
    expect((await submitChangeForm(app, DEVELOPER, form)).text).toBe('');
    await approve(app, TECHNICAL_LEAD, 'CHG-1');
    await untilState(app, 'approved');
    app.clock.set(TUESDAY_0705);
    // 4 "Testing evidence must be recorded", after the approvals and before the change is implemented.
    expect(await step(app, DEVELOPER, 'start')).toContain(
      'cannot start yet: its evidence is not recorded for ' +
        '“Tested in a non-production environment (functionality, compatibility, security)”.',
    );
    await recordOwedEvidence(app, DEVELOPER, 'start');
    expect(await step(app, DEVELOPER, 'start')).toBe('CHG-1 is started.');
    // 7 "All actions taken during the implementation must be documented".
    expect(await step(app, DEVELOPER, 'complete')).toBe(
      'CHG-1 cannot complete yet: its evidence is not recorded for ' +
        '“Implementation notes: actions taken and issues encountered”. Its requester or owner records it with ' +
        '*Add evidence* on the change.',
    );
    const notes = { item: 'step:implementation_notes', evidence: 'Rolled out node by node; one retry on node 3.' };
    expect((await submitChangeEvidence(app, DEVELOPER, notes)).text).toBe('');
    expect(await step(app, DEVELOPER, 'complete')).toBe('CHG-1 is completed.');
    // 8 "Monitoring should be increased temporarily": recorded before the validation's form opens.
    expect(await clickAndRead(app, DEVELOPER, IMPLEMENTATION_ACTIONS.verify, 'CHG-1')).toContain(
      'CHG-1 cannot verify yet: its evidence is not recorded for “Monitoring increased after deployment”.',
    );
    const monitoring = { item: 'step:monitoring_increased', evidence: 'https://grafana.example.com/d/intranet' };
    expect((await submitChangeEvidence(app, DEVELOPER, monitoring)).text).toBe('');
    await verifyAll(app, DEVELOPER);
    await reviewAll(app, DEVELOPER);
    expect(await step(app, DEVELOPER, 'close')).toBe('CHG-1 is closed.');
    // 9: the evidence stays with the change; a closed change takes no more.
    expect(evidenceOf(app)).toEqual(['test:non_production', 'step:implementation_notes', 'step:monitoring_increased']);
    const late = await submitChangeEvidence(app, DEVELOPER, { ...notes, evidence: 'An afterthought.' });
    expect(JSON.parse(late.text).errors).toEqual({
      change_evidence_item: 'CHG-1 is closed; its record is final, so nothing was recorded.',
    });
  }, 20_000);
});

describe('nine-step-workflow (003) emergencies', () => {
  it('003 3: the technical lead approves an emergency expedited; it is still documented and approved', async () => {
    const app = await start();
    expect((await submitEmergencyForm(app, DEVELOPER, { systems: 'intranet', systemsFromCatalog: true })).text).toBe(
      '',
    );
    await untilAsked(app, 'Emergency authorization requested', [TECHNICAL_LEAD]);
    expect(recipientsOf(app, 'Emergency authorization requested')).toEqual([TECHNICAL_LEAD]);
    await approve(app, TECHNICAL_LEAD, 'CHG-1:authorization');
    await untilState(app, 'authorized');
    const authorizedAt = app.clock.now();
    expect(paperworkDue(app, authorizedAt)).toEqual([
      ['documentation', 24],
      ['retro_approval', 24],
      ['retro_ticket', 24],
      ['root_cause_analysis', 24],
    ]);

    app.clock.advance(2 * HOUR);
    const documented = await submitDocumentation(app, DEVELOPER, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      systems: 'intranet',
      systemsFromCatalog: true,
      plannedStart: authorizedAt,
      plannedEnd: new Date(authorizedAt.getTime() + 15 * MINUTE),
    });
    expect(documented.text).toBe('');
    expect(requiredRoles(app, 'retro_approval')).toEqual(['technical_lead']);
    await submitEvidence(app, DEVELOPER, 'CHG-1:retro_ticket', 'https://tracker.example.com/CHG-1');
    await submitEvidence(app, DEVELOPER, 'CHG-1:root_cause_analysis', 'A disk filled with logs.');
    await untilAsked(app, 'Formal approval requested for emergency', [TECHNICAL_LEAD]);
    await approve(app, TECHNICAL_LEAD, 'CHG-1:retro_approval');
    await untilState(app, 'retro_approved');
    expect(paperworkOpen(app)).toEqual([]);

    // 8, 9: reviewed, validated, closed.
    await reviewAll(app, DEVELOPER);
    await verifyAll(app, DEVELOPER);
    expect(await step(app, DEVELOPER, 'close')).toBe('CHG-1 is closed.');
  });
});

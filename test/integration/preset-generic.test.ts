// Issue 16.10: the `generic` preset (document 000, "Change Management Policy") walked end to end over signed HTTP:
// the Security Lead, then the CTO, approve, the IT Administrator implements, no CAB and no windows, emergencies
// implemented at once, documented within 24 hours and reviewed afterwards by the Security Lead or the CTO.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { approvalRequirements } from '../../src/db/schema.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  approve,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitDocumentation,
  submitEmergencyForm,
  submitRejectReason,
} from '../support/interactions.js';
import {
  auditDataOf,
  changeRow,
  clickAndRead,
  decisionsOf,
  HOUR,
  implementAndClose,
  MINUTE,
  paperworkDue,
  presetFile,
  recipientsOf,
  requiredRoles,
  reviewAll,
  startPreset,
  statesOf,
  step,
  toldTo,
  untilAsked,
  untilState,
  verifyAll,
} from '../support/preset-walk.js';
import type { TestApp } from '../support/test-app.js';

const SECURITY_LEAD = 'U0SECLD01';
const CTO = 'U0CTO0001';
const IT_ADMIN = 'U0ITADM01';
// Wednesday 18 Nov 2026, 10:00 in New York (the preset keeps the default time zone): business hours.
const WEDNESDAY = '2026-11-18T15:00:00Z';
// Saturday 21 Nov 2026, 02:00 in New York: outside every POL-SEC-008 window.
const SATURDAY_NIGHT = new Date('2026-11-21T07:00:00Z');

const FILE = presetFile(
  'generic',
  `roles:
  security_lead: [${SECURITY_LEAD}]
  cto: [${CTO}]
  it_admin: [${IT_ADMIN}]
channels: { log: C0LOG0001 }
standard_changes:
  - { id: add_user, title: Add a new user }
`,
);

/** When a role's approval SLA runs out on CHG-1 (null: its people were not asked yet). */
const dueOf = (app: TestApp, role: string) =>
  app.database.db
    .select()
    .from(approvalRequirements)
    .where(eq(approvalRequirements.changeId, 1))
    .all()
    .find((requirement) => requirement.role === role)?.dueAt;

/** The blocks of the approval request sent to `userId`, as JSON. */
const requestTo = (app: TestApp, userId: string) =>
  JSON.stringify(
    app.slack
      .callsTo('chat.postMessage')
      .find((call) => call.params.channel === `D${userId.slice(1)}` && String(call.params.text).startsWith('Approval'))
      ?.params.blocks,
  );

let running: TestApp | undefined;
async function start(): Promise<TestApp> {
  running = await startPreset(FILE, WEDNESDAY);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('generic (000) who implements (issue 16.5)', () => {
  it('000 5 "IT Administrator: submits and implements changes": the owner must be an IT Administrator', async () => {
    const app = await start();
    // The Security Lead asks for a change and names themself owner: refused on the form's owner field.
    const refused = await submitChangeForm(app, SECURITY_LEAD, { ...defaultChangeForm(app.clock.now()) });
    expect(JSON.stringify(refused.json)).toContain(
      'The owner implements the change, so pick someone holding it_admin (policy implementer_roles).',
    );
    expect(changeRow(app)).toBeUndefined();
    const emergency = await submitEmergencyForm(app, CTO, { ownerId: CTO });
    expect(JSON.stringify(emergency.json)).toContain('pick someone holding it_admin');
    expect(changeRow(app)).toBeUndefined();

    const named = await submitChangeForm(app, SECURITY_LEAD, {
      ...defaultChangeForm(app.clock.now()),
      ownerId: IT_ADMIN,
    });
    expect(named.text).toBe('');
    expect(changeRow(app)).toMatchObject({ requesterId: SECURITY_LEAD, ownerId: IT_ADMIN });
  });
});

describe('generic (000) normal and standard changes', () => {
  it('000 4.2, 4.4, 7: the Security Lead and the CTO approve; no windows; a high-risk change is reviewed', async () => {
    const app = await start();
    const submitted = await submitChangeForm(app, IT_ADMIN, {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 2, 2, 2],
      plannedStart: SATURDAY_NIGHT,
      plannedEnd: new Date(SATURDAY_NIGHT.getTime() + HOUR),
    });
    // 4.4 "during maintenance windows when possible": `deployment_windows: any` refuses no time.
    expect(submitted.text).toBe('');
    expect(changeRow(app)).toMatchObject({ type: 'normal', state: 'pending_approval', riskLevel: 'high' });
    expect(requiredRoles(app)).toEqual(['cto', 'security_lead']);
    // 5: the CTO "provides final approval": asked once the Security Lead has approved, not before.
    await untilAsked(app, 'Approval requested', [SECURITY_LEAD]);
    expect(recipientsOf(app, 'Approval requested')).toEqual([SECURITY_LEAD]);
    expect(dueOf(app, 'cto')).toBeNull();
    expect(await clickAndRead(app, CTO, ACTIONS.approve, 'CHG-1')).toBe(
      'CHG-1 needs its earlier approvals first; you are asked as cto once they are given. Nothing was recorded.',
    );

    app.clock.advance(HOUR);
    await approve(app, SECURITY_LEAD, 'CHG-1');
    await untilAsked(app, 'Approval requested', [CTO]);
    expect(changeRow(app)?.state).toBe('pending_approval');
    // The CTO's request shows the first stage approved; the CTO's SLA runs from when the CTO was asked.
    expect(requestTo(app, CTO)).toContain(
      `:white_check_mark: *security_lead* (stage 1 of 2) — approved by <@${SECURITY_LEAD}>`,
    );
    expect(requestTo(app, CTO)).toContain('*cto* (stage 2 of 2) — waiting; asked: <@U0CTO0001>');
    expect(dueOf(app, 'cto')?.getTime()).toBeGreaterThan(dueOf(app, 'security_lead')?.getTime() ?? Infinity);
    expect(auditDataOf(app, 'approval.requested')).toEqual([
      { phase: 'approval', candidates: { security_lead: [SECURITY_LEAD] }, fallbacks: {}, stage: 1, stages: 2 },
      { phase: 'approval', candidates: { cto: [CTO] }, fallbacks: {}, stage: 2, stages: 2 },
    ]);
    await approve(app, CTO, 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual([`${SECURITY_LEAD}:security_lead:button`, `${CTO}:cto:button`]);
    await eventually(() => toldTo(app, IT_ADMIN, '*CHG-1'), 'the IT Administrator told');

    // 4.4 "The IT Administrator must document successful completion"; 7 "High-risk changes require a short
    // retrospective": the review before it closes.
    app.clock.set(SATURDAY_NIGHT);
    await implementAndClose(app, IT_ADMIN, { review: true });
    expect(statesOf(app)).toEqual([
      'submitted',
      'pending_approval',
      'approved',
      'implementing',
      'completed',
      'reviewed',
      'closed',
    ]);
  }, 20_000);

  it('000 5: a rejection at the first stage ends it; the CTO is never asked', async () => {
    const app = await start();
    expect((await submitChangeForm(app, IT_ADMIN, defaultChangeForm(app.clock.now()))).text).toBe('');
    await untilAsked(app, 'Approval requested', [SECURITY_LEAD]);
    expect((await submitRejectReason(app, SECURITY_LEAD, 'CHG-1', 'Weakens the firewall')).text).toBe('');
    await untilState(app, 'rejected');
    expect(decisionsOf(app)).toEqual([`${SECURITY_LEAD}:security_lead:button`]);
    expect(recipientsOf(app, 'Approval requested')).toEqual([SECURITY_LEAD]);
  });

  it('000 5: the CTO, asked after the Security Lead, may still reject at the final stage', async () => {
    const app = await start();
    expect((await submitChangeForm(app, IT_ADMIN, defaultChangeForm(app.clock.now()))).text).toBe('');
    await untilAsked(app, 'Approval requested', [SECURITY_LEAD]);
    await approve(app, SECURITY_LEAD, 'CHG-1');
    await untilAsked(app, 'Approval requested', [CTO]);
    expect((await submitRejectReason(app, CTO, 'CHG-1', 'Not this quarter')).text).toBe('');
    await untilState(app, 'rejected');
    expect(decisionsOf(app)).toEqual([`${SECURITY_LEAD}:security_lead:button`, `${CTO}:cto:button`]);
  });

  it('000 3: a standard change from the catalog is pre-approved (by the Security Lead) and needs no one', async () => {
    const app = await start();
    const submitted = await submitChangeForm(app, IT_ADMIN, {
      ...defaultChangeForm(app.clock.now()),
      changeType: 'standard:add_user',
      plannedStart: new Date(app.clock.now().getTime() + HOUR),
      plannedEnd: new Date(app.clock.now().getTime() + 2 * HOUR),
    });
    expect(submitted.text).toBe('');
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'approved', standardChangeId: 'add_user' });
    expect(decisionsOf(app)).toEqual(['-:-:pre_approved']);
    expect(recipientsOf(app, 'Approval requested')).toEqual([]);
    await eventually(
      () => app.slack.callsTo('chat.postMessage').some((call) => call.params.channel === 'C0LOG0001'),
      'the log channel told',
    );

    app.clock.advance(HOUR);
    await implementAndClose(app, IT_ADMIN);
    expect(changeRow(app)?.state).toBe('closed');
  }, 20_000);
});

describe('generic (000) emergencies', () => {
  it('000 3, 4.2, 5: run at once; documented within 24 h; the Security Lead reviews it afterwards', async () => {
    const app = await start();
    expect((await submitEmergencyForm(app, IT_ADMIN)).text).toBe('');
    // 3 "may be implemented immediately", 4.2 "may bypass normal approvals": authorized as declared, nobody asked.
    expect(changeRow(app)).toMatchObject({ type: 'emergency', state: 'authorized' });
    const authorizedAt = app.clock.now();
    // 3 "documented within 24 hours"; 4.2 the retrospective review (72 h in the preset). No ticket, no RCA.
    expect(paperworkDue(app, authorizedAt)).toEqual([
      ['documentation', 24],
      ['retro_approval', 72],
    ]);
    await eventually(() => toldTo(app, IT_ADMIN, 'Emergency *CHG-1'), 'the IT Administrator told to go ahead');

    app.clock.advance(2 * HOUR);
    const ranAt = new Date(authorizedAt.getTime() + 10 * MINUTE);
    const documented = await submitDocumentation(app, IT_ADMIN, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      title: 'Restart the failed checkout service',
      risk: [3, 3, 2, 2, 2],
      plannedStart: ranAt,
      plannedEnd: new Date(ranAt.getTime() + 20 * MINUTE),
    });
    expect(documented.text).toBe('');
    // 4.2 "Emergency changes may bypass normal approvals but require retrospective review": any one of the two.
    expect(changeRow(app)).toMatchObject({ state: 'pending_retro_approval', riskLevel: 'high' });
    expect(requiredRoles(app, 'retro_approval')).toEqual(['cto', 'security_lead']);
    await untilAsked(app, 'Formal approval requested for emergency', [SECURITY_LEAD, CTO]);

    await approve(app, SECURITY_LEAD, 'CHG-1:retro_approval');
    await untilState(app, 'retro_approved');
    expect(decisionsOf(app)).toEqual([`${SECURITY_LEAD}:security_lead:button`]);
    expect(recipientsOf(app, 'Emergency authorization requested')).toEqual([]);

    // 7: reviewed for lessons learned, then verified and closed.
    expect(await step(app, IT_ADMIN, 'start')).toContain('is an emergency change');
    await reviewAll(app, IT_ADMIN);
    await verifyAll(app, IT_ADMIN);
    expect(await step(app, IT_ADMIN, 'close')).toBe('CHG-1 is closed.');
    expect(statesOf(app)).toEqual([
      'submitted',
      'pending_authorization',
      'authorized',
      'pending_retro_approval',
      'retro_approved',
      'reviewed',
      'closed',
    ]);
  });
});

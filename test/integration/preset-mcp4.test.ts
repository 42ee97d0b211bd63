// Issue 16.10: the `mcp4` preset (document 002, MCP4.ai Change Management Policy) walked end to end over signed
// HTTP: peer review plus the CTO or the CISO (any one of them), DevOps deploys at any time (no CAB, no windows), the
// owner reviews every change, QA / Security verify it and the CTO or CISO approve its closure, emergencies authorized
// verbally or in chat, documented at once, reviewed in 48 hours.
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, verifications } from '../../src/db/schema.js';
import { exportPeriod } from '../../src/domain/evidence-period.js';
import { evidencePackInMemory } from '../../src/services/evidence-pack.js';
import { ACTIONS, IMPLEMENTATION_ACTIONS } from '../../src/slack/ids.js';
import {
  approve,
  clickButton,
  defaultChangeForm,
  eventually,
  submitChangeForm,
  submitDocumentation,
  submitEmergencyForm,
  submitEvidence,
  submitRejectReason,
  submitVerbalApproval,
} from '../support/interactions.js';
import {
  auditDataOf,
  changeRow,
  clickAndRead,
  decisionsOf,
  HOUR,
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
  toldTo,
  untilAsked,
  untilState,
  verifyAll,
} from '../support/preset-walk.js';
import type { TestApp } from '../support/test-app.js';

const PEERS = ['U0PEER001', 'U0PEER002'];
const CTO = 'U0CTO0001';
const CISO = 'U0CISO001';
const DEVOPS = 'U0DEVOPS1';
const QA_SECURITY = 'U0QASEC01';
const COMPLIANCE_OFFICER = 'U0COMPL01';
const DEVELOPER = 'U0DEV0001';
// Wednesday 18 Nov 2026, 10:00 in New York (the default time zone).
const WEDNESDAY = '2026-11-18T15:00:00Z';
// Friday 20 Nov 2026, 16:00 in New York: no POL-SEC-008 window would allow it.
const FRIDAY_AFTERNOON = new Date('2026-11-20T21:00:00Z');

const fileWith = (qaSecurity: readonly string[]) =>
  presetFile(
    'mcp4',
    `roles:
  peer: [${PEERS.join(', ')}]
  cto: [${CTO}]
  ciso: [${CISO}]
  devops: [${DEVOPS}]
  qa_security: [${qaSecurity.join(', ')}]
  compliance_officer: [${COMPLIANCE_OFFICER}]
channels: { log: C0LOG0001 }
standard_changes:
  - { id: ui_copy, title: UI copy update }
  - { id: docker_rebuild, title: Routine Docker rebuild, approver_roles: [peer] }
`,
  );

let running: TestApp | undefined;
async function start(qaSecurity: readonly string[] = [QA_SECURITY]): Promise<TestApp> {
  running = await startPreset(fileWith(qaSecurity), WEDNESDAY);
  return running;
}
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A change a developer submits for DevOps to deploy (5.4) on Friday afternoon. */
async function submitted(app: TestApp, requesterId: string, changeType = 'normal'): Promise<void> {
  const response = await submitChangeForm(app, requesterId, {
    ...defaultChangeForm(app.clock.now()),
    changeType,
    ownerId: DEVOPS,
    plannedStart: FRIDAY_AFTERNOON,
    plannedEnd: new Date(FRIDAY_AFTERNOON.getTime() + HOUR),
  });
  expect(response.text).toBe('');
}

/** Who verified the change, in which role. */
const verifiedBy = (app: TestApp, id = 1) =>
  app.database.db.select().from(verifications).where(eq(verifications.changeId, id)).get();

/**
 * 5.4, 6, 5.6 after approval: DevOps deploys, QA / Security verify (asked when it completes), the owner reviews,
 * and closing waits for the CTO or CISO; `closer` approves it.
 */
async function deployVerifyClose(app: TestApp, options: { ref?: string; closer?: string } = {}): Promise<void> {
  const { ref = 'CHG-1', closer = CTO } = options;
  const id = Number(ref.slice(4));
  expect(await step(app, DEVOPS, 'start', ref)).toBe(`${ref} is started.`);
  expect(await step(app, DEVOPS, 'complete', ref)).toBe(`${ref} is completed.`);
  await untilAsked(app, `*${ref}`, [QA_SECURITY]);
  // 5.5 "functional, regression and security testing": recorded by the owner before QA / Security verify.
  await recordOwedEvidence(app, DEVOPS, 'verify', id);
  await verifyAll(app, QA_SECURITY, ref);
  expect(verifiedBy(app, id)).toMatchObject({ verifiedBy: QA_SECURITY, role: 'qa_security' });
  await reviewAll(app, DEVOPS, ref);
  expect(await step(app, DEVOPS, 'close', ref)).toBe(`${ref} waits for approval to close; its approvers are asked.`);
  await untilState(app, 'pending_closure', id);
  expect(requiredRoles(app, 'closure', id)).toEqual(['ciso', 'cto']);
  await untilAsked(app, 'Approval to close requested', [closer]);
  await approve(app, closer, `${ref}:closure`);
  await untilState(app, 'closed', id);
}

/** CHG-1, a developer's change, approved by a peer and the CTO; then Friday afternoon (002 2: no windows). */
async function approvedOnFriday(app: TestApp): Promise<void> {
  await submitted(app, DEVELOPER);
  await approve(app, 'U0PEER001', 'CHG-1');
  await approve(app, CTO, 'CHG-1');
  await untilState(app, 'approved');
  app.clock.set(FRIDAY_AFTERNOON);
}

describe('mcp4 (002) normal changes', () => {
  it('002 5.3, 5.4, 5.6: peer review and the CTO approve; DevOps deploys; the owner reviews it', async () => {
    const app = await start();
    await submitted(app, DEVELOPER);
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'low', ownerId: DEVOPS });
    // 5.3 "CTO/CISO approval": any one of the two, both asked.
    expect(requiredRoles(app)).toEqual(['ciso', 'cto', 'peer']);
    await untilAsked(app, 'Approval requested', [...PEERS, CTO, CISO]);

    await approve(app, 'U0PEER002', 'CHG-1');
    await approve(app, CTO, 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual(['U0PEER002:peer:button', `${CTO}:cto:button`]);

    // 2 "no deployment windows": Friday afternoon is as good as any time.
    app.clock.set(FRIDAY_AFTERNOON);
    expect(await step(app, DEVELOPER, 'start')).toBe(`Only the change owner, <@${DEVOPS}>, can start CHG-1.`);
    // 5.6 "reviewed by the change owner": every change, not only high-risk ones; "approved by the CTO/CISO for
    // closure".
    await deployVerifyClose(app);
    expect(statesOf(app).slice(-5)).toEqual(['implementing', 'completed', 'reviewed', 'pending_closure', 'closed']);
    expect(decisionsOf(app).at(-1)).toBe(`${CTO}:cto:button`);

    // The evidence pack names the verifier's role (6: QA / Security) and each test recorded (5.5), who and when.
    const period = exportPeriod('2026-11-18', '2026-11-20', app.policy.timezone);
    if (!period.ok) throw new Error('the period is valid');
    const pack = await evidencePackInMemory(
      { db: app.database.db, policy: app.policy, now: app.clock.now() },
      { period: period.period },
    );
    const csvOf = (name: string) =>
      parse(pack.files.find((file) => file.name === name)?.content ?? '', { columns: true }) as Record<
        string,
        string
      >[];
    expect(csvOf('changes.csv')).toMatchObject([
      { change_ref: 'CHG-1', verified_by: QA_SECURITY, verified_as_role: 'qa_security' },
    ]);
    expect(csvOf('evidence_records.csv').map((row) => [row.scope, row.item, row.recorded_by])).toEqual([
      ['step', 'functional_tests', DEVOPS],
      ['step', 'regression_tests', DEVOPS],
      ['step', 'security_tests', DEVOPS],
    ]);
  }, 20_000);

  it('002 5.3 "CTO/CISO": a change the CTO requests is approved by the CISO, the record naming the CISO', async () => {
    const app = await start();
    await submitted(app, CTO);
    await untilAsked(app, 'Approval requested', [...PEERS, CISO]);
    expect(recipientsOf(app, 'Approval requested')).toEqual([CISO, ...PEERS]);
    await approve(app, 'U0PEER001', 'CHG-1');
    await approve(app, CISO, 'CHG-1');
    await untilState(app, 'approved');
    // The decision row and the audit event name the role the approver acted in, and the roles any one of would do.
    expect(decisionsOf(app)).toEqual(['U0PEER001:peer:button', `${CISO}:ciso:button`]);
    expect(auditDataOf(app, 'approval.approved').at(-1)).toMatchObject({ role: 'ciso', anyOf: ['cto', 'ciso'] });
  });

  it('002 5.3 "CTO/CISO": the CISO’s approval meets the CTO’s part; nothing left for the CTO', async () => {
    const app = await start();
    await submitted(app, DEVELOPER);
    await untilAsked(app, 'Approval requested', [...PEERS, CTO, CISO]);
    await approve(app, CISO, 'CHG-1');
    await eventually(() => decisionsOf(app).length === 1, "the CISO's approval");
    expect(await clickAndRead(app, CTO, ACTIONS.approve, 'CHG-1')).toBe(
      'The cto approval of CHG-1 is already given; nothing more is needed from you.',
    );
    expect(decisionsOf(app)).toEqual([`${CISO}:ciso:button`]);
    await approve(app, 'U0PEER002', 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual([`${CISO}:ciso:button`, 'U0PEER002:peer:button']);
  });

  it('002 5.2, 6: QA / Security verify security changes, the Compliance Officer regulatory ones', async () => {
    const app = await start();
    const response = await submitChangeForm(app, DEVELOPER, {
      ...defaultChangeForm(app.clock.now()),
      ownerId: DEVOPS,
      securityTriggers: ['encryption'],
      reviewRules: ['compliance'],
    });
    expect(response.text).toBe('');
    expect(requiredRoles(app)).toEqual(['ciso', 'compliance_officer', 'cto', 'peer', 'qa_security']);
    await untilAsked(app, 'Approval requested', [QA_SECURITY, COMPLIANCE_OFFICER]);
  });
});

describe('mcp4 (002) standard changes', () => {
  it('002 4, 5.3 "Automated / Peer Review": one catalog entry auto-approved, another by a peer', async () => {
    const app = await start();
    await submitted(app, DEVELOPER, 'standard:ui_copy');
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'approved' });
    expect(decisionsOf(app)).toEqual(['-:-:pre_approved']);

    await submitted(app, DEVELOPER, 'standard:docker_rebuild');
    expect(changeRow(app, 2)).toMatchObject({ type: 'standard', state: 'pending_approval' });
    expect(requiredRoles(app, 'approval', 2)).toEqual(['peer']);
    await untilAsked(app, 'Approval requested', PEERS);
    await approve(app, 'U0PEER001', 'CHG-2');
    await untilState(app, 'approved', 2);

    app.clock.set(FRIDAY_AFTERNOON);
    await deployVerifyClose(app, { ref: 'CHG-2', closer: CISO });
    expect(changeRow(app, 2)?.state).toBe('closed');
  }, 20_000);
});

describe('mcp4 (002) emergencies', () => {
  it('002 5.3, 9: the CTO authorizes in chat; documented in 1 h; the CISO reviews it in 48 h', async () => {
    const app = await start();
    expect((await submitEmergencyForm(app, DEVELOPER, { ownerId: DEVOPS })).text).toBe('');
    await untilAsked(app, 'Emergency authorization requested', [CTO]);
    expect(recipientsOf(app, 'Emergency authorization requested')).toEqual([CTO]);

    // 5.3 "Authorized verbally or via chat": recorded by the developer, it counts before the CTO confirms it.
    const verbal = await submitVerbalApproval(app, DEVELOPER, 'CHG-1', {
      approverId: CTO,
      medium: 'chat',
      givenAt: new Date(app.clock.now().getTime() - 5 * MINUTE),
      note: 'Go ahead, in #incident-42',
    });
    expect(JSON.stringify(verbal.json)).toContain('CHG-1 is now authorized. They are asked to confirm it in writing.');
    expect(changeRow(app)?.state).toBe('authorized');
    expect(decisionsOf(app)).toEqual([`${CTO}:cto:verbal`]);
    const authorizedAt = app.clock.now();
    // 9 "documented immediately after execution", "reviewed by CTO/CISO within 48 hours".
    expect(paperworkDue(app, authorizedAt)).toEqual([
      ['documentation', 1],
      ['retro_approval', 48],
      ['root_cause_analysis', 48],
    ]);

    app.clock.advance(30 * MINUTE);
    const documented = await submitDocumentation(app, DEVOPS, 'CHG-1', {
      ...defaultChangeForm(app.clock.now()),
      title: 'Roll the Fusion gateway back to 2.3.1',
      risk: [2, 2, 2, 1, 1],
      plannedStart: authorizedAt,
      plannedEnd: new Date(authorizedAt.getTime() + 10 * MINUTE),
    });
    expect(documented.text).toBe('');
    expect(changeRow(app)).toMatchObject({ state: 'pending_retro_approval', riskLevel: 'medium' });
    // Not the peer + CTO of a normal change: any one of the CTO and the CISO.
    expect(requiredRoles(app, 'retro_approval')).toEqual(['ciso', 'cto']);
    await untilAsked(app, 'Formal approval requested for emergency', [CTO, CISO]);
    expect(recipientsOf(app, 'Formal approval requested for emergency')).toEqual([CISO, CTO]);
    await approve(app, CISO, 'CHG-1:retro_approval');
    await untilState(app, 'retro_approved');

    // 9 "prevention of recurrence": the root-cause analysis, then 5.6's review, the validation and closure.
    await submitEvidence(app, DEVOPS, 'CHG-1:root_cause_analysis', 'A config flag shipped enabled by default.');
    expect(paperworkOpen(app)).toEqual([]);
    await reviewAll(app, DEVOPS);
    await verifyAll(app, QA_SECURITY);
    expect(await step(app, DEVOPS, 'close')).toBe('CHG-1 waits for approval to close; its approvers are asked.');
    await approve(app, CISO, 'CHG-1:closure');
    await untilState(app, 'closed');
    expect(statesOf(app).slice(-4)).toEqual(['retro_approved', 'reviewed', 'pending_closure', 'closed']);
    // The CTO confirms the chat approval in writing afterwards.
    await clickButton(app, CTO, ACTIONS.confirmVerbal, 'VA-1');
    await eventually(
      () => app.slack.callsTo('response_url').some((call) => String(call.params.text).includes('is confirmed')),
      "the CTO's confirmation",
    );
  });
});

describe('mcp4 (002) who implements, verifies and closes (issue 16.5)', () => {
  it('002 5.4 "executed by authorized DevOps engineers": other owners are refused; only DevOps deploy', async () => {
    const app = await start();
    const refused = await submitChangeForm(app, DEVELOPER, { ...defaultChangeForm(app.clock.now()) });
    expect(JSON.stringify(refused.json)).toContain('pick someone holding devops (policy implementer_roles)');
    expect(changeRow(app)).toBeUndefined();
    const emergency = await submitEmergencyForm(app, DEVELOPER, { ownerId: DEVELOPER });
    expect(JSON.stringify(emergency.json)).toContain('pick someone holding devops');

    await approvedOnFriday(app);
    expect(await step(app, DEVOPS, 'start')).toBe('CHG-1 is started.');
    // DevOps left the role: checked again at every click, so Complete is refused until someone gives it back.
    app.policy.roles.devops = [];
    app.clock.advance(2 * MINUTE);
    expect(await step(app, DEVOPS, 'complete')).toBe(
      'Only someone holding *devops* can complete CHG-1 (policy `implementation.implementer_roles`), and you do not ' +
        'hold it now.',
    );
    expect(changeRow(app)?.state).toBe('implementing');
  });

  it('002 6 "QA / Security Team: verify": the owner may not verify; QA is asked on Complete and recorded', async () => {
    const app = await start();
    await approvedOnFriday(app);
    await step(app, DEVOPS, 'start');
    await step(app, DEVOPS, 'complete');
    const askedToVerify = () =>
      app.slack
        .callsTo('chat.postMessage')
        .filter((call) => String(call.params.text).includes('as a verifier, press *Verify*'))
        .map((call) => call.params.channel);
    await eventually(() => askedToVerify().length > 0, 'QA / Security asked to verify');
    expect(askedToVerify()).toEqual([`D${QA_SECURITY.slice(1)}`]);
    expect(await clickAndRead(app, DEVOPS, IMPLEMENTATION_ACTIONS.verify, 'CHG-1')).toBe(
      'Only someone holding *qa_security* can verify CHG-1 (policy `implementation.verifier_roles`), and you do not ' +
        'hold it now.',
    );
    // Closing before the verification: refused, whoever asks.
    await reviewAll(app, DEVOPS);
    expect(await step(app, DEVOPS, 'close')).toBe(
      'CHG-1 cannot close yet: it still needs the production validation checklist (Verify, 8.4).',
    );
    await recordOwedEvidence(app, DEVOPS, 'verify'); // 5.5: the tests after the change, before Verify
    await verifyAll(app, QA_SECURITY);
    const verified = app.database.db.select().from(auditEvents).where(eq(auditEvents.type, 'change.verified')).get();
    expect(verified).toMatchObject({ actorId: QA_SECURITY, changeId: 1 });
    expect(verified?.data).toMatchObject({ role: 'qa_security', via: 'form' });
  });

  it('002 6 with 5.4: a DevOps engineer who is also in QA / Security does not verify what they deployed', async () => {
    const app = await start([QA_SECURITY, DEVOPS]);
    await approvedOnFriday(app);
    await step(app, DEVOPS, 'start');
    await step(app, DEVOPS, 'complete');
    expect(await clickAndRead(app, DEVOPS, IMPLEMENTATION_ACTIONS.verify, 'CHG-1')).toBe(
      'You implemented CHG-1, so someone else verifies it (policy `implementation.verifier_not_implementer`).',
    );
    await recordOwedEvidence(app, DEVOPS, 'verify'); // 5.5: the tests after the change, before Verify
    await verifyAll(app, QA_SECURITY);
    expect(verifiedBy(app)?.verifiedBy).toBe(QA_SECURITY);
  });

  it('002 5.6 "approved by the CTO/CISO for closure": a refusal sends it back; the owner asks again', async () => {
    const app = await start();
    await approvedOnFriday(app);
    await step(app, DEVOPS, 'start');
    await step(app, DEVOPS, 'complete');
    await recordOwedEvidence(app, DEVOPS, 'verify'); // 5.5: the tests after the change, before Verify
    await verifyAll(app, QA_SECURITY);
    await reviewAll(app, DEVOPS);
    expect(await step(app, DEVOPS, 'close')).toBe('CHG-1 waits for approval to close; its approvers are asked.');
    expect(await step(app, DEVOPS, 'close')).toBe(
      'CHG-1 already waits for approval to close; nothing more was recorded.',
    );
    await untilAsked(app, 'Approval to close requested', [CTO, CISO]);
    // The owner, and anyone not holding cto or ciso, may not approve the closure.
    await approve(app, DEVOPS, 'CHG-1:closure');
    await approve(app, QA_SECURITY, 'CHG-1:closure');
    expect(changeRow(app)?.state).toBe('pending_closure');

    expect((await submitRejectReason(app, CISO, 'CHG-1:closure', 'Lessons learned are missing')).text).toBe('');
    await untilState(app, 'closure_rejected');
    await eventually(() => toldTo(app, DEVOPS, 'Closing *CHG-1'), 'the owner told of the refusal');
    expect(await step(app, DEVOPS, 'close')).toBe('CHG-1 waits for approval to close; its approvers are asked.');
    // Their requests are live again, and each is told so in its thread (an updated message notifies nobody).
    for (const approver of [CTO, CISO])
      await eventually(
        () =>
          app.slack
            .callsTo('chat.postMessage')
            .some(
              (call) =>
                call.params.channel === `D${approver.slice(1)}` &&
                call.params.thread_ts !== undefined &&
                String(call.params.text).includes('waits for your decision again'),
            ),
        `${approver} asked again`,
      );
    await approve(app, CTO, 'CHG-1:closure');
    await untilState(app, 'closed');
    expect(statesOf(app).slice(-4)).toEqual(['pending_closure', 'closure_rejected', 'pending_closure', 'closed']);
    expect(decisionsOf(app).slice(-2)).toEqual([`${CISO}:ciso:button`, `${CTO}:cto:button`]);
    const closedBy = app.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, 'change.approve_closure'))
      .get();
    expect(closedBy).toMatchObject({ actorId: CTO, toState: 'closed' });
  });
});

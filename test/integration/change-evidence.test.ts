// Issue 16.6: testing evidence recorded before approval when the policy says so (`testing.required_before:
// approval`), over signed HTTP: the approver is refused with what is missing, the requester records it from the
// receipt's button, then the approval counts.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { approve, defaultChangeForm, eventually, submitChangeForm } from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import {
  ballotOf,
  changeRow,
  clickAndRead,
  decisionsOf,
  evidenceOf,
  putToBoard,
  recordOwedEvidence,
  step,
  submitChangeEvidence,
  untilState,
} from '../support/preset-walk.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CHAIR = 'U0CHAIR01';
// The default form plans Tue 24 Nov 07:00–08:00 New York, in a low-risk window.
const TUESDAY_0705 = '2026-11-24T12:05:00Z';

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(testing: string): Promise<TestApp> {
  const { policy } = parsePolicy(`${MINIMAL_POLICY_YAML}${testing}`, 'evidence.yml');
  running = await startTestApp({ policy });
  return running;
}

describe('16.6 testing evidence before approval', () => {
  it('POL-SEC-008 8.1 with required_before approval: the approver waits for the unit tests', async () => {
    const app = await start('testing: { required_before: approval }\n');
    expect((await submitChangeForm(app, REQUESTER, defaultChangeForm(app.clock.now()))).text).toBe('');
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'low' });
    // The receipt carries the button the requester records it with.
    await eventually(
      () =>
        app.slack
          .callsTo('chat.postMessage')
          .some((call) => JSON.stringify(call.params).includes(ACTIONS.recordEvidence)),
      'the receipt with Add evidence',
    );
    expect(await clickAndRead(app, 'U0PEER001', ACTIONS.approve, 'CHG-1')).toBe(
      'CHG-1 cannot be approved yet: its evidence is not recorded for “Unit tests”. Its requester or owner records ' +
        'it with *Add evidence* on the change. Nothing was recorded.',
    );
    expect(changeRow(app)?.state).toBe('pending_approval');
    const unit = { item: 'test:unit', evidence: 'https://ci.example.com/runs/7' };
    expect((await submitChangeEvidence(app, REQUESTER, unit)).text).toBe('');
    await approve(app, 'U0PEER001', 'CHG-1');
    await untilState(app, 'approved');
    expect(evidenceOf(app)).toEqual(['test:unit']);
  });

  it('POL-SEC-008 8.1 with required_before approval: the board’s decision waits for the tests too', async () => {
    const app = await start('testing: { required_before: approval }\n');
    const response = await submitChangeForm(app, REQUESTER, {
      ...defaultChangeForm(app.clock.now()),
      risk: [3, 3, 2, 2, 2],
    });
    expect(response.text).toBe('');
    expect(changeRow(app)).toMatchObject({ state: 'pending_approval', riskLevel: 'high' });
    await putToBoard(app, { chair: CHAIR });
    expect(await ballotOf(app, CHAIR, { kind: 'decide' })).toBe(
      'CHG-1 cannot be approved yet: its evidence is not recorded for “Unit tests”, “Integration tests”, “Staging”, ' +
        '“User acceptance (UAT)”. Its requester or owner records it with *Add evidence* on the change. Nothing ' +
        'was recorded.',
    );
    expect(decisionsOf(app)).toEqual([]);
    await recordOwedEvidence(app, REQUESTER, 'approval');
    expect(await ballotOf(app, CHAIR, { kind: 'decide' })).toContain('CHG-1');
    await eventually(() => decisionsOf(app).includes(`${CHAIR}:cab:cab`), "the board's approval");
    expect(changeRow(app)?.state).toBe('pending_approval');
  });

  it('the built-in default follows 9.3: approval waits for nothing, Start for the unit tests', async () => {
    const app = await start('');
    expect(app.policy.testing.required_before).toBe('start');
    expect((await submitChangeForm(app, REQUESTER, defaultChangeForm(app.clock.now()))).text).toBe('');
    expect(await clickAndRead(app, 'U0PEER001', ACTIONS.approve, 'CHG-1')).toContain('is recorded');
    await untilState(app, 'approved');
    app.clock.set(TUESDAY_0705);
    expect(await step(app, REQUESTER, 'start')).toContain('CHG-1 cannot start yet: its evidence is not recorded');
    // A record of the same item later is a new row; the first stays.
    for (const evidence of ['CI run 7', 'CI run 8'])
      expect((await submitChangeEvidence(app, REQUESTER, { item: 'test:unit', evidence })).text).toBe('');
    expect(evidenceOf(app)).toEqual(['test:unit', 'test:unit']);
    expect(await step(app, REQUESTER, 'start')).toBe('CHG-1 is started.');
  });
});

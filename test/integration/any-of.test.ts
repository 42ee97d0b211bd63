// Issue 16.2: "any one of" several roles wherever approvers are listed, not only in the approval matrix: a change
// type's approvers, a review rule, a standard-catalog entry. Over signed HTTP: every role of a group is asked, the
// first approval meets the group, and the decision and its audit event name the role used.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { approve, defaultChangeForm, eventually, submitChangeForm } from '../support/interactions.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';
import {
  auditDataOf,
  changeRow,
  clickAndRead,
  decisionsOf,
  requiredRoles,
  untilAsked,
  untilState,
} from '../support/preset-walk.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REQUESTER = 'U0REQ0001';
const CTO = 'U0CTO0001';
const CISO = 'U0CISO001';

const POLICY = `${MINIMAL_POLICY_YAML}change_types:
  normal: { approver_roles: [{ any_of: [cto, ciso] }] }
review_rules:
  security: { label: Security-related, approvals: { security: 1, peer: 1 } }
  database: { label: Database changes, approvals: { peer: 1 }, any_of: [dba, oncall_security] }
standard_changes:
  - { id: firewall_rule, title: Firewall rule, approver_roles: [{ any_of: [security, ciso] }] }
`;

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(): Promise<TestApp> {
  running = await startTestApp({ policy: parsePolicy(POLICY, 'any-of.yml').policy });
  return running;
}

describe('16.2 any_of beyond the approval matrix', () => {
  it('a change type’s and a review rule’s groups: each met by its first approval, the role recorded', async () => {
    const app = await start();
    const form = { ...defaultChangeForm(app.clock.now()), reviewRules: ['database'] };
    expect((await submitChangeForm(app, REQUESTER, form)).text).toBe('');
    expect(requiredRoles(app)).toEqual(['ciso', 'cto', 'dba', 'oncall_security', 'peer']);
    await untilAsked(app, 'Approval requested', [CTO, CISO, 'U0DBA0001', 'U0ONSEC01']);
    await approve(app, CISO, 'CHG-1');
    await eventually(() => decisionsOf(app).length === 1, "the CISO's approval");
    expect(await clickAndRead(app, CTO, ACTIONS.approve, 'CHG-1')).toBe(
      'The cto approval of CHG-1 is already given; nothing more is needed from you.',
    );
    await approve(app, 'U0ONSEC01', 'CHG-1');
    await approve(app, 'U0PEER001', 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual([
      `${CISO}:ciso:button`,
      'U0ONSEC01:oncall_security:button',
      'U0PEER001:peer:button',
    ]);
    expect(auditDataOf(app, 'approval.approved').slice(0, 2)).toMatchObject([
      { role: 'ciso', anyOf: ['cto', 'ciso'] },
      { role: 'oncall_security', anyOf: ['dba', 'oncall_security'] },
    ]);
  });

  it('a catalog entry’s group: the Security team or the CISO approves the standard change', async () => {
    const app = await start();
    const form = { ...defaultChangeForm(app.clock.now()), changeType: 'standard:firewall_rule' };
    expect((await submitChangeForm(app, REQUESTER, form)).text).toBe('');
    expect(changeRow(app)).toMatchObject({ type: 'standard', state: 'pending_approval' });
    expect(requiredRoles(app)).toEqual(['ciso', 'security']);
    await untilAsked(app, 'Approval requested', [CISO, 'U0SEC0001']);
    await approve(app, 'U0SEC0001', 'CHG-1');
    await untilState(app, 'approved');
    expect(decisionsOf(app)).toEqual(['U0SEC0001:security:button']);
    expect(auditDataOf(app, 'approval.approved')).toMatchObject([{ role: 'security', anyOf: ['security', 'ciso'] }]);
  });
});

// Issue 16.6: which evidence a change owes and what it holds up (POL-SEC-008 8.1, FinaPilot CHG-001 5, the nine-step
// workflow 003), and the policy keys that say so.
import { describe, expect, it } from 'vitest';
import {
  type EvidenceGate,
  evidenceItems,
  holdsUp,
  missingEvidence,
  readEvidenceForm,
} from '../../src/domain/change-evidence.js';
import { PolicyError, parsePolicy } from '../../src/policy/load.js';
import { MINIMAL_POLICY_YAML } from '../support/policy.js';

const policyWith = (extra: string) => parsePolicy(`${MINIMAL_POLICY_YAML}${extra}`, 'p.yml').policy;
const defaults = policyWith('');

describe('8.1 Testing by Risk Level (the built-in defaults)', () => {
  it.each([
    ['low', ['unit'], ['integration']],
    ['medium', ['unit', 'integration', 'staging'], []],
    ['high', ['unit', 'integration', 'staging', 'uat'], ['performance']],
    ['critical', ['unit', 'integration', 'staging', 'uat', 'performance'], []],
  ])('%s risk requires %j and recommends %j', (riskLevel, required, recommended) => {
    const items = evidenceItems({ type: 'normal', riskLevel }, defaults);
    expect(items.filter((item) => item.required).map((item) => item.id)).toEqual(required);
    expect(items.filter((item) => !item.required).map((item) => item.id)).toEqual(recommended);
    // 9.3 "Pre-Deployment: Testing completed and documented": the required tests hold up Start, the others nothing.
    expect(items.map((item) => item.before)).toEqual(items.map((item) => (item.required ? 'start' : undefined)));
  });

  it('an emergency owes none of it: it runs when authorized (6.2)', () => {
    expect(evidenceItems({ type: 'emergency', riskLevel: 'critical' }, defaults)).toEqual([]);
  });
});

describe('what missing evidence holds up', () => {
  it.each<[EvidenceGate, EvidenceGate, boolean]>([
    ['approval', 'approval', true],
    ['approval', 'start', true],
    ['start', 'approval', false],
    ['start', 'close', true],
    ['complete', 'start', false],
    ['verify', 'review', false],
    ['review', 'verify', false],
    ['verify', 'close', true],
  ])('evidence due before %s holds up %s: %s', (gate, step, held) => {
    expect(holdsUp(gate, step)).toBe(held);
  });

  it('003 7: implementation notes hold up Complete and Close, not Start; recorded, nothing', () => {
    const policy = policyWith(
      'testing: { required_by_risk: {}, recommended_by_risk: {} }\n' +
        'step_evidence: { complete: [{ id: notes, label: Implementation notes }] }\n',
    );
    const items = evidenceItems({ type: 'standard', riskLevel: 'low' }, policy);
    expect(missingEvidence(items, new Set(), 'start')).toEqual([]);
    expect(missingEvidence(items, new Set(), 'close').map((item) => item.label)).toEqual(['Implementation notes']);
    expect(missingEvidence(items, new Set(['step:notes']), 'complete')).toEqual([]);
  });
});

describe('the evidence form', () => {
  const items = evidenceItems({ type: 'normal', riskLevel: 'low' }, defaults);
  it.each([
    ['a link, trimmed', { item: 'test:unit', evidence: '  https://ci.example.com/1 ' }, undefined],
    ['an item not owed', { item: 'test:uat', evidence: 'x' }, [{ field: 'evidenceItem', code: 'not_listed' }]],
    ['no item', { evidence: 'x' }, [{ field: 'evidenceItem', code: 'required' }]],
    ['blank evidence', { item: 'test:unit', evidence: '   ' }, [{ field: 'evidenceText', code: 'required' }]],
    [
      'evidence too long',
      { item: 'test:unit', evidence: 'x'.repeat(3001) },
      [{ field: 'evidenceText', code: 'too_long', max: 3000 }],
    ],
  ])('%s', (_name, form, issues) => {
    const read = readEvidenceForm(form, items);
    if (issues === undefined) expect(read).toMatchObject({ ok: true, value: { evidence: 'https://ci.example.com/1' } });
    else expect(read).toEqual({ ok: false, issues });
  });
});

describe('policy keys testing and step_evidence', () => {
  it('refuses a test kind that is not listed, a level that is not one, and an item listed twice', () => {
    const load = () =>
      policyWith(
        'testing: { required_by_risk: { low: [smoke], urgent: [unit] } }\n' +
          'step_evidence: { start: [{ id: a, label: A }], close: [{ id: a, label: A again }] }\n',
      );
    expect(load).toThrow(PolicyError);
    expect(load).toThrow(/testing\.required_by_risk\.low\[0\]: test kind "smoke" is not one of testing\.kinds/);
    expect(load).toThrow(/testing\.required_by_risk\.urgent: risk level "urgent" is not one of risk\.levels/);
    expect(load).toThrow(/step_evidence: evidence item "a" is listed twice/);
  });

  it('own risk levels and kinds: the built-in 8.1 rows keep only what the policy has', () => {
    const policy = policyWith(
      'risk:\n  levels: [{ id: low, label: Low, min_score: 1 }, { id: major, label: Major, min_score: 10 }]\n' +
        'approval_matrix: { low: [peer], major: [peer, manager] }\n' +
        'approval_sla: { low: { review_business_days: 1, approval_business_days: 1 }, ' +
        'major: { review_business_days: 2, approval_business_days: 2 } }\n' +
        'emergency: { cab_review_risk_levels: [] }\ndeployment_windows: any\n' +
        'implementation: { review_risk_levels: [major] }\ntesting: { kinds: [{ id: unit, label: Unit }] }\n',
    );
    expect(policy.testing.required_by_risk).toEqual({ low: ['unit'] });
    expect(policy.testing.recommended_by_risk).toEqual({ low: [] });
  });
});

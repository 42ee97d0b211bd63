import { describe, expect, it } from 'vitest';
import {
  type ImplementedFact,
  isFirstBusinessDayOfMonth,
  monthBounds,
  monthMetrics,
  parseMonth,
  rateStatus,
  reportsIncidents,
  shiftMonth,
} from '../../src/domain/report.js';
import { minimalPolicy } from '../support/policy.js';

const policy = minimalPolicy();
const targets = policy.metrics.targets;
const ok: ImplementedFact = {
  riskLevel: 'low',
  failed: false,
  rolledBack: false,
  failedVerification: false,
  reviewIncidents: null,
};

describe('POL-SEC-008 11.2 change metrics', () => {
  it.each([
    { case: 'all succeed', implemented: [ok, ok], success: 100, rollback: 0, issues: 0 },
    {
      case: 'one rolled back of four',
      implemented: [ok, ok, ok, { ...ok, failed: true, rolledBack: true }],
      success: 75,
      rollback: 25,
      issues: 0,
    },
    {
      case: 'failed validation is an issue',
      implemented: [ok, { ...ok, failed: true, failedVerification: true }],
      success: 50,
      rollback: 0,
      issues: 50,
    },
    {
      case: '"None." is no incident',
      implemented: [{ ...ok, reviewIncidents: 'None.' }, { ...ok, reviewIncidents: 'DB slow 5 min' }, ok],
      success: 100,
      rollback: 0,
      issues: 33.3,
    },
    { case: 'nothing implemented', implemented: [], success: null, rollback: null, issues: null },
  ])('$case', ({ implemented, success, rollback, issues }) => {
    const metrics = monthMetrics('2026-11', { submitted: [], implemented, approved: [] });
    expect(metrics.successRate.percent).toBe(success);
    expect(metrics.rollbackRate.percent).toBe(rollback);
    expect(metrics.postImplementationIssues.percent).toBe(issues);
  });

  it('counts volume by type and risk, emergencies over all submitted, and median lead time per level', () => {
    const at = (hours: number) => new Date(Date.UTC(2026, 10, 2) + hours * 3_600_000);
    const metrics = monthMetrics('2026-11', {
      submitted: [
        { type: 'normal', riskLevel: 'low' },
        { type: 'normal', riskLevel: 'medium' },
        { type: 'emergency', riskLevel: 'high' },
        { type: 'standard', riskLevel: null },
      ],
      implemented: [],
      approved: [
        { riskLevel: 'low', submittedAt: at(0), approvedAt: at(10) },
        { riskLevel: 'low', submittedAt: at(0), approvedAt: at(20) },
        { riskLevel: 'low', submittedAt: at(0), approvedAt: at(90) },
        { riskLevel: 'medium', submittedAt: at(0), approvedAt: at(30) },
        { riskLevel: 'medium', submittedAt: at(0), approvedAt: at(40) },
      ],
    });
    expect(metrics.volume).toEqual({
      total: 4,
      byType: { standard: 1, normal: 2, emergency: 1 },
      byRisk: { low: 1, medium: 1, high: 1, unrated: 1 },
    });
    expect(metrics.emergencyRate).toEqual({ count: 1, of: 4, percent: 25 });
    expect(metrics.medianLeadTimeHours).toEqual({ low: 20, medium: 35 });
  });

  it.each([
    { metric: 'successRate', percent: 95, status: 'missed' },
    { metric: 'successRate', percent: 95.1, status: 'met' },
    { metric: 'emergencyRate', percent: 4.9, status: 'met' },
    { metric: 'emergencyRate', percent: 5, status: 'missed' },
    { metric: 'rollbackRate', percent: 3, status: 'missed' },
    { metric: 'postImplementationIssues', percent: null, status: 'no_data' },
  ] as const)('11.2 target for $metric at $percent%: $status', ({ metric, percent, status }) => {
    const metrics = monthMetrics('2026-11', { submitted: [], implemented: [], approved: [] });
    const shown = { ...metrics, [metric]: { count: 0, of: 0, percent } };
    expect(rateStatus(metric, shown, targets)).toBe(status);
  });

  it.each([
    ['None', false],
    [' n/a ', false],
    ['-', false],
    ['Login errors for 3 minutes', true],
  ] as const)('review incidents %j reports one: %s', (text, reports) => {
    expect(reportsIncidents(text)).toBe(reports);
  });
});

describe('months in the policy timezone (11.3 monthly review)', () => {
  it('bounds a month at local midnight, across DST', () => {
    expect(monthBounds('2026-11', 'America/New_York')).toEqual({
      from: new Date('2026-11-01T04:00:00Z'),
      to: new Date('2026-12-01T05:00:00Z'),
    });
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });

  it.each([
    ['2026-11', '2026-11'],
    ['2026-13', undefined],
    ['nov', undefined],
    ['2026-1', undefined],
  ])('parses %j as %j', (text, month) => {
    expect(parseMonth(text)).toBe(month);
  });

  it.each([
    ['2026-11-01T14:00:00Z', false], // Sunday the 1st
    ['2026-11-02T14:00:00Z', true], // Monday the 2nd
    ['2026-11-03T14:00:00Z', false],
    ['2026-12-01T14:00:00Z', true], // Tuesday the 1st
    ['2026-08-03T14:00:00Z', true], // Monday after a weekend 1st–2nd
  ])('%s is the first business day: %s', (at, first) => {
    expect(isFirstBusinessDayOfMonth(new Date(at), policy)).toBe(first);
  });
});

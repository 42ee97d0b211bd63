import { describe, expect, it } from 'vitest';
import { type RetentionYears, retentionHorizons } from '../../src/domain/retention.js';

// POL-SEC-008 11.1: change requests, approval records, rollback records and CAB minutes 3 years; test results and
// deployment logs 1 year. A record is past retention when it ended before its horizon.
const POLICY: RetentionYears = {
  change_requests: 3,
  approval_records: 3,
  test_results: 1,
  deployment_logs: 1,
  rollback_records: 3,
  cab_minutes: 3,
};
const NOW = new Date('2028-02-29T12:00:00Z');

describe('retention horizons (11.1)', () => {
  it.each([
    {
      name: '11.1 defaults: every horizon 3 years back, delivered outbox rows 30 days',
      years: POLICY,
      expected: { changes: '2025-02-28', cabMeetings: '2025-02-28', auditEvents: '2025-02-28', outbox: '2028-01-30' },
    },
    {
      name: 'a change keeps the longest period of its parts (test results 5 years)',
      years: { ...POLICY, test_results: 5 },
      expected: { changes: '2023-02-28', cabMeetings: '2025-02-28', auditEvents: '2023-02-28', outbox: '2028-01-30' },
    },
    {
      name: 'CAB meetings keep their minutes (7 years); the log keeps the longest of all',
      years: { ...POLICY, cab_minutes: 7 },
      expected: { changes: '2025-02-28', cabMeetings: '2021-02-28', auditEvents: '2021-02-28', outbox: '2028-01-30' },
    },
    {
      name: 'CAB votes are approval records (4 years) even with shorter minutes',
      years: { ...POLICY, approval_records: 4, cab_minutes: 1 },
      expected: { changes: '2024-02-29', cabMeetings: '2024-02-29', auditEvents: '2024-02-29', outbox: '2028-01-30' },
    },
  ])('$name', ({ years, expected }) => {
    const horizons = retentionHorizons(years, NOW);
    expect({
      changes: horizons.changes.toISOString().slice(0, 10),
      cabMeetings: horizons.cabMeetings.toISOString().slice(0, 10),
      auditEvents: horizons.auditEvents.toISOString().slice(0, 10),
      outbox: horizons.deliveredOutbox.toISOString().slice(0, 10),
    }).toEqual(expected);
  });
});

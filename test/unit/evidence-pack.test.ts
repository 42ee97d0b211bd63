// The evidence pack's pure parts (issue 14.5): the period two dates name in the policy timezone, and the
// neutralising of CSV cells against spreadsheet formula injection (OWASP "CSV injection").
// America/New_York is EDT (UTC−4) until 2026-11-01 02:00 local, EST (UTC−5) after.
import { describe, expect, it } from 'vitest';
import { exportPeriod } from '../../src/domain/evidence-period.js';
import { csvLines, neutralise } from '../../src/services/evidence-render.js';

const ZONE = 'America/New_York';

describe('exportPeriod: both dates included, midnight to midnight in the policy timezone', () => {
  it.each([
    ['2026-11-17', '2026-11-24', '2026-11-17T05:00:00.000Z', '2026-11-25T05:00:00.000Z'],
    ['2026-11-01', '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'], // a 25-hour day
    ['2026-01-01', '2026-12-31', '2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z'],
    ['2028-02-29', '2028-02-29', '2028-02-29T05:00:00.000Z', '2028-03-01T05:00:00.000Z'],
  ])('%s to %s runs from %s to %s', (from, to, start, end) => {
    const read = exportPeriod(from, to, ZONE);
    expect(read).toEqual({
      ok: true,
      period: { from, to, start: new Date(start), end: new Date(end), timeZone: ZONE },
    });
  });

  it.each([
    ['2026-02-30', '2026-03-01', { code: 'not_a_date', value: '2026-02-30' }],
    ['2026-1-5', '2026-03-01', { code: 'not_a_date', value: '2026-1-5' }],
    ['2026-03-01', 'tomorrow', { code: 'not_a_date', value: 'tomorrow' }],
    ['2026-03-02', '2026-03-01', { code: 'ends_before_start', from: '2026-03-02', to: '2026-03-01' }],
  ])('refuses %s to %s', (from, to, refusal) => {
    expect(exportPeriod(from, to, ZONE)).toEqual({ ok: false, ...refusal });
  });
});

describe('neutralise: a cell a spreadsheet would run as a formula is prefixed with a quote', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 6 12', "'+33 6 12"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['plain = text', 'plain = text'],
    ['', ''],
    [null, ''],
    [true, 'yes'],
    [false, 'no'],
    [-3, -3],
  ] as const)('%j → %j', (cell, expected) => {
    expect(neutralise(cell)).toBe(expected);
  });

  it('writes RFC 4180: CRLF records, quoted commas, quotes and line breaks', () => {
    expect(csvLines([['a,b', 'say "hi"', 'two\nlines', 'plain', 7]])).toBe(
      '"a,b","say ""hi""","two\nlines",plain,7\r\n',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { askedOnlyThroughQuietRoles, digestDateDue } from '../../src/domain/inbox.js';
import { policyWith } from './policy-fixture.js';

// Issue 15.2: business days are business_hours.days (Mon–Fri by default) less the holidays; the digest is due
// from approvals.digest_time on, in the reader's own time zone.
const policy = policyWith(`holidays:
  - { date: "12-25", name: Christmas Day }
  - "2026-11-27"
approvals:
  digest_time: "09:00"
`);

describe('the morning digest is due from digest_time on, on business days, in the reader’s time zone', () => {
  it.each([
    { name: 'Wed 08:59 New York: not yet', at: '2026-11-18T13:59:00Z', zone: 'America/New_York', due: undefined },
    { name: 'Wed 09:00 New York', at: '2026-11-18T14:00:00Z', zone: 'America/New_York', due: '2026-11-18' },
    {
      name: 'Wed 23:30 New York: still that day',
      at: '2026-11-19T04:30:00Z',
      zone: 'America/New_York',
      due: '2026-11-18',
    },
    // The same instant is already Thursday morning in Tokyo.
    { name: 'Thu 09:30 Tokyo', at: '2026-11-19T00:30:00Z', zone: 'Asia/Tokyo', due: '2026-11-19' },
    { name: 'Thu 08:30 Tokyo: not yet', at: '2026-11-18T23:30:00Z', zone: 'Asia/Tokyo', due: undefined },
    { name: 'Sat 10:00 New York: weekend', at: '2026-11-21T15:00:00Z', zone: 'America/New_York', due: undefined },
    { name: 'Fri 27 Nov: a holiday', at: '2026-11-27T15:00:00Z', zone: 'America/New_York', due: undefined },
    { name: 'Christmas, every year', at: '2027-12-25T15:00:00Z', zone: 'America/New_York', due: undefined },
    // Monday 9 March 2026, after the US clocks went forward: 09:00 EDT is 13:00 UTC.
    {
      name: 'the first Monday of summer time',
      at: '2026-03-09T13:00:00Z',
      zone: 'America/New_York',
      due: '2026-03-09',
    },
  ])('$name', ({ at, zone, due }) => {
    expect(digestDateDue(new Date(at), zone, policy)).toBe(due);
  });
});

describe('approvals.quiet_roles: asked only through quiet roles', () => {
  const members: Record<string, string[]> = { peer: ['U1'], cto: ['U2', 'U3'], manager: ['U3'] };
  const membersOf = (role: string) => members[role] ?? [];
  it.each([
    {
      name: 'no quiet roles: nobody',
      requirement: { role: 'cto', fallbackRole: null },
      user: 'U2',
      quiet: [],
      is: false,
    },
    {
      name: 'asked for a quiet role',
      requirement: { role: 'cto', fallbackRole: null },
      user: 'U2',
      quiet: ['cto'],
      is: true,
    },
    {
      name: 'the quiet fallback asked for a role nobody else holds',
      requirement: { role: 'dba', fallbackRole: 'cto' },
      user: 'U2',
      quiet: ['cto'],
      is: true,
    },
    {
      name: 'asked for a loud role',
      requirement: { role: 'peer', fallbackRole: null },
      user: 'U1',
      quiet: ['cto'],
      is: false,
    },
    {
      name: 'holding the loud role as well as the quiet fallback',
      requirement: { role: 'manager', fallbackRole: 'cto' },
      user: 'U3',
      quiet: ['cto'],
      is: false,
    },
  ])('$name', ({ requirement, user, quiet, is }) => {
    expect(askedOnlyThroughQuietRoles(requirement, user, { quietRoles: quiet, membersOf })).toBe(is);
  });

  it('without the members, both the role and its fallback count as reasons', () => {
    const requirement = { role: 'manager', fallbackRole: 'cto' };
    expect(askedOnlyThroughQuietRoles(requirement, 'U3', { quietRoles: ['cto'] })).toBe(false);
    expect(askedOnlyThroughQuietRoles(requirement, 'U3', { quietRoles: ['cto', 'manager'] })).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/db/audit-log.js';
import type { Database } from '../../src/db/client.js';
import { changes, postImplementationReviews } from '../../src/db/schema.js';
import type { ChangeState, ChangeType } from '../../src/domain/lifecycle.js';
import { monthlyReport } from '../../src/services/report.js';
import { FakeClock } from '../support/clock.js';
import { eventually } from '../support/interactions.js';
import { minimalPolicy } from '../support/policy.js';
import { openTempDatabase, type TempDatabase } from '../support/temp-db.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface FixtureChange {
  type: ChangeType;
  risk: string | null;
  /** Times at UTC-05:00 (New York standard time; 22:30 on 31 October is 23:30 daylight time). */
  created: string;
  moves: [from: ChangeState | null, to: ChangeState, at: string][];
  incidents?: string;
}

const et = (local: string) => new Date(`${local}-05:00`);

// October and November 2026, America/New_York (EST from 1 November).
const FIXTURE: FixtureChange[] = [
  // October: approved in 24 h, completed on 31 October at 23:30 local (1 November UTC), failed validation in November.
  {
    type: 'normal',
    risk: 'high',
    created: '2026-10-01T10:00',
    moves: [
      [null, 'approved', '2026-10-02T10:00'],
      ['implementing', 'completed', '2026-10-31T22:30'],
      ['completed', 'failed', '2026-11-02T09:00'],
    ],
  },
  // Submitted in October, approved after 72 h on 2 November, completed on the 3rd.
  {
    type: 'normal',
    risk: 'low',
    created: '2026-10-30T10:00',
    moves: [
      [null, 'approved', '2026-11-02T10:00'],
      ['implementing', 'completed', '2026-11-03T10:00'],
    ],
  },
  {
    type: 'normal',
    risk: 'low',
    created: '2026-11-03T10:00',
    moves: [
      [null, 'approved', '2026-11-04T10:00'],
      ['implementing', 'completed', '2026-11-05T10:00'],
    ],
  },
  // Completed, failed its validation, rolled back.
  {
    type: 'normal',
    risk: 'medium',
    created: '2026-11-03T10:00',
    moves: [
      [null, 'approved', '2026-11-05T10:00'],
      ['implementing', 'completed', '2026-11-06T10:00'],
      ['completed', 'failed', '2026-11-06T11:00'],
      ['failed', 'rolled_back', '2026-11-06T12:00'],
    ],
  },
  {
    type: 'normal',
    risk: 'medium',
    created: '2026-11-04T10:00',
    moves: [
      [null, 'approved', '2026-11-05T22:00'],
      ['implementing', 'completed', '2026-11-10T10:00'],
    ],
    incidents: 'None',
  },
  {
    type: 'emergency',
    risk: 'high',
    created: '2026-11-10T10:00',
    moves: [[null, 'authorized', '2026-11-10T11:00']],
    incidents: 'Payments slow for 5 minutes',
  },
  {
    type: 'standard',
    risk: null,
    created: '2026-11-12T10:00',
    moves: [
      [null, 'approved', '2026-11-12T10:00'],
      ['implementing', 'completed', '2026-11-12T15:00'],
    ],
  },
  // Submitted in November, still waiting.
  { type: 'normal', risk: 'critical', created: '2026-11-20T10:00', moves: [] },
];

/** Writes the fixture through the repositories: change rows, chained audit events in time order, reviews. */
function seedFixture(database: Database): void {
  const { db } = database;
  const moves: { changeId: number; from: ChangeState | null; to: ChangeState; at: Date }[] = [];
  for (const fixture of FIXTURE) {
    const created = et(fixture.created);
    const [row] = db
      .insert(changes)
      .values({
        type: fixture.type,
        state: 'submitted',
        title: 'Fixture',
        description: 'Fixture',
        riskLevel: fixture.risk,
        requesterId: 'U0REQ0001',
        ownerId: 'U0REQ0001',
        createdAt: created,
        updatedAt: created,
      })
      .returning({ id: changes.id })
      .all();
    const changeId = row?.id ?? 0;
    for (const [from, to, at] of fixture.moves) moves.push({ changeId, from, to, at: et(at) });
    if (fixture.incidents)
      db.insert(postImplementationReviews)
        .values({
          changeId,
          outcome: 'completed',
          actualVsExpected: 'As expected',
          incidents: fixture.incidents,
          lessonsLearned: 'None',
          reviewedBy: 'U0REQ0001',
          reviewedAt: et('2026-11-25T10:00'),
        })
        .run();
  }
  moves.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const move of moves) {
    recordAudit(
      db,
      {
        changeId: move.changeId,
        actorId: 'U0REQ0001',
        type: 'change.fixture',
        fromState: move.from ?? undefined,
        toState: move.to,
      },
      move.at,
    );
  }
}

describe('the monthly report (11.2, 11.3) from fixture data', () => {
  let database: TempDatabase | undefined;
  afterEach(() => database?.dispose());

  it('gives exact numbers for November beside October', () => {
    database = openTempDatabase();
    seedFixture(database);
    const report = monthlyReport(database.db, minimalPolicy(), '2026-11');
    expect(report.current).toEqual({
      month: '2026-11',
      volume: {
        total: 6,
        byType: { standard: 1, normal: 4, emergency: 1 },
        byRisk: { low: 1, medium: 2, high: 1, critical: 1, unrated: 1 },
      },
      implemented: 6,
      successRate: { count: 5, of: 6, percent: 83.3 },
      emergencyRate: { count: 1, of: 6, percent: 16.7 },
      rollbackRate: { count: 1, of: 6, percent: 16.7 },
      postImplementationIssues: { count: 2, of: 6, percent: 33.3 },
      medianLeadTimeHours: { low: 48, medium: 42, high: 1, unrated: 0 },
    });
    expect(report.previous).toEqual({
      month: '2026-10',
      volume: { total: 2, byType: { standard: 0, normal: 2, emergency: 0 }, byRisk: { high: 1, low: 1 } },
      implemented: 1,
      successRate: { count: 0, of: 1, percent: 0 },
      emergencyRate: { count: 0, of: 2, percent: 0 },
      rollbackRate: { count: 0, of: 1, percent: 0 },
      postImplementationIssues: { count: 1, of: 1, percent: 100 },
      medianLeadTimeHours: { high: 24 },
    });
    expect(report.history.map((month) => month.month)).toEqual([
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
  });
});

describe('posting the report', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const reportPosts = (running: TestApp) =>
    running.slack.callsTo('chat.postMessage').filter((call) => String(call.params.text).startsWith('Change report'));

  it('posts last month once on the first business day, not on a weekend 1st, with the chart', async () => {
    // Sunday 1 November 2026, 09:00 New York: not a business day.
    app = await startTestApp({ clock: new FakeClock('2026-11-01T14:00:00Z') });
    const running = app;
    seedFixture(running.database);
    await running.runJob('monthly_report');
    running.clock.set('2026-11-02T14:00:00Z');
    await running.runJob('monthly_report');
    await running.runJob('monthly_report');
    await eventually(() => running.slack.filesIn('C0LOG0001').length === 1, 'the chart');
    running.clock.set('2026-11-03T14:00:00Z');
    await running.runJob('monthly_report');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const posts = reportPosts(running);
    expect(posts.map((call) => [call.params.channel, call.params.text])).toEqual([
      ['C0LOG0001', 'Change report: October 2026'],
    ]);
    const blocks = JSON.stringify(posts[0]?.params.blocks);
    expect(blocks).toContain('*Success rate* 0.0% (0 of 1) · target >95% · :warning: off target · Sep 2026: –');
    const [chart] = running.slack.filesIn('C0LOG0001');
    expect(chart?.filename).toBe('change-report-2026-10.png');
    expect(chart?.content?.subarray(1, 4).toString()).toBe('PNG');
  });

  it('answers /change report 2026-11 with the numbers, and a bad month with what to type', async () => {
    app = await startTestApp();
    const running = app;
    seedFixture(running.database);
    const replies = () =>
      running.slack
        .callsTo('response_url')
        .filter((call) => call.path === '/response/cmd')
        .map((call) => call.params);
    expect((await running.command('report 2026-11')).status).toBe(200);
    await eventually(() => replies().length === 1, 'the report');
    const [reply] = replies();
    expect(reply?.response_type).toBe('ephemeral');
    expect(reply?.text).toBe('Change report: November 2026');
    const text = JSON.stringify(reply?.blocks);
    for (const line of [
      '*Volume* 6 changes submitted (Oct 2026: 2)',
      'Standard 1 · Normal 4 · Emergency 1',
      'Low 1 · Medium 2 · High 1 · Critical 1 · Unrated 1',
      '*Success rate* 83.3% (5 of 6) · target >95% · :warning: off target · Oct 2026: 0.0% (0 of 1)',
      '*Emergency rate* 16.7% (1 of 6) · target <5% · :warning: off target · Oct 2026: 0.0% (0 of 2)',
      '*Rollback rate* 16.7% (1 of 6) · target <3% · :warning: off target · Oct 2026: 0.0% (0 of 1)',
      '*Post-implementation issues* 33.3% (2 of 6) · target <5%',
      'Low: 48.0 h · target ≤24 h · :warning: off target · Oct 2026: –',
      'Medium: 42.0 h · target ≤48 h · :white_check_mark: on target',
      'High: 1.0 h · target ≤72 h · :white_check_mark: on target · Oct 2026: 24.0 h',
    ])
      expect(text).toContain(line);

    const answer = await running.command('report november');
    expect((answer.json as { text?: string }).text).toBe(
      'Type `/change report` for last month, or `/change report YYYY-MM` (for example `/change report 2026-11`).',
    );
  });
});

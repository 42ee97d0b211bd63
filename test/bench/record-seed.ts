// A realistic record for the scale bench (issue 17): changes in the states the lifecycle leaves them in (each move
// checked by the domain's nextState), their approval requirements, candidates and decisions, emergency paperwork, the
// audit events of every move chained with the app's own eventHash, and the outbox rows of the last 30 days, spread
// over three years and a few months ahead. The rows are those the repositories write, inserted through statements
// prepared once: through drizzle's query builder 100,000 changes take many minutes, and the bench seeds in one.
import type { Statement } from 'better-sqlite3';
import { type ChainedFields, chainTail, eventHash, sortedData } from '../../src/db/audit-chain.js';
import type { CabinetDb } from '../../src/db/client.js';
import { type ChangeState, type ChangeType, nextState, type TransitionName } from '../../src/domain/lifecycle.js';

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 3 * 365;
/** Changes submitted this recently are still under way (pending, approved, scheduled); older ones have closed. */
const OPEN_DAYS = 14;
/** Delivered outbox rows are kept this long (the daily retention prunes older ones). */
const OUTBOX_DAYS = 30;
const BATCH = 5_000;
const REQUESTERS = 200;
const SYSTEMS = ['edge', 'ledger', 'billing', 'auth', 'search', 'mail', 'vpn', 'dns', 'erp', 'crm'];
const VERBS = ['Rotate certificates on', 'Patch', 'Upgrade', 'Resize', 'Migrate'];
/** Who the bench asks as: one requester among 200, a peer approver, the CAB chair. */
export const BENCH_USERS = { requester: 'U0REQ0001', approver: 'U0PEER001', chair: 'U0CHAIR01' } as const;
const PEERS = ['U0PEER001', 'U0PEER002'];
const CAB = ['U0CAB0001', 'U0CAB0002'];

/** A deterministic spread (no Math.random: two runs seed the same record). */
const pick = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;
const after = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

interface Planned {
  n: number;
  type: ChangeType;
  requesterId: string;
  at: Date;
  start: Date;
  end: Date;
  recent: boolean;
}

interface Event {
  actorId: string;
  type: string;
  fromState: ChangeState | null;
  toState: ChangeState | null;
  data: Record<string, unknown> | null;
  at: Date;
}

type Move = [TransitionName, Date];

const INSERTS = {
  change: `INSERT INTO changes (type, state, title, description, test_plan, rollback_plan, implementation_plan,
    affected_systems, risk_score, computed_risk_level, risk_level, requester_id, owner_id, planned_start, planned_end,
    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  requirement: `INSERT INTO approval_requirements (change_id, phase, role, approvals_needed, due_at, satisfied_at)
    VALUES (?, 'approval', ?, 1, ?, ?)`,
  candidate: 'INSERT INTO approval_candidates (requirement_id, user_id) VALUES (?, ?)',
  decision: `INSERT INTO approval_decisions (change_id, requirement_id, approver_id, role, decision, source, decided_at)
    VALUES (?, ?, ?, ?, 'approve', 'button', ?)`,
  obligation: 'INSERT INTO obligations (change_id, kind, due_at, completed_at, created_at) VALUES (?, ?, ?, ?, ?)',
  event: `INSERT INTO audit_events (id, change_id, actor_id, type, from_state, to_state, data, occurred_at, prev_hash,
    hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  outbox: `INSERT INTO outbox (change_id, kind, payload, status, priority, lane, coalesce_key, attempts,
    next_attempt_at, created_at, sent_at) VALUES (?, 'refresh_homes', ?, 'sent', 2, ?, ?, 1, ?, ?, ?)`,
} as const;

type Statements = Record<keyof typeof INSERTS, Statement>;

/** Writes one change's rows; the chain's tail moves on with each event. */
class Writer {
  private tail: { id: number; hash: string };

  constructor(
    private readonly statements: Statements,
    private readonly now: Date,
  ) {
    this.tail = { id: 0, hash: '' };
  }

  start(db: CabinetDb): void {
    this.tail = chainTail(db);
  }

  /** Appends an event as recordAudit does (data with sorted keys, hashed as stored), and the Home refresh it queued. */
  event(changeId: number, event: Event): void {
    const id = this.tail.id + 1;
    const dataText = event.data === null ? null : JSON.stringify(sortedData(event.data));
    const at = event.at.getTime();
    const fields: ChainedFields = [
      id,
      changeId,
      event.actorId,
      event.type,
      event.fromState,
      event.toState,
      dataText,
      at,
    ];
    const hash = eventHash(fields, this.tail.hash);
    this.statements.event.run(...fields, this.tail.hash, hash);
    this.tail = { id, hash };
    if (this.now.getTime() - at < OUTBOX_DAYS * DAY_MS) {
      const payload = JSON.stringify({ kind: 'refresh_homes', changeId });
      this.statements.outbox.run(changeId, payload, null, `refresh_homes:${changeId}`, at, at, at + 1_000);
    }
  }

  get statementsOf(): Statements {
    return this.statements;
  }
}

/** Plays moves through the lifecycle (the domain refuses an illegal one), one event each. */
function play(change: Planned, from: ChangeState, moves: readonly Move[]): { state: ChangeState; events: Event[] } {
  let state = from;
  const events: Event[] = [];
  for (const [transition, at] of moves) {
    const to = nextState({ type: change.type, state }, transition);
    events.push({
      actorId: change.requesterId,
      type: `change.${transition}`,
      fromState: state,
      toState: to,
      data: null,
      at,
    });
    state = to;
  }
  return { state, events };
}

/** The moves after approval: scheduled, run once its start has passed, closed a day after its end unless recent. */
function delivery(change: Planned, now: Date): Move[] {
  const scheduled: Move[] = change.type === 'normal' ? [['schedule', after(change.at, 240)]] : [];
  if (change.start > now) return scheduled;
  const ran: Move[] = [...scheduled, ['start_implementation', change.start], ['complete', change.end]];
  if (change.recent) return ran;
  const closing = after(change.end, 24 * 60);
  return change.n % 5 === 0
    ? [...ran, ['review', closing], ['close', after(closing, 60)]]
    : [...ran, ['close_without_review', closing]];
}

function planOf(n: number, seed: { count: number; now: Date }): Planned {
  const { count, now } = seed;
  const type: ChangeType = n % 20 === 0 ? 'emergency' : n % 4 === 0 ? 'standard' : 'normal';
  const at = new Date(now.getTime() - HISTORY_DAYS * DAY_MS + Math.floor((n * HISTORY_DAYS * DAY_MS) / count));
  // Most run within the week; one in fifty is planned a few months out (the calendar's far future).
  const leadDays = type === 'emergency' ? 0 : n % 50 === 1 ? 30 + (n % 90) : 1 + (n % 7);
  const start = new Date(at.getTime() + leadDays * DAY_MS + (n % 24) * 3_600_000);
  const recent = now.getTime() - at.getTime() < OPEN_DAYS * DAY_MS;
  const requesterId = `U0REQ${String((n % REQUESTERS) + 1).padStart(4, '0')}`;
  return { n, type, requesterId, at, start, end: after(start, 60 + (n % 4) * 60), recent };
}

/** The moves a change made by now, from its submission. */
function historyOf(change: Planned, now: Date): { state: ChangeState; events: Event[]; decided: boolean } {
  const { at } = change;
  if (change.type === 'emergency') {
    const closing = after(at, 8 * 24 * 60);
    const moves: Move[] = [
      ['request_authorization', after(at, 1)],
      ['authorize', after(at, 15)],
    ];
    const closed: Move[] = [
      ['request_retro_approval', after(at, 24 * 60)],
      ['retro_approve', after(at, 2 * 24 * 60)],
      ['review', closing],
      ['close', after(closing, 60)],
    ];
    return { ...play(change, 'submitted', change.recent ? moves : [...moves, ...closed]), decided: true };
  }
  if (change.type === 'standard')
    return { ...play(change, 'submitted', [['pre_approve', after(at, 1)], ...delivery(change, now)]), decided: true };
  // One in three of the recent normal changes still waits for its approvers.
  const decided = !change.recent || change.n % 3 !== 0;
  const moves: Move[] = [['request_approval', after(at, 1)]];
  return {
    ...play(change, 'submitted', decided ? [...moves, ['approve', after(at, 185)], ...delivery(change, now)] : moves),
    decided,
  };
}

/** Asks the peers (and, for a high risk, the board) as request-approvals does; decided ones were approved. */
function writeApprovals(writer: Writer, changeId: number, change: Planned & { decided: boolean }): Event[] {
  const statements = writer.statementsOf;
  const roles = change.n % 10 === 3 ? ['peer', 'cab'] : ['peer'];
  const asked = after(change.at, 2);
  const decidedAt = after(asked, 180);
  const events: Event[] = [
    {
      actorId: 'cabinet',
      type: 'approval.requested',
      fromState: null,
      toState: null,
      data: { phase: 'approval', roles },
      at: asked,
    },
  ];
  for (const role of roles) {
    const askedOf = role === 'cab' ? CAB : PEERS;
    const satisfied = change.decided ? decidedAt.getTime() : null;
    const requirementId = statements.requirement.run(
      changeId,
      role,
      asked.getTime() + 2 * DAY_MS,
      satisfied,
    ).lastInsertRowid;
    for (const userId of askedOf) statements.candidate.run(requirementId, userId);
    if (!change.decided) continue;
    const approverId = pick(askedOf, change.n);
    statements.decision.run(changeId, requirementId, approverId, role, decidedAt.getTime());
    events.push({
      actorId: approverId,
      type: 'approval.approved',
      fromState: null,
      toState: null,
      data: { role },
      at: decidedAt,
    });
  }
  return events;
}

function seedOne(writer: Writer, n: number, seed: { count: number; now: Date }): void {
  const statements = writer.statementsOf;
  const change = planOf(n, seed);
  const history = historyOf(change, seed.now);
  const high = n % 10 === 3;
  const system = `${pick(SYSTEMS, n)}-${n % 37}`;
  const lastAt = history.events.at(-1)?.at ?? change.at;
  const changeId = Number(
    statements.change.run(
      change.type,
      history.state,
      `${pick(VERBS, n)} ${system}`,
      `Routine work on ${system}; tested in staging, see the runbook.`,
      'Run the smoke suite after the change.',
      'Redeploy the previous release.',
      'Follow the runbook.',
      JSON.stringify([system]),
      high ? 14 : 4,
      high ? 'high' : 'low',
      high ? 'high' : 'low',
      change.requesterId,
      change.requesterId,
      change.start.getTime(),
      change.end.getTime(),
      change.at.getTime(),
      lastAt.getTime(),
    ).lastInsertRowid,
  );
  const submitted: Event = {
    actorId: change.requesterId,
    type: 'change.submitted',
    fromState: null,
    toState: 'submitted',
    data: { riskScore: high ? 14 : 4, riskLevel: high ? 'high' : 'low' },
    at: change.at,
  };
  const approvals = change.type === 'normal' ? writeApprovals(writer, changeId, { ...change, ...history }) : [];
  if (change.type === 'emergency')
    for (const kind of ['documentation', 'cab_presentation'])
      statements.obligation.run(
        changeId,
        kind,
        after(change.at, 3 * 24 * 60).getTime(),
        change.recent ? null : after(change.at, 24 * 60).getTime(),
        change.at.getTime(),
      );
  const events = [submitted, ...history.events, ...approvals].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of events) writer.event(changeId, event);
}

/** Seeds `count` changes in batched transactions; returns the seconds it took. */
export function seedRecord(db: CabinetDb, seed: { count: number; now: Date }): number {
  const started = performance.now();
  const client = db.$client;
  const statements = Object.fromEntries(
    Object.entries(INSERTS).map(([name, source]) => [name, client.prepare(source)]),
  ) as Statements;
  const writer = new Writer(statements, seed.now);
  writer.start(db);
  const batch = client.transaction((first: number) => {
    for (let n = first; n < Math.min(first + BATCH, seed.count); n += 1) seedOne(writer, n, seed);
  });
  for (let first = 0; first < seed.count; first += BATCH) batch.immediate(first);
  return (performance.now() - started) / 1000;
}

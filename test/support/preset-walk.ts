// Shared steps of the preset walks (issue 16.10): each seed organisation's policy loaded from a file that names its
// preset, the real app started on it, and a change walked through it by the people its document names.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import {
  approvalDecisions,
  approvalRequirements,
  auditEvents,
  cabItems,
  changeEvidence,
  changes,
  obligations,
} from '../../src/db/schema.js';
import { type EvidenceGate, evidenceItems, evidenceKey, missingEvidence } from '../../src/domain/change-evidence.js';
import { parsePolicy } from '../../src/policy/load.js';
import { FORM_ACTION } from '../../src/slack/blocks/change-form.js';
import { EVIDENCE_FIELDS, IMPLEMENTATION_FIELDS } from '../../src/slack/blocks/form-fields.js';
import {
  ACTIONS,
  cabBallotActionId,
  encodeBallotValue,
  IMPLEMENTATION_ACTIONS,
  IMPLEMENTATION_VIEWS,
  VIEWS,
} from '../../src/slack/ids.js';
import { FakeClock } from './clock.js';
import type { RecordedCall } from './fake-slack.js';
import { clickButton, eventually, submitView } from './interactions.js';
import { startTestApp, type TestApp } from './test-app.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The file an administrator writes: `preset: <name>` and the rest (roles, channels, a catalog). */
export function presetFile(name: string, rest: string): string {
  return `preset: ${name}\n${rest}`;
}

/** The real app on the preset's policy at `clock`; the file must load without a warning (16.10). */
export async function startPreset(file: string, clock: string): Promise<TestApp> {
  const { policy, warnings } = parsePolicy(file, 'preset.yml');
  expect(warnings).toEqual([]);
  return startTestApp({ policy, clock: new FakeClock(clock) });
}

export const changeRow = (app: TestApp, id = 1) =>
  app.database.db.select().from(changes).where(eq(changes.id, id)).get();

export async function untilState(app: TestApp, state: string, id = 1): Promise<void> {
  await eventually(() => changeRow(app, id)?.state === state, `CHG-${id} ${state}`);
}

/** The roles a change waits for (or waited for) in one phase, sorted. */
export const requiredRoles = (app: TestApp, phase = 'approval', id = 1) =>
  app.database.db
    .select()
    .from(approvalRequirements)
    .where(eq(approvalRequirements.changeId, id))
    .all()
    .filter((requirement) => requirement.phase === phase)
    .map((requirement) => requirement.role)
    .sort();

/** Who decided, in which role, how: `approver:role:source`, in order. */
export const decisionsOf = (app: TestApp, id = 1) =>
  app.database.db
    .select()
    .from(approvalDecisions)
    .where(eq(approvalDecisions.changeId, id))
    .all()
    .map((decision) => `${decision.approverId ?? '-'}:${decision.role ?? '-'}:${decision.source}`);

/** The states the change went through, in order. */
export const statesOf = (app: TestApp, id = 1) =>
  app.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.changeId, id))
    .all()
    .flatMap((event) => (event.toState === null ? [] : [event.toState]));

/** The data of a change's audit events of one type, oldest first. */
export const auditDataOf = (app: TestApp, type: string, id = 1) =>
  app.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.changeId, id))
    .all()
    .filter((event) => event.type === type)
    .map((event) => event.data);

/** An emergency's paperwork, by kind: how many hours after `from` each is due. */
export const paperworkDue = (app: TestApp, from: Date, id = 1) =>
  app.database.db
    .select()
    .from(obligations)
    .where(eq(obligations.changeId, id))
    .orderBy(obligations.kind)
    .all()
    .map((row) => [row.kind, row.dueAt === null ? null : (row.dueAt.getTime() - from.getTime()) / HOUR]);

/** The paperwork an emergency still owes. */
export const paperworkOpen = (app: TestApp, id = 1) =>
  app.database.db
    .select()
    .from(obligations)
    .where(eq(obligations.changeId, id))
    .all()
    .filter((row) => row.completedAt === null)
    .map((row) => row.kind);

const dmOf = (userId: string) => `D${userId.slice(1)}`;

const postsTo = (app: TestApp, userId: string): RecordedCall[] =>
  app.slack.callsTo('chat.postMessage').filter((call) => call.params.channel === dmOf(userId));

/** Whether `userId` was sent a DM whose text starts with `prefix`. */
export const toldTo = (app: TestApp, userId: string, prefix: string) =>
  postsTo(app, userId).some((call) => String(call.params.text).startsWith(prefix));

/** Those sent a DM starting with `prefix` (e.g. "Approval requested"), sorted. */
export const recipientsOf = (app: TestApp, prefix: string) =>
  app.slack
    .callsTo('chat.postMessage')
    .filter((call) => String(call.params.text).startsWith(prefix) && String(call.params.channel).startsWith('D'))
    .map((call) => `U${String(call.params.channel).slice(1)}`)
    .sort();

export async function untilAsked(app: TestApp, prefix: string, people: readonly string[]): Promise<void> {
  await eventually(() => people.every((userId) => toldTo(app, userId, prefix)), `${prefix}: ${people.join(', ')}`);
}

/** What the app answered `userId` ephemerally after a click on `actionId`, oldest first. */
const repliesTo = (app: TestApp, userId: string, actionId: string) =>
  app.slack
    .callsTo('response_url')
    .filter((call) => call.path.includes(`${userId}-${actionId}`))
    .map((call) => String(call.params.text));

/** Clicks a button as `userId` and waits for the app's ephemeral answer. */
export async function clickAndRead(app: TestApp, userId: string, actionId: string, value: string): Promise<string> {
  const before = repliesTo(app, userId, actionId).length;
  expect((await clickButton(app, userId, actionId, value)).status).toBe(200);
  await eventually(() => repliesTo(app, userId, actionId).length > before, `${actionId} by ${userId} answered`);
  return repliesTo(app, userId, actionId).at(-1) ?? '';
}

type ButtonStep = 'start' | 'complete' | 'close';

/** An implementation button (Start, Complete, Close) pressed by `userId`; the answer it got. */
export const step = (app: TestApp, userId: string, name: ButtonStep, ref = 'CHG-1') =>
  clickAndRead(app, userId, IMPLEMENTATION_ACTIONS[name], ref);

const text = (value: string) => ({ [FORM_ACTION]: { type: 'plain_text_input', value } });

/** The owner ticks every check of the policy's production validation (8.4). */
export async function verifyAll(app: TestApp, ownerId: string, ref = 'CHG-1'): Promise<void> {
  const checks = app.policy.implementation.verification_checklist.map((check) => ({
    value: check.id,
    text: { type: 'plain_text', text: check.label },
  }));
  const response = await submitView(
    app,
    ownerId,
    IMPLEMENTATION_VIEWS.verify,
    {
      [IMPLEMENTATION_FIELDS.verificationChecks]: { [FORM_ACTION]: { type: 'checkboxes', selected_options: checks } },
      [IMPLEMENTATION_FIELDS.verificationNote]: text('Dashboards green for 30 minutes.'),
    },
    { privateMetadata: ref },
  );
  expect(response.text).toBe('');
}

/** The owner records the post-implementation review. */
export async function reviewAll(app: TestApp, ownerId: string, ref = 'CHG-1'): Promise<void> {
  const response = await submitView(
    app,
    ownerId,
    IMPLEMENTATION_VIEWS.review,
    {
      [IMPLEMENTATION_FIELDS.actualVsExpected]: text('As expected.'),
      [IMPLEMENTATION_FIELDS.incidents]: text('None.'),
      [IMPLEMENTATION_FIELDS.lessonsLearned]: text('Announce it a day earlier.'),
    },
    { privateMetadata: ref },
  );
  expect(response.text).toBe('');
}

/** `userId` submits the evidence form: `item` as its select gives it ("test:unit"), with `evidence`. */
export function submitChangeEvidence(
  app: TestApp,
  userId: string,
  entry: { item: string; evidence: string; ref?: string },
) {
  const { item, evidence, ref = 'CHG-1' } = entry;
  return submitView(
    app,
    userId,
    VIEWS.changeEvidence,
    {
      [EVIDENCE_FIELDS.evidenceItem]: { [FORM_ACTION]: { type: 'static_select', selected_option: { value: item } } },
      [EVIDENCE_FIELDS.evidenceText]: text(evidence),
    },
    { privateMetadata: ref },
  );
}

/** The evidence recorded on a change, as `scope:item`, oldest first. */
export const evidenceOf = (app: TestApp, id = 1) =>
  app.database.db
    .select()
    .from(changeEvidence)
    .where(eq(changeEvidence.changeId, id))
    .all()
    .map((row) => evidenceKey({ scope: row.scope, id: row.item }));

/** `userId` records every item the policy asks of the change before `gate` and not recorded yet. */
export async function recordOwedEvidence(app: TestApp, userId: string, gate: EvidenceGate, id = 1): Promise<void> {
  const row = changeRow(app, id);
  if (!row) throw new Error(`CHG-${id} not found`);
  const owed = missingEvidence(evidenceItems(row, app.policy), new Set(evidenceOf(app, id)), gate);
  for (const item of owed) {
    const response = await submitChangeEvidence(app, userId, {
      item: evidenceKey(item),
      evidence: `https://ci.example.com/runs/${id}/${item.id}`,
      ref: `CHG-${id}`,
    });
    expect(response.text).toBe('');
  }
}

/**
 * Start, Complete, then the validation, the review when `review`, and Close: the change ends closed. The evidence the
 * policy asks for before each step (tests, step items) is recorded just before it.
 */
export async function implementAndClose(
  app: TestApp,
  ownerId: string,
  options: { ref?: string; review?: boolean } = {},
): Promise<void> {
  const { ref = 'CHG-1', review = false } = options;
  const id = Number(ref.slice('CHG-'.length));
  await recordOwedEvidence(app, ownerId, 'start', id);
  expect(await step(app, ownerId, 'start', ref)).toBe(`${ref} is started.`);
  await recordOwedEvidence(app, ownerId, 'complete', id);
  expect(await step(app, ownerId, 'complete', ref)).toBe(`${ref} is completed.`);
  await recordOwedEvidence(app, ownerId, 'close', id);
  await verifyAll(app, ownerId, ref);
  if (review) {
    expect(await step(app, ownerId, 'close', ref)).toBe(
      `${ref} cannot close yet: it still needs a post-implementation review (Review).`,
    );
    await reviewAll(app, ownerId, ref);
  }
  expect(await step(app, ownerId, 'close', ref)).toBe(`${ref} is closed.`);
}

/** The change's item on the latest agenda (or emergency CAB) that has been posted. */
const postedItem = (app: TestApp, changeId: number) =>
  app.database.db
    .select()
    .from(cabItems)
    .where(eq(cabItems.changeId, changeId))
    .all()
    .filter((item) => item.ts !== null)
    .at(-1);

/**
 * Puts a change to the board (7.1): the chair's "Post now" (the weekly agenda) or, with `convenedBy`, an emergency
 * CAB (`/change cab convene`); resolves once its item is posted.
 */
export async function putToBoard(
  app: TestApp,
  board: { chair: string; convenedBy?: string; changeId?: number },
): Promise<void> {
  const { chair, convenedBy, changeId = 1 } = board;
  if (convenedBy) await app.command(`cab convene CHG-${changeId}`, { userId: convenedBy });
  else await clickButton(app, chair, ACTIONS.cabPostNow, 'next');
  await eventually(() => postedItem(app, changeId) !== undefined, `CHG-${changeId} put to the board`);
}

/** A member's vote, or the chair's decision, to approve the change's posted item; the answer it got. */
export function ballotOf(app: TestApp, userId: string, ballot: { kind: 'vote' | 'decide'; changeId?: number }) {
  const { kind, changeId = 1 } = ballot;
  const itemId = postedItem(app, changeId)?.id ?? 0;
  return clickAndRead(
    app,
    userId,
    cabBallotActionId(kind, 'approve'),
    encodeBallotValue({ itemId, kind, outcome: 'approve' }),
  );
}

/** The change is put to the board, the `voters` vote to approve it, and the chair's decision approves it. */
export async function boardApproves(
  app: TestApp,
  board: { chair: string; voters: readonly string[]; convenedBy?: string; changeId?: number },
): Promise<void> {
  const { chair, voters, changeId = 1 } = board;
  await putToBoard(app, board);
  for (const voter of voters)
    expect(await ballotOf(app, voter, { kind: 'vote', changeId })).toBe(
      `Your vote to approve CHG-${changeId} is recorded.`,
    );
  expect(await ballotOf(app, chair, { kind: 'decide', changeId })).toContain(`CHG-${changeId} is approved`);
  expect(postedItem(app, changeId)).toMatchObject({ outcome: 'approve', decidedBy: chair });
}

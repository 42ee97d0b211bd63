import { recordAudit } from '../db/audit-log.js';
import { insertChangeEvidence } from '../db/change-evidence.js';
import { type ChangeRecord, loadChangeRecord } from '../db/change-record.js';
import { enqueue } from '../db/outbox.js';
import {
  acceptsEvidence,
  type EvidenceGate,
  type EvidenceItem,
  evidenceItems,
  evidenceKey,
  missingEvidence,
} from '../domain/change-evidence.js';
import type { ChangeState } from '../domain/lifecycle.js';
import type { Policy } from '../policy/schema.js';
import { type ChangeRefusal, changeNotFound, type Refusal, type UseCaseContext } from './context.js';

/** Why evidence may not be recorded on a change now; slack/words/evidence.ts says it. */
export type EvidenceRecordRefusal =
  | ChangeRefusal
  | Refusal<'not_requester_or_owner', { ref: string }>
  /** Closed, rejected or cancelled: its record is final. */
  | Refusal<'ended', { ref: string; state: ChangeState }>
  /** The policy asks this change for no evidence (or no longer for this item). */
  | Refusal<'nothing_owed', { ref: string }>;

export type EvidenceRecordOutcome = { ok: true; ref: string; label: string } | EvidenceRecordRefusal;

/** The evidence the change owes under the policy now. */
export const itemsOf = (record: ChangeRecord, policy: Pick<Policy, 'testing' | 'step_evidence'>) =>
  evidenceItems(record.change, policy);

/** The items recorded at least once, by key. */
export const recordedKeys = (record: ChangeRecord): Set<string> =>
  new Set(record.evidence.map((row) => evidenceKey({ scope: row.scope, id: row.item })));

/** What the change still needs before `step`, by the policy now (empty: nothing holds it up). */
export function evidenceMissingFor(
  record: ChangeRecord,
  policy: Pick<Policy, 'testing' | 'step_evidence'>,
  step: EvidenceGate,
): EvidenceItem[] {
  return missingEvidence(itemsOf(record, policy), recordedKeys(record), step);
}

/** Whether the actor may record evidence on the change now (read only), e.g. before opening the form. */
export function evidenceRecordRefusal(
  record: ChangeRecord | undefined,
  policy: Policy,
  actorId: string,
): EvidenceRecordRefusal | undefined {
  if (!record) return changeNotFound;
  const { ref, change } = record;
  if (actorId !== change.requesterId && actorId !== change.ownerId)
    return { ok: false, code: 'not_requester_or_owner', ref };
  if (!acceptsEvidence(change.state)) return { ok: false, code: 'ended', ref, state: change.state };
  return itemsOf(record, policy).length === 0 ? { ok: false, code: 'nothing_owed', ref } : undefined;
}

/**
 * Records one piece of evidence (a test's result, a step item) as a new row with its audit event, in one immediate
 * transaction; the change's messages are refreshed to show it.
 */
export function recordChangeEvidence(
  ctx: UseCaseContext,
  input: { changeId: number; item: EvidenceItem; evidence: string },
): EvidenceRecordOutcome {
  const { db, policy, now, actorId } = ctx;
  const { changeId, item, evidence } = input;
  return db.transaction(
    (tx): EvidenceRecordOutcome => {
      const record = loadChangeRecord(tx, changeId);
      const refusal = evidenceRecordRefusal(record, policy, actorId);
      if (refusal || !record) return refusal ?? changeNotFound;
      const owed = itemsOf(record, policy).some((candidate) => evidenceKey(candidate) === evidenceKey(item));
      if (!owed) return { ok: false, code: 'nothing_owed', ref: record.ref };
      const { scope, id, label } = item;
      insertChangeEvidence(tx, { changeId, scope, item: id, label, evidence, recordedBy: actorId, recordedAt: now });
      recordAudit(
        tx,
        { changeId, actorId, type: 'change.evidence_recorded', data: { scope, item: id, evidence } },
        now,
      );
      enqueue(tx, { kind: 'refresh_messages', changeId }, now);
      return { ok: true, ref: record.ref, label };
    },
    { behavior: 'immediate' },
  );
}

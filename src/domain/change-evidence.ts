// Evidence recorded on a change before it moves on: the tests its risk level requires (POL-SEC-008 8.1; FinaPilot
// CHG-001 5) and the policy's items per lifecycle step (the nine-step workflow 003: implementation notes, review
// findings). Each record is a new row; the latest of an item is the one that counts.
import { z } from 'zod';
import type { Policy } from '../policy/schema.js';
import { TEXT_MAX } from './change-request.js';
import type { FormIssue, FormResult } from './form-issues.js';
import type { ChangeState, ChangeType } from './lifecycle.js';

export const EVIDENCE_SCOPES = ['test', 'step'] as const;
export type EvidenceScope = (typeof EVIDENCE_SCOPES)[number];

/** The steps evidence may be due before: the approval, and the owner's steps but Failed and Rolled back. */
export type EvidenceGate = 'approval' | 'start' | 'complete' | 'verify' | 'review' | 'close';

/** Order of the gates: evidence due before one is due before every later one (verify and review in either order). */
const RANK: Record<EvidenceGate, number> = { approval: 0, start: 1, complete: 2, verify: 3, review: 3, close: 4 };

export interface EvidenceItem {
  scope: EvidenceScope;
  id: string;
  label: string;
  /** Required (a test its risk level requires, every step item), or only recommended. */
  required: boolean;
  /** The step it holds up until recorded; undefined when it holds up none (recommended, or `required_before: none`). */
  before: EvidenceGate | undefined;
}

/** What a record of an item is stored and looked up by: its scope and id. */
export const evidenceKey = (item: { scope: EvidenceScope; id: string }) => `${item.scope}:${item.id}`;

const listedFor = (byRisk: Record<string, string[]>, level: string) =>
  Object.hasOwn(byRisk, level) ? (byRisk[level] ?? []) : [];

/**
 * The evidence a change owes: its risk level's tests, then the step items. An emergency owes none here: it runs
 * when authorized, and its paperwork (6.4) is tracked on its own.
 */
export function evidenceItems(
  change: { type: ChangeType; riskLevel: string | null },
  policy: Pick<Policy, 'testing' | 'step_evidence'>,
): EvidenceItem[] {
  if (change.type === 'emergency') return [];
  const { testing } = policy;
  const level = change.riskLevel ?? '';
  const required = listedFor(testing.required_by_risk, level);
  const recommended = listedFor(testing.recommended_by_risk, level);
  const gate = testing.required_before === 'none' ? undefined : testing.required_before;
  const tests = testing.kinds.flatMap((kind): EvidenceItem[] => {
    if (required.includes(kind.id)) return [{ scope: 'test', ...kind, required: true, before: gate }];
    if (recommended.includes(kind.id)) return [{ scope: 'test', ...kind, required: false, before: undefined }];
    return [];
  });
  const steps = (Object.entries(policy.step_evidence) as [EvidenceGate, { id: string; label: string }[]][]).flatMap(
    ([step, items]) => items.map((item): EvidenceItem => ({ scope: 'step', ...item, required: true, before: step })),
  );
  return [...tests, ...steps];
}

/** Whether evidence due before `gate` holds up `step`: that step and every later one. */
export function holdsUp(gate: EvidenceGate, step: EvidenceGate): boolean {
  return gate === step || RANK[gate] < RANK[step];
}

/** The items not recorded yet that hold up `step`, in the policy's order. */
export function missingEvidence(
  items: readonly EvidenceItem[],
  recorded: ReadonlySet<string>,
  step: EvidenceGate,
): EvidenceItem[] {
  return items.filter(
    (item) => item.before !== undefined && holdsUp(item.before, step) && !recorded.has(evidenceKey(item)),
  );
}

/** States in which evidence can no longer be added: the change's life has ended. */
const ENDED: readonly ChangeState[] = ['closed', 'rejected', 'cancelled'];
export const acceptsEvidence = (state: ChangeState) => !ENDED.includes(state);

export type EvidenceField = 'evidenceItem' | 'evidenceText';
export type EvidenceIssue = FormIssue<EvidenceField>;

/** What the evidence form carries: the item picked ("test:unit") and the text or link. */
const evidenceForm = z.object({
  item: z.string(),
  evidence: z.string().trim().min(1).max(TEXT_MAX),
});

/**
 * The evidence form read against the change's items: one of them picked, and some text or a link (up to TEXT_MAX
 * characters). A record may be added again later; the newest one counts.
 */
export function readEvidenceForm(
  form: { item?: string; evidence?: string },
  items: readonly EvidenceItem[],
): FormResult<{ item: EvidenceItem; evidence: string }, EvidenceIssue> {
  const issues: EvidenceIssue[] = [];
  const parsed = evidenceForm.safeParse({ item: form.item ?? '', evidence: form.evidence ?? '' });
  const item = items.find((candidate) => evidenceKey(candidate) === form.item);
  if (!item) issues.push({ field: 'evidenceItem', code: form.item ? 'not_listed' : 'required' });
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((issue) => issue.code === 'too_big');
    issues.push(
      tooLong
        ? { field: 'evidenceText', code: 'too_long', max: TEXT_MAX }
        : { field: 'evidenceText', code: 'required' },
    );
  }
  return item && parsed.success ? { ok: true, value: { item, evidence: parsed.data.evidence } } : { ok: false, issues };
}

// Where a message cites the organisation's policy document beside a rule: "(POL-SEC-008 6.3)" under the defaults,
// "(FinaPilot CHG-001 3.1)" under that preset, nothing for a rule its document has no section for.
import type { Policy } from '../../policy/schema.js';

export type CitedRule = keyof Policy['document']['sections'];

/** "POL-SEC-008 6.3", or undefined when the policy's document has no section for the rule. */
export function citationOf(policy: Pick<Policy, 'document'>, rule: CitedRule): string | undefined {
  const section = policy.document.sections[rule];
  return section === undefined ? undefined : `${policy.document.name} ${section}`;
}

/**
 * " (9.1)": the section alone, where the document goes without saying (a refusal, a label), or nothing when the
 * policy's document has no section for the rule.
 */
export function sectionRef(policy: Pick<Policy, 'document'>, rule: CitedRule): string {
  const section = policy.document.sections[rule];
  return section === undefined ? '' : ` (${section})`;
}

/** " (POL-SEC-008 6.3)" to follow a sentence or a title, or nothing. */
export function cited(policy: Pick<Policy, 'document'>, rule: CitedRule): string {
  const citation = citationOf(policy, rule);
  return citation === undefined ? '' : ` (${citation})`;
}

// The five seed organisations' policies (issue 16.10): a policy file that starts with `preset: <name>` gets that
// organisation's rules, and any key it writes overrides the preset's.
import { finapilotChg001 } from './finapilot-chg-001.js';
import { generic } from './generic.js';
import { mcp4 } from './mcp4.js';
import { nineStepWorkflow } from './nine-step-workflow.js';
import { polSec008 } from './pol-sec-008.js';

export const PRESETS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  generic,
  'pol-sec-008': polSec008,
  mcp4,
  'nine-step-workflow': nineStepWorkflow,
  'finapilot-chg-001': finapilotChg001,
};

// Maps whose keys the organisation chooses (names, or which items apply): a file that writes one replaces the
// preset's whole.
const REPLACED_WHOLE = new Set([
  'roles',
  'role_groups',
  'approval_matrix',
  'review_rules',
  'approval_sla',
  'rollback_decision',
  'fallback_roles',
  // Which paperwork is owed: a kind the file leaves out is not.
  'paperwork_hours',
  // Which tests each risk level requires and recommends: a level the file leaves out requires none.
  'required_by_risk',
  'recommended_by_risk',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The preset with the file's keys over it: sections merged key by key, lists and named maps replaced. */
export function withPreset(preset: Readonly<Record<string, unknown>>, file: Record<string, unknown>): unknown {
  const merged: Record<string, unknown> = { ...preset };
  for (const [key, value] of Object.entries(file)) {
    const base = merged[key];
    merged[key] =
      isObject(base) && isObject(value) && !REPLACED_WHOLE.has(key) ? withPreset(base, value) : structuredClone(value);
  }
  return structuredClone(merged);
}

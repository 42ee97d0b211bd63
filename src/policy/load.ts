import { existsSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';
import { adaptDefaults } from './adapt.js';
import { PRESETS, withPreset } from './presets/index.js';
import { crossReferenceIssues, type Policy, policyShape, rolesOfEntry } from './schema.js';

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export interface LoadedPolicy {
  policy: Policy;
  /** Problems that do not stop Cabinet but leave part of it idle (e.g. a role nobody holds). */
  warnings: string[];
}

export function formatKeyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** Issues with every union replaced by the issues of its best-fitting branch. */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'invalid_union' && issue.errors.length > 0 ? unionBranchIssues(issue) : [issue],
  );
}

/**
 * The issues of the union branch that explains a mistake best: the one that got deepest into the value with
 * an issue about a value it read (not a missing or unknown key, not a wrong type), then the one with fewest.
 */
function unionBranchIssues(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] {
  const misfit = (i: z.core.$ZodIssue) => i.code === 'invalid_type' || i.code === 'unrecognized_keys';
  const rank = (issues: readonly z.core.$ZodIssue[]) =>
    Math.max(...issues.map((i) => i.path.length * 2 + (misfit(i) ? 0 : 1))) * 1000 - issues.length;
  const branches = issue.errors.map(flattenUnions);
  const best = branches.reduce((chosen, branch) => (rank(branch) > rank(chosen) ? branch : chosen));
  return best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) =>
    issue.code === 'invalid_union' && issue.errors.length > 0
      ? describeIssues(flattenUnions([issue]))
      : issue.code === 'unrecognized_keys'
        ? issue.keys.map(
            (key) =>
              `${formatKeyPath([...issue.path, key])}: unknown key (check its spelling ` +
              `against the README's policy reference)`,
          )
        : [`${formatKeyPath(issue.path)}: ${issue.message}`],
  );
}

function rolesInUse(policy: Policy): Set<string> {
  return new Set([
    ...Object.values(policy.approval_matrix).flat().flatMap(rolesOfEntry),
    ...Object.values(policy.review_rules).flatMap((rule) => [...Object.keys(rule.approvals), ...(rule.any_of ?? [])]),
    ...policy.change_types.standard.approver_roles.flatMap(rolesOfEntry),
    policy.approvals.fallback_role,
    ...Object.values(policy.approvals.fallback_roles),
    ...policy.emergency.authorizers.business_hours.flatMap(rolesOfEntry),
    ...policy.emergency.authorizers.after_hours.flatMap(rolesOfEntry),
    ...policy.emergency.authorizers.fallback_any_of,
  ]);
}

function policyWarnings(policy: Policy): string[] {
  const warnings = [...rolesInUse(policy)]
    .filter((role) => policy.roles[role]?.length === 0)
    .map(
      (role) =>
        `role "${role}" has no members: changes that need it cannot be approved until roles.${role} lists someone`,
    );
  if (policy.cab.enabled && !policy.cab.channel)
    warnings.push(
      `cab.channel is not set: CAB agendas will not be posted, and changes that need the ` +
        `board (role "${policy.cab.role}") cannot be approved`,
    );
  if (policy.cab.enabled && !policy.cab.chair) warnings.push('cab.chair is not set: nobody chairs the CAB');
  if (!policy.channels.log) warnings.push('channels.log is not set: changes will not be announced in a log channel');
  return warnings;
}

/** The file over the preset it names (`preset: <name>`), or the file as it is. */
function withPresetOf(file: unknown, invalid: (problems: readonly string[]) => PolicyError): unknown {
  if (typeof file !== 'object' || file === null || Array.isArray(file) || !Object.hasOwn(file, 'preset')) return file;
  const { preset: name, ...rest } = file as Record<string, unknown>;
  const preset = typeof name === 'string' && Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset)
    throw invalid([`preset: unknown preset ${JSON.stringify(name)} (one of ${Object.keys(PRESETS).join(', ')})`]);
  return withPreset(preset, rest);
}

/** Parses policy YAML; `source` names the file in every error. */
export function parsePolicy(text: string, source: string): LoadedPolicy {
  const document = YAML.parseDocument(text);
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const at = syntaxError.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw new PolicyError(
      `Invalid policy file ${source}: YAML syntax error${where}: ${syntaxError.message.split('\n')[0]}`,
    );
  }
  const invalid = (problems: readonly string[]) =>
    new PolicyError(`Invalid policy file ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  const raw = withPresetOf(document.toJS() ?? {}, invalid);
  const result = policyShape.safeParse(raw);
  if (!result.success) throw invalid(describeIssues(result.error.issues));
  const adapted = adaptDefaults(result.data, raw);
  const issues = [...adapted.issues, ...crossReferenceIssues(adapted.policy, adapted.assumed)];
  if (issues.length > 0) throw invalid(issues.map((issue) => `${formatKeyPath(issue.path)}: ${issue.message}`));
  return { policy: adapted.policy, warnings: [...adapted.warnings, ...policyWarnings(adapted.policy)] };
}

/** Loads the policy file; when it does not exist the built-in POL-SEC-008 defaults apply. */
export function loadPolicyFile(path: string): LoadedPolicy {
  if (!existsSync(path)) {
    const loaded = parsePolicy('{}', 'built-in default policy');
    return {
      policy: loaded.policy,
      warnings: [
        `policy file ${path} not found: using the built-in default policy (POL-SEC-008) with no role members`,
        ...loaded.warnings,
      ],
    };
  }
  return parsePolicy(readFileSync(path, 'utf8'), path);
}

// Fits the built-in defaults (POL-SEC-008) to an organisation that names its own roles: a default key the
// policy file did not write keeps only the roles the policy defines, so only what the policy uses must agree.
import { type MatrixEntry, type PolicyShape, rolesOfEntry } from './schema.js';

export interface PolicyIssue {
  path: (string | number)[];
  message: string;
}

export interface AdaptedPolicy {
  policy: PolicyShape;
  /** Single-role keys left at a default naming an undefined role: not refused, warned. */
  assumed: Set<string>;
  warnings: string[];
  /** Defaults that would be left empty by fitting them: approval nobody could give. */
  issues: PolicyIssue[];
}

/** Whether the policy file wrote the key at `path` (the raw YAML document, before defaults). */
function wrote(raw: unknown, path: readonly string[]): boolean {
  let node = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

const mapValues = <T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

/**
 * Each role group becomes a role whose members are those of the roles it names (a group naming an undefined role or
 * another group is refused by the cross-references); the chair comes from `cab.chair_role` when it holds one person.
 */
function expandRoles(policy: PolicyShape, issues: PolicyIssue[]): void {
  const roles = { ...policy.roles };
  for (const [group, included] of Object.entries(policy.role_groups)) {
    if (Object.hasOwn(policy.roles, group)) {
      issues.push({ path: ['role_groups', group], message: `"${group}" is also a role under roles: name it once` });
      continue;
    }
    roles[group] = [...new Set(included.flatMap((role) => policy.roles[role] ?? []))];
  }
  policy.roles = roles;
  const chairRole = policy.cab.chair_role;
  if (policy.cab.chair !== undefined || chairRole === undefined) return;
  const holders = Object.hasOwn(roles, chairRole) ? (roles[chairRole] ?? []) : [];
  const [chair, ...others] = holders;
  if (chair !== undefined && others.length === 0 && /^[UW]/.test(chair)) policy.cab.chair = chair;
  else if (holders.length > 0)
    issues.push({
      path: ['cab', 'chair_role'],
      message: `must hold one person (a Slack user ID), not ${holders.length === 1 ? 'a user group' : holders.length}`,
    });
}

/**
 * The built-in 8.1 rows name POL-SEC-008's risk levels and test kinds: a policy with its own levels or kinds keeps the
 * rows and kinds it has (a level without a row requires no tests).
 */
function fitTesting(policy: PolicyShape, raw: unknown): void {
  const levels = new Set(policy.risk.levels.map((level) => level.id));
  const kinds = new Set(policy.testing.kinds.map((kind) => kind.id));
  for (const key of ['required_by_risk', 'recommended_by_risk'] as const) {
    if (wrote(raw, ['testing', key])) continue;
    policy.testing[key] = Object.fromEntries(
      Object.entries(policy.testing[key])
        .filter(([level]) => levels.has(level))
        .map(([level, listed]) => [level, listed.filter((kind) => kinds.has(kind))]),
    );
  }
}

export function adaptDefaults(parsed: PolicyShape, raw: unknown): AdaptedPolicy {
  const policy = structuredClone(parsed);
  const issues: PolicyIssue[] = [];
  expandRoles(policy, issues);
  const defined = new Set(Object.keys(policy.roles));
  // Under `cab: none` the board's role approves nothing, whatever `roles` lists.
  const known = (role: string) => defined.has(role) && (policy.cab.enabled || role !== policy.cab.role);
  const leftOut = new Map<string, Set<string>>();
  const note = (role: string, key: string) => leftOut.set(role, (leftOut.get(role) ?? new Set()).add(key));
  const unwritten = (...path: string[]) => !wrote(raw, path);
  const keepDefined = (key: string, roles: readonly string[]) => {
    for (const role of roles) if (!known(role)) note(role, key);
    return roles.filter(known);
  };
  const assumed = new Set<string>();
  // An "any one of" entry keeps the roles defined, and becomes a plain role when only one is.
  const fitEntries = (key: string, entries: readonly MatrixEntry[]): MatrixEntry[] =>
    entries.flatMap((entry): MatrixEntry[] => {
      if (typeof entry === 'string') return keepDefined(key, [entry]);
      const kept = keepDefined(key, entry.any_of);
      return kept.length > 1 ? [{ any_of: kept }] : kept;
    });

  if (unwritten('approval_matrix')) {
    const fitted = mapValues(policy.approval_matrix, (row) => fitEntries('approval_matrix', row));
    const emptied = Object.keys(fitted).filter((level) => fitted[level]?.length === 0);
    if (emptied.length > 0)
      issues.push({
        path: ['approval_matrix'],
        message:
          `not written, and the built-in matrix names roles this policy does not define, so nobody would approve ` +
          `${emptied.join(', ')} changes: write approval_matrix with your own roles`,
      });
    policy.approval_matrix = fitted;
  }
  if (unwritten('review_rules')) {
    const rules = mapValues(policy.review_rules, (rule) => ({
      ...rule,
      approvals: Object.fromEntries(
        Object.entries(rule.approvals).filter(([role]) => keepDefined('review_rules', [role]).length),
      ),
    }));
    policy.review_rules = Object.fromEntries(
      Object.entries(rules).filter(([, rule]) => Object.keys(rule.approvals).length > 0),
    );
  }
  // The security triggers apply the security rule: left out with it (a rule the file wrote must exist).
  const ruleLeftOut =
    unwritten('review_rules') &&
    unwritten('security_review', 'rule') &&
    !Object.hasOwn(policy.review_rules, policy.security_review.rule);
  if (ruleLeftOut && unwritten('security_review', 'triggers')) {
    policy.security_review.triggers = [];
    for (const role of Object.keys(parsed.review_rules[parsed.security_review.rule]?.approvals ?? {}))
      note(role, 'security_review.triggers');
  }
  if (unwritten('change_types', 'standard', 'approver_roles'))
    policy.change_types.standard.approver_roles = fitEntries(
      'change_types.standard.approver_roles',
      policy.change_types.standard.approver_roles,
    );
  for (const key of ['review_roles', 'escalate_to_roles', 'quiet_roles'] as const) {
    if (unwritten('approvals', key)) policy.approvals[key] = keepDefined(`approvals.${key}`, policy.approvals[key]);
  }
  for (const key of ['business_hours', 'after_hours'] as const) {
    if (!unwritten('emergency', 'authorizers', key)) continue;
    const entries = policy.emergency.authorizers[key];
    const fitted = fitEntries(`emergency.authorizers.${key}`, entries);
    if (fitted.length === 0 && entries.length > 0 && policy.emergency.prior_authorization)
      issues.push({
        path: ['emergency', 'authorizers', key],
        message:
          `not written, and the built-in authorizers (${entries.flatMap(rolesOfEntry).join(', ')}) are not roles ` +
          `of this policy, so nobody could authorize an emergency: write emergency.authorizers with your own roles`,
      });
    policy.emergency.authorizers[key] = fitted;
  }
  if (unwritten('emergency', 'authorizers', 'fallback_any_of'))
    policy.emergency.authorizers.fallback_any_of = keepDefined(
      'emergency.authorizers.fallback_any_of',
      policy.emergency.authorizers.fallback_any_of,
    );
  for (const key of ['dispute_notify_roles', 'overdue_notify_roles'] as const) {
    if (unwritten('emergency', key)) policy.emergency[key] = keepDefined(`emergency.${key}`, policy.emergency[key]);
  }
  if (!policy.cab.enabled && unwritten('emergency', 'cab_review_risk_levels'))
    policy.emergency.cab_review_risk_levels = [];
  for (const [key, role] of [
    ['approvals.fallback_role', policy.approvals.fallback_role],
    ['scheduling.exception_role', policy.scheduling.exception_role],
  ] as const) {
    const [section, name] = key.split('.') as [string, string];
    if (unwritten(section, name) && !known(role)) {
      assumed.add(key);
      note(role, key);
    }
  }

  fitTesting(policy, raw);

  const warnings =
    leftOut.size === 0
      ? []
      : [
          `built-in defaults name roles this policy does not define, so they were left out: ` +
            [...leftOut].map(([role, keys]) => `${role} (${[...keys].join(', ')})`).join('; ') +
            '. Write those keys to name your own roles.',
        ];
  return { policy, assumed, warnings, issues };
}

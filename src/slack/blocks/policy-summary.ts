import type { types } from '@slack/bolt';
import { emergencyAuthorizers } from '../../domain/business-hours.js';
import { type MatrixEntry, type Policy, rolesOfEntry } from '../../policy/schema.js';
import { context, section } from './blocks.js';
import { mentionMember } from './mrkdwn.js';

function riskLevelRanges(policy: Policy): string {
  const maxScore = policy.risk.factors.reduce(
    (sum, factor) => sum + Math.max(...factor.options.map((o) => o.score)),
    0,
  );
  return policy.risk.levels
    .map((level, index) => {
      const next = policy.risk.levels[index + 1];
      const upper = next ? next.min_score - 1 : maxScore;
      return `*${level.label}* ${level.min_score === upper ? level.min_score : `${level.min_score}–${upper}`}`;
    })
    .join(' · ');
}

function roleWithMembers(policy: Policy, role: string): string {
  const members = policy.roles[role] ?? [];
  return members.length === 0 ? `${role} (nobody yet)` : `${role} (${members.map(mentionMember).join(', ')})`;
}

/** Who authorizes an emergency right now (6.3), by the hour in the policy timezone. */
export function emergencyAuthorizationSection(policy: Policy, now: Date): types.SectionBlock {
  const authorizers = emergencyAuthorizers(now, policy);
  const period = authorizers.period === 'business_hours' ? 'business hours' : 'after hours';
  return section(
    `*Emergency authorization now* (${period}, ${policy.timezone})\n` +
      `All of: ${authorizers.roles
        .map((entry) =>
          rolesOfEntry(entry)
            .map((role) => roleWithMembers(policy, role))
            .join(' or '),
        )
        .join(' + ')}\n` +
      `If unavailable, any of: ` +
      `${authorizers.fallbackAnyOf.map((role) => roleWithMembers(policy, role)).join(', ') || 'nobody'}`,
  );
}

/** The organisation's policy in a few blocks: who approves what, who authorizes an emergency now, when changes run. */
export function policySummaryBlocks(policy: Policy, now: Date): types.KnownBlock[] {
  const entryText = (entry: MatrixEntry) => rolesOfEntry(entry).join(' or ');
  const stages = policy.approvals.stages;
  const approvals = [
    ...policy.risk.levels.map(
      (level) =>
        `*${level.label}*: ${(policy.approval_matrix[level.id] ?? []).map(entryText).join(', ') || 'no approval'}`,
    ),
    ...(stages.length > 0 ? [`*In this order:* ${stages.map((roles) => roles.join(' and ')).join(', then ')}`] : []),
  ].join('\n');
  const windows =
    policy.deployment_windows === 'any'
      ? 'any time, for every risk level'
      : policy.deployment_windows
          .map((window) => `${window.days.join(', ')} ${window.from}–${window.to}: ${window.risks.join(', ')}`)
          .join('\n');
  return [
    section(`*Risk score → level* (${policy.risk.factors.length} factors)\n${riskLevelRanges(policy)}`),
    section(`*Approvals by risk level*\n${approvals}`),
    emergencyAuthorizationSection(policy, now),
    section(`*Deployment windows* (${policy.timezone})\n${windows || 'none: emergency changes only'}`),
    context(
      policy.cab.enabled
        ? `CAB meets on cron \`${policy.cab.schedule}\`${policy.cab.channel ? ` in <#${policy.cab.channel}>` : ''}.`
        : 'No CAB: approvals follow the matrix alone.',
    ),
  ];
}

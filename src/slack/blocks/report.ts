import type { types } from '@slack/bolt';
import { CHANGE_TYPES } from '../../domain/lifecycle.js';
import {
  leadTimeStatus,
  type MonthMetrics,
  RATE_METRICS,
  type RateMetric,
  rateStatus,
  rateTarget,
  UNRATED,
} from '../../domain/report.js';
import type { Policy } from '../../policy/schema.js';
import type { MonthlyReport } from '../../services/report.js';
import {
  BY_RISK,
  BY_TYPE,
  beforeText,
  hoursText,
  implementedText,
  LEAD_TIME_HEADING,
  leadTimeTargetText,
  NO_APPROVALS,
  percentText,
  RATE_NAMES,
  rateTargetText,
  reportFootnote,
  reportTitle,
  STATUS_WORDS,
  UNRATED_LABEL,
  volumeText,
} from '../words/report.js';
import { context, header, section } from './blocks.js';

/** Risk levels in the policy's order, then any the month had that the policy no longer lists, then unrated. */
function levelsShown(policy: Policy, months: readonly MonthMetrics[], counts: (m: MonthMetrics) => object): string[] {
  const seen = new Set(months.flatMap((m) => Object.keys(counts(m))));
  const listed = policy.risk.levels.map((level) => level.id);
  return [...listed, ...[...seen].filter((id) => !listed.includes(id))].filter((id) => seen.has(id));
}

function levelLabel(policy: Policy, id: string): string {
  if (id === UNRATED) return UNRATED_LABEL;
  return policy.risk.levels.find((level) => level.id === id)?.label ?? id;
}

function volumeLines(report: MonthlyReport, policy: Policy): string {
  const { current, previous } = report;
  const types = CHANGE_TYPES.map((type) => `${policy.change_types[type].label} ${current.volume.byType[type]}`).join(
    ' · ',
  );
  const risks = levelsShown(policy, [current], (m) => m.volume.byRisk)
    .map((id) => `${levelLabel(policy, id)} ${current.volume.byRisk[id] ?? 0}`)
    .join(' · ');
  return [
    `${volumeText(current.volume.total)} (${beforeText(previous.month, String(previous.volume.total))})`,
    `${BY_TYPE}: ${types}`,
    ...(risks ? [`${BY_RISK}: ${risks}`] : []),
    implementedText(current.implemented),
  ].join('\n');
}

function rateLine(report: MonthlyReport, metric: RateMetric): string {
  const { current, previous, targets } = report;
  return [
    `*${RATE_NAMES[metric]}* ${percentText(current[metric])}`,
    rateTargetText(rateTarget(metric, targets)),
    STATUS_WORDS[rateStatus(metric, current, targets)],
    beforeText(previous.month, percentText(previous[metric])),
  ].join(' · ');
}

function leadTimeLines(report: MonthlyReport, policy: Policy): string {
  const { current, previous, targets } = report;
  const levels = levelsShown(policy, [current], (m) => m.medianLeadTimeHours);
  const lines = levels.map((level) =>
    [
      `${levelLabel(policy, level)}: ${hoursText(current.medianLeadTimeHours[level])}`,
      leadTimeTargetText(targets.lead_time_hours[level]),
      STATUS_WORDS[leadTimeStatus(level, current, targets)],
      beforeText(previous.month, hoursText(previous.medianLeadTimeHours[level])),
    ].join(' · '),
  );
  return [LEAD_TIME_HEADING, ...(lines.length > 0 ? lines : [NO_APPROVALS])].join('\n');
}

/** The monthly report as a message: volume, the four rates and lead times, each beside its target and last month. */
export function monthlyReportMessage(
  report: MonthlyReport,
  policy: Policy,
): { text: string; blocks: types.KnownBlock[] } {
  return {
    text: reportTitle(report.month),
    blocks: [
      header(reportTitle(report.month)),
      section(volumeLines(report, policy)),
      section(RATE_METRICS.map((metric) => rateLine(report, metric)).join('\n')),
      section(leadTimeLines(report, policy)),
      context(reportFootnote(policy)),
    ],
  };
}

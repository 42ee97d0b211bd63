import type { ExportPeriodResult } from '../../domain/evidence-period.js';
import type { EvidenceManifest } from '../../services/evidence-pack.js';
import { quoteUserText } from '../blocks/mrkdwn.js';

type Period = { from: string; to: string };

const HOW =
  'Type `/change export <from> <to>` with two dates as YYYY-MM-DD, e.g. `/change export 2026-01-01 2026-03-31`';

/** What to type when the dates are missing or wrong (`read` undefined: not two words). */
export function exportUsageText(read: ExportPeriodResult | undefined, timeZone: string): string {
  let why = '';
  if (read && !read.ok)
    why =
      read.code === 'not_a_date'
        ? ` (\`${quoteUserText(read.value)}\` is not a date)`
        : ` (${read.to} is before ${read.from})`;
  return `${HOW}${why}: both days are included, in the policy's time zone (${timeZone}).`;
}

export function exportRefusalText(roles: readonly string[]): string {
  return `Only the ${roles.join(', ')} can take the evidence pack (policy \`auditor_roles\`).`;
}

export function exportStartedText(period: Period): string {
  return `Building the evidence pack for ${period.from} to ${period.to}; it will arrive in your DM with Cabinet.`;
}

/** The message the files are posted with in the asker's DM. */
export function exportCommentText(manifest: EvidenceManifest): string {
  const { counts, period } = manifest;
  return (
    `Evidence pack for ${period.from} to ${period.to} (${period.time_zone}): ${counts.changes} changes, ` +
    `${counts.approvals} approval decisions, ${counts.verbal_approvals} verbal approvals, ` +
    `${counts.evidence_records} evidence records, ${counts.cab_meetings} CAB meetings. ` +
    "manifest.json lists each file's SHA-256."
  );
}

export function exportSentText(period: Period): string {
  return `The evidence pack for ${period.from} to ${period.to} is in your DM with Cabinet.`;
}

export function exportFailedText(period: Period): string {
  return (
    `Slack would not take the evidence pack for ${period.from} to ${period.to} just now. ` +
    `Type the command again in a moment.`
  );
}

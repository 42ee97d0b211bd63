// An emergency's declared and documented versions (POL-SEC-008 6.4): the messages its authorizers
// acted on keep showing what they authorized; Details shows both.
import type { types } from '@slack/bolt';
import type { ChangeRecord, ChangeVersionRow } from '../../db/change-record.js';
import { context, section, slackDate, truncate } from './blocks.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

export const DOCUMENTED_LATER = ':memo: As declared and authorized; documented later — see Details.';

const versionOf = (record: ChangeRecord, kind: ChangeVersionRow['kind']) =>
  record.versions.find((version) => version.kind === kind);

/**
 * The change as it was declared, when its documentation has changed it since (otherwise undefined):
 * what an authorizer saw when they acted. Only the declared text is put back; the rest is current.
 */
export function asDeclared(record: ChangeRecord): ChangeRecord | undefined {
  const declared = versionOf(record, 'declared');
  if (!declared || !versionOf(record, 'documented')) return undefined;
  const { title, description, implementationPlan, rollbackPlan, affectedSystems } = declared;
  return {
    ...record,
    change: { ...record.change, title, description, implementationPlan, rollbackPlan, affectedSystems },
  };
}

/** A message an authorizer acted on: the declared version and the mark, once it was documented. */
export function authorizerView(record: ChangeRecord): { record: ChangeRecord; mark: types.KnownBlock[] } {
  const declared = asDeclared(record);
  return declared ? { record: declared, mark: [context(DOCUMENTED_LATER)] } : { record, mark: [] };
}

/** How much of a version's text Details shows per field; the full text stays in the record. */
const VERSION_TEXT = 900;

function versionSection(heading: string, version: ChangeVersionRow): types.KnownBlock {
  const text = (value: string | null) => escapeMrkdwn(truncate(value ?? '—', VERSION_TEXT));
  return section(
    [
      `*${heading}* — ${mentionMember(version.recordedBy)} ${slackDate(version.recordedAt)}`,
      `*${escapeMrkdwn(version.title)}*`,
      `*Fix:* ${text(version.implementationPlan ?? version.description)}`,
      `*Rollback plan:* ${text(version.rollbackPlan)}`,
      `*Systems:* ${version.affectedSystems.map(escapeMrkdwn).join(', ') || '—'}`,
    ].join('\n'),
  );
}

/** Both versions side by side, once the emergency is documented; nothing before. */
export function versionBlocks(record: ChangeRecord): types.KnownBlock[] {
  const declared = versionOf(record, 'declared');
  const documented = versionOf(record, 'documented');
  if (!documented) return [];
  return [
    ...(declared ? [versionSection('As declared (what was authorized)', declared)] : []),
    versionSection('As documented', documented),
  ];
}

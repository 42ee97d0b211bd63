import { describeFreeze, nextWindowText } from '../../domain/schedule.js';
import { describeState } from '../../domain/lifecycle.js';
import type { Conflict } from '../../db/schedule.js';
import type { Policy } from '../../policy/schema.js';
import type { ScheduleCheck } from '../../services/schedule-check.js';
import { slackDate, truncate } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** "CHG-4 · Title on edge-proxy (times, state)": a conflicting change as a warning names it. */
export function conflictText({ change, systems }: Conflict): string {
  return `${change.ref} · ${escapeMrkdwn(truncate(change.title, 80))} on ${systems.map(escapeMrkdwn).join(', ')} (${slackDate(change.plannedStart)} → ${slackDate(change.plannedEnd)}, ${describeState(change.state)})`;
}

/** The warnings under the times of a change-request form being filled in; none until the times are picked. */
export function scheduleNoteLines(check: ScheduleCheck | undefined, policy: Policy): string[] {
  if (!check) return [];
  const lines: string[] = [];
  if (check.risk === undefined) lines.push(':information_source: Rate every risk factor to check the deployment windows (9.1).');
  for (const problem of check.problems) {
    if (problem.kind === 'outside_window') {
      lines.push(`:warning: Outside the deployment windows for ${check.risk ?? ''}-risk changes (9.1). ${nextWindowText(problem.next, check.risk ?? '', policy.timezone)}`);
    } else {
      const rule = policy.scheduling.freeze_rule === 'refuse' ? 'No change runs during it.' : 'It needs an approved exception.';
      lines.push(`:snowflake: In the change freeze ${escapeMrkdwn(describeFreeze(problem.freeze))} (9.2). ${rule}`);
    }
  }
  for (const conflict of check.conflicts) lines.push(`:twisted_rightwards_arrows: Overlaps ${conflictText(conflict)}.`);
  if (lines.length === 0) lines.push(':white_check_mark: Inside a deployment window, outside every freeze, and no other change on these systems at that time.');
  return lines;
}

import type { types } from '@slack/bolt';
import type { Conflict, PlannedChangeRow } from '../../db/schedule.js';
import { localDate } from '../../domain/business-hours.js';
import { addDays, type Freeze, weekdayOf } from '../../domain/schedule.js';
import type { Policy } from '../../policy/schema.js';
import type { ScheduleCheck } from '../../services/schedule-check.js';
import { sectionRef } from '../words/citations.js';
import { describeFreeze, nextWindowText } from '../words/schedule.js';
import { describeState } from '../words/states.js';
import { linesToSections, paginate, slackDate, truncate } from './blocks.js';
import { escapeMrkdwn, mentionMember } from './mrkdwn.js';

/** "CHG-4 · Title on edge-proxy (times, state)": a conflicting change as a warning names it. */
export function conflictText({ change, systems }: Conflict): string {
  return (
    `${change.ref} · ${escapeMrkdwn(truncate(change.title, 80))} on ` +
    `${systems.map(escapeMrkdwn).join(', ')} (${slackDate(change.plannedStart)} → ` +
    `${slackDate(change.plannedEnd)}, ${describeState(change.state)})`
  );
}

/** The warnings under the times of a change-request form being filled in; none until the times are picked. */
export function scheduleNoteLines(check: ScheduleCheck | undefined, policy: Policy): string[] {
  if (!check) return [];
  const lines: string[] = [];
  const windows = sectionRef(policy, 'deployment_windows');
  if (check.risk === undefined)
    lines.push(`:information_source: Rate every risk factor to check the deployment windows${windows}.`);
  for (const problem of check.problems) {
    if (problem.kind === 'outside_window') {
      lines.push(
        `:warning: Outside the deployment windows for ${check.risk ?? ''}-risk changes` +
          `${windows}. ${nextWindowText(problem.next, check.risk ?? '', policy.timezone)}`,
      );
    } else {
      const rule =
        policy.scheduling.freeze_rule === 'refuse' ? 'No change runs during it.' : 'It needs an approved exception.';
      const freeze = escapeMrkdwn(describeFreeze(problem.freeze));
      lines.push(`:snowflake: In the change freeze ${freeze}${sectionRef(policy, 'freezes')}. ${rule}`);
    }
  }
  for (const conflict of check.conflicts) lines.push(`:twisted_rightwards_arrows: Overlaps ${conflictText(conflict)}.`);
  if (lines.length === 0)
    lines.push(
      ':white_check_mark: Inside a deployment window, outside every freeze, and no other ' +
        'change on these systems at that time.',
    );
  return lines;
}

/** A time of day shown in each reader's own time zone, with a UTC fallback. */
function slackTime(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{time}|${at.toISOString().slice(11, 16)} UTC>`;
}

function calendarChangeLine(change: PlannedChangeRow, policy: Policy): string {
  const risk =
    policy.risk.levels.find((level) => level.id === change.riskLevel)?.label ?? change.riskLevel ?? 'unassessed';
  const emergency = change.type === 'emergency' ? ' :rotating_light:' : '';
  return (
    `• ${slackTime(change.plannedStart)}–${slackDate(change.plannedEnd)} ` +
    `*${change.ref}*${emergency} · ${escapeMrkdwn(truncate(change.title, 80))} — ${risk} ` +
    `risk, ${describeState(change.state)}, owner ${mentionMember(change.ownerId)}, on ` +
    `${change.affectedSystems.map(escapeMrkdwn).join(', ') || '—'}`
  );
}

/**
 * The changes planned (or running) and the freezes in force, by day in the policy timezone, as lines: each day's
 * date, then what it holds. A freeze is shown on the first listed day it covers; days with nothing are left out.
 */
export function calendarLines(
  calendar: { changes: readonly PlannedChangeRow[]; freezes: readonly Freeze[] },
  policy: Policy,
  from: Date,
  days: number,
): string[] {
  const timeZone = policy.timezone;
  const firstDay = localDate(from, timeZone);
  const lastDay = addDays(firstDay, days - 1);
  const byDay = new Map<string, string[]>();
  const lineFor = (day: string) => byDay.get(day) ?? byDay.set(day, []).get(day) ?? [];
  for (const freeze of calendar.freezes) {
    if (freeze.to < firstDay || freeze.from > lastDay) continue;
    // biome-ignore lint/complexity/useMathMinMax: these are ISO date strings, which Math.max cannot compare
    lineFor(freeze.from > firstDay ? freeze.from : firstDay).push(
      `:snowflake: *Change freeze* ${escapeMrkdwn(describeFreeze(freeze))}`,
    );
  }
  for (const change of calendar.changes) {
    const day = localDate(change.plannedStart, timeZone);
    // biome-ignore lint/complexity/useMathMinMax: these are ISO date strings, which Math.max cannot compare
    lineFor(day < firstDay ? firstDay : day).push(calendarChangeLine(change, policy));
  }
  return [...byDay.keys()].sort().flatMap((day) => [`*${weekdayDate(day)}*`, ...(byDay.get(day) ?? [])]);
}

/** `/change calendar [days]`: the calendar's lines under its title, in as many messages as it takes. */
export function calendarMessages(
  calendar: { changes: readonly PlannedChangeRow[]; freezes: readonly Freeze[] },
  policy: Policy,
  from: Date,
  days: number,
): { text: string; blocks: types.KnownBlock[] }[] {
  const span = `${days} day${days === 1 ? '' : 's'}`;
  const title = `*Change calendar* — the next ${span} (${escapeMrkdwn(policy.timezone)} days)`;
  const lines = calendarLines(calendar, policy, from, days);
  if (lines.length === 0) lines.push(NOTHING_PLANNED);
  return paginate(linesToSections([title, ...lines]), { blocks: 0, chars: 0 }).map((blocks, index) => ({
    text: index === 0 ? `Change calendar: the next ${days} days` : 'Change calendar (continued)',
    blocks,
  }));
}

export const NOTHING_PLANNED = 'Nothing is planned and no freeze is in force.';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 24 Nov 2026" for a calendar date (built by hand: ICU versions punctuate dates differently). */
function weekdayDate(date: string): string {
  const [year, month = 1, day] = date.split('-').map(Number);
  const weekday = weekdayOf(date);
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)} ${day} ${MONTHS[month - 1]} ${year}`;
}

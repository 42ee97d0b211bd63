// How the schedule (POL-SEC-008 9.1 deployment windows, 9.2 freezes) reads to people, in plain text:
// modal errors cannot use Slack's date tokens, so times are written in the policy's time zone and named.
import { localDate } from '../../domain/business-hours.js';
import {
  exceptionAllowed,
  type Freeze,
  type FreezeIssues,
  type Interval,
  type ScheduleProblem,
  SEARCH_DAYS,
  scheduleRefused,
} from '../../domain/schedule.js';
import { inZone } from '../../domain/zoned-time.js';
import type { Policy } from '../../policy/schema.js';
import { sectionRef } from './citations.js';

/** "Tue 24 Nov 2026, 06:00" or "06:00" in the time zone. */
export function wallClock(at: Date, timeZone: string, withDate: boolean): string {
  return inZone(at, timeZone)
    .setLocale('en-GB')
    .toFormat(withDate ? 'ccc d LLL yyyy, HH:mm' : 'HH:mm');
}

/**
 * A period as people read it in plain text, in the
 * policy's time zone, named so nobody reads it in their own: "Tue 24 Nov 2026, 06:00–10:00 (America/New_York)".
 */
export function describePeriod(period: Interval, timeZone: string): string {
  const sameDay = localDate(period.start, timeZone) === localDate(new Date(period.end.getTime() - 1), timeZone);
  return `${wallClock(period.start, timeZone, true)}–${wallClock(period.end, timeZone, !sameDay)} (${timeZone})`;
}

/** A freeze as people read it: "Holiday freeze (2026-12-20 to 2027-01-02)". */
export function describeFreeze(freeze: Pick<Freeze, 'from' | 'to' | 'reason'>): string {
  return `“${freeze.reason}” (${freeze.from === freeze.to ? freeze.from : `${freeze.from} to ${freeze.to}`})`;
}

/** What to say about the next window: "the next one is …" or that none allows the risk. */
export function nextWindowText(next: Interval | undefined, risk: string, timeZone: string): string {
  // Undefined also when the windows exist but none is long enough or free of freezes: say all three.
  return next
    ? `The next ${risk}-risk window is ${describePeriod(next, timeZone)}.`
    : `No deployment window in the next ${SEARCH_DAYS} days is open to ${risk}-risk changes, ` +
        'long enough for this one and outside every freeze.';
}

/**
 * The modal errors for a planned change's schedule, keyed by the field they belong on, or none when
 * an exception was requested and the policy lets one through. Messages say what to do next.
 */
export function scheduleErrors(
  problems: readonly ScheduleProblem[],
  request: { risk: string; exceptionRequested: boolean },
  policy: Pick<Policy, 'timezone' | 'scheduling' | 'document'>,
  fields: { start: string; end: string; exception: string },
): Record<string, string> {
  const { risk, exceptionRequested } = request;
  if (!scheduleRefused(problems, exceptionRequested, policy)) return {};
  const errors: Record<string, string> = {};
  const add = (field: string, message: string) => {
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  };
  const exceptionHint = exceptionAllowed(problems, policy)
    ? ` Or tick "Request an exception": the ${policy.scheduling.exception_role} is then asked to approve it too.`
    : '';
  for (const problem of problems) {
    if (problem.kind === 'outside_window') {
      const what = problem.field === 'start' ? 'The planned start is outside' : 'The planned end is past the end of';
      add(
        fields[problem.field],
        `${what} the deployment windows for ${risk}-risk changes${sectionRef(policy, 'deployment_windows')}. ` +
          `${nextWindowText(problem.next, risk, policy.timezone)}${exceptionHint}`,
      );
    } else if (policy.scheduling.freeze_rule === 'refuse') {
      add(
        fields.start,
        `It is planned into the change freeze ${describeFreeze(problem.freeze)}; no change runs during it` +
          `${sectionRef(policy, 'freezes')}. ` +
          `Plan it after ${problem.freeze.to}.`,
      );
    } else {
      add(
        fields.start,
        `It is planned into the change freeze ${describeFreeze(problem.freeze)}${sectionRef(policy, 'freezes')}.` +
          exceptionHint,
      );
    }
  }
  if (exceptionRequested)
    add(fields.exception, 'An exception cannot be granted: the policy refuses every change during a freeze.');
  return errors;
}

/** The sentence for each refused field of a freeze, keyed as the issues are. */
export function freezeIssueTexts(issues: FreezeIssues): Partial<Record<keyof FreezeIssues, string>> {
  const texts: Partial<Record<keyof FreezeIssues, string>> = {};
  if (issues.from) texts.from = 'Give the first day as YYYY-MM-DD, e.g. 2027-03-01.';
  if (issues.to?.code === 'not_a_date') texts.to = 'Give the last day as YYYY-MM-DD, e.g. 2027-03-05.';
  if (issues.to?.code === 'before_first_day') texts.to = 'The last day must not be before the first.';
  if (issues.to?.code === 'over_already') texts.to = `That freeze would be over already (today is ${issues.to.today}).`;
  if (issues.reason?.code === 'required')
    texts.reason = 'Say why, e.g. "Quarter close"; everyone planning a change reads it.';
  if (issues.reason?.code === 'too_long') texts.reason = `Keep the reason under ${issues.reason.max} characters.`;
  return texts;
}

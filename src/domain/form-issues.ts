// What a form reader refuses, as codes: the Slack layer maps each field to its block and words it
// (slack/blocks/form-fields.ts, slack/words/forms.ts).

/** Why one input was refused, with the facts a sentence about it needs. */
export type FormProblem =
  | { code: 'required' }
  | { code: 'too_long'; max: number }
  /** A planned time before the current minute. */
  | { code: 'in_past' }
  /** A time that has happened, after the current minute. */
  | { code: 'in_future' }
  /** A time earlier than the policy allows: more than `minutes` before the record it belongs to. */
  | { code: 'too_early'; minutes: number }
  | { code: 'not_after_start' }
  /** A start sooner than the policy's notice allows (issue 16.4): `earliest` is the first allowed. */
  | { code: 'short_notice'; hours: number; earliest: Date; timeZone: string }
  /** `value` is not in the policy's catalog (systems, standard changes). */
  | { code: 'not_in_catalog'; value: string }
  /** A choice the form did not offer. */
  | { code: 'not_listed' }
  | { code: 'not_a_link' }
  /** Not a whole number from `min` to `max`. */
  | { code: 'out_of_range'; min: number; max: number }
  /** Checks not ticked yet, by their policy labels (empty: an unknown check was ticked). */
  | { code: 'checks_open'; open: string[] };

/** A problem on the input of form field `F`, named as the domain names it. */
export type FormIssue<F extends string> = { field: F } & FormProblem;

/** What a form reader gives back: the value, or every issue found, in form order. */
export type FormResult<T, I> = { ok: true; value: T } | { ok: false; issues: I[] };

/** Any list of issues that may hold those of field `F`. */
export interface IssueSink<F extends string> {
  push(issue: FormIssue<F>): unknown;
}

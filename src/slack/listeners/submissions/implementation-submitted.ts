import type { App } from '@slack/bolt';
import {
  type ImplementationIssue,
  readFailure,
  readReviewForm,
  readRollbackForm,
  readVerification,
  rolesForStep,
} from '../../../domain/implementation.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { type StepInput, takeStep } from '../../../services/implementation.js';
import type { ViewStateValues } from '../../blocks/change-form.js';
import { IMPLEMENTATION_FIELDS } from '../../blocks/form-fields.js';
import {
  readFailureReason,
  readReviewValues,
  readRollbackValues,
  readVerificationValues,
} from '../../blocks/implementation.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { IMPLEMENTATION_VIEWS, type ImplementationFormStep, parseChangeValue } from '../../ids.js';
import { ROLE_CHECK_FAILED, rolesHeldNow } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { implementationErrors } from '../../words/forms.js';
import { stepRefusalText } from '../../words/implementation.js';

type Read = { ok: true; input: StepInput } | { ok: false; issues: ImplementationIssue[] };

/** The block a refusal is shown on: the form's first input. */
const FIRST_FIELD: Record<ImplementationFormStep, string> = {
  fail: IMPLEMENTATION_FIELDS.failureReason,
  roll_back: IMPLEMENTATION_FIELDS.rollbackDecidedAt,
  verify: IMPLEMENTATION_FIELDS.verificationChecks,
  review: IMPLEMENTATION_FIELDS.actualVsExpected,
};

/** Reads and validates a form; the review's questions depend on the state the change is in. */
function readForm(
  step: ImplementationFormStep,
  values: ViewStateValues,
  deps: ListenerDependencies,
  changeId: number,
): Read {
  const now = deps.clock.now();
  switch (step) {
    case 'fail': {
      const read = readFailure(readFailureReason(values));
      return read.ok ? { ok: true, input: { step, reason: read.value } } : read;
    }
    case 'roll_back': {
      const read = readRollbackForm(readRollbackValues(values), now);
      return read.ok ? { ok: true, input: { step, rollback: read.value } } : read;
    }
    case 'verify': {
      const { checks, note } = readVerificationValues(values);
      const read = readVerification(checks, note, deps.policy);
      return read.ok ? { ok: true, input: { step, ...read.value } } : read;
    }
    case 'review': {
      const state = changeRecordOf(deps.database, changeId)?.change.state;
      const read = readReviewForm(readReviewValues(values), state ?? 'completed');
      return read.ok ? { ok: true, input: { step, review: read.value } } : read;
    }
  }
}

/**
 * A failure, rollback (10.4), validation (8.4) or review form submitted: validated field by field,
 * then recorded with its transition and audit event in one transaction. Refusals (not the owner,
 * the change moved on) go back on the form's first input; a repeated submission records nothing new.
 */
export function registerImplementationSubmitted(
  app: App,
  deps: ListenerDependencies,
  step: ImplementationFormStep,
): void {
  app.view(IMPLEMENTATION_VIEWS[step], async ({ ack, view, context }) => {
    const refuse = (errors: Record<string, string>) => ack({ response_action: 'errors', errors });
    const changeId = parseChangeValue(view.private_metadata);
    if (changeId === undefined) {
      await refuse({ [FIRST_FIELD[step]]: 'This form does not refer to a change; nothing was recorded.' });
      return;
    }
    const read = readForm(step, view.state.values, deps, changeId);
    if (!read.ok) {
      await refuse(implementationErrors(read.issues));
      return;
    }
    const ctx = useCaseOf(context);
    const heldRoles = await rolesHeldNow(deps.roles, rolesForStep(step, ctx.policy), ctx.actorId);
    if (heldRoles === undefined) {
      await refuse({ [FIRST_FIELD[step]]: ROLE_CHECK_FAILED });
      return;
    }
    const taken = takeStep(ctx, { ...read.input, changeId, heldRoles });
    if (!taken.ok) {
      await refuse({ [FIRST_FIELD[step]]: stepRefusalText(taken, deps.policy) });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

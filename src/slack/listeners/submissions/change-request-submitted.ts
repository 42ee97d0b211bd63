import type { App } from '@slack/bolt';
import { validateChangeRequest } from '../../../domain/change-request.js';
import { submitChange } from '../../../services/submit-change.js';
import { readChangeRequestForm } from '../../blocks/change-form.js';
import { CHANGE_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { changeRequestErrors } from '../../words/forms.js';
import { scheduleErrors } from '../../words/schedule.js';
import { ownerErrors } from './owner-check.js';

/** Where the schedule's errors land on the form. */
const SCHEDULE_FIELDS = {
  start: CHANGE_FIELDS.plannedStart,
  end: CHANGE_FIELDS.plannedEnd,
  exception: CHANGE_FIELDS.scheduleException,
};

/**
 * The change-request modal submitted: validated on the server (errors go back on their blocks and nothing is
 * written), its owner checked against the implementer roles, its schedule against the windows and freezes (9.1,
 * 9.2), recorded in one transaction, acked, then the outbox tells everyone.
 */
export function registerChangeRequestSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.changeRequest, async ({ ack, view, context }) => {
    const ctx = useCaseOf(context);
    const form = readChangeRequestForm(view.state.values, ctx.policy);
    const validation = validateChangeRequest(form, ctx.policy, ctx.now);
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: changeRequestErrors(validation.issues) });
      return;
    }
    const notOwner = await ownerErrors(deps, ctx.policy, validation.request.ownerId);
    if (notOwner) {
      await ack({ response_action: 'errors', errors: notOwner });
      return;
    }
    try {
      // The view ID makes a repeated submission of the same modal record nothing new.
      const outcome = submitChange(ctx, { request: validation.request, submissionKey: view.id });
      if (!outcome.ok) {
        const { problems, risk, exceptionRequested } = outcome;
        const errors = scheduleErrors(problems, { risk, exceptionRequested }, ctx.policy, SCHEDULE_FIELDS);
        await ack({ response_action: 'errors', errors });
        return;
      }
    } catch (error) {
      deps.logger.error(`saving a change request failed: ${error instanceof Error ? error.message : String(error)}`);
      await ack({
        response_action: 'errors',
        errors: {
          [CHANGE_FIELDS.title]: 'Cabinet could not save this change; nothing was recorded. Submit again in a moment.',
        },
      });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

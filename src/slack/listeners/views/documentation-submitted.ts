import type { App } from '@slack/bolt';
import { CHANGE_FIELDS, validateChangeRequest } from '../../../domain/change-request.js';
import { documentEmergency } from '../../../services/paperwork.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { forChangeOf } from './for-change.js';
import { VIEWS } from '../../ids.js';
import { readChangeRequestForm } from '../../views/change-form.js';

/** An emergency's full documentation submitted: validated like a change request (its times may be past), then its retro-approval is asked. */
export function registerDocumentationSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.emergencyDocumentation, async ({ ack, body, view }) => {
    const validation = validateChangeRequest(readChangeRequestForm(view.state.values, deps.policy), deps.policy, deps.clock.now(), 'retrospective');
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: validation.errors });
      return;
    }
    const outcome = forChangeOf(view.private_metadata, (changeId) => documentEmergency(deps.database.db, deps.policy, changeId, validation.request, body.user.id, deps.clock.now()));
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [CHANGE_FIELDS.title]: outcome.reason } });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

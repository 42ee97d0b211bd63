import type { App } from '@slack/bolt';
import { validateEmergencyRequest } from '../../../domain/emergency-request.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { declareEmergency } from '../../../services/emergency.js';
import { readEmergencyForm, verbalApprovalModal } from '../../blocks/emergency.js';
import { EMERGENCY_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { emergencyErrors } from '../../words/forms.js';
import { ownerErrors } from './owner-check.js';

/**
 * The emergency modal submitted: validated, its owner checked against the implementer roles, recorded with its
 * authorization requested, acked; when the requester says it was already authorized verbally, the modal turns into
 * the verbal-approval form.
 */
export function registerEmergencySubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.emergencyRequest, async ({ ack, view, context }) => {
    const validation = validateEmergencyRequest(readEmergencyForm(view.state.values, deps.policy), deps.policy);
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: emergencyErrors(validation.issues) });
      return;
    }
    const notOwner = await ownerErrors(deps, deps.policy, validation.value.ownerId);
    if (notOwner) {
      await ack({ response_action: 'errors', errors: notOwner });
      return;
    }
    let changeId: number;
    try {
      // The view ID makes a repeated submission of the same modal record nothing new.
      changeId = declareEmergency(useCaseOf(context), { request: validation.value, submissionKey: view.id }).changeId;
    } catch (error) {
      deps.logger.error(`saving an emergency change failed: ${error instanceof Error ? error.message : String(error)}`);
      await ack({
        response_action: 'errors',
        errors: {
          [EMERGENCY_FIELDS.whatIsBroken]:
            'Cabinet could not save this emergency; nothing was recorded. Submit again in a moment.',
        },
      });
      return;
    }
    const declared = validation.value.verballyAuthorized ? changeRecordOf(deps.database, changeId) : undefined;
    await ack(declared ? { response_action: 'update', view: verbalApprovalModal(declared, deps.policy) } : undefined);
    deps.outbox.kick();
  });
}

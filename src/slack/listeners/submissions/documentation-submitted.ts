import type { App } from '@slack/bolt';
import { validateChangeRequest } from '../../../domain/change-request.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import { documentEmergency } from '../../../services/paperwork.js';
import { readChangeRequestForm } from '../../blocks/change-form.js';
import { CHANGE_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';
import { changeRequestErrors } from '../../words/forms.js';
import { obligationRefusalText } from '../../words/paperwork.js';
import { forChangeOf } from './for-change.js';

/**
 * An emergency's full documentation submitted: validated like a change request (its times are when
 * the fix ran; the owner is not asked, it stays the change's), then its retro-approval is asked.
 */
export function registerDocumentationSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.emergencyDocumentation, async ({ ack, view, context }) => {
    const ctx = useCaseOf(context);
    const outcome = forChangeOf(view.private_metadata, (changeId) => {
      const ownerId = changeRecordOf(ctx, changeId)?.change.ownerId;
      const form = { ...readChangeRequestForm(view.state.values, ctx.policy), ownerId };
      const validation = validateChangeRequest(form, ctx.policy, ctx.now, 'retrospective');
      if (!validation.ok) return { ok: false as const, reason: '', errors: changeRequestErrors(validation.issues) };
      const documented = documentEmergency(ctx, { changeId, request: validation.request });
      return documented.ok ? documented : { ok: false as const, reason: obligationRefusalText(documented) };
    });
    if (!outcome.ok) {
      await ack({
        response_action: 'errors',
        errors: 'errors' in outcome && outcome.errors ? outcome.errors : { [CHANGE_FIELDS.title]: outcome.reason },
      });
      return;
    }
    await ack();
    deps.outbox.kick();
  });
}

import type { App } from '@slack/bolt';
import { validateVerbalApproval } from '../../../domain/emergency-request.js';
import { recordVerbalApproval } from '../../../services/verbal-approvals.js';
import { noticeModal } from '../../blocks/blocks.js';
import { readVerbalApprovalForm } from '../../blocks/emergency.js';
import { VERBAL_FIELDS } from '../../blocks/form-fields.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseChangeValue, VIEWS } from '../../ids.js';
import { membersForDecision, ROLE_CHECK_FAILED } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { verbalApprovalErrors } from '../../words/forms.js';
import { recordVerbalText } from '../../words/verbal.js';
import { forChangeOf } from './for-change.js';

/**
 * The verbal-approval modal submitted: refused on the approver field when that person cannot
 * authorize, on the given-at field when the time is out of the policy's bounds; else recorded once.
 */
export function registerVerbalApprovalSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.verbalApproval, async ({ ack, view, context }) => {
    const validation = validateVerbalApproval(readVerbalApprovalForm(view.state.values), deps.clock.now());
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: verbalApprovalErrors(validation.issues) });
      return;
    }
    const ctx = useCaseOf(context);
    // The named approver must hold an authorizing role now (user groups through Slack, briefly cached).
    const formChange = parseChangeValue(view.private_metadata);
    const membersByRole = formChange === undefined ? new Map() : await membersForDecision(deps.roles, ctx, formChange);
    if (!membersByRole) {
      await ack({ response_action: 'errors', errors: { [VERBAL_FIELDS.approver]: ROLE_CHECK_FAILED } });
      return;
    }
    const outcome = forChangeOf(view.private_metadata, (changeId) => {
      const recorded = recordVerbalApproval(ctx, {
        changeId,
        verbal: validation.value,
        submissionKey: view.id,
        membersByRole,
      });
      if (recorded.ok) return recorded;
      // A time outside the policy's bounds is refused on its own field; anything else on the approver.
      const errors =
        recorded.code === 'form_issue'
          ? verbalApprovalErrors([recorded.issue])
          : { [VERBAL_FIELDS.approver]: recordVerbalText(recorded, deps.policy) };
      return { ok: false as const, reason: recordVerbalText(recorded, deps.policy), errors };
    });
    if (!outcome.ok) {
      const errors = 'errors' in outcome ? outcome.errors : { [VERBAL_FIELDS.approver]: outcome.reason };
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack({
      response_action: 'update',
      view: noticeModal('Verbal approval', recordVerbalText(outcome, deps.policy)),
    });
    deps.outbox.kick();
  });
}

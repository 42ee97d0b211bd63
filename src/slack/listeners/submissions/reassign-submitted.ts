import type { App } from '@slack/bolt';
import { type ReassignRefusal, reassignRequirement } from '../../../services/reassign.js';
import { noticeModal } from '../../blocks/blocks.js';
import { FORM_ACTION } from '../../blocks/change-form.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { parseDecisionValue, parseRequirementValue, REASSIGN_FIELDS, VIEWS } from '../../ids.js';
import { holdsRoleNow, ROLE_CHECK_FAILED } from '../../role-members.js';
import { useCaseOf } from '../../use-case-context.js';
import { REASSIGN_TITLE, reassignedText, reassignRefusalText } from '../../words/reassign.js';

const FORM_WITHOUT_CHANGE = 'This form does not refer to a change; nothing was recorded.';

/** The input a refusal belongs beside. */
function fieldOf(refusal: ReassignRefusal): string {
  switch (refusal.code) {
    case 'requester':
    case 'owner':
    case 'already_reassigned':
      return REASSIGN_FIELDS.person;
    case 'reason_required':
    case 'reason_too_long':
      return REASSIGN_FIELDS.reason;
    default:
      return REASSIGN_FIELDS.requirement;
  }
}

/**
 * The reassignment form submitted: the admin's role is checked again here (a form can be submitted, or forged, by
 * anyone), and every refusal goes back on its input; once recorded the form says so.
 */
export function registerReassignSubmitted(app: App, deps: ListenerDependencies): void {
  app.view(VIEWS.reassign, async ({ ack, view, context }) => {
    const values = view.state.values;
    const target = parseDecisionValue(view.private_metadata);
    const requirementId = parseRequirementValue(
      values[REASSIGN_FIELDS.requirement]?.[FORM_ACTION]?.selected_option?.value,
    );
    if (!target || requirementId === undefined) {
      const error = target ? 'Pick the approval to reassign.' : FORM_WITHOUT_CHANGE;
      await ack({ response_action: 'errors', errors: { [REASSIGN_FIELDS.requirement]: error } });
      return;
    }
    const assigneeId = values[REASSIGN_FIELDS.person]?.[FORM_ACTION]?.selected_user ?? '';
    if (assigneeId === '') {
      await ack({ response_action: 'errors', errors: { [REASSIGN_FIELDS.person]: 'Pick the person to ask.' } });
      return;
    }
    const ctx = useCaseOf(context);
    // Usually cached from the click that opened this form, so the ack is not held up.
    const admin = await holdsRoleNow(deps.roles, ctx.policy.approvals.admin_roles, ctx.actorId);
    if (admin === undefined) {
      await ack({ response_action: 'errors', errors: { [REASSIGN_FIELDS.requirement]: ROLE_CHECK_FAILED } });
      return;
    }
    const reason = values[REASSIGN_FIELDS.reason]?.[FORM_ACTION]?.value ?? '';
    const outcome = reassignRequirement(ctx, { ...target, admin, requirementId, assigneeId, reason });
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: { [fieldOf(outcome)]: reassignRefusalText(outcome) } });
      return;
    }
    await ack({ response_action: 'update', view: noticeModal(REASSIGN_TITLE, reassignedText(outcome)) });
    deps.outbox.kick();
  });
}

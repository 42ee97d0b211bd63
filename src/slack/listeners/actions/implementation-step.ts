import type { App, types } from '@slack/bolt';
import type { ChangeRecord } from '../../../db/change-record.js';
import { type ImplementationStep, rolesForStep } from '../../../domain/implementation.js';
import { changeRecordOf } from '../../../services/change-queries.js';
import type { UseCaseContext } from '../../../services/context.js';
import { changeNotFound } from '../../../services/context.js';
import { formRefusal, takeStep } from '../../../services/implementation.js';
import { failureModal, reviewModal, rollbackModal, verificationModal } from '../../blocks/implementation.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { IMPLEMENTATION_ACTIONS, type ImplementationFormStep } from '../../ids.js';
import { ROLE_CHECK_FAILED, rolesHeldNow } from '../../role-members.js';
import { stepRefusalText, stepTakenText } from '../../words/implementation.js';
import { changeRefusalText } from '../../words/refusals.js';
import { onChangeButton } from './change-button.js';

/** The steps that record something ask for it in a modal first. */
const FORMS: Record<ImplementationFormStep, (record: ChangeRecord, ctx: UseCaseContext) => types.ModalView> = {
  fail: (record, ctx) => failureModal(record, ctx.policy),
  roll_back: (record, ctx) => rollbackModal(record, ctx.policy, ctx.now),
  verify: (record, ctx) => verificationModal(record, ctx.policy),
  review: (record) => reviewModal(record),
};

const isFormStep = (step: ImplementationStep): step is ImplementationFormStep => Object.hasOwn(FORMS, step);

/**
 * An implementation button (owner's DM or log channel): Start, Complete and Close are taken at once;
 * Failed, Rolled back, Verify and Review open their form, after the same checks the form's
 * submission runs again. The roles the policy names for the step are checked now, on the server. A refusal is an
 * ephemeral answer that says why.
 */
export function registerImplementationStep(app: App, deps: ListenerDependencies, step: ImplementationStep): void {
  onChangeButton(
    app,
    IMPLEMENTATION_ACTIONS[step],
    deps,
    async ({ target: changeId, ctx, triggerId, client, reply }) => {
      const heldRoles = await rolesHeldNow(deps.roles, rolesForStep(step, ctx.policy), ctx.actorId);
      if (heldRoles === undefined) {
        await reply(ROLE_CHECK_FAILED);
        return;
      }
      if (!isFormStep(step)) {
        const outcome = takeStep(ctx, { changeId, step, heldRoles });
        if (outcome.ok) deps.outbox.kick();
        await reply(outcome.ok ? stepTakenText(outcome) : stepRefusalText(outcome, deps.policy));
        return;
      }
      const record = changeRecordOf(ctx, changeId);
      if (!record) {
        await reply(changeRefusalText(changeNotFound, 'read'));
        return;
      }
      const refusal = formRefusal(ctx, { record, step, heldRoles });
      if (refusal) await reply(stepRefusalText(refusal, deps.policy));
      else await client.views.open({ trigger_id: triggerId, view: FORMS[step](record, ctx) });
    },
  );
}

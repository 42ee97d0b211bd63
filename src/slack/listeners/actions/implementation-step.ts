import type { App, types } from '@slack/bolt';
import { type ChangeRecord, loadChangeRecord } from '../../../db/change-record.js';
import type { ImplementationStep } from '../../../domain/implementation.js';
import { formRefusal, takeStep } from '../../../services/implementation.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { IMPLEMENTATION_ACTIONS, type ImplementationFormStep } from '../../ids.js';
import { failureModal, reviewModal, rollbackModal, verificationModal } from '../../views/implementation.js';
import { onChangeButton } from './change-button.js';

/** The steps that record something ask for it in a modal first. */
const FORMS: Record<ImplementationFormStep, (view: ChangeRecord, deps: ListenerDependencies) => types.ModalView> = {
  fail: (view) => failureModal(view),
  roll_back: (view, deps) => rollbackModal(view, deps.policy, deps.clock.now()),
  verify: (view, deps) => verificationModal(view, deps.policy),
  review: (view) => reviewModal(view),
};

const isFormStep = (step: ImplementationStep): step is ImplementationFormStep => Object.hasOwn(FORMS, step);

/**
 * An implementation button (owner's DM or log channel): Start, Complete and Close are taken at once;
 * Failed, Rolled back, Verify and Review open their form, after the same checks the form's
 * submission runs again. A refusal is an ephemeral answer that says why.
 */
export function registerImplementationStep(app: App, deps: ListenerDependencies, step: ImplementationStep): void {
  onChangeButton(
    app,
    IMPLEMENTATION_ACTIONS[step],
    deps,
    async ({ target: changeId, userId, triggerId, client, reply }) => {
      const { db } = deps.database;
      if (!isFormStep(step)) {
        const outcome = takeStep(db, deps.policy, changeId, userId, { step }, deps.clock.now());
        if (outcome.ok) deps.outbox.kick();
        await reply(outcome.ok ? outcome.message : outcome.reason);
        return;
      }
      const view = loadChangeRecord(db, changeId);
      const refusal = view
        ? formRefusal(db, deps.policy, view, step, userId, deps.clock.now())
        : 'That change does not exist.';
      if (refusal !== undefined || !view) await reply(refusal ?? 'That change does not exist.');
      else await client.views.open({ trigger_id: triggerId, view: FORMS[step](view, deps) });
    },
  );
}

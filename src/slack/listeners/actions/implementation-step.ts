import type { App, types } from '@slack/bolt';
import { type ChangeRecord, loadChangeRecord } from '../../../db/change-record.js';
import type { ImplementationStep } from '../../../domain/implementation.js';
import { formRefusal, takeStep } from '../../../services/implementation.js';
import { failureModal, reviewModal, rollbackModal, verificationModal } from '../../blocks/implementation.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { IMPLEMENTATION_ACTIONS, type ImplementationFormStep } from '../../ids.js';
import { onChangeButton } from './change-button.js';

/** The steps that record something ask for it in a modal first. */
const FORMS: Record<ImplementationFormStep, (record: ChangeRecord, deps: ListenerDependencies) => types.ModalView> = {
  fail: (record) => failureModal(record),
  roll_back: (record, deps) => rollbackModal(record, deps.policy, deps.clock.now()),
  verify: (record, deps) => verificationModal(record, deps.policy),
  review: (record) => reviewModal(record),
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
      const record = loadChangeRecord(db, changeId);
      const refusal = record
        ? formRefusal(db, deps.policy, record, step, userId, deps.clock.now())
        : 'That change does not exist.';
      if (refusal !== undefined || !record) await reply(refusal ?? 'That change does not exist.');
      else await client.views.open({ trigger_id: triggerId, view: FORMS[step](record, deps) });
    },
  );
}

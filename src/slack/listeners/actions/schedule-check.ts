import type { App, BlockAction } from '@slack/bolt';
import { checkFormSchedule } from '../../../services/schedule-check.js';
import { changeRequestModal, FORM_ACTION, readChangeRequestForm } from '../../blocks/change-form.js';
import { scheduleNoteLines } from '../../blocks/schedule.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { SCHEDULE_CHECK_BLOCK, VIEWS } from '../../ids.js';
import { useCaseOf } from '../../use-case-context.js';

/**
 * A change-request form's times or systems changed: the modal is updated with what its schedule
 * breaks (windows, freezes) and the changes it overlaps, before it is submitted. The inputs keep
 * what was typed because their block and action IDs stay the same; the view hash makes Slack drop
 * an update that an older check would otherwise make over a newer one.
 */
export function registerScheduleCheck(app: App, deps: ListenerDependencies): void {
  app.action<BlockAction>(
    { type: 'block_actions', block_id: SCHEDULE_CHECK_BLOCK, action_id: FORM_ACTION },
    async ({ ack, body, client, context }) => {
      await ack();
      const view = body.view;
      if (view?.callback_id !== VIEWS.changeRequest) return;
      const form = readChangeRequestForm(view.state.values, deps.policy);
      const notes = scheduleNoteLines(checkFormSchedule(useCaseOf(context), form), deps.policy);
      try {
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: changeRequestModal(deps.policy, body.user.id, notes),
        });
      } catch (error) {
        // hash_conflict: the user changed something else meanwhile, and that check updates the modal.
        deps.logger.warn(
          `schedule check for ${view.id} not shown: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  );
}

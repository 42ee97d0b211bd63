import type { App } from '@slack/bolt';
import { decisionStage } from '../../../domain/lifecycle.js';
import { approveChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { onChangeButton } from './change-button.js';

/** Approve (or Authorize): recorded at most once per person and requirement; the messages are then updated by the outbox. */
export function registerApprove(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.approve, deps, async ({ changeId, userId, reply }) => {
    const outcome = approveChange(deps.database.db, deps.policy, changeId, userId, deps.clock.now());
    if (!outcome.ok) {
      await reply(outcome.reason);
      return;
    }
    deps.outbox.kick();
    const { stage, changeState, ref } = outcome;
    const moved = decisionStage(changeState) === undefined;
    await reply(`Your ${stage.phase === 'authorization' ? 'authorization' : 'approval'} of ${ref} is recorded.${moved ? ` ${ref} is now ${stage.words.approved}.` : ''}`);
  });
}

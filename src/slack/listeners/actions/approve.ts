import type { App } from '@slack/bolt';
import { decisionStage } from '../../../domain/lifecycle.js';
import { approveChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS, parseDecisionValue } from '../../ids.js';
import { onButton } from './change-button.js';

/**
 * Approve (or Authorize): recorded at most once per person and
 * requirement; the messages are then updated by the outbox.
 */
export function registerApprove(app: App, deps: ListenerDependencies): void {
  onButton(app, ACTIONS.approve, deps, parseDecisionValue, async ({ target, userId, reply }) => {
    const outcome = approveChange(deps.database.db, deps.policy, target, userId, deps.clock.now());
    if (!outcome.ok) {
      await reply(outcome.reason);
      return;
    }
    deps.outbox.kick();
    const { stage, changeState, ref } = outcome;
    const moved = decisionStage(changeState) === undefined;
    await reply(
      `Your ${stage.phase === 'authorization' ? 'authorization' : 'approval'} of ${ref} is ` +
        `recorded.${moved ? ` ${ref} is now ${stage.words.approved}.` : ''}`,
    );
  });
}

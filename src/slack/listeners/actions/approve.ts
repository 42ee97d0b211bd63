import type { App } from '@slack/bolt';
import { approveChange } from '../../../services/decide.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { onChangeButton } from './change-button.js';

/** Approve: recorded at most once per person and role; the messages are then updated by the outbox. */
export function registerApprove(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.approve, deps, async ({ changeId, userId, reply }) => {
    const outcome = approveChange(deps.database.db, deps.policy, changeId, userId, deps.clock.now());
    if (!outcome.ok) {
      await reply(outcome.reason);
      return;
    }
    deps.outbox.kick();
    await reply(`Your approval of ${outcome.ref} is recorded.${outcome.changeState === 'approved' ? ` ${outcome.ref} is now approved.` : ''}`);
  });
}

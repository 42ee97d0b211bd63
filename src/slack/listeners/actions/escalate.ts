import type { App } from '@slack/bolt';
import { escalateAuthorization } from '../../../services/emergency.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { ACTIONS } from '../../ids.js';
import { escalationText } from '../../words/emergency.js';
import { onChangeButton } from './change-button.js';

/** "Ask CTO/CISO now": the stand-in authorizers (6.3 "if unavailable") are asked without waiting. */
export function registerEscalate(app: App, deps: ListenerDependencies): void {
  onChangeButton(app, ACTIONS.escalate, deps, async ({ target: changeId, ctx, userId, reply }) => {
    const outcome = escalateAuthorization(ctx, { changeId, by: { userId } });
    if (outcome.ok) deps.outbox.kick();
    await reply(escalationText(outcome));
  });
}

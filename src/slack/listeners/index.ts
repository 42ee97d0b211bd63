import type { App } from '@slack/bolt';
import type { ListenerDependencies } from '../dependencies.js';
import { registerApprove } from './actions/approve.js';
import { registerDetails } from './actions/details.js';
import { registerReject } from './actions/reject.js';
import { registerChangeCommand } from './commands/change.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerChangeRequestSubmitted } from './views/change-request-submitted.js';
import { registerRejectReasonSubmitted } from './views/reject-reason-submitted.js';

export function registerListeners(app: App, deps: ListenerDependencies): void {
  registerChangeCommand(app, deps);
  registerApprove(app, deps);
  registerReject(app, deps);
  registerDetails(app, deps);
  registerChangeRequestSubmitted(app, deps);
  registerRejectReasonSubmitted(app, deps);
  registerAppHomeOpened(app, deps);
}

import type { App } from '@slack/bolt';
import type { AppDependencies } from '../dependencies.js';
import { registerChangeCommand } from './commands/change.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';

export function registerListeners(app: App, deps: AppDependencies): void {
  registerChangeCommand(app, deps);
  registerAppHomeOpened(app, deps);
}

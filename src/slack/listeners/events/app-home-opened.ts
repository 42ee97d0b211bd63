import type { App } from '@slack/bolt';
import { rememberHomeViewer } from '../../../services/homes.js';
import type { ListenerDependencies } from '../../dependencies.js';
import { publishHomeNow } from '../../home.js';
import { useCaseOf } from '../../use-case-context.js';

/**
 * Publishes the App Home, the person's inbox, each time it is opened (the event is acked first), and remembers
 * them: from now on their Home is republished whenever a change they are part of moves.
 */
export function registerAppHomeOpened(app: App, deps: ListenerDependencies): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    rememberHomeViewer({ ...useCaseOf(context), actorId: event.user });
    await publishHomeNow(client, deps, event.user);
  });
}

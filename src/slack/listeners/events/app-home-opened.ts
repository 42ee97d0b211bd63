import type { App } from '@slack/bolt';
import { homeView } from '../../blocks/home.js';
import type { ListenerDependencies } from '../../dependencies.js';

/** Publishes the App Home each time it is opened, so it shows the policy as it is now. */
export function registerAppHomeOpened(app: App, deps: ListenerDependencies): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: homeView(deps.policy, deps.clock.now()) });
  });
}

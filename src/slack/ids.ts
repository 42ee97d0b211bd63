// Every identifier Slack sends back to us, in one place: the slash command, routes, and later the
// action, block and view IDs that listeners match on.
export const CHANGE_COMMAND = '/change';
export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

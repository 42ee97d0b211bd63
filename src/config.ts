import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface Config {
  slack: {
    botToken: string;
    /** Set in HTTP mode; Socket Mode does not sign requests. */
    signingSecret?: string;
    /** Set: Socket Mode. Unset: HTTP mode on /slack/events. */
    appToken?: string;
    apiUrl?: string;
  };
  port: number;
  databasePath: string;
  policyPath: string;
  /** The secret in the calendar feed's URL; unset, there is no feed. */
  calendarToken?: string;
}

const CREATE_APP = 'create the app from manifest.yml (see README)';

// Each message names the variable and what to do; none repeats the value, which may be a secret.
const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({
      error:
        `SLACK_BOT_TOKEN is not set: ${CREATE_APP}, install it to your workspace, then set ` +
        `SLACK_BOT_TOKEN to its Bot User OAuth Token (xoxb-…)`,
    })
    .regex(
      /^xoxb-/,
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)',
    ),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(
      /^[0-9a-f]{16,}$/i,
      "SLACK_SIGNING_SECRET must be the app's Signing Secret (Basic Information → App Credentials)",
    )
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(
      /^xapp-/,
      'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → ' +
        'App-Level Tokens, scope connections:write)',
    )
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, error: 'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/' })
    .optional(),
  PORT: z.coerce
    .number({ error: 'PORT must be a port number from 0 to 65535' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be from 0 to 65535')
    .max(65535, 'PORT must be from 0 to 65535')
    .default(3000),
  DATABASE_PATH: z.string().min(1, 'DATABASE_PATH must not be empty').default('./data/cabinet.sqlite'),
  POLICY_PATH: z.string().min(1, 'POLICY_PATH must not be empty').default('./policy.yml'),
  CALENDAR_TOKEN: z
    .string()
    .min(32, 'CALENDAR_TOKEN must be at least 32 characters: generate one with `openssl rand -hex 32`')
    .regex(
      /^[A-Za-z0-9_-]+$/,
      'CALENDAR_TOKEN may hold only letters, digits, - and _ (it goes in a URL): generate ' +
        'one with `openssl rand -hex 32`',
    )
    .optional(),
});

/** The database file alone, for command-line tools that need no Slack credentials. */
export function loadDatabasePath(env: NodeJS.ProcessEnv): string {
  const result = envSchema.pick({ DATABASE_PATH: true }).safeParse({ DATABASE_PATH: env.DATABASE_PATH || undefined });
  if (!result.success) throw new ConfigError(result.error.issues[0]?.message ?? 'invalid DATABASE_PATH');
  return result.data.DATABASE_PATH;
}

/** Reads the environment once at start. Empty values count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    // One line: the first problem, in the order the README lists the variables.
    throw new ConfigError(result.error.issues[0]?.message ?? 'invalid environment');
  }
  const vars = result.data;
  if (!vars.SLACK_APP_TOKEN && !vars.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      `SLACK_SIGNING_SECRET is not set: ${CREATE_APP}, then set SLACK_SIGNING_SECRET to ` +
        `its Signing Secret (Basic Information → App Credentials), or set SLACK_APP_TOKEN ` +
        `for Socket Mode`,
    );
  }
  return {
    slack: {
      botToken: vars.SLACK_BOT_TOKEN,
      signingSecret: vars.SLACK_SIGNING_SECRET,
      appToken: vars.SLACK_APP_TOKEN,
      // The Web API client appends method names to this base, so it must end with a slash.
      apiUrl: vars.SLACK_API_URL?.replace(/\/?$/, '/'),
    },
    port: vars.PORT,
    databasePath: vars.DATABASE_PATH,
    policyPath: vars.POLICY_PATH,
    calendarToken: vars.CALENDAR_TOKEN,
  };
}

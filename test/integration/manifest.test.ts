// Validates manifest.yml against Slack's official app manifest JSON Schema
// (slackapi/manifest-schema), kept outside the repository in ../shared/slack.
// See ../shared/slack/README.md for how the schema files must be registered.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
// ajv-formats is CommonJS; under NodeNext its default import is the module object, whose
// `default` is the plugin (at runtime `module.exports.default === module.exports`).
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifestPath = join(repoRoot, 'manifest.yml');
const schemaDir = resolve(repoRoot, '..', 'shared', 'slack');

const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';
const VERSIONED_SCHEMAS = ['manifest.schema.1.0.0.json', 'manifest.schema.2.0.0.json'] as const;
const MAIN_SCHEMA = 'manifest.schema.json';

const schemaPresent = [MAIN_SCHEMA, ...VERSIONED_SCHEMAS].every((file) => existsSync(join(schemaDir, file)));

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  return JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as Json;
}

function compileManifestSchema(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajvFormats.default(ajv);
  // The versioned schemas have no $id; manifest.schema.json $refs them by these URLs.
  for (const file of VERSIONED_SCHEMAS) ajv.addSchema(readJson(file), SCHEMA_BASE_URL + file);
  return ajv.compile(readJson(MAIN_SCHEMA));
}

function loadManifest(): Json {
  return parse(readFileSync(manifestPath, 'utf8')) as Json;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return '(no errors reported)';
  return errors.map((error) => `  ${error.instancePath || '/'}: ${error.message ?? '(no message)'}`).join('\n');
}

/** Reads a nested property by path, or undefined when any step is missing. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const SKIP_REASON = 'skipped: ../shared/slack not found beside the repository';
if (!schemaPresent) console.warn(`manifest.test.ts: ${SKIP_REASON} (looked in ${schemaDir})`);

describe.skipIf(!schemaPresent)(
  `manifest.yml against Slack's official manifest schema${schemaPresent ? '' : ` (${SKIP_REASON})`}`,
  () => {
    it('is valid', () => {
      const validate = compileManifestSchema();
      const valid = validate(loadManifest());
      expect(valid, `manifest.yml does not match the schema:\n${formatErrors(validate.errors)}`).toBe(true);
    });

    it('rejects a copy with a misspelled top-level key (the validator can fail)', () => {
      const validate = compileManifestSchema();
      const { features, ...rest } = loadManifest();
      expect(features).toBeDefined();
      const broken = { ...rest, featurez: features };

      expect(validate(broken)).toBe(false);
      expect(validate.errors?.some((error) => error.keyword === 'additionalProperties')).toBe(true);
    });

    it('declares /change, app_home_opened, interactivity, the home tab and exactly the bot scopes Cabinet uses', () => {
      const manifest = loadManifest();

      const commands = at(manifest, 'features', 'slash_commands');
      expect(Array.isArray(commands)).toBe(true);
      expect((commands as unknown[]).map((command) => at(command, 'command'))).toContain('/change');

      expect(at(manifest, 'settings', 'event_subscriptions', 'bot_events')).toContain('app_home_opened');
      expect(at(manifest, 'settings', 'interactivity', 'is_enabled')).toBe(true);
      expect(at(manifest, 'features', 'app_home', 'home_tab_enabled')).toBe(true);

      const botScopes = at(manifest, 'oauth_config', 'scopes', 'bot');
      expect(Array.isArray(botScopes)).toBe(true);
      expect([...(botScopes as string[])].sort()).toEqual([
        'channels:history',
        'chat:write',
        'commands',
        'files:write',
        'groups:history',
        'im:history',
        'im:write',
        'usergroups:read',
        'users:read',
      ]);
    });
  },
);

// The OpenAPI 3.1 document of the deployment-gate API, served at /api/v1/openapi.json. Tests validate the document
// and every response they receive against it, so it cannot drift from what the routes answer.

const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'A code for programs.' },
    message: { type: 'string', description: 'A sentence for the pipeline log.' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const interval = {
  type: 'object',
  required: ['start', 'end'],
  properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } },
} as const;

const changeRef = {
  name: 'ref',
  in: 'path',
  required: true,
  description: 'The change, e.g. CHG-42.',
  schema: { type: 'string', pattern: '^[Cc][Hh][Gg]-[0-9]+$' },
} as const;

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description: 'A retry with the same key records once and gets the same answer.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

const gateAnswer = {
  type: 'object',
  required: ['allowed', 'change', 'state', 'system', 'environment'],
  properties: {
    allowed: { type: 'boolean' },
    change: { type: 'string', examples: ['CHG-42'] },
    state: { type: 'string', description: "The change's lifecycle state." },
    system: { type: 'string' },
    environment: { type: ['string', 'null'] },
    reasons: { type: 'array', items: { $ref: '#/components/schemas/GateReason' } },
  },
} as const;

const common = {
  '401': errorResponse('No token, or one unknown or revoked.'),
  '404': errorResponse('No such change.'),
  '422': errorResponse('The request is malformed (a missing parameter or header, a body that is not valid).'),
  '429': errorResponse("Too many requests with this token; wait the Retry-After header's seconds."),
  '500': errorResponse('Cabinet could not answer.'),
} as const;

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Cabinet deployment gate',
    version: '1.0.0',
    description:
      'CI/CD pipelines ask Cabinet whether a change may be deployed now, then report the deployment on the change. ' +
      'Tokens are created in Slack with `/change token create <name> [system…]`.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  paths: {
    '/changes': {
      post: {
        operationId: 'createStandardChange',
        summary:
          'Document a standard change from the catalog for its owner; pre-authorized entries are approved at once.',
        description:
          "Validated by the rules of the Slack form; texts left out are the catalog entry's description, the planned " +
          'times default to this minute for an hour. The owner is its requester, as if they had submitted the form.',
        parameters: [idempotencyKey],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/StandardChangeRequest' } } },
        },
        responses: {
          '201': {
            description: 'Recorded.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreatedChange' } } },
          },
          '200': {
            description: 'This idempotency key was recorded before; nothing more was.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CreatedChange' } } },
          },
          '403': errorResponse('The token is limited to other systems.'),
          '409': errorResponse('The planned times break the deployment windows or a freeze (`issues` says how).'),
          '413': errorResponse('The body is over 64 KB.'),
          ...common,
        },
      },
    },
    '/changes/{ref}/gate': {
      get: {
        operationId: 'checkGate',
        summary: 'May the change be deployed to the system now?',
        description:
          'Open when the change is approved, inside a deployment window allowing its risk (or under its approved ' +
          'exception), outside freezes, with its notice given, and the system is one of its systems. Each use is ' +
          'audited on the change.',
        parameters: [
          changeRef,
          { name: 'system', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
          { name: 'environment', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The gate is open.',
            content: {
              'application/json': {
                schema: { ...gateAnswer, properties: { ...gateAnswer.properties, allowed: { const: true } } },
              },
            },
          },
          '409': {
            description: 'The gate is closed; `reasons` says why.',
            content: {
              'application/json': {
                schema: {
                  ...gateAnswer,
                  required: [...gateAnswer.required, 'reasons'],
                  properties: { ...gateAnswer.properties, allowed: { const: false } },
                },
              },
            },
          },
          '403': errorResponse('The token is limited to other systems.'),
          ...common,
        },
      },
    },
    '/changes/{ref}/deployments': {
      post: {
        operationId: 'reportDeployment',
        summary: "Record a deployment on the change, moving it as the owner's Start, Complete or Failed button would.",
        parameters: [changeRef, idempotencyKey],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/DeploymentReport' } } },
        },
        responses: {
          '201': {
            description: 'Recorded.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Deployment' } } },
          },
          '200': {
            description: 'This idempotency key was recorded before; nothing more was.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Deployment' } } },
          },
          '403': errorResponse("The token is limited to systems the change does not touch (or not the body's)."),
          '409': errorResponse('The change may not move so now (e.g. not approved, outside its windows, not started).'),
          '413': errorResponse('The body is over 64 KB.'),
          ...common,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: errorBody,
      GateReason: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            enum: [
              'system_not_on_change',
              'not_approved',
              'not_startable',
              'short_notice',
              'frozen',
              'frozen_since_exception',
              'outside_windows',
              'evidence_missing',
            ],
          },
          message: { type: 'string' },
          next_window: {
            description: 'For `frozen` and `outside_windows`: the next window the change fits, or null.',
            oneOf: [interval, { type: 'null' }],
          },
          earliest_start: { type: 'string', format: 'date-time', description: 'For `short_notice`.' },
          missing: {
            type: 'array',
            items: { type: 'string' },
            description: 'For `evidence_missing`: the evidence owed before Start, not yet recorded.',
          },
        },
      },
      DeploymentReport: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'string', enum: ['started', 'succeeded', 'failed'] },
          commit: { type: 'string', maxLength: 200 },
          tag: { type: 'string', maxLength: 200 },
          pipeline_url: { type: 'string', format: 'uri' },
          system: { type: 'string', maxLength: 100 },
          environment: { type: 'string', maxLength: 100 },
          reason: { type: 'string', maxLength: 3000, description: 'For `failed`: what went wrong.' },
        },
      },
      StandardChangeRequest: {
        type: 'object',
        required: ['standard_change', 'title', 'systems', 'owner', 'risk_answers'],
        properties: {
          standard_change: { type: 'string', description: 'The id of a `standard_changes` entry of the policy.' },
          title: { type: 'string', maxLength: 150 },
          systems: { type: 'array', items: { type: 'string' }, minItems: 1 },
          owner: { type: 'string', description: 'The Slack user ID of the change owner.' },
          risk_answers: {
            type: 'object',
            additionalProperties: { type: 'number' },
            description: "A score for each of the policy's risk factors, by factor id.",
          },
          planned_start: { type: 'string', format: 'date-time' },
          planned_end: { type: 'string', format: 'date-time' },
          link: { type: 'string', format: 'uri', description: 'The ticket or pull request.' },
          description: { type: 'string' },
          business_justification: { type: 'string' },
          impact_analysis: { type: 'string' },
          test_plan: { type: 'string' },
          rollback_plan: { type: 'string' },
          implementation_plan: { type: 'string' },
        },
      },
      CreatedChange: {
        type: 'object',
        required: ['change', 'state', 'created'],
        properties: {
          change: { type: 'string', examples: ['CHG-42'] },
          state: { type: 'string', description: 'approved for a pre-authorized entry, else pending_approval.' },
          created: { type: 'boolean', description: 'False when this idempotency key was recorded before.' },
        },
      },
      Deployment: {
        type: 'object',
        required: ['change', 'status', 'state', 'moved', 'replayed'],
        properties: {
          change: { type: 'string' },
          status: { type: 'string', enum: ['started', 'succeeded', 'failed'] },
          state: { type: 'string' },
          moved: { type: 'boolean', description: 'False when the change was in that state already.' },
          replayed: { type: 'boolean', description: 'True when this idempotency key was recorded before.' },
        },
      },
    },
  },
} as const;
